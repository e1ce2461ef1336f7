package notifications

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Delivery: go-mail writes the message (MIME, encodings, headers) and
// emersion/go-smtp's client speaks the protocol over a connection this
// package dials and watches itself (watchedConn), with go-sasl's PLAIN and
// LOGIN. go-mail's own Dialer cannot take a context (its dial function is a
// package variable, its connection is private, so deadlines cannot follow
// ctx), leaves a connection in a failed transaction without RSET, and
// reconnects without bound; a batch of thousands of notices needs all
// three right.

// ErrOutcomeUnknown is wrapped by Send's error when the connection broke
// after the whole message had been handed to the server and before it
// answered: the message may or may not have been delivered. Sending it again
// may deliver it twice (with the same Message-ID, which mail clients
// recognise).
var ErrOutcomeUnknown = errors.New("connection lost after the message was handed over; it may have been delivered")

// ErrBatchClosed is returned by Send after Close.
var ErrBatchClosed = errors.New("smtp batch is closed")

// SMTPError is a refusal from the SMTP server: the command it answered, the
// reply code, the enhanced status code and the server's text.
type SMTPError struct {
	// Command is what the server refused: "greeting/EHLO",
	// "greeting/EHLO/STARTTLS", "TLS handshake/EHLO" or "AUTH" while
	// connecting; "MAIL FROM", "RCPT TO", "DATA" or "end of data" (the reply
	// to the message itself) while sending.
	Command   string
	Recipient string // the refused address, for RCPT TO
	Code      int
	// EnhancedCode is the status code of RFC 3463 the server put before its
	// text, e.g. "5.1.1" (bad destination mailbox) or "4.2.2" (mailbox
	// full); empty when the server sent none.
	EnhancedCode string
	Message      string
}

// Error gives the command, the refused recipient if any, the reply code,
// the enhanced status code and the server's text, e.g.
// "smtp RCPT TO <a@b.vn>: 550 5.1.1 no such user" (activities record it as
// the reason office staff see).
func (e *SMTPError) Error() string {
	reply := strconv.Itoa(e.Code)
	if e.EnhancedCode != "" {
		reply += " " + e.EnhancedCode
	}
	if e.Recipient != "" {
		return fmt.Sprintf("smtp %s <%s>: %s %s", e.Command, e.Recipient, reply, e.Message)
	}
	return fmt.Sprintf("smtp %s: %s %s", e.Command, reply, e.Message)
}

// Temporary reports whether the server asked to try again later: a 4xx
// reply, or an enhanced status code of class 4 ("persistent transient
// failure"). A server whose reply code and enhanced code disagree (RFC 2034
// says they must not) is taken at its milder word: the message is tried
// again rather than given up.
func (e *SMTPError) Temporary() bool {
	class, _, _, _ := e.enhanced()
	return e.Code/100 == 4 || class == 4
}

// Permanent reports whether the server refused this message for good, so
// that sending it again can never succeed: a 5xx reply that is not
// Temporary and that concerns the message,
//   - a refusal of a recipient (RCPT TO) or of the message (DATA, end of
//     data), except one whose codes say that rcm's own access is refused:
//     530 (authentication or STARTTLS required, RFC 4954 and 3207), 5.7.8
//     (credentials invalid), 5.7.9 (mechanism too weak) or 5.7.11
//     (encryption required);
//   - whatever the command, an enhanced code about the message itself:
//     5.3.4 (too big for the server, e.g. to MAIL FROM with SIZE=) or 5.6.x
//     (its content or media).
//
// Other 5xx replies while connecting or to MAIL FROM concern rcm's settings
// (credentials, sender address), not the message, and are left to retries
// and to the operator.
func (e *SMTPError) Permanent() bool {
	if e.Code/100 != 5 || e.Temporary() {
		return false
	}
	_, subject, detail, ok := e.enhanced()
	switch {
	case ok && (subject == 3 && detail == 4 || subject == 6):
		return true
	case e.Code == 530 || ok && subject == 7 && (detail == 8 || detail == 9 || detail == 11):
		return false
	}
	switch e.Command {
	case "RCPT TO", "DATA", "end of data":
		return true
	}
	return false
}

// enhanced splits EnhancedCode into its class, subject and detail; ok is
// false when there is none or it is malformed.
func (e *SMTPError) enhanced() (class, subject, detail int, ok bool) {
	parts := strings.Split(e.EnhancedCode, ".")
	if len(parts) != 3 {
		return 0, 0, 0, false
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return 0, 0, 0, false
		}
		n[i] = v
	}
	return n[0], n[1], n[2], true
}

// refusal makes an *SMTPError of go-smtp's: go-smtp has already taken the
// enhanced status code off the server's text.
func refusal(command, recipient string, reply *smtp.SMTPError) *SMTPError {
	e := &SMTPError{Command: command, Recipient: recipient, Code: reply.Code, Message: reply.Message}
	if c := reply.EnhancedCode; c[0] == 2 || c[0] == 4 || c[0] == 5 {
		e.EnhancedCode = fmt.Sprintf("%d.%d.%d", c[0], c[1], c[2])
	}
	return e
}

