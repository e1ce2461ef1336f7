package notifications

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"sync"
	"time"
)

// Delivery: go-mail writes the message (MIME, encodings, headers) and the
// standard library's net/smtp speaks the protocol over a connection this
// package dials and watches itself. go-mail's own Dialer cannot take a
// context (its dial function is a package variable, its connection is
// private, so deadlines cannot follow ctx), leaves a connection in a failed
// transaction without RSET, and reconnects without bound; a batch of
// thousands of notices needs all three right.

// ErrOutcomeUnknown is wrapped by Send's error when the connection broke
// after the whole message had been handed to the server and before it
// answered: the message may or may not have been delivered. Sending it again
// may deliver it twice (with the same Message-ID, which mail clients
// recognise).
var ErrOutcomeUnknown = errors.New("connection lost after the message was handed over; it may have been delivered")

// ErrBatchClosed is returned by Send after Close.
var ErrBatchClosed = errors.New("smtp batch is closed")

// SMTPError is a refusal from the SMTP server: the command it answered, the
// reply code and the server's text.
type SMTPError struct {
	// Command is what the server refused: "greeting", "EHLO", "STARTTLS",
	// "AUTH" while connecting; "MAIL FROM", "RCPT TO", "DATA" or "end of
	// data" (the reply to the message itself) while sending.
	Command   string
	Recipient string // the refused address, for RCPT TO
	Code      int
	Message   string
}

// Error gives the command, the refused recipient if any, the code and the
// server's text.
func (e *SMTPError) Error() string {
	if e.Recipient != "" {
		return fmt.Sprintf("smtp %s <%s>: %d %s", e.Command, e.Recipient, e.Code, e.Message)
	}
	return fmt.Sprintf("smtp %s: %d %s", e.Command, e.Code, e.Message)
}

// Temporary reports whether the server asked to try again later (4xx).
func (e *SMTPError) Temporary() bool { return e.Code >= 400 && e.Code < 500 }

// Permanent reports whether the server refused this message for good: a 5xx
// reply to a recipient or to the message. A 5xx while connecting or to
// MAIL FROM concerns rcm's own settings (credentials, sender address), not
// the message, and is left to retries and to the operator.
func (e *SMTPError) Permanent() bool {
	if e.Code < 500 || e.Code > 599 {
		return false
	}
	switch e.Command {
	case "RCPT TO", "DATA", "end of data":
		return true
	}
	return false
}

// IsPermanent reports whether err means that sending this message again can
// never succeed, so the caller records it as failed instead of retrying: an
// invalid address or envelope (*AddressError, *EnvelopeError), a message
// that could not be rendered (*MissingFieldError), or a 5xx refusal of a
// recipient or of the message (*SMTPError). Everything else, including 4xx
// replies, network errors, timeouts and a cancelled context, is temporary.
func IsPermanent(err error) bool {
	if err == nil {
		return false
	}
	var addrErr *AddressError
	var envErr *EnvelopeError
	var fieldErr *MissingFieldError
	if errors.As(err, &addrErr) || errors.As(err, &envErr) || errors.As(err, &fieldErr) {
		return true
	}
	var smtpErr *SMTPError
	return errors.As(err, &smtpErr) && smtpErr.Permanent()
}

// Mailer sends messages through the SMTP server of its configuration. It is
// safe for concurrent use; each Batch it opens is one connection.
type Mailer struct {
	cfg SMTPConfig
}

// NewMailer returns a mailer for cfg (see ParseSMTPURL). It does not
// connect: Open does.
func NewMailer(cfg SMTPConfig) *Mailer {
	return &Mailer{cfg: cfg}
}

// Config returns the mailer's configuration (print it with Redacted).
func (m *Mailer) Config() SMTPConfig { return m.cfg }

// Open connects to the server (TLS and authentication as configured) for a
// batch of messages. ctx bounds the connection attempt, with the dial
// timeout.
func (m *Mailer) Open(ctx context.Context) (*Batch, error) {
	s, err := m.dial(ctx)
	if err != nil {
		return nil, err
	}
	return &Batch{mailer: m, sess: s}, nil
}

// Send sends one message on a connection of its own. For more than one
// message, Open a Batch.
func (m *Mailer) Send(ctx context.Context, e Envelope) error {
	msg, err := compose(m.cfg.From, e)
	if err != nil {
		return fmt.Errorf("send %s: %w", e.MessageID, err)
	}
	b, err := m.Open(ctx)
	if err != nil {
		return fmt.Errorf("send %s: %w", msg.messageID, err)
	}
	err = b.send(ctx, msg)
	// The message is accepted or refused by now; a failing QUIT changes
	// nothing about it, so it is not reported.
	_ = b.Close()
	return err
}

