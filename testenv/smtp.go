package testenv

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTPFrom is the sender address in the URL of the test SMTP server.
const SMTPFrom = "rcm@example.test"

// SMTP is a real SMTP server on 127.0.0.1 that keeps what it receives in
// memory, for tests of code that sends mail. Start it with SMTPServer.
type SMTP struct {
	t    testing.TB
	srv  *smtp.Server
	addr string
	url  string
	opts smtpOptions

	mu       sync.Mutex
	messages []ReceivedMessage
	hooks    []func(ReceivedMessage)
	changed  chan struct{} // closed and replaced whenever messages grows
	attempts int           // DATA commands, accepted or not
	rejected int
	accepted int                   // connections accepted in total
	open     map[net.Conn]struct{} // connections still open
	stopped  bool
}

// SMTPOption changes how SMTPServer behaves.
type SMTPOption func(*smtpOptions)

type smtpOptions struct {
	failEvery, failCode int
	user, pass          string
	mechanisms          []string
	tls                 string // "", "starttls", "implicit"
	discard             bool
}

// DiscardMessages makes the server accept messages without keeping them
// (hooks still see each one), for benchmarks of hundreds of thousands of
// messages; Messages then returns none.
func DiscardMessages() SMTPOption {
	return func(o *smtpOptions) { o.discard = true }
}

// FailEvery makes the server refuse every n-th message (counting every DATA
// command) with the SMTP reply code, e.g. 451 (try again later), 550
// (refused for good) or 421 (closing the connection). Refused messages are
// not kept.
func FailEvery(n, code int) SMTPOption {
	return func(o *smtpOptions) { o.failEvery, o.failCode = n, code }
}

// RequireAuth makes the server demand authentication as user with pass
// before MAIL FROM; the URL carries the credentials.
func RequireAuth(user, pass string) SMTPOption {
	return func(o *smtpOptions) { o.user, o.pass = user, pass }
}

// AuthMechanisms sets the mechanisms RequireAuth offers: "PLAIN", "LOGIN"
// or both (the default).
func AuthMechanisms(names ...string) SMTPOption {
	return func(o *smtpOptions) { o.mechanisms = names }
}

// StartTLS makes the server offer STARTTLS with a self-signed certificate;
// the URL asks for it (tls=starttls) and accepts the certificate
// (insecure_skip_verify=true).
func StartTLS() SMTPOption {
	return func(o *smtpOptions) { o.tls = "starttls" }
}

// ImplicitTLS makes the server speak TLS from the first byte (an smtps://
// URL), with a self-signed certificate.
func ImplicitTLS() SMTPOption {
	return func(o *smtpOptions) { o.tls = "implicit" }
}

// SMTPServer starts an SMTP server on a random port of 127.0.0.1 and stops
// it when the test ends. Options can make it refuse messages (FailEvery),
// demand authentication (RequireAuth) or speak TLS (StartTLS, ImplicitTLS).
func SMTPServer(t testing.TB, opts ...SMTPOption) *SMTP {
	t.Helper()
	s := &SMTP{t: t, changed: make(chan struct{}), open: make(map[net.Conn]struct{})}
	for _, o := range opts {
		o(&s.opts)
	}
	if s.opts.failEvery < 0 || (s.opts.failEvery > 0 && (s.opts.failCode < 400 || s.opts.failCode > 599)) {
		t.Fatalf("testenv.FailEvery(%d, %d): want n >= 1 and a 4xx or 5xx code", s.opts.failEvery, s.opts.failCode)
	}
	if len(s.opts.mechanisms) == 0 {
		s.opts.mechanisms = []string{sasl.Plain, sasl.Login}
	}

	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &smtpSession{server: s}, nil
	}))
	srv.Domain = "smtp.example.test"
	srv.AllowInsecureAuth = true // credentials over plain text to loopback
	srv.ReadTimeout = time.Minute
	srv.WriteTimeout = time.Minute
	srv.MaxMessageBytes = 10 << 20
	srv.MaxRecipients = 100
	srv.ErrorLog = smtpLogger{s}
	s.srv = srv

	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testenv: SMTP server: listen on 127.0.0.1: %v", err)
	}
	var ln net.Listener = &trackingListener{Listener: tcp, server: s}
	if s.opts.tls != "" {
		cert, err := selfSignedCertificate()
		if err != nil {
			_ = tcp.Close()
			t.Fatalf("testenv: SMTP server: %v", err)
		}
		cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		if s.opts.tls == "implicit" {
			ln = tls.NewListener(ln, cfg)
		} else {
			srv.TLSConfig = cfg
		}
	}
	s.addr = tcp.Addr().String()
	s.url = s.buildURL()

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		s.mu.Lock()
		s.stopped = true
		s.mu.Unlock()
		_ = srv.Close()
		// Close misses the listener if Serve has not registered it yet.
		_ = ln.Close()
		s.DropConnections()
		select {
		case err := <-served:
			if err != nil {
				t.Errorf("testenv: SMTP server: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("testenv: SMTP server did not stop within 5s")
		}
	})
	return s
}

