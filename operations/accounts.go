package operations

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"rcm/messages"
	"rcm/notifications"
	"rcm/reporting"
	"rcm/store"
)

// PasswordResetTTL is how long a password-reset link works unless
// WithPasswordResetTTL says otherwise.
const PasswordResetTTL = time.Hour

// WithMail lets the operations send mail of their own (password-reset
// links) through m, with links to the web server at baseURL.
func WithMail(m *notifications.Mailer, baseURL string) Option {
	return func(e *Engine) { e.mailer, e.baseURL = m, strings.TrimRight(baseURL, "/") }
}

// WithPasswordResetTTL makes password-reset links work for d.
func WithPasswordResetTTL(d time.Duration) Option { return func(e *Engine) { e.resetTTL = d } }

// ErrMailUnavailable: the mail an operation must send could not be sent
// (no mail server, or it refused); what needs the mail was not done.
var ErrMailUnavailable = errors.New("mail unavailable")

// ErrNoMail refuses an operation that sends mail when the operations have
// no mail server (errors.Is ErrMailUnavailable).
var ErrNoMail = fmt.Errorf("no mail server is configured on this server (rcm serve --smtp-url, RCM_SMTP_URL): %w", ErrMailUnavailable)

// DisableUser disables a user (office staff): their sessions end and their
// tokens are refused at once, until EnableUser. Staff cannot disable
// themselves.
func (e *Engine) DisableUser(ctx context.Context, c Caller, id int64) (store.User, error) {
	if err := e.Authorize(c, OpDisableUser); err != nil {
		return store.User{}, err
	}
	if id == c.UserID {
		return store.User{}, invalid("id", "you cannot disable yourself; ask another member of the office staff")
	}
	return e.setDisabled(ctx, c, OpDisableUser, id, true)
}

// EnableUser re-enables a disabled user (office staff); their tokens work
// again, sessions must be opened anew.
func (e *Engine) EnableUser(ctx context.Context, c Caller, id int64) (store.User, error) {
	if err := e.Authorize(c, OpEnableUser); err != nil {
		return store.User{}, err
	}
	return e.setDisabled(ctx, c, OpEnableUser, id, false)
}

func (e *Engine) setDisabled(ctx context.Context, c Caller, op Op, id int64, disabled bool) (store.User, error) {
	u, err := e.store.SetUserDisabled(ctx, id, disabled, c.audit(op, "", nil))
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, notFoundID("user", id)
	}
	return u, err
}

// ChangePassword replaces the caller's own password, given their current
// one; their other sessions end (keepSession is the secret of the session
// the caller uses, "" when they use a token).
func (e *Engine) ChangePassword(ctx context.Context, c Caller, current, next, keepSession string) error {
	if err := e.Authorize(c, OpChangePassword); err != nil {
		return err
	}
	if c.UserID == 0 {
		return invalid("current_password", "rcm's own callers have no password")
	}
	return e.store.ChangePassword(ctx, c.UserID, current, next, keepSession, c.audit(OpChangePassword, "", nil))
}

// ResetPassword mails a user a one-time link to set a new password (office
// staff), valid for the reset TTL; earlier links stop working. It returns
// when the link expires. The link's secret is in the mail only; the
// database keeps its hash.
func (e *Engine) ResetPassword(ctx context.Context, c Caller, userID int64) (time.Time, error) {
	if err := e.Authorize(c, OpResetPassword); err != nil {
		return time.Time{}, err
	}
	if e.mailer == nil {
		return time.Time{}, ErrNoMail
	}
	u, err := e.reachableUser(ctx, c, userID, true)
	if err != nil {
		return time.Time{}, err
	}
	ttl := e.resetTTL
	if ttl <= 0 {
		ttl = PasswordResetTTL
	}
	secret, expires, err := e.store.CreatePasswordReset(ctx, userID, ttl,
		c.audit(OpResetPassword, "", map[string]any{"email": u.Email}))
	if err != nil {
		return time.Time{}, err
	}
	loc, err := reporting.DefaultLocation()
	if err != nil {
		return time.Time{}, err
	}
	link := e.baseURL + "/reset-password?token=" + url.QueryEscape(secret)
	lang := messages.Negotiate(messages.Own(u.Language))
	if err := e.mailer.Send(ctx, notifications.PasswordResetEnvelope(lang, u.Email, link, expires, loc)); err != nil {
		return time.Time{}, fmt.Errorf("the reset link could not be mailed to %s; ask again later: %w: %w", u.Email, ErrMailUnavailable, err)
	}
	return expires, nil
}

// UsePasswordReset sets a new password with the secret of a reset link, once
// and before it expires; every session of the user ends. Anyone holding the
// link may call it (the caller is anonymous: only its address counts); the
// audit entry is the user's.
func (e *Engine) UsePasswordReset(ctx context.Context, c Caller, secret, password string) (store.User, error) {
	if secret == "" {
		return store.User{}, store.ErrResetLinkInvalid
	}
	return e.store.UsePasswordReset(ctx, secret, password, e.now(), c.audit(OpUseReset, "", nil))
}

// ListSessions lists a user's open web sessions: their own, or anyone's for
// office staff.
func (e *Engine) ListSessions(ctx context.Context, c Caller, userID int64) ([]store.Session, error) {
	if err := e.Authorize(c, OpListSessions); err != nil {
		return nil, err
	}
	if _, err := e.reachableUser(ctx, c, userID, true); err != nil {
		return nil, err
	}
	return e.store.ListSessions(ctx, userID, e.now())
}

// EndSessions ends a user's web session sessionID, or all of them when it is
// 0: their own, or anyone's for office staff. It returns how many ended.
func (e *Engine) EndSessions(ctx context.Context, c Caller, userID, sessionID int64) (int64, error) {
	if err := e.Authorize(c, OpEndSessions); err != nil {
		return 0, err
	}
	if _, err := e.reachableUser(ctx, c, userID, true); err != nil {
		return 0, err
	}
	n, err := e.store.EndSessions(ctx, userID, sessionID, c.audit(OpEndSessions, "", nil))
	if errors.Is(err, store.ErrNotFound) {
		return 0, notFoundID("session", sessionID)
	}
	return n, err
}

// AuditLog lists the audit log, oldest first, filtered (office staff).
func (e *Engine) AuditLog(ctx context.Context, c Caller, f store.AuditFilter) ([]store.AuditRecord, error) {
	if err := e.Authorize(c, OpReadAudit); err != nil {
		return nil, err
	}
	if f.Since != nil && f.Until != nil && !f.Until.After(*f.Since) {
		return nil, invalid("until", "must be after since")
	}
	return e.store.AuditLog(ctx, f)
}

// VerifyAudit recomputes the audit log's chains and names the first bad
// record of each broken stream (office staff).
func (e *Engine) VerifyAudit(ctx context.Context, c Caller) (store.AuditVerification, error) {
	if err := e.Authorize(c, OpVerifyAudit); err != nil {
		return store.AuditVerification{}, err
	}
	return e.store.VerifyAudit(ctx)
}