// Batch is one SMTP connection reused for many messages. Send reconnects
// once when the connection has broken (or the server closed it with 421,
// as servers do after a number of messages per connection). A Batch is
// safe for concurrent use, but it sends one message at a time.
type Batch struct {
	mailer *Mailer

	mu     sync.Mutex
	sess   *session // nil after the connection broke; the next Send dials
	closed bool
}

// Send sends one message. The message is validated first: an invalid
// address or envelope fails before anything is sent (see IsPermanent). ctx
// bounds the whole exchange: when it ends, Send returns its error and the
// connection is dropped (the next Send dials a new one).
func (b *Batch) Send(ctx context.Context, e Envelope) error {
	msg, err := compose(b.mailer.cfg.From, e)
	if err != nil {
		return fmt.Errorf("send %s: %w", e.MessageID, err)
	}
	return b.send(ctx, msg)
}

func (b *Batch) send(ctx context.Context, msg composed) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return fmt.Errorf("send %s: %w", msg.messageID, ErrBatchClosed)
	}
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("send %s: %w", msg.messageID, err)
		}
		if b.sess == nil {
			s, err := b.mailer.dial(ctx)
			if err != nil {
				return fmt.Errorf("send %s: %w", msg.messageID, err)
			}
			b.sess = s
		}
		res := b.sess.transaction(ctx, msg)
		if res.drop {
			b.sess.close()
			b.sess = nil
		}
		if res.err == nil {
			return nil
		}
		if res.retry && attempt == 1 {
			continue // nothing was delivered: once more on a new connection
		}
		return fmt.Errorf("send %s: %w", msg.messageID, res.err)
	}
}

// Close ends the connection politely (QUIT). Sending after Close fails.
func (b *Batch) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil
	}
	b.closed = true
	if b.sess == nil {
		return nil
	}
	s := b.sess
	b.sess = nil
	return s.quit()
}

// session is one live SMTP connection after the handshake.
type session struct {
	conn    net.Conn // the connection deadlines are set on (TLS passes them down)
	client  *smtp.Client
	timeout time.Duration // per command

	mu        sync.Mutex
	cancelled bool // the watched context ended: no more deadlines are set
}

func (m *Mailer) tlsConfig() *tls.Config {
	return &tls.Config{
		ServerName:         m.cfg.Host,
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: m.cfg.InsecureSkipVerify, //nolint:gosec // opt-in, development only (insecure_skip_verify=true)
	}
}

// dial connects, reads the greeting, says EHLO, upgrades with STARTTLS and
// authenticates, as configured.
func (m *Mailer) dial(ctx context.Context) (*session, error) {
	cfg := m.cfg
	if cfg.Host == "" || cfg.Port == 0 {
		return nil, errors.New("smtp: no server configured (host and port)")
	}
	addr := cfg.address()
	dialCtx, cancel := context.WithTimeout(ctx, cfg.dialTimeout())
	defer cancel()
	var conn net.Conn
	var err error
	if cfg.TLS == TLSImplicit {
		d := &tls.Dialer{Config: m.tlsConfig()}
		conn, err = d.DialContext(dialCtx, "tcp", addr)
	} else {
		var d net.Dialer
		conn, err = d.DialContext(dialCtx, "tcp", addr)
	}
	if err != nil {
		if ctxErr := contextError(ctx); ctxErr != nil {
			return nil, fmt.Errorf("connect to smtp server %s: %w", addr, ctxErr)
		}
		return nil, fmt.Errorf("connect to smtp server %s: %w", addr, err)
	}
	s := &session{conn: conn, timeout: cfg.commandTimeout()}
	if err := s.handshake(ctx, m); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("smtp server %s: %w", addr, err)
	}
	return s, nil
}

