package testenv

import (
	"crypto/tls"
	"errors"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const multipartMessage = "From: rcm@example.test\r\n" +
	"To: a@example.test\r\n" +
	"Subject: =?UTF-8?q?Th=C3=B4ng_b=C3=A1o?=\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/alternative; boundary=XYZ\r\n" +
	"\r\n" +
	"--XYZ\r\n" +
	"Content-Type: text/plain; charset=UTF-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"H=E1=BA=A1n n=E1=BB=99p: h=E1=BA=BFt ng=C3=A0y 15/10/2026\r\n" +
	"--XYZ\r\n" +
	"Content-Type: text/html; charset=UTF-8\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"PHA+SOG6oW4gbuG7mXA8L3A+\r\n" +
	"--XYZ--\r\n"

// send delivers one raw message with net/smtp, as any client would.
func send(t *testing.T, s *SMTP, from string, to []string, msg string) error {
	t.Helper()
	return smtp.SendMail(s.Addr(), nil, from, to, []byte(msg))
}

func TestSMTPServerKeepsAndDecodesMessages(t *testing.T) {
	s := SMTPServer(t)
	if err := send(t, s, "rcm@example.test", []string{"a@example.test", "b@example.test"}, multipartMessage); err != nil {
		t.Fatalf("send: %v", err)
	}
	msgs := s.WaitFor(t, 1, 5*time.Second)
	m := msgs[0]
	if m.From != "rcm@example.test" || strings.Join(m.To, ",") != "a@example.test,b@example.test" {
		t.Errorf("envelope = %q -> %q", m.From, m.To)
	}
	if got := m.Subject(); got != "Thông báo" {
		t.Errorf("Subject() = %q, want %q", got, "Thông báo")
	}
	text, err := m.Text()
	if err != nil || !strings.Contains(text, "Hạn nộp: hết ngày 15/10/2026") {
		t.Errorf("Text() = %q, %v", text, err)
	}
	html, err := m.HTML()
	if err != nil || html != "<p>Hạn nộp</p>" {
		t.Errorf("HTML() = %q, %v", html, err)
	}
	if _, err := m.Part("image/png"); err == nil {
		t.Error("Part(image/png) found a part the message does not have")
	}
	if s.Connections() != 1 {
		t.Errorf("Connections() = %d, want 1", s.Connections())
	}
}

func TestSMTPServerURL(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opts   []SMTPOption
		scheme string
		query  string
		user   string
	}{
		{"plain", nil, "smtp", "from=rcm@example.test", ""},
		{"auth", []SMTPOption{RequireAuth("bot", "p@ss word")}, "smtp", "from=rcm@example.test", "bot"},
		{"starttls", []SMTPOption{StartTLS()}, "smtp", "from=rcm@example.test&tls=starttls&insecure_skip_verify=true", ""},
		{"implicit", []SMTPOption{ImplicitTLS()}, "smtps", "from=rcm@example.test&insecure_skip_verify=true", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := SMTPServer(t, tc.opts...)
			u, err := url.Parse(s.URL())
			if err != nil {
				t.Fatalf("URL() = %q: %v", s.URL(), err)
			}
			if u.Scheme != tc.scheme || u.Host != s.Addr() || u.RawQuery != tc.query || !strings.HasPrefix(u.Host, "127.0.0.1:") {
				t.Errorf("URL() = %q", s.URL())
			}
			if u.User.Username() != tc.user {
				t.Errorf("URL() user = %q, want %q", u.User.Username(), tc.user)
			}
			if pass, _ := u.User.Password(); tc.user != "" && pass != "p@ss word" {
				t.Errorf("URL() password = %q", pass)
			}
		})
	}
}

func TestSMTPServerFailEvery(t *testing.T) {
	for _, code := range []int{451, 550} {
		s := SMTPServer(t, FailEvery(3, code))
		var codes []int
		for i := 1; i <= 7; i++ {
			err := send(t, s, "rcm@example.test", []string{"a@example.test"}, multipartMessage)
			var reply *textproto.Error
			switch {
			case err == nil:
				codes = append(codes, 250)
			case errors.As(err, &reply):
				codes = append(codes, reply.Code)
			default:
				t.Fatalf("message %d: %v", i, err)
			}
		}
		want := []int{250, 250, code, 250, 250, code, 250}
		for i := range want {
			if codes[i] != want[i] {
				t.Fatalf("FailEvery(3, %d): replies %v, want %v", code, codes, want)
			}
		}
		if len(s.Messages()) != 5 || s.Rejected() != 2 {
			t.Errorf("FailEvery(3, %d): kept %d, rejected %d; want 5 and 2", code, len(s.Messages()), s.Rejected())
		}
	}
}

