package notifications_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/mail"
	"rcm/reporting"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"rcm/messages"
	"rcm/notifications"
	"rcm/testenv"
)

func mailerFor(t *testing.T, rawURL string) *notifications.Mailer {
	t.Helper()
	cfg, err := notifications.ParseSMTPURL(rawURL)
	if err != nil {
		t.Fatalf("ParseSMTPURL(%q): %v", rawURL, err)
	}
	return notifications.NewMailer(cfg)
}

func openBatch(t *testing.T, m *notifications.Mailer) *notifications.Batch {
	t.Helper()
	b, err := m.Open(context.Background())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

// envelope is a small valid message numbered i.
func envelope(i int) notifications.Envelope {
	return notifications.Envelope{
		MessageID: fmt.Sprintf("notification-%d@rcm.example.test", i),
		To:        []string{fmt.Sprintf("agency-%d@example.test", i)},
		Subject:   fmt.Sprintf("[rcm] Nhắc nộp báo cáo tháng 10/2026 (%d)", i),
		Text:      "Hạn nộp báo cáo: hết ngày 15/10/2026\n",
		HTML:      "<p>Hạn nộp báo cáo: hết ngày 15/10/2026</p>",
	}
}

func lf(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

func TestSendWritesAMultipartMessageWithItsHeaders(t *testing.T) {
	srv := testenv.SMTPServer(t)
	r := newRenderer(t)
	rendered, err := r.Render(reporting.EventReturned, messages.Vietnamese,
		notifications.DemoData(reporting.EventReturned, messages.Vietnamese))
	if err != nil {
		t.Fatal(err)
	}
	date := time.Date(2026, time.October, 17, 9, 30, 0, 0, time.FixedZone("+07", 7*3600))
	e := rendered.Envelope("<cycle-42.LCI.returned.1@rcm.example.test>",
		[]string{"Cán bộ đầu mối <baocao@laocai.example.test>", "ktxh@laocai.example.test"},
		[]string{"Lãnh đạo Sở <giamdoc@laocai.example.test>"})
	e.Date = date
	if err := mailerFor(t, srv.URL()).Send(context.Background(), e); err != nil {
		t.Fatalf("Send: %v", err)
	}

	m := srv.WaitFor(t, 1, 5*time.Second)[0]
	if m.From != testenv.SMTPFrom {
		t.Errorf("MAIL FROM = %q", m.From)
	}
	if got := strings.Join(m.To, " "); got != "baocao@laocai.example.test ktxh@laocai.example.test giamdoc@laocai.example.test" {
		t.Errorf("RCPT TO = %s", got)
	}
	h := m.Header
	for name, want := range map[string]string{
		"Message-ID":               "<cycle-42.LCI.returned.1@rcm.example.test>",
		"Auto-Submitted":           "auto-generated",
		"X-Auto-Response-Suppress": "All",
		"MIME-Version":             "1.0",
	} {
		if got := h.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if got, err := h.Date(); err != nil || !got.Equal(date) {
		t.Errorf("Date = %v, %v; want %v", got, err, date)
	}
	if from, err := mail.ParseAddress(h.Get("From")); err != nil || from.Address != testenv.SMTPFrom {
		t.Errorf("From = %q (%v)", h.Get("From"), err)
	}
	to, err := h.AddressList("To")
	if err != nil || len(to) != 2 || to[0].Name != "Cán bộ đầu mối" || to[0].Address != "baocao@laocai.example.test" {
		t.Errorf("To = %q: %v %v", h.Get("To"), to, err)
	}
	if cc, err := h.AddressList("Cc"); err != nil || len(cc) != 1 || cc[0].Name != "Lãnh đạo Sở" {
		t.Errorf("Cc = %q: %v %v", h.Get("Cc"), cc, err)
	}
	if raw := h.Get("Subject"); !strings.HasPrefix(raw, "=?UTF-8?") {
		t.Errorf("Subject is not encoded: %q", raw)
	}
	if got := m.Subject(); got != rendered.Subject {
		t.Errorf("Subject = %q\nwant      %q", got, rendered.Subject)
	}
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/alternative;") {
		t.Errorf("Content-Type = %q", ct)
	}
	text, err := m.Text()
	if err != nil || lf(text) != rendered.Text {
		t.Errorf("text part (%v) differs:\n%s", err, text)
	}
	html, err := m.HTML()
	if err != nil || lf(html) != rendered.HTML {
		t.Errorf("html part (%v) differs:\n%s", err, html)
	}
	if strings.Contains(string(m.Data), "Lào Cai") {
		t.Error("the message carries raw 8-bit text; want quoted-printable and encoded headers")
	}
}

func TestBatchReusesOneConnection(t *testing.T) {
	srv := testenv.SMTPServer(t)
	b := openBatch(t, mailerFor(t, srv.URL()))
	for i := 1; i <= 50; i++ {
		if err := b.Send(context.Background(), envelope(i)); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	msgs := srv.WaitFor(t, 50, 5*time.Second)
	for i, m := range msgs {
		if want := fmt.Sprintf("<notification-%d@rcm.example.test>", i+1); m.Header.Get("Message-ID") != want {
			t.Fatalf("message %d has Message-ID %q, want %q", i+1, m.Header.Get("Message-ID"), want)
		}
	}
	if n := srv.Connections(); n != 1 {
		t.Errorf("the batch used %d connections, want 1", n)
	}
	if err := b.Send(context.Background(), envelope(51)); !errors.Is(err, notifications.ErrBatchClosed) {
		t.Errorf("Send after Close: %v", err)
	}
}

func TestSendClassifiesRefusals(t *testing.T) {
	for _, tc := range []struct {
		code      int
		permanent bool
	}{
		{550, true},
		{451, false},
	} {
		t.Run(fmt.Sprint(tc.code), func(t *testing.T) {
			srv := testenv.SMTPServer(t, testenv.FailEvery(3, tc.code))
			b := openBatch(t, mailerFor(t, srv.URL()))
			for i := 1; i <= 7; i++ {
				err := b.Send(context.Background(), envelope(i))
				if i%3 != 0 {
					if err != nil {
						t.Fatalf("message %d: %v", i, err)
					}
					continue
				}
				var refusal *notifications.SMTPError
				if !errors.As(err, &refusal) || refusal.Code != tc.code || refusal.Command != "end of data" {
					t.Fatalf("message %d: err = %v, want an SMTPError %d", i, err, tc.code)
				}
				// testenv's server sends the enhanced code X.0.0 of the reply's class.
				reply := fmt.Sprintf("%d %d.0.0 message %d refused by the test server", tc.code, tc.code/100, i)
				if refusal.EnhancedCode != fmt.Sprintf("%d.0.0", tc.code/100) || !strings.Contains(err.Error(), reply) {
					t.Errorf("message %d: err = %q (enhanced code %q), want the server's reply %q", i, err, refusal.EnhancedCode, reply)
				}
				if notifications.IsPermanent(err) != tc.permanent || refusal.Temporary() == tc.permanent {
					t.Errorf("message %d: IsPermanent = %v, want %v", i, notifications.IsPermanent(err), tc.permanent)
				}
				if !strings.Contains(err.Error(), envelope(i).MessageID) {
					t.Errorf("error %q does not name the message", err)
				}
			}
			if got := len(srv.Messages()); got != 5 {
				t.Errorf("server kept %d messages, want 5", got)
			}
			if n := srv.Connections(); n != 1 {
				t.Errorf("refusals cost connections: %d, want 1", n)
			}
		})
	}
}

func TestBatchReconnectsWhenTheServerClosesTheConnection(t *testing.T) {
	t.Run("421 after a number of messages", func(t *testing.T) {
		srv := testenv.SMTPServer(t, testenv.FailEvery(4, 421))
		b := openBatch(t, mailerFor(t, srv.URL()))
		for i := 1; i <= 10; i++ {
			if err := b.Send(context.Background(), envelope(i)); err != nil {
				t.Fatalf("message %d: %v", i, err)
			}
		}
		if got := len(srv.Messages()); got != 10 {
			t.Errorf("server kept %d messages, want 10", got)
		}
		if got, want := srv.Connections(), 1+srv.Rejected(); got != want || srv.Rejected() == 0 {
			t.Errorf("connections = %d after %d refusals, want %d", got, srv.Rejected(), want)
		}
	})
	t.Run("dropped connection", func(t *testing.T) {
		srv := testenv.SMTPServer(t)
		b := openBatch(t, mailerFor(t, srv.URL()))
		if err := b.Send(context.Background(), envelope(1)); err != nil {
			t.Fatal(err)
		}
		srv.DropConnections()
		if err := b.Send(context.Background(), envelope(2)); err != nil {
			t.Fatalf("after the server dropped the connection: %v", err)
		}
		if got := len(srv.Messages()); got != 2 || srv.Connections() != 2 {
			t.Errorf("messages = %d, connections = %d; want 2 and 2", got, srv.Connections())
		}
	})
}

func TestInvalidEnvelopeIsRejectedBeforeDialing(t *testing.T) {
	srv := testenv.SMTPServer(t)
	m := mailerFor(t, srv.URL())
	for _, tc := range []struct {
		name  string
		edit  func(*notifications.Envelope)
		field string
	}{
		{"bad To", func(e *notifications.Envelope) { e.To = []string{"ubnd.laocai.gov.vn"} }, "To"},
		{"bad Cc", func(e *notifications.Envelope) { e.Cc = []string{"a@b@c"} }, "Cc"},
		{"empty To address", func(e *notifications.Envelope) { e.To = []string{""} }, "To"},
		{"non-ASCII address", func(e *notifications.Envelope) { e.To = []string{"báocáo@laocai.gov.vn"} }, "To"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := envelope(1)
			tc.edit(&e)
			err := m.Send(context.Background(), e)
			var addrErr *notifications.AddressError
			if !errors.As(err, &addrErr) || addrErr.Field != tc.field {
				t.Fatalf("err = %v, want an AddressError for %s", err, tc.field)
			}
			if !notifications.IsPermanent(err) {
				t.Error("IsPermanent = false")
			}
		})
	}
	for _, tc := range []struct {
		name  string
		edit  func(*notifications.Envelope)
		field string
	}{
		{"no recipient", func(e *notifications.Envelope) { e.To = nil }, "To"},
		{"no Message-ID", func(e *notifications.Envelope) { e.MessageID = " " }, "MessageID"},
		{"Message-ID with a space", func(e *notifications.Envelope) { e.MessageID = "a b@c" }, "MessageID"},
		{"subject with a line break", func(e *notifications.Envelope) { e.Subject = "a\r\nBcc: x@y" }, "Subject"},
		{"no text", func(e *notifications.Envelope) { e.Text = "" }, "Text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := envelope(1)
			tc.edit(&e)
			err := m.Send(context.Background(), e)
			var envErr *notifications.EnvelopeError
			if !errors.As(err, &envErr) || envErr.Field != tc.field || !notifications.IsPermanent(err) {
				t.Fatalf("err = %v, want a permanent EnvelopeError for %s", err, tc.field)
			}
		})
	}
	if n := srv.Connections(); n != 0 {
		t.Errorf("invalid envelopes opened %d connections", n)
	}

	// In a batch, an invalid envelope leaves the connection usable.
	b := openBatch(t, m)
	bad := envelope(2)
	bad.To = []string{"not an address"}
	if err := b.Send(context.Background(), bad); !notifications.IsPermanent(err) {
		t.Fatalf("invalid address in a batch: %v", err)
	}
	if err := b.Send(context.Background(), envelope(3)); err != nil {
		t.Fatalf("the next message: %v", err)
	}
	if n, got := srv.Connections(), len(srv.Messages()); n != 1 || got != 1 {
		t.Errorf("connections = %d, messages = %d; want 1 and 1", n, got)
	}
}

func TestMessageIDWithoutDomainTakesTheSenders(t *testing.T) {
	srv := testenv.SMTPServer(t)
	e := envelope(1)
	e.MessageID = "cycle-42.LCI.reminder.2"
	if err := mailerFor(t, srv.URL()).Send(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	if got := srv.WaitFor(t, 1, 5*time.Second)[0].Header.Get("Message-ID"); got != "<cycle-42.LCI.reminder.2@example.test>" {
		t.Errorf("Message-ID = %q", got)
	}
}

func TestCancellingTheContextStopsTheBatch(t *testing.T) {
	srv := testenv.SMTPServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv.OnMessage(func(testenv.ReceivedMessage) {
		if len(srv.Messages()) == 5 {
			cancel() // while the client waits for the verdict on message 5
		}
	})
	b := openBatch(t, mailerFor(t, srv.URL()))
	var errs []error
	for i := 1; i <= 20; i++ {
		if err := b.Send(ctx, envelope(i)); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) < 15 {
		t.Fatalf("%d of 20 sends failed, want at least 15 after the cancellation", len(errs))
	}
	for _, err := range errs {
		if !errors.Is(err, context.Canceled) || notifications.IsPermanent(err) {
			t.Fatalf("err = %v, want a temporary context.Canceled", err)
		}
	}
	if got := len(srv.Messages()); got != 5 {
		t.Errorf("server received %d messages, want 5", got)
	}
	if n := srv.Connections(); n != 1 {
		t.Errorf("cancelled sends dialled: %d connections, want 1", n)
	}
	// The batch still works with a live context (on a new connection).
	if err := b.Send(context.Background(), envelope(21)); err != nil {
		t.Errorf("send after the cancellation: %v", err)
	}
}

// silentServer accepts connections and never says a word.
func silentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				_ = c.Close()
			}
			close(done)
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() { _ = ln.Close(); <-done })
	return ln.Addr().String()
}

