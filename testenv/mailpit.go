package testenv

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"rcm/devstack"
)

// MailpitServer is a Mailpit mail catcher started for one test: SMTP on
// 127.0.0.1 (any credentials accepted, no TLS) and its HTTP API to read what
// arrived. Start it with Mailpit.
type MailpitServer struct {
	smtpPort int
	apiURL   string
	http     *http.Client
}

// Mailpit starts Mailpit for the test and stops it when the test ends. The
// binary comes from RCM_MAILPIT_BIN or rcm's tool cache; tests never build
// it: if it is missing, the test fails saying how to provision it.
func Mailpit(t testing.TB) *MailpitServer {
	t.Helper()
	bin, err := toolBinary(devstack.Mailpit())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var proc *devstack.Process
	var smtpPort, httpPort int
	// A free port can be taken by another test package's server between the
	// moment it is found and the moment Mailpit binds it: try new ports.
	err = retryOnNewPorts(func() error {
		if smtpPort, err = devstack.FreePort(); err != nil {
			return err
		}
		if httpPort, err = devstack.FreePort(); err != nil {
			return err
		}
		proc, err = devstack.StartMailpit(ctx, devstack.MailpitOptions{
			Binary:      bin,
			SMTPPort:    smtpPort,
			HTTPPort:    httpPort,
			DataDir:     t.TempDir(),
			MaxMessages: 100000,
		})
		return err
	})
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := proc.Stop(ctx); err != nil {
			t.Errorf("testenv: %v", err)
		}
	})
	return &MailpitServer{
		smtpPort: smtpPort,
		apiURL:   devstack.MailpitURL(httpPort) + "/api/v1",
		http:     &http.Client{Timeout: 30 * time.Second},
	}
}

// SMTPAddr is the SMTP server's host:port.
func (m *MailpitServer) SMTPAddr() string {
	return devstack.Loopback + ":" + strconv.Itoa(m.smtpPort)
}

// SMTPURL is the address as rcm's SMTP setting reads it:
// smtp://127.0.0.1:PORT?from=rcm@example.test, like SMTP.URL.
func (m *MailpitServer) SMTPURL() string {
	return "smtp://" + m.SMTPAddr() + "?from=" + SMTPFrom
}

// WebURL is the base URL of the web inbox, to look at messages by hand.
func (m *MailpitServer) WebURL() string {
	u, _ := url.Parse(m.apiURL)
	u.Path = "/"
	return u.String()
}

// MailAddress is a mailbox in a message's header.
type MailAddress struct {
	Name    string
	Address string
}

// MailpitMessage is a message as Mailpit lists it.
type MailpitMessage struct {
	ID          string // Mailpit's id, for Message
	MessageID   string // the Message-ID header, without angle brackets
	From        MailAddress
	To          []MailAddress
	Cc          []MailAddress
	Bcc         []MailAddress // recipients not in To or Cc
	Subject     string
	Created     time.Time
	Size        int
	Attachments int
	Snippet     string
	Tags        []string
}

// MailpitAttachment describes an attachment of a message.
type MailpitAttachment struct {
	FileName    string
	ContentType string
	Size        int
}

// MailpitMessageDetail is a whole message, decoded by Mailpit.
type MailpitMessageDetail struct {
	ID          string
	MessageID   string
	From        MailAddress
	To          []MailAddress
	Cc          []MailAddress
	Bcc         []MailAddress
	ReplyTo     []MailAddress
	ReturnPath  string
	Subject     string
	Date        time.Time
	Text        string // the text/plain part
	HTML        string // the text/html part
	Tags        []string
	Attachments []MailpitAttachment
}

// Messages lists every message received, newest first.
func (m *MailpitServer) Messages(ctx context.Context) ([]MailpitMessage, error) {
	const page = 500
	var all []MailpitMessage
	for {
		var resp struct {
			Total    int              `json:"total"`
			Messages []MailpitMessage `json:"messages"`
		}
		path := fmt.Sprintf("/messages?start=%d&limit=%d", len(all), page)
		if err := m.get(ctx, path, &resp); err != nil {
			return nil, err
		}
		all = append(all, resp.Messages...)
		if len(resp.Messages) == 0 || len(all) >= resp.Total {
			return all, nil
		}
	}
}

// Message returns the message with Mailpit's id (MailpitMessage.ID).
func (m *MailpitServer) Message(ctx context.Context, id string) (MailpitMessageDetail, error) {
	var msg MailpitMessageDetail
	err := m.get(ctx, "/message/"+url.PathEscape(id), &msg)
	return msg, err
}

// Headers returns the headers of the message with Mailpit's id.
func (m *MailpitServer) Headers(ctx context.Context, id string) (map[string][]string, error) {
	var h map[string][]string
	err := m.get(ctx, "/message/"+url.PathEscape(id)+"/headers", &h)
	return h, err
}

// Raw returns the message with Mailpit's id as it was received.
func (m *MailpitServer) Raw(ctx context.Context, id string) ([]byte, error) {
	return m.do(ctx, http.MethodGet, "/message/"+url.PathEscape(id)+"/raw")
}

// DeleteAll deletes every message.
func (m *MailpitServer) DeleteAll(ctx context.Context) error {
	_, err := m.do(ctx, http.MethodDelete, "/messages")
	return err
}

// WaitForMessages waits until at least n messages have arrived and returns
// them all, newest first; it fails the test when timeout passes first.
func (m *MailpitServer) WaitForMessages(t testing.TB, n int, timeout time.Duration) []MailpitMessage {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var got []MailpitMessage
	for {
		msgs, err := m.Messages(ctx)
		if err == nil {
			got = msgs
			if len(got) >= n {
				return got
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("testenv: Mailpit has %d messages after %s, want %d (last error: %v)", len(got), timeout, n, err)
			return nil
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (m *MailpitServer) get(ctx context.Context, path string, into any) error {
	body, err := m.do(ctx, http.MethodGet, path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, into); err != nil {
		return fmt.Errorf("mailpit GET %s: %w", path, err)
	}
	return nil
}

func (m *MailpitServer) do(ctx context.Context, method, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, m.apiURL+path, nil)
	if err != nil {
		return nil, fmt.Errorf("mailpit %s %s: %w", method, path, err)
	}
	resp, err := m.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("mailpit %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("mailpit %s %s: %w", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("mailpit %s %s: %s: %s", method, path, resp.Status, body)
	}
	return body, nil
}