// IsPermanent reports whether err means that sending this message again can
// never succeed, so the caller records it as failed instead of retrying: an
// invalid address or envelope (*AddressError, *EnvelopeError), a message
// that could not be rendered (*MissingFieldError), or a refusal of a
// recipient or of the message for good (*SMTPError.Permanent). Everything
// else, including 4xx replies and 4.x.x enhanced codes, network errors,
// timeouts and a cancelled context, is temporary.
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

// watchedConn is the connection under the SMTP client. go-smtp sets a
// deadline of its own around each command (five minutes by default, none
// between commands); watchedConn cuts every deadline to the command timeout
// from now and to the deadline of the context of the current step, and
// makes all reads and writes fail at once when that context ends. So no
// step of a conversation (greeting, STARTTLS, AUTH, a command, the transfer
// of a message, the verdict on it) waits longer than ctx and the command
// timeout allow.
type watchedConn struct {
	net.Conn
	timeout time.Duration

	mu    sync.Mutex
	limit time.Time // the deadline of the followed context; zero: none
	ended bool      // the followed context ended: I/O fails from now on
}

// bound is the deadline to set for t (zero: go-smtp's "none"). Call with
// c.mu held.
func (c *watchedConn) bound(t time.Time) time.Time {
	if c.ended {
		return time.Unix(1, 0) // in the past: pending I/O fails now
	}
	if most := time.Now().Add(c.timeout); t.IsZero() || most.Before(t) {
		t = most
	}
	if !c.limit.IsZero() && c.limit.Before(t) {
		t = c.limit
	}
	return t
}

// SetDeadline sets t, bounded (see watchedConn).
func (c *watchedConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Conn.SetDeadline(c.bound(t))
}

// SetReadDeadline sets t for reads, bounded (see watchedConn).
func (c *watchedConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Conn.SetReadDeadline(c.bound(t))
}

// SetWriteDeadline sets t for writes, bounded (see watchedConn).
func (c *watchedConn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Conn.SetWriteDeadline(c.bound(t))
}

// follow bounds every deadline by ctx until the returned function is
// called; that function reports whether ctx ended meanwhile, in which case
// the connection must not be used again.
func (c *watchedConn) follow(ctx context.Context) (done func() (interrupted bool)) {
	c.mu.Lock()
	c.limit, _ = ctx.Deadline()
	c.ended = ctx.Err() != nil
	_ = c.Conn.SetDeadline(c.bound(time.Time{}))
	c.mu.Unlock()
	stop := context.AfterFunc(ctx, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.ended = true
		_ = c.Conn.SetDeadline(c.bound(time.Time{}))
	})
	return func() bool {
		interrupted := !stop()
		c.mu.Lock()
		c.limit = time.Time{}
		c.mu.Unlock()
		return interrupted
	}
}

// session is one live SMTP connection after the handshake.
type session struct {
	conn   *watchedConn
	client *smtp.Client
	helo   string
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
	if err := cfg.checkCredentialsProtected(); err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	addr := cfg.address()
	dialCtx, cancel := context.WithTimeout(ctx, cfg.dialTimeout())
	defer cancel()
	var d net.Dialer
	raw, err := d.DialContext(dialCtx, "tcp", addr)
	if err != nil {
		if ctxErr := contextError(ctx); ctxErr != nil {
			return nil, fmt.Errorf("connect to smtp server %s: %w", addr, ctxErr)
		}
		return nil, fmt.Errorf("connect to smtp server %s: %w", addr, err)
	}
	s := &session{conn: &watchedConn{Conn: raw, timeout: cfg.commandTimeout()}, helo: cfg.HeloName}
	if s.helo == "" {
		s.helo = "localhost"
	}
	if err := s.handshake(ctx, dialCtx, m); err != nil {
		_ = raw.Close()
		return nil, fmt.Errorf("smtp server %s: %w", addr, err)
	}
	return s, nil
}