func TestTimeoutsAndDeadlines(t *testing.T) {
	addr := silentServer(t)
	t.Run("context deadline", func(t *testing.T) {
		m := mailerFor(t, "smtp://"+addr+"?from=rcm@example.test")
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := m.Open(ctx)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Open against a silent server: %v, want context.DeadlineExceeded", err)
		}
		if elapsed := time.Since(start); elapsed > 2*time.Second {
			t.Errorf("Open took %v; the context allowed 200ms", elapsed)
		}
	})
	// With STARTTLS, go-smtp's client reads the greeting and says STARTTLS
	// with a five-minute timeout of its own; the command timeout still holds.
	for _, query := range []string{"", "&tls=starttls"} {
		t.Run("command timeout"+query, func(t *testing.T) {
			m := mailerFor(t, "smtp://"+addr+"?from=rcm@example.test&command_timeout=200ms"+query)
			start := time.Now()
			_, err := m.Open(context.Background())
			var netErr net.Error
			if !errors.As(err, &netErr) || !netErr.Timeout() {
				t.Errorf("Open against a silent server: %v, want a timeout", err)
			}
			if elapsed := time.Since(start); elapsed > 2*time.Second {
				t.Errorf("Open took %v; the command timeout is 200ms", elapsed)
			}
			if notifications.IsPermanent(err) {
				t.Error("a timeout is permanent")
			}
		})
	}
	t.Run("already cancelled", func(t *testing.T) {
		srv := testenv.SMTPServer(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := mailerFor(t, srv.URL()).Send(ctx, envelope(1)); !errors.Is(err, context.Canceled) {
			t.Errorf("Send: %v", err)
		}
	})
}

