package notifications

import (
	"bytes"
	"fmt"
	"net/mail"
	"strings"
	"time"

	gomail "github.com/go-mail/mail/v2"
)

// Envelope is one message to send: who gets it and what it says. The sender
// is the Mailer's (SMTPConfig.From).
type Envelope struct {
	// MessageID is the Message-ID header, chosen by the caller and the same
	// every time the same notification is sent again (e.g. derived from the
	// notification row), so that a message sent twice after a retry is
	// recognisably the same message. "<" and ">" are optional; without an
	// "@" the domain of the sender is added.
	MessageID string
	To, Cc    []string // RFC 5322 addresses, with or without a display name
	Subject   string   // one line, any Unicode
	Text      string   // the plain-text part (required)
	HTML      string   // the HTML part; empty sends plain text only
	Date      time.Time
}

// AddressError says that an address of an envelope is not a valid mail
// address. Nothing was sent; sending again cannot succeed (IsPermanent).
type AddressError struct {
	Field   string // "To" or "Cc"
	Address string
	Err     error
}

// Error names the field and the address.
func (e *AddressError) Error() string {
	return fmt.Sprintf("%s address %q: %v", e.Field, e.Address, e.Err)
}

// Unwrap returns the parser's error.
func (e *AddressError) Unwrap() error { return e.Err }

// EnvelopeError says that an envelope cannot be sent as it is (no
// recipient, no subject, a malformed Message-ID...). Nothing was sent;
// sending again cannot succeed (IsPermanent).
type EnvelopeError struct {
	Field   string
	Problem string
}

// Error names the field and the problem.
func (e *EnvelopeError) Error() string {
	return fmt.Sprintf("envelope %s: %s", e.Field, e.Problem)
}

// composed is a validated message: the SMTP envelope and the bytes of the
// message itself.
type composed struct {
	messageID  string
	from       string
	recipients []string
	data       []byte
}

// compose validates e and writes it as a MIME message: multipart/alternative
// with a text and an HTML part, quoted-printable UTF-8, encoded subject.
func compose(from mail.Address, e Envelope) (composed, error) {
	if from.Address == "" {
		return composed{}, &EnvelopeError{Field: "From", Problem: "the mailer has no sender address (SMTP URL query from=)"}
	}
	id, err := normalizeMessageID(e.MessageID, from.Address)
	if err != nil {
		return composed{}, err
	}
	if len(e.To) == 0 {
		return composed{}, &EnvelopeError{Field: "To", Problem: "no recipient"}
	}
	subject := strings.TrimSpace(e.Subject)
	switch {
	case subject == "":
		return composed{}, &EnvelopeError{Field: "Subject", Problem: "empty"}
	case strings.ContainsAny(subject, "\r\n"):
		return composed{}, &EnvelopeError{Field: "Subject", Problem: "contains a line break"}
	}
	if strings.TrimSpace(e.Text) == "" {
		return composed{}, &EnvelopeError{Field: "Text", Problem: "empty; every message has a plain-text part"}
	}

	var recipients []string
	seen := make(map[string]bool)
	headers := make(map[string][]string)
	for _, field := range []struct {
		name  string
		addrs []string
	}{{"To", e.To}, {"Cc", e.Cc}} {
		for _, raw := range field.addrs {
			addr, err := parseAddress(field.name, raw)
			if err != nil {
				return composed{}, err
			}
			headers[field.name] = append(headers[field.name], addr.String())
			key := strings.ToLower(addr.Address)
			if !seen[key] {
				seen[key] = true
				recipients = append(recipients, addr.Address)
			}
		}
	}

	date := e.Date
	if date.IsZero() {
		date = time.Now()
	}
	m := gomail.NewMessage() // UTF-8, quoted-printable bodies, Q-encoded headers
	m.SetHeader("From", from.String())
	for _, field := range []string{"To", "Cc"} {
		if len(headers[field]) > 0 {
			m.SetHeader(field, headers[field]...)
		}
	}
	m.SetHeader("Subject", subject)
	m.SetDateHeader("Date", date)
	m.SetHeader("Message-ID", id)
	// RFC 3834: no vacation replies or other auto-responses to these;
	// X-Auto-Response-Suppress does the same for Exchange.
	m.SetHeader("Auto-Submitted", "auto-generated")
	m.SetHeader("X-Auto-Response-Suppress", "All")
	m.SetBody("text/plain", e.Text)
	if strings.TrimSpace(e.HTML) != "" {
		m.AddAlternative("text/html", e.HTML)
	}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		return composed{}, fmt.Errorf("write message %s: %w", id, err)
	}
	return composed{messageID: id, from: from.Address, recipients: recipients, data: buf.Bytes()}, nil
}

// parseAddress checks one address. rcm does not use SMTPUTF8, so the
// address itself must be ASCII (a display name may be anything).
func parseAddress(field, raw string) (*mail.Address, error) {
	addr, err := mail.ParseAddress(raw)
	if err != nil {
		return nil, &AddressError{Field: field, Address: raw, Err: err}
	}
	for _, r := range addr.Address {
		if r > 0x7e {
			return nil, &AddressError{Field: field, Address: raw, Err: fmt.Errorf("non-ASCII characters in the address are not supported")}
		}
	}
	return addr, nil
}

// normalizeMessageID returns id as "<local@domain>".
func normalizeMessageID(id, fromAddress string) (string, error) {
	id = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(id), "<"), ">")
	if id == "" {
		return "", &EnvelopeError{Field: "MessageID", Problem: "empty; give a stable id for the notification"}
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c >= 0x7f || c == '<' || c == '>' || c == '"' || c == '\\' {
			return "", &EnvelopeError{Field: "MessageID", Problem: fmt.Sprintf("%q: only printable ASCII without spaces, quotes or angle brackets", id)}
		}
	}
	if !strings.Contains(id, "@") {
		id += "@" + fromAddress[strings.LastIndexByte(fromAddress, '@')+1:]
	}
	if strings.Count(id, "@") != 1 || strings.HasPrefix(id, "@") || strings.HasSuffix(id, "@") {
		return "", &EnvelopeError{Field: "MessageID", Problem: fmt.Sprintf("%q: must look like local@domain", id)}
	}
	return "<" + id + ">", nil
}