// handshake starts the client on s.conn: TLS, greeting, EHLO, STARTTLS and
// AUTH as configured. dialCtx bounds the TLS handshake of smtps://.
func (s *session) handshake(ctx, dialCtx context.Context, m *Mailer) (err error) {
	cfg := m.cfg
	done := s.conn.follow(ctx)
	defer func() {
		if done() && err == nil {
			err = ctx.Err() // the state of the connection is unknown
		}
	}()

	hello := "greeting/EHLO"
	switch cfg.TLS {
	case TLSImplicit:
		tlsConn := tls.Client(s.conn, m.tlsConfig())
		if err := tlsConn.HandshakeContext(dialCtx); err != nil {
			return handshakeError(ctx, "TLS handshake", err)
		}
		s.client = smtp.NewClient(tlsConn)
	case TLSStartTLS:
		// go-smtp's client has no StartTLS of its own: this one reads the
		// greeting, says EHLO (as "localhost", a name the server forgets
		// with the upgrade, RFC 3207) and STARTTLS, and fails if the
		// server does not offer it. The TLS handshake comes with the EHLO
		// below.
		if s.client, err = smtp.NewClientStartTLS(s.conn, m.tlsConfig()); err != nil {
			return handshakeError(ctx, "greeting/EHLO/STARTTLS", fmt.Errorf("tls=starttls: %w", err))
		}
		hello = "TLS handshake/EHLO"
	default:
		s.client = smtp.NewClient(s.conn)
	}
	s.client.CommandTimeout = cfg.commandTimeout()
	s.client.SubmissionTimeout = cfg.commandTimeout()
	if err := s.client.Hello(s.helo); err != nil {
		return handshakeError(ctx, hello, err)
	}
	if cfg.Username == "" {
		return nil
	}
	ok, offered := s.client.Extension("AUTH")
	if !ok {
		return errors.New("the server does not offer AUTH (some offer it only after STARTTLS: add tls=starttls)")
	}
	var auth sasl.Client
	switch {
	case s.client.SupportsAuth(sasl.Plain):
		auth = sasl.NewPlainClient("", cfg.Username, cfg.Password)
	case s.client.SupportsAuth(sasl.Login):
		// Microsoft 365 offers only LOGIN among the password mechanisms.
		auth = sasl.NewLoginClient(cfg.Username, cfg.Password)
	default:
		return fmt.Errorf("the server offers no authentication mechanism rcm supports (offered: %q; supported: PLAIN, LOGIN)", offered)
	}
	if err := s.client.Auth(auth); err != nil {
		return handshakeError(ctx, "AUTH", err)
	}
	return nil
}

// handshakeError turns a refusal while connecting into an *SMTPError, and
// an interrupted step into ctx's error.
func handshakeError(ctx context.Context, command string, err error) error {
	if ctxErr := contextError(ctx); ctxErr != nil {
		return fmt.Errorf("smtp %s: %w", command, ctxErr)
	}
	var reply *smtp.SMTPError
	if errors.As(err, &reply) {
		return refusal(command, "", reply)
	}
	return fmt.Errorf("smtp %s: %w", command, err)
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
	done := s.conn.follow(ctx)
	defer func() {
		if done() {
			res.drop = true // the connection's deadline is in the past
			if res.err != nil {
				res.retry = false
			}
		}
	}()

	// SIZE= lets a server refuse a message too big before it is sent.
	if err := s.client.Mail(msg.from, &smtp.MailOptions{Size: int64(len(msg.data))}); err != nil {
		return s.failed(ctx, "MAIL FROM", "", err)
	}
	for _, rcpt := range msg.recipients {
		if err := s.client.Rcpt(rcpt, nil); err != nil {
			return s.failed(ctx, "RCPT TO", rcpt, err)
		}
	}
	w, err := s.client.Data()
	if err != nil {
		return s.failed(ctx, "DATA", "", err)
	}
	if _, err := w.Write(msg.data); err != nil {
		return s.failed(ctx, "DATA", "", err)
	}
	// Close sends the final "." and reads the server's verdict on the message.
	if err := w.Close(); err != nil {
		r := s.failed(ctx, "end of data", "", err)
		var reply *smtp.SMTPError
		if r.drop && !errors.As(err, &reply) && contextError(ctx) == nil {
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
	var reply *smtp.SMTPError
	if !errors.As(err, &reply) {
		// The connection broke (or timed out) before the message was
		// complete: nothing was delivered.
		return txResult{err: fmt.Errorf("smtp %s: %w", command, err), drop: true, retry: true}
	}
	refused := refusal(command, recipient, reply)
	if reply.Code == 421 {
		// The server is closing the connection (often: too many messages
		// on one connection). The message was not accepted.
		return txResult{err: refused, drop: true, retry: true}
	}
	if command == "end of data" {
		return txResult{err: refused} // the transaction is over; no RSET needed
	}
	if s.reset() != nil {
		return txResult{err: refused, drop: true}
	}
	return txResult{err: refused}
}

// reset ends a refused transaction with RSET, so that the connection can
// carry the next message. go-smtp's client says EHLO again after RSET; it
// does so here rather than before the next message, so that a server that
// refuses a second EHLO (OpenSMTPD answers 503) costs this connection, not
// a failure of the next message.
func (s *session) reset() error {
	if err := s.client.Reset(); err != nil {
		return fmt.Errorf("smtp RSET: %w", err)
	}
	if err := s.client.Hello(s.helo); err != nil {
		return fmt.Errorf("smtp EHLO after RSET: %w", err)
	}
	return nil
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

// quit ends the session with QUIT and closes the connection.
func (s *session) quit() error {
	if err := s.client.Quit(); err != nil {
		_ = s.client.Close()
		return fmt.Errorf("smtp QUIT: %w", err)
	}
	return nil
}

// close drops the connection without a word, after it broke.
func (s *session) close() { _ = s.client.Close() }