func TestAuthenticationAndTLS(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []testenv.SMTPOption
	}{
		{"PLAIN", []testenv.SMTPOption{testenv.RequireAuth("rcm-bot", "p@ss:w/rd"), testenv.AuthMechanisms("PLAIN")}},
		{"LOGIN", []testenv.SMTPOption{testenv.RequireAuth("rcm-bot", "p@ss:w/rd"), testenv.AuthMechanisms("LOGIN")}},
		{"STARTTLS", []testenv.SMTPOption{testenv.StartTLS()}},
		{"STARTTLS and PLAIN", []testenv.SMTPOption{testenv.StartTLS(), testenv.RequireAuth("rcm-bot", "secret")}},
		{"implicit TLS", []testenv.SMTPOption{testenv.ImplicitTLS()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := testenv.SMTPServer(t, tc.opts...)
			if err := mailerFor(t, srv.URL()).Send(context.Background(), envelope(1)); err != nil {
				t.Fatalf("Send via %s: %v", srv.URL(), err)
			}
			srv.WaitFor(t, 1, 5*time.Second)
		})
	}

	t.Run("wrong password", func(t *testing.T) {
		srv := testenv.SMTPServer(t, testenv.RequireAuth("rcm-bot", "right-password"))
		url := strings.Replace(srv.URL(), "right-password", "wrong-password", 1)
		_, err := mailerFor(t, url).Open(context.Background())
		var refusal *notifications.SMTPError
		if !errors.As(err, &refusal) || refusal.Command != "AUTH" || refusal.Code != 535 {
			t.Fatalf("Open: %v, want a 535 refusal of AUTH", err)
		}
		if notifications.IsPermanent(err) {
			t.Error("a refused login is a configuration problem, not a permanent failure of a message")
		}
		if strings.Contains(err.Error(), "password") && strings.Contains(err.Error(), "wrong-password") {
			t.Errorf("error repeats the password: %v", err)
		}
	})
	t.Run("STARTTLS required but not offered", func(t *testing.T) {
		srv := testenv.SMTPServer(t)
		_, err := mailerFor(t, srv.URL()+"&tls=starttls").Open(context.Background())
		if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
			t.Fatalf("Open: %v", err)
		}
	})
	t.Run("certificate checked", func(t *testing.T) {
		srv := testenv.SMTPServer(t, testenv.ImplicitTLS())
		url := strings.Replace(srv.URL(), "&insecure_skip_verify=true", "", 1)
		if _, err := mailerFor(t, url).Open(context.Background()); err == nil {
			t.Fatal("a self-signed certificate was accepted without insecure_skip_verify")
		}
	})
}

