package devstack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
)

// Default ports of the Temporal dev server.
const (
	TemporalDefaultPort   = 7233
	TemporalDefaultUIPort = 8233
)

// temporalReadyTimeout bounds how long StartTemporal waits for the
// frontend; it usually answers within a second, a few on a busy machine.
const temporalReadyTimeout = 90 * time.Second

// TemporalOptions configures the Temporal dev server.
type TemporalOptions struct {
	// Binary is the Temporal CLI (see Ensure and Find).
	Binary string
	// DataDir holds the SQLite file temporal.db that keeps workflows
	// across restarts; empty keeps everything in memory.
	DataDir string
	// Port is the frontend gRPC port; 0 means TemporalDefaultPort.
	Port int
	// UIPort is the web UI port; 0 means TemporalDefaultUIPort. Ignored
	// when Headless.
	UIPort int
	// Headless runs without the web UI (tests).
	Headless bool
	// Namespace is created at start; "default" always exists.
	Namespace string
	// SearchAttributes registers custom search attributes, name → type
	// (Keyword, Text, Int, Double, Bool, Datetime, KeywordList).
	SearchAttributes map[string]string
	// Log receives the server's output; nil discards it (its last lines
	// still appear in errors).
	Log io.Writer
}

func (o TemporalOptions) withDefaults() TemporalOptions {
	if o.Port == 0 {
		o.Port = TemporalDefaultPort
	}
	if o.UIPort == 0 {
		o.UIPort = TemporalDefaultUIPort
	}
	if o.Namespace == "" {
		o.Namespace = "default"
	}
	return o
}

// temporalArgs builds the command line of `temporal server start-dev`.
func temporalArgs(o TemporalOptions) []string {
	args := []string{"server", "start-dev",
		"--ip", Loopback,
		"--port", strconv.Itoa(o.Port),
		"--namespace", o.Namespace,
		// No call home to check for a newer server.
		"--dynamic-config-value", "frontend.enableServerVersionCheck=false",
	}
	if o.Headless {
		args = append(args, "--headless")
	} else {
		args = append(args, "--ui-ip", Loopback, "--ui-port", strconv.Itoa(o.UIPort))
	}
	if o.DataDir != "" {
		args = append(args, "--db-filename", filepath.Join(o.DataDir, "temporal.db"))
	}
	names := make([]string, 0, len(o.SearchAttributes))
	for name := range o.SearchAttributes {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		args = append(args, "--search-attribute", name+"="+o.SearchAttributes[name])
	}
	return args
}

// StartTemporal starts `temporal server start-dev` bound to 127.0.0.1 and
// returns once its frontend answers a health check and knows the namespace.
// Ports are checked first, so a port in use gives a *PortInUseError.
func StartTemporal(ctx context.Context, opts TemporalOptions) (*Process, error) {
	o := opts.withDefaults()
	if o.Binary == "" {
		return nil, errors.New("start Temporal dev server: no binary given (see devstack.Ensure)")
	}
	if err := checkPortFree(o.Port, "Temporal frontend (gRPC)", "TemporalOptions.Port"); err != nil {
		return nil, err
	}
	if !o.Headless {
		if err := checkPortFree(o.UIPort, "Temporal web UI", "TemporalOptions.UIPort"); err != nil {
			return nil, err
		}
	}
	if o.DataDir != "" {
		if err := os.MkdirAll(o.DataDir, 0o755); err != nil {
			return nil, fmt.Errorf("start Temporal dev server: data folder: %w", err)
		}
	}
	p, err := startProcess(processSpec{
		name:       "Temporal dev server",
		path:       o.Binary,
		args:       temporalArgs(o),
		log:        o.Log,
		stopSignal: syscall.SIGTERM,
	})
	if err != nil {
		return nil, err
	}
	addr := hostPort(o.Port)
	err = p.waitReady(ctx, temporalReadyTimeout, addr, func(ctx context.Context) error {
		return temporalAnswers(ctx, addr, o.Namespace)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// temporalAnswers reports whether the frontend at addr is healthy and
// serves namespace.
func temporalAnswers(ctx context.Context, addr, namespace string) error {
	c, err := dialQuietly(ctx, addr, namespace)
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.CheckHealth(ctx, &client.CheckHealthRequest{}); err != nil {
		return err
	}
	_, err = c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: namespace})
	return err
}

// dialQuietly connects a client that logs nothing, for readiness checks
// that poll until the server answers.
func dialQuietly(ctx context.Context, addr, namespace string) (client.Client, error) {
	return client.DialContext(ctx, client.Options{
		HostPort:  addr,
		Namespace: namespace,
		Logger:    tlog.NewStructuredLogger(slog.New(slog.DiscardHandler)),
	})
}