func TestSMTPServerRequireAuth(t *testing.T) {
	for _, mech := range []string{"PLAIN", "LOGIN"} {
		t.Run(mech, func(t *testing.T) {
			s := SMTPServer(t, RequireAuth("bot", "secret"), AuthMechanisms(mech))
			dial := func() *smtp.Client {
				c, err := smtp.Dial(s.Addr())
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = c.Close() })
				return c
			}
			c := dial()
			if ok, offered := c.Extension("AUTH"); !ok || offered != mech {
				t.Fatalf("AUTH offered = %v %q, want %q", ok, offered, mech)
			}
			var reply *textproto.Error
			if err := c.Mail("rcm@example.test"); !errors.As(err, &reply) || reply.Code != 502 {
				t.Fatalf("MAIL before AUTH: %v, want 502", err)
			}
			// net/smtp quits after a failed AUTH, so each attempt has its own connection.
			if err := c.Auth(testAuth{mech: mech, user: "bot", pass: "wrong"}); !errors.As(err, &reply) || reply.Code != 535 {
				t.Fatalf("AUTH with a wrong password: %v, want 535", err)
			}
			c = dial()
			if err := c.Auth(testAuth{mech: mech, user: "bot", pass: "secret"}); err != nil {
				t.Fatalf("AUTH: %v", err)
			}
			if err := c.Mail("rcm@example.test"); err != nil {
				t.Fatalf("MAIL after AUTH: %v", err)
			}
		})
	}
}

// testAuth speaks PLAIN or LOGIN over plain text (net/smtp's PlainAuth
// would do the same for 127.0.0.1; LOGIN is not in net/smtp).
type testAuth struct{ mech, user, pass string }

func (a testAuth) Start(*smtp.ServerInfo) (string, []byte, error) {
	if a.mech == "PLAIN" {
		return "PLAIN", []byte("\x00" + a.user + "\x00" + a.pass), nil
	}
	return "LOGIN", nil, nil
}

func (a testAuth) Next(challenge []byte, more bool) ([]byte, error) {
	switch {
	case !more:
		return nil, nil
	case string(challenge) == "Username:":
		return []byte(a.user), nil
	case string(challenge) == "Password:":
		return []byte(a.pass), nil
	}
	return nil, errors.New("unexpected challenge " + string(challenge))
}

func TestSMTPServerTLS(t *testing.T) {
	t.Run("starttls", func(t *testing.T) {
		s := SMTPServer(t, StartTLS())
		c, err := smtp.Dial(s.Addr())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if ok, _ := c.Extension("STARTTLS"); !ok {
			t.Fatal("STARTTLS not offered")
		}
		if err := c.StartTLS(&tls.Config{InsecureSkipVerify: true}); err != nil { //nolint:gosec // self-signed test certificate
			t.Fatalf("STARTTLS: %v", err)
		}
		if _, ok := c.TLSConnectionState(); !ok {
			t.Fatal("not on TLS after STARTTLS")
		}
	})
	t.Run("implicit", func(t *testing.T) {
		s := SMTPServer(t, ImplicitTLS())
		conn, err := tls.Dial("tcp", s.Addr(), &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // self-signed test certificate
		if err != nil {
			t.Fatalf("TLS dial: %v", err)
		}
		c, err := smtp.NewClient(conn, "127.0.0.1")
		if err != nil {
			t.Fatalf("greeting over TLS: %v", err)
		}
		defer c.Close()
		if err := c.Noop(); err != nil {
			t.Fatalf("NOOP: %v", err)
		}
	})
}

func TestSMTPServerOnMessageAndDropConnections(t *testing.T) {
	s := SMTPServer(t)
	var seen atomic.Int32
	s.OnMessage(func(m ReceivedMessage) {
		if m.Subject() == "Thông báo" {
			seen.Add(1)
		}
	})
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sendOn := func(c *smtp.Client) error {
		if err := c.Mail("rcm@example.test"); err != nil {
			return err
		}
		if err := c.Rcpt("a@example.test"); err != nil {
			return err
		}
		w, err := c.Data()
		if err != nil {
			return err
		}
		if _, err := w.Write([]byte(multipartMessage)); err != nil {
			return err
		}
		return w.Close()
	}
	if err := sendOn(c); err != nil {
		t.Fatalf("first message: %v", err)
	}
	if seen.Load() != 1 {
		t.Fatalf("OnMessage saw %d messages before the reply, want 1", seen.Load())
	}
	s.DropConnections()
	if err := sendOn(c); err == nil {
		t.Fatal("sending on a dropped connection succeeded")
	}
	if got := len(s.Messages()); got != 1 {
		t.Errorf("Messages() = %d, want 1", got)
	}
}

func TestSMTPServerWaitForFailsTheTest(t *testing.T) {
	s := SMTPServer(t)
	ft := &fatalRecorder{TB: t}
	if msgs := s.WaitFor(ft, 1, 50*time.Millisecond); msgs != nil || !ft.failed {
		t.Fatal("WaitFor returned without a message and without failing the test")
	}
}

// fatalRecorder records Fatalf instead of stopping the test.
type fatalRecorder struct {
	testing.TB
	failed bool
}

func (f *fatalRecorder) Helper() {}

func (f *fatalRecorder) Fatalf(string, ...any) { f.failed = true }