// scriptedSMTP is an SMTP server (go-smtp's, on loopback) whose answers the
// test writes: rcpt answers each RCPT TO and data each message (nil
// accepts). It keeps the whole conversation, both sides, and the first
// recipient of every message it accepted.
type scriptedSMTP struct {
	addr string
	rcpt func(to string) error
	data func() error

	mu          sync.Mutex
	transcript  bytes.Buffer
	delivered   []string
	connections int
}

func scriptedServer(t *testing.T, rcpt func(to string) error, data func() error) *scriptedSMTP {
	t.Helper()
	s := &scriptedSMTP{rcpt: rcpt, data: data}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		s.mu.Lock()
		s.connections++
		s.mu.Unlock()
		return &scriptedSession{server: s}, nil
	}))
	srv.Domain = "scripted.example.test"
	srv.Debug = transcriptWriter{s}
	srv.ErrorLog = log.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		_ = srv.Close()
		_ = ln.Close()
		<-served
	})
	return s
}

func (s *scriptedSMTP) url() string { return "smtp://" + s.addr + "?from=rcm@example.test" }

// lines is the conversation so far, one line of either side each.
func (s *scriptedSMTP) lines() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Split(strings.TrimSuffix(s.transcript.String(), "\r\n"), "\r\n")
}

func (s *scriptedSMTP) accepted() ([]string, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.delivered...), s.connections
}

