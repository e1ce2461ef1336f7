package notifications

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// TLSMode says how a connection to the SMTP server is protected.
type TLSMode string

// The TLS modes of ParseSMTPURL.
const (
	// TLSNone talks plain SMTP and never upgrades (smtp://). For a mail
	// catcher or a relay on the same host; the password, if any, is only
	// sent to localhost.
	TLSNone TLSMode = "none"
	// TLSStartTLS requires the server to offer STARTTLS and upgrades before
	// anything else is sent (smtp://...?tls=starttls, usually port 587).
	TLSStartTLS TLSMode = "starttls"
	// TLSImplicit speaks TLS from the first byte (smtps://, usually port 465).
	TLSImplicit TLSMode = "implicit"
)

// DefaultTimeout bounds dialing and each SMTP command when SMTPConfig leaves
// a timeout zero.
const DefaultTimeout = 10 * time.Second

// SMTPConfig is where and how to send mail. Build it with ParseSMTPURL.
// Its String and GoString methods print it without the password, so
// logging it (even with %v or %#v) does not leak the secret.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string // empty: no authentication
	Password string
	TLS      TLSMode
	// InsecureSkipVerify accepts any server certificate: for development
	// against a mail catcher with a self-signed certificate only.
	InsecureSkipVerify bool
	// From is the sender of every message, e.g. "Văn phòng UBND tỉnh
	// <baocao@laocai.gov.vn>" (query from=).
	From mail.Address
	// HeloName is the name sent with EHLO (query helo=); "localhost" when empty.
	HeloName string
	// DialTimeout bounds connecting, including the TLS handshake (query
	// dial_timeout=); CommandTimeout bounds each command and its reply,
	// including the transfer of one message (query command_timeout=).
	// Zero means DefaultTimeout.
	DialTimeout    time.Duration
	CommandTimeout time.Duration
}

// ParseSMTPURL reads the SMTP settings from a URL:
//
//	smtp://[user[:password]@]host[:port][?query]   plain SMTP (port 25 if omitted)
//	smtps://[user[:password]@]host[:port][?query]  TLS from the start (port 465)
//
// Query parameters:
//
//	from=ADDRESS                 the sender (required), e.g. rcm@example.gov.vn or
//	                             "Văn phòng <vp@example.gov.vn>" URL-encoded
//	tls=none|starttls            for smtp://: none (the default) never upgrades,
//	                             starttls requires the server to offer STARTTLS
//	insecure_skip_verify=true    accept any certificate (development only)
//	helo=NAME                    the name sent with EHLO
//	dial_timeout=10s             bound on connecting (Go duration)
//	command_timeout=10s          bound on each command
//
// The user name and password are URL-decoded, so a password with "@" or "/"
// must be written %40 or %2F. They are sent only over TLS (smtps:// or
// tls=starttls) or to a server on this machine (localhost or a loopback address);
// anything else is refused. Errors name the part of the URL that is wrong
// and never repeat the password.
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	var cfg SMTPConfig
	fail := func(part, format string, args ...any) (SMTPConfig, error) {
		return SMTPConfig{}, fmt.Errorf("smtp url: %s: %s", part, fmt.Sprintf(format, args...))
	}
	if strings.TrimSpace(raw) == "" {
		return fail("url", "empty; expected smtp://host:port?from=ADDRESS")
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		// url.Error repeats the whole URL, password included: keep only the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		part := "url"
		if strings.Contains(err.Error(), "port") {
			part = "port"
		}
		return fail(part, "%v", err)
	}

	switch strings.ToLower(u.Scheme) {
	case "smtp":
		cfg.TLS, cfg.Port = TLSNone, 25
	case "smtps":
		cfg.TLS, cfg.Port = TLSImplicit, 465
	case "":
		return fail("scheme", "missing; use smtp:// or smtps://")
	default:
		return fail("scheme", "%q is not supported; use smtp:// or smtps://", u.Scheme)
	}
	if u.Opaque != "" {
		return fail("host", "missing; write %s://host:port", u.Scheme)
	}

	cfg.Host = u.Hostname()
	if cfg.Host == "" {
		return fail("host", "missing")
	}
	if p := u.Port(); p != "" {
		port, err := strconv.Atoi(p)
		if err != nil || port < 1 || port > 65535 {
			return fail("port", "%q is not a port number (1-65535)", p)
		}
		cfg.Port = port
	} else if strings.HasSuffix(u.Host, ":") {
		return fail("port", "empty after the colon")
	}
	if u.Path != "" && u.Path != "/" {
		return fail("path", "%q: an SMTP URL has no path", u.Path)
	}
	if u.Fragment != "" {
		return fail("fragment", "an SMTP URL has no fragment")
	}

	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
		if cfg.Username == "" {
			return fail("user", "empty user name")
		}
	}

	query, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return fail("query", "%v", err)
	}
	for key, values := range query {
		if len(values) > 1 {
			return fail("query "+key, "given %d times", len(values))
		}
		value := values[0]
		switch key {
		case "from":
			addr, err := mail.ParseAddress(value)
			if err != nil {
				return fail("query from", "%q is not a mail address: %v", value, err)
			}
			cfg.From = *addr
		case "tls":
			switch mode := TLSMode(strings.ToLower(value)); {
			case cfg.TLS == TLSImplicit && (mode == TLSImplicit || mode == ""):
			case cfg.TLS == TLSImplicit:
				return fail("query tls", "%q cannot be combined with smtps://, which is TLS from the start", value)
			case mode == TLSNone || mode == TLSStartTLS:
				cfg.TLS = mode
			case mode == TLSImplicit:
				return fail("query tls", "for TLS from the start write smtps://")
			default:
				return fail("query tls", "%q; use none or starttls", value)
			}
		case "insecure_skip_verify":
			b, err := strconv.ParseBool(value)
			if err != nil {
				return fail("query insecure_skip_verify", "%q; use true or false", value)
			}
			cfg.InsecureSkipVerify = b
		case "helo":
			if value == "" || strings.ContainsAny(value, " \t\r\n") {
				return fail("query helo", "%q is not a host name", value)
			}
			cfg.HeloName = value
		case "dial_timeout", "command_timeout":
			d, err := time.ParseDuration(value)
			if err != nil || d <= 0 {
				return fail("query "+key, "%q; use a positive duration such as 10s", value)
			}
			if key == "dial_timeout" {
				cfg.DialTimeout = d
			} else {
				cfg.CommandTimeout = d
			}
		default:
			return fail("query "+key, "unknown parameter; known: from, tls, insecure_skip_verify, helo, dial_timeout, command_timeout")
		}
	}
	if cfg.From.Address == "" {
		return fail("query from", "missing; add ?from=ADDRESS, the sender of rcm's messages")
	}
	if err := cfg.checkCredentialsProtected(); err != nil {
		return fail("user", "%v", err)
	}
	return cfg, nil
}