func (s *SMTP) buildURL() string {
	u := url.URL{Scheme: "smtp", Host: s.addr}
	if s.opts.user != "" {
		u.User = url.UserPassword(s.opts.user, s.opts.pass)
	}
	query := "from=" + SMTPFrom
	switch s.opts.tls {
	case "starttls":
		query += "&tls=starttls&insecure_skip_verify=true"
	case "implicit":
		u.Scheme = "smtps"
		query += "&insecure_skip_verify=true"
	}
	u.RawQuery = query
	return u.String()
}

// URL is the server's address as rcm's SMTP setting reads it:
// smtp://127.0.0.1:PORT?from=rcm@example.test, with the credentials of
// RequireAuth and the TLS parameters of StartTLS or ImplicitTLS.
func (s *SMTP) URL() string { return s.url }

// Addr is the server's host:port.
func (s *SMTP) Addr() string { return s.addr }

// Messages returns the messages received so far, in order of arrival.
func (s *SMTP) Messages() []ReceivedMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ReceivedMessage(nil), s.messages...)
}

// WaitFor waits until at least n messages have arrived and returns them all;
// it fails the test after timeout.
func (s *SMTP) WaitFor(t testing.TB, n int, timeout time.Duration) []ReceivedMessage {
	t.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		if len(s.messages) >= n {
			msgs := append([]ReceivedMessage(nil), s.messages...)
			s.mu.Unlock()
			return msgs
		}
		got, changed := len(s.messages), s.changed
		s.mu.Unlock()
		select {
		case <-changed:
		case <-timer.C:
			t.Fatalf("testenv: SMTP server received %d messages within %v, want %d", got, timeout, n)
			return nil
		}
	}
}

// OnMessage calls f with every message accepted from now on, before the
// server confirms it to the client (so a test can act "between" two
// messages of a batch). f runs on the server's goroutine.
func (s *SMTP) OnMessage(f func(ReceivedMessage)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks = append(s.hooks, f)
}

// Connections is the number of connections the server has accepted.
func (s *SMTP) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepted
}

// Rejected is the number of messages refused because of FailEvery.
func (s *SMTP) Rejected() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rejected
}

// DropConnections closes every open connection from the server's side, as
// a server does after an idle timeout or a restart.
func (s *SMTP) DropConnections() {
	s.mu.Lock()
	conns := make([]net.Conn, 0, len(s.open))
	for c := range s.open {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		_ = c.Close() // takes s.mu to forget the connection
	}
}

// deliver records one message, or refuses it as FailEvery says.
func (s *SMTP) deliver(from string, to []string, data []byte) error {
	s.mu.Lock()
	s.attempts++
	if s.opts.failEvery > 0 && s.attempts%s.opts.failEvery == 0 {
		s.rejected++
		s.mu.Unlock()
		code := s.opts.failCode
		return &smtp.SMTPError{
			Code:         code,
			EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0},
			Message:      fmt.Sprintf("message %d refused by the test server (FailEvery)", s.attempts),
		}
	}
	msg := parseReceived(from, to, data)
	if !s.opts.discard {
		s.messages = append(s.messages, msg)
	}
	close(s.changed)
	s.changed = make(chan struct{})
	hooks := slices.Clone(s.hooks)
	s.mu.Unlock()
	for _, f := range hooks {
		f(msg)
	}
	return nil
}

// ReceivedMessage is one message as the server received it.
type ReceivedMessage struct {
	From string   // MAIL FROM
	To   []string // RCPT TO, in order
	Data []byte   // the message as sent (headers and body)

	Header   mail.Header // parsed headers; nil if the message did not parse
	Body     []byte      // the body after the headers, still encoded
	ParseErr error       // why Header is nil
}

func parseReceived(from string, to []string, data []byte) ReceivedMessage {
	m := ReceivedMessage{From: from, To: to, Data: data}
	parsed, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		m.ParseErr = err
		return m
	}
	m.Header = parsed.Header
	m.Body, m.ParseErr = io.ReadAll(parsed.Body)
	return m
}

// Subject returns the Subject header decoded (RFC 2047), or as sent if it
// does not decode.
func (m ReceivedMessage) Subject() string {
	raw := m.Header.Get("Subject")
	decoded, err := new(mime.WordDecoder).DecodeHeader(raw)
	if err != nil {
		return raw
	}
	return decoded
}

// Text returns the decoded text/plain part.
func (m ReceivedMessage) Text() (string, error) { return m.Part("text/plain") }

// HTML returns the decoded text/html part.
func (m ReceivedMessage) HTML() (string, error) { return m.Part("text/html") }

// Part returns the first part of the given media type (searching nested
// multiparts), with its transfer encoding (quoted-printable, base64)
// undone.
func (m ReceivedMessage) Part(mediaType string) (string, error) {
	if m.Header == nil {
		return "", fmt.Errorf("message did not parse: %v", m.ParseErr)
	}
	body, found, err := findPart(m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body, mediaType)
	if err != nil {
		return "", err
	}
	if !found {
		return "", fmt.Errorf("message has no %s part", mediaType)
	}
	return string(body), nil
}