type transcriptWriter struct{ s *scriptedSMTP }

func (w transcriptWriter) Write(p []byte) (int, error) {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	return w.s.transcript.Write(p)
}

type scriptedSession struct {
	server *scriptedSMTP
	to     []string
}

func (ss *scriptedSession) Mail(string, *smtp.MailOptions) error { ss.to = nil; return nil }

func (ss *scriptedSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if ss.server.rcpt != nil {
		if err := ss.server.rcpt(to); err != nil {
			return err
		}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *scriptedSession) Data(r io.Reader) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	if ss.server.data != nil {
		if err := ss.server.data(); err != nil {
			return err
		}
	}
	ss.server.mu.Lock()
	defer ss.server.mu.Unlock()
	ss.server.delivered = append(ss.server.delivered, ss.to[0])
	return nil
}

func (ss *scriptedSession) Reset()        { ss.to = nil }
func (ss *scriptedSession) Logout() error { return nil }

func TestSMTPErrorTellsTemporaryFromPermanent(t *testing.T) {
	for _, tc := range []struct {
		command, enhanced    string
		code                 int
		temporary, permanent bool
	}{
		{"RCPT TO", "5.1.1", 550, false, true}, // no such mailbox
		{"RCPT TO", "", 550, false, true},      // no enhanced code: the reply code decides
		{"end of data", "5.7.1", 554, false, true},
		{"RCPT TO", "4.2.2", 452, true, false}, // mailbox full, try later
		{"end of data", "4.3.0", 451, true, false},
		{"RCPT TO", "4.7.1", 550, true, false},    // the codes disagree: the milder one wins
		{"MAIL FROM", "5.3.4", 552, false, true},  // the message is too big, whatever the command
		{"MAIL FROM", "5.6.0", 554, false, true},  // its content is refused
		{"MAIL FROM", "5.1.8", 553, false, false}, // rcm's sender address: settings, not the message
		{"RCPT TO", "5.7.0", 530, false, false},   // authentication required: settings
		{"RCPT TO", "5.7.8", 535, false, false},   // credentials refused: settings
		{"AUTH", "5.7.8", 535, false, false},
		{"DATA", "", 421, true, false},
	} {
		e := &notifications.SMTPError{Command: tc.command, Recipient: "a@b.vn", Code: tc.code, EnhancedCode: tc.enhanced, Message: "text"}
		wrapped := fmt.Errorf("send x: %w", e)
		if e.Temporary() != tc.temporary || e.Permanent() != tc.permanent || notifications.IsPermanent(wrapped) != tc.permanent {
			t.Errorf("%s %d %s: Temporary = %v, Permanent = %v, IsPermanent = %v; want %v, %v",
				tc.command, tc.code, tc.enhanced, e.Temporary(), e.Permanent(), notifications.IsPermanent(wrapped), tc.temporary, tc.permanent)
		}
		if want := strings.TrimSpace(fmt.Sprintf("%d %s", tc.code, tc.enhanced)) + " text"; !strings.Contains(e.Error(), want) {
			t.Errorf("Error() = %q, want the reply %q", e.Error(), want)
		}
	}
}