func (s *session) handshake(ctx context.Context, m *Mailer) (err error) {
	cfg := m.cfg
	interrupted := s.watch(ctx)
	defer func() {
		if interrupted() && err == nil {
			err = ctx.Err() // the state of the connection is unknown
		}
	}()

	if err := s.deadline(ctx); err != nil {
		return err
	}
	client, err := smtp.NewClient(s.conn, cfg.Host)
	if err != nil {
		return s.replyError(ctx, "greeting", "", err)
	}
	s.client = client
	helo := cfg.HeloName
	if helo == "" {
		helo = "localhost"
	}
	if err := s.deadline(ctx); err != nil {
		return err
	}
	if err := client.Hello(helo); err != nil {
		return s.replyError(ctx, "EHLO", "", err)
	}
	if cfg.TLS == TLSStartTLS {
		if ok, _ := client.Extension("STARTTLS"); !ok {
			return errors.New("the server does not offer STARTTLS, which tls=starttls requires")
		}
		if err := s.deadline(ctx); err != nil {
			return err
		}
		if err := client.StartTLS(m.tlsConfig()); err != nil {
			return s.replyError(ctx, "STARTTLS", "", err)
		}
	}
	if cfg.Username != "" {
		ok, mechanisms := client.Extension("AUTH")
		if !ok {
			return errors.New("the server does not offer AUTH (some offer it only after STARTTLS: add tls=starttls)")
		}
		auth, err := chooseAuth(mechanisms, cfg)
		if err != nil {
			return err
		}
		if err := s.deadline(ctx); err != nil {
			return err
		}
		if err := client.Auth(auth); err != nil {
			return s.replyError(ctx, "AUTH", "", err)
		}
	}
	return nil
}

// watch makes the connection fail at once when ctx ends. The returned
// function stops watching and reports whether ctx ended meanwhile, in which
// case the connection must not be used again.
func (s *session) watch(ctx context.Context) (interrupted func() bool) {
	s.mu.Lock()
	s.cancelled = false
	s.mu.Unlock()
	stop := context.AfterFunc(ctx, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.cancelled = true
		_ = s.conn.SetDeadline(time.Unix(1, 0)) // in the past: pending I/O fails now
	})
	return func() bool { return !stop() }
}

// deadline gives the next command the command timeout, or less if ctx ends
// sooner.
func (s *session) deadline(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancelled {
		return ctx.Err()
	}
	d := time.Now().Add(s.timeout)
	if ctxDeadline, ok := ctx.Deadline(); ok && ctxDeadline.Before(d) {
		d = ctxDeadline
	}
	return s.conn.SetDeadline(d)
}

// txResult is the outcome of one mail transaction.
type txResult struct {
	err   error
	drop  bool // the connection cannot be used again
	retry bool // nothing was delivered and a new connection may succeed
}

// transaction sends one message: MAIL FROM, RCPT TO for each recipient,
// DATA. After a refusal it resets the transaction (RSET) so the connection
// can carry the next message.
func (s *session) transaction(ctx context.Context, msg composed) (res txResult) {
	interrupted := s.watch(ctx)
	defer func() {
		if interrupted() {
			res.drop = true // a late deadline in the past may still hit the connection
			if res.err != nil {
				res.retry = false
			}
		}
	}()

	step := func(command, recipient string, run func() error) *txResult {
		if err := s.deadline(ctx); err != nil {
			return &txResult{err: err, drop: true}
		}
		if err := run(); err != nil {
			r := s.failed(ctx, command, recipient, err)
			return &r
		}
		return nil
	}
	if r := step("MAIL FROM", "", func() error { return s.client.Mail(msg.from) }); r != nil {
		return *r
	}
	for _, rcpt := range msg.recipients {
		if r := step("RCPT TO", rcpt, func() error { return s.client.Rcpt(rcpt) }); r != nil {
			return *r
		}
	}
	var w interface {
		Write([]byte) (int, error)
		Close() error
	}
	if r := step("DATA", "", func() (err error) { w, err = s.client.Data(); return err }); r != nil {
		return *r
	}
	if r := step("DATA", "", func() error { _, err := w.Write(msg.data); return err }); r != nil {
		return *r
	}
	// Close sends the final "." and reads the server's verdict on the message.
	if err := s.deadline(ctx); err != nil {
		return txResult{err: err, drop: true}
	}
	if err := w.Close(); err != nil {
		r := s.failed(ctx, "end of data", "", err)
		if r.drop && !isReply(err) && contextError(ctx) == nil {
			r.err = fmt.Errorf("%w: %w", ErrOutcomeUnknown, err)
			r.retry = false
		}
		return r
	}
	return txResult{}
}