// checkCredentialsProtected refuses a configuration that would send the
// user name and password in clear text over the network: with credentials,
// the connection must be TLS (smtps:// or tls=starttls) unless the server
// is on this machine.
func (c SMTPConfig) checkCredentialsProtected() error {
	if c.Username == "" || c.TLS == TLSStartTLS || c.TLS == TLSImplicit || isLoopback(c.Host) {
		return nil
	}
	return fmt.Errorf("the password would cross the network to %s unencrypted; use smtps:// or tls=starttls "+
		"(plain smtp:// with credentials is only for a server on this machine)", c.Host)
}

// isLoopback reports whether host names this machine: localhost or a
// loopback address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Redacted prints the configuration as a URL ParseSMTPURL reads back, with
// the password replaced by "xxxxx".
func (c SMTPConfig) Redacted() string {
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(c.Host, strconv.Itoa(c.Port))}
	if c.TLS == TLSImplicit {
		u.Scheme = "smtps"
	}
	if c.Username != "" {
		if c.Password != "" {
			u.User = url.UserPassword(c.Username, "xxxxx")
		} else {
			u.User = url.User(c.Username)
		}
	}
	q := url.Values{}
	if c.From.Name != "" {
		// Not From.String(): that is RFC 2047 for headers, unreadable here.
		q.Set("from", `"`+strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(c.From.Name)+`" <`+c.From.Address+`>`)
	} else if c.From.Address != "" {
		q.Set("from", c.From.Address)
	}
	if c.TLS == TLSStartTLS {
		q.Set("tls", string(TLSStartTLS))
	}
	if c.InsecureSkipVerify {
		q.Set("insecure_skip_verify", "true")
	}
	if c.HeloName != "" {
		q.Set("helo", c.HeloName)
	}
	if c.DialTimeout != 0 {
		q.Set("dial_timeout", c.DialTimeout.String())
	}
	if c.CommandTimeout != 0 {
		q.Set("command_timeout", c.CommandTimeout.String())
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// String is Redacted: a configuration printed anywhere hides its password.
func (c SMTPConfig) String() string { return c.Redacted() }

// GoString is Redacted too, for %#v.
func (c SMTPConfig) GoString() string { return "notifications.SMTPConfig(" + c.Redacted() + ")" }

// address is host:port for dialing.
func (c SMTPConfig) address() string { return net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) }

func (c SMTPConfig) dialTimeout() time.Duration {
	if c.DialTimeout > 0 {
		return c.DialTimeout
	}
	return DefaultTimeout
}

func (c SMTPConfig) commandTimeout() time.Duration {
	if c.CommandTimeout > 0 {
		return c.CommandTimeout
	}
	return DefaultTimeout
}