func TestRefusedRecipientIsResetAndTheConnectionCarriesOn(t *testing.T) {
	srv := scriptedServer(t, func(to string) error {
		switch {
		case strings.HasPrefix(to, "unknown"):
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "mailbox unknown"}
		case strings.HasPrefix(to, "full"):
			return &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 2, 2}, Message: "mailbox full"}
		}
		return nil
	}, nil)
	b := openBatch(t, mailerFor(t, srv.url()))
	send := func(i int, to string) error {
		e := envelope(i)
		e.To = []string{to}
		return b.Send(context.Background(), e)
	}
	if err := send(1, "ok1@example.test"); err != nil {
		t.Fatal(err)
	}

	err := send(2, "unknown@example.test")
	var refusal *notifications.SMTPError
	if !errors.As(err, &refusal) || refusal.Command != "RCPT TO" || refusal.Recipient != "unknown@example.test" ||
		refusal.Code != 550 || refusal.EnhancedCode != "5.1.1" || !notifications.IsPermanent(err) {
		t.Fatalf("unknown recipient: err = %v (%+v), want a permanent 550 5.1.1 refusal of RCPT TO", err, refusal)
	}
	if want := "smtp RCPT TO <unknown@example.test>: 550 5.1.1 mailbox unknown"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not carry the server's reply %q", err, want)
	}
	if err := send(3, "ok3@example.test"); err != nil {
		t.Fatalf("the message after a permanent refusal: %v", err)
	}

	err = send(4, "full@example.test")
	if !errors.As(err, &refusal) || refusal.Code != 452 || refusal.EnhancedCode != "4.2.2" ||
		!refusal.Temporary() || notifications.IsPermanent(err) {
		t.Fatalf("full mailbox: err = %v, want a temporary 452 4.2.2 refusal", err)
	}
	if err := send(5, "ok5@example.test"); err != nil {
		t.Fatalf("the message after a temporary refusal: %v", err)
	}

	delivered, connections := srv.accepted()
	if got := strings.Join(delivered, " "); got != "ok1@example.test ok3@example.test ok5@example.test" || connections != 1 {
		t.Errorf("delivered %s over %d connections, want ok1, ok3 and ok5 over 1", got, connections)
	}
	// Each refusal is followed at once by RSET, before the next MAIL FROM.
	lines := srv.lines()
	resets := 0
	for i, line := range lines {
		if strings.HasPrefix(line, "550 5.1.1") || strings.HasPrefix(line, "452 4.2.2") {
			if i+1 >= len(lines) || lines[i+1] != "RSET" {
				t.Errorf("after %q the client said %q, want RSET", line, lines[min(i+1, len(lines)-1)])
			}
			resets++
		}
	}
	if resets != 2 {
		t.Errorf("saw %d refusals in the conversation, want 2:\n%s", resets, strings.Join(lines, "\n"))
	}
}

