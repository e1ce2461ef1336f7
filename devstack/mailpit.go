package devstack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// Default ports of Mailpit.
const (
	MailpitDefaultSMTPPort = 1025
	MailpitDefaultHTTPPort = 8025
)

// mailpitReadyTimeout bounds how long StartMailpit waits for the HTTP API.
const mailpitReadyTimeout = 30 * time.Second

// MailpitOptions configures Mailpit.
type MailpitOptions struct {
	// Binary is the mailpit executable (see Ensure and Find).
	Binary string
	// SMTPPort receives mail; 0 means MailpitDefaultSMTPPort. Any user
	// name and password are accepted, also without TLS.
	SMTPPort int
	// HTTPPort serves the web inbox and the API; 0 means
	// MailpitDefaultHTTPPort.
	HTTPPort int
	// DataDir holds the database mailpit.db that keeps messages across
	// restarts; empty uses a temporary one.
	DataDir string
	// MaxMessages is how many messages Mailpit keeps before it deletes the
	// oldest; 0 keeps Mailpit's default (500).
	MaxMessages int
	// Log receives Mailpit's output; nil discards it (its last lines still
	// appear in errors).
	Log io.Writer
}

func (o MailpitOptions) withDefaults() MailpitOptions {
	if o.SMTPPort == 0 {
		o.SMTPPort = MailpitDefaultSMTPPort
	}
	if o.HTTPPort == 0 {
		o.HTTPPort = MailpitDefaultHTTPPort
	}
	return o
}

func mailpitArgs(o MailpitOptions) []string {
	args := []string{
		"--smtp", hostPort(o.SMTPPort),
		"--listen", hostPort(o.HTTPPort),
		"--smtp-auth-accept-any",
		"--smtp-auth-allow-insecure",
		"--disable-version-check",
	}
	if o.DataDir != "" {
		args = append(args, "--database", filepath.Join(o.DataDir, "mailpit.db"))
	}
	if o.MaxMessages > 0 {
		args = append(args, "--max", strconv.Itoa(o.MaxMessages))
	}
	return args
}

// MailpitURL is the base URL of Mailpit's web inbox and API on httpPort.
func MailpitURL(httpPort int) string { return "http://" + hostPort(httpPort) }

// StartMailpit starts Mailpit bound to 127.0.0.1 and returns once its HTTP
// API answers. Ports are checked first, so a port in use gives a
// *PortInUseError.
func StartMailpit(ctx context.Context, opts MailpitOptions) (*Process, error) {
	o := opts.withDefaults()
	if o.Binary == "" {
		return nil, errors.New("start Mailpit: no binary given (see devstack.Ensure)")
	}
	if err := checkPortFree(o.SMTPPort, "Mailpit SMTP server", "MailpitOptions.SMTPPort"); err != nil {
		return nil, err
	}
	if err := checkPortFree(o.HTTPPort, "Mailpit web inbox", "MailpitOptions.HTTPPort"); err != nil {
		return nil, err
	}
	if o.DataDir != "" {
		if err := os.MkdirAll(o.DataDir, 0o755); err != nil {
			return nil, fmt.Errorf("start Mailpit: data folder: %w", err)
		}
	}
	p, err := startProcess(processSpec{
		name:       "Mailpit",
		path:       o.Binary,
		args:       mailpitArgs(o),
		log:        o.Log,
		stopSignal: syscall.SIGTERM,
	})
	if err != nil {
		return nil, err
	}
	readyz := MailpitURL(o.HTTPPort) + "/readyz"
	err = p.waitReady(ctx, mailpitReadyTimeout, readyz, func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, readyz, nil)
		if err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s: %s", readyz, resp.Status)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}