func findPart(contentType, encoding string, body []byte, want string) ([]byte, bool, error) {
	if contentType == "" {
		contentType = "text/plain"
	}
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, false, fmt.Errorf("content type %q: %w", contentType, err)
	}
	if mediaType == want {
		decoded, err := decodeTransfer(encoding, body)
		return decoded, err == nil, err
	}
	if !strings.HasPrefix(mediaType, "multipart/") {
		return nil, false, nil
	}
	r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		p, err := r.NextRawPart()
		if errors.Is(err, io.EOF) {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, fmt.Errorf("read %s: %w", mediaType, err)
		}
		raw, err := io.ReadAll(p)
		if err != nil {
			return nil, false, fmt.Errorf("read %s part: %w", mediaType, err)
		}
		got, found, err := findPart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), raw, want)
		if err != nil || found {
			return got, found, err
		}
	}
}

func decodeTransfer(encoding string, body []byte) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "7bit", "8bit", "binary":
		return body, nil
	case "quoted-printable":
		out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
		if err != nil {
			return nil, fmt.Errorf("decode quoted-printable: %w", err)
		}
		return out, nil
	case "base64":
		out, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, newlineStripper{bytes.NewReader(body)}))
		if err != nil {
			return nil, fmt.Errorf("decode base64: %w", err)
		}
		return out, nil
	}
	return nil, fmt.Errorf("unknown transfer encoding %q", encoding)
}

// newlineStripper drops line breaks from base64 text.
type newlineStripper struct{ r io.Reader }

func (n newlineStripper) Read(p []byte) (int, error) {
	for {
		k, err := n.r.Read(p)
		j := 0
		for _, b := range p[:k] {
			if b != '\r' && b != '\n' {
				p[j] = b
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}

// smtpSession is one client connection's state.
type smtpSession struct {
	server *SMTP
	authed bool
	from   string
	to     []string
}

func (ss *smtpSession) authRequired() bool { return ss.server.opts.user != "" && !ss.authed }

func (ss *smtpSession) AuthMechanisms() []string {
	if ss.server.opts.user == "" {
		return nil
	}
	return ss.server.opts.mechanisms
}

func (ss *smtpSession) Auth(mech string) (sasl.Server, error) {
	check := func(user, pass string) error {
		if user != ss.server.opts.user || pass != ss.server.opts.pass {
			return smtp.ErrAuthFailed
		}
		ss.authed = true
		return nil
	}
	offered := false
	for _, m := range ss.AuthMechanisms() {
		offered = offered || strings.EqualFold(m, mech)
	}
	switch {
	case offered && strings.EqualFold(mech, sasl.Plain):
		return sasl.NewPlainServer(func(_, user, pass string) error { return check(user, pass) }), nil
	case offered && strings.EqualFold(mech, sasl.Login):
		return &loginServer{check: check}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

func (ss *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if ss.authRequired() {
		return smtp.ErrAuthRequired
	}
	ss.from, ss.to = from, nil
	return nil
}

func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if ss.authRequired() {
		return smtp.ErrAuthRequired
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *smtpSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	return ss.server.deliver(ss.from, append([]string(nil), ss.to...), data)
}

func (ss *smtpSession) Reset() { ss.from, ss.to = "", nil }

func (ss *smtpSession) Logout() error { return nil }

// loginServer is the server side of the LOGIN mechanism (go-sasl has only
// the client side).
type loginServer struct {
	step  int
	user  string
	check func(user, pass string) error
}

func (l *loginServer) Next(response []byte) ([]byte, bool, error) {
	switch l.step {
	case 0:
		if response == nil {
			l.step = 1
			return []byte("Username:"), false, nil
		}
		l.user, l.step = string(response), 2 // the user name came as initial response
		return []byte("Password:"), false, nil
	case 1:
		l.user, l.step = string(response), 2
		return []byte("Password:"), false, nil
	default:
		return nil, true, l.check(l.user, string(response))
	}
}

// trackingListener counts connections and keeps the open ones, so
// DropConnections can close them.
type trackingListener struct {
	net.Listener
	server *SMTP
}

func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &trackedConn{Conn: c, server: l.server}
	l.server.mu.Lock()
	l.server.accepted++
	l.server.open[tc] = struct{}{}
	l.server.mu.Unlock()
	return tc, nil
}

type trackedConn struct {
	net.Conn
	server *SMTP
	once   sync.Once
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.server.mu.Lock()
		delete(c.server.open, c)
		c.server.mu.Unlock()
	})
	return c.Conn.Close()
}

// smtpLogger passes the server's internal errors to the test log while the
// test runs.
type smtpLogger struct{ s *SMTP }

func (l smtpLogger) Printf(format string, v ...any) {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	if !l.s.stopped {
		l.s.t.Logf("testenv: SMTP server: "+format, v...)
	}
}

func (l smtpLogger) Println(v ...any) { l.Printf("%s", fmt.Sprintln(v...)) }

// selfSignedCertificate makes a short-lived certificate for 127.0.0.1 and
// localhost.
func selfSignedCertificate() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("generate TLS key: %w", err)
	}
	template := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "rcm test SMTP server"},
		NotBefore:    time.Now().Add(-time.Minute),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("create TLS certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}