// sendWithDeadline sends envelope 1 with a context that allows d, and
// checks that the send ends soon after with a temporary
// context.DeadlineExceeded (the command timeout is a minute).
func sendWithDeadline(t *testing.T, send func(context.Context, notifications.Envelope) error, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	start := time.Now()
	err := send(ctx, envelope(1))
	if !errors.Is(err, context.DeadlineExceeded) || notifications.IsPermanent(err) {
		t.Errorf("Send: %v, want a temporary context.DeadlineExceeded", err)
	}
	if elapsed := time.Since(start); elapsed > d+2*time.Second {
		t.Errorf("Send took %v; the context allowed %v", elapsed, d)
	}
}

func TestContextDeadlineInterruptsAStalledServer(t *testing.T) {
	t.Run("silent from the start, with STARTTLS", func(t *testing.T) {
		// go-smtp's client reads the greeting and says STARTTLS with a
		// five-minute timeout of its own; the context still bounds them.
		m := mailerFor(t, "smtp://"+silentServer(t)+"?from=rcm@example.test&tls=starttls&command_timeout=1m")
		sendWithDeadline(t, m.Send, 200*time.Millisecond)
	})
	t.Run("silent after the message", func(t *testing.T) {
		release := make(chan struct{})
		var stalled atomic.Bool
		srv := scriptedServer(t, nil, func() error {
			if stalled.CompareAndSwap(false, true) {
				<-release // the verdict on the first message never comes
			}
			return nil
		})
		t.Cleanup(func() { close(release) })
		b := openBatch(t, mailerFor(t, srv.url()+"&command_timeout=1m"))
		sendWithDeadline(t, b.Send, 300*time.Millisecond)
		// The interrupted connection is dropped; the batch goes on with a new one.
		if err := b.Send(context.Background(), envelope(2)); err != nil {
			t.Fatalf("the next message: %v", err)
		}
		if delivered, connections := srv.accepted(); len(delivered) != 1 || connections != 2 {
			t.Errorf("delivered %v over %d connections, want the second message over a second connection", delivered, connections)
		}
	})
}

func TestCredentialsTravelOnlyEncryptedOrToThisMachine(t *testing.T) {
	const password = "s3cret-pw"
	for _, raw := range []string{
		"smtp://bot:" + password + "@mail.example.gov.vn:25?from=rcm@example.gov.vn",
		"smtp://bot:" + password + "@mail.example.gov.vn:587?from=rcm@example.gov.vn&tls=none",
	} {
		_, err := notifications.ParseSMTPURL(raw)
		if err == nil || !strings.Contains(err.Error(), "user") || !strings.Contains(err.Error(), "tls=starttls") ||
			strings.Contains(err.Error(), password) {
			t.Errorf("ParseSMTPURL(%q): %v, want a refusal naming the user and the remedy, without the password", raw, err)
		}
	}
	for _, raw := range []string{
		"smtp://bot:" + password + "@mail.example.gov.vn:587?from=rcm@example.gov.vn&tls=starttls",
		"smtps://bot:" + password + "@mail.example.gov.vn?from=rcm@example.gov.vn",
		"smtp://bot:" + password + "@127.0.0.1:25?from=rcm@example.gov.vn",
		"smtp://bot:" + password + "@localhost:25?from=rcm@example.gov.vn",
		"smtp://bot:" + password + "@[::1]:25?from=rcm@example.gov.vn",
		"smtp://mail.example.gov.vn:25?from=rcm@example.gov.vn",
	} {
		if _, err := notifications.ParseSMTPURL(raw); err != nil {
			t.Errorf("ParseSMTPURL(%q): %v", raw, err)
		}
	}
	// A configuration built by hand is held to the same rule before dialing
	// (.invalid never resolves: an attempt to connect would fail otherwise).
	cfg := notifications.SMTPConfig{Host: "mail.example.invalid", Port: 25, Username: "bot", Password: password,
		TLS: notifications.TLSNone, From: mail.Address{Address: "rcm@example.gov.vn"}}
	_, err := notifications.NewMailer(cfg).Open(context.Background())
	if err == nil || !strings.Contains(err.Error(), "unencrypted") || strings.Contains(err.Error(), password) {
		t.Errorf("Open: %v, want a refusal to send the password unencrypted", err)
	}
}