// failed classifies an error of a command of a transaction.
func (s *session) failed(ctx context.Context, command, recipient string, err error) txResult {
	if ctxErr := contextError(ctx); ctxErr != nil {
		return txResult{err: fmt.Errorf("smtp %s: %w", command, ctxErr), drop: true}
	}
	var reply *textproto.Error
	if !errors.As(err, &reply) {
		// The connection broke (or timed out) before the message was
		// complete: nothing was delivered.
		return txResult{err: fmt.Errorf("smtp %s: %w", command, err), drop: true, retry: true}
	}
	refusal := &SMTPError{Command: command, Recipient: recipient, Code: reply.Code, Message: reply.Msg}
	if reply.Code == 421 {
		// The server is closing the connection (often: too many messages
		// on one connection). The message was not accepted.
		return txResult{err: refusal, drop: true, retry: true}
	}
	if command == "end of data" {
		return txResult{err: refusal} // the transaction is over; no RSET needed
	}
	if s.deadline(ctx) != nil || s.client.Reset() != nil {
		return txResult{err: refusal, drop: true}
	}
	return txResult{err: refusal}
}

// replyError turns a refusal during the handshake into an *SMTPError.
func (s *session) replyError(ctx context.Context, command, recipient string, err error) error {
	if ctxErr := contextError(ctx); ctxErr != nil {
		return fmt.Errorf("smtp %s: %w", command, ctxErr)
	}
	var reply *textproto.Error
	if errors.As(err, &reply) {
		return &SMTPError{Command: command, Recipient: recipient, Code: reply.Code, Message: reply.Msg}
	}
	return fmt.Errorf("smtp %s: %w", command, err)
}

// contextError is ctx.Err(), and DeadlineExceeded as soon as the deadline
// has passed: a connection deadline taken from ctx can fire a moment before
// ctx itself reports it.
func contextError(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return context.DeadlineExceeded
	}
	return nil
}

func isReply(err error) bool {
	var reply *textproto.Error
	return errors.As(err, &reply)
}

// quit ends the session with QUIT and closes the connection.
func (s *session) quit() error {
	_ = s.conn.SetDeadline(time.Now().Add(s.timeout))
	if err := s.client.Quit(); err != nil {
		_ = s.conn.Close()
		return fmt.Errorf("smtp QUIT: %w", err)
	}
	return nil
}

// close drops the connection without a word, after it broke.
func (s *session) close() { _ = s.conn.Close() }

// chooseAuth picks PLAIN, LOGIN (Microsoft 365 offers only LOGIN among the
// password mechanisms) or CRAM-MD5, in that order, from what the server
// offers. PLAIN and LOGIN send the password only over TLS or to localhost.
func chooseAuth(offered string, cfg SMTPConfig) (smtp.Auth, error) {
	mechanisms := strings.Fields(strings.ToUpper(offered))
	has := func(name string) bool {
		for _, m := range mechanisms {
			if m == name {
				return true
			}
		}
		return false
	}
	switch {
	case has("PLAIN"):
		return smtp.PlainAuth("", cfg.Username, cfg.Password, cfg.Host), nil
	case has("LOGIN"):
		return &loginAuth{username: cfg.Username, password: cfg.Password, host: cfg.Host}, nil
	case has("CRAM-MD5"):
		return smtp.CRAMMD5Auth(cfg.Username, cfg.Password), nil
	}
	return nil, fmt.Errorf("the server offers no authentication mechanism rcm supports (offered: %q; supported: PLAIN, LOGIN, CRAM-MD5)", offered)
}

// loginAuth is the LOGIN mechanism (a de facto standard, not in net/smtp).
type loginAuth struct {
	username, password, host string
}

// Start begins LOGIN, refusing to send the password in clear text except
// to localhost.
func (a *loginAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS && !isLocalhost(server.Name) {
		return "", nil, errors.New("refusing to send the password over an unencrypted connection (use smtps:// or tls=starttls)")
	}
	if server.Name != a.host {
		return "", nil, errors.New("wrong host name")
	}
	return "LOGIN", nil, nil
}

// Next answers the server's "Username:" and "Password:" prompts.
func (a *loginAuth) Next(fromServer []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	switch strings.ToLower(strings.TrimSpace(string(fromServer))) {
	case "username:", "user name", "username":
		return []byte(a.username), nil
	case "password:", "password":
		return []byte(a.password), nil
	}
	return nil, fmt.Errorf("unexpected LOGIN challenge %q", fromServer)
}

func isLocalhost(name string) bool {
	return name == "localhost" || name == "127.0.0.1" || name == "::1"
}
