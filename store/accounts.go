package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/bcrypt"
)

// Session is a web session as listed for its user or office staff, without
// its secret.
type Session struct {
	ID         int64
	UserID     int64
	CreatedAt  time.Time
	ExpiresAt  time.Time
	RemoteAddr string
}

// ErrResetLinkInvalid refuses a password-reset link that is unknown, used or
// expired; it is a *reporting.InputError naming the field "token".
var ErrResetLinkInvalid = invalid("token", "the link is unknown, was used already or has expired; ask the office staff for a new one")

// SetUserDisabled disables (disabled true) or re-enables a user. Disabling
// ends every session of theirs and voids their password-reset links in the
// same transaction; their API tokens are refused while they are disabled
// (PrincipalForToken), and work again once they are re-enabled.
func (s *Store) SetUserDisabled(ctx context.Context, id int64, disabled bool, audit AuditEntry) (User, error) {
	var u User
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		u, err = scanUser(tx.QueryRow(ctx, `
			UPDATE users u SET disabled_at = CASE WHEN $2 THEN coalesce(u.disabled_at, now()) END
			 WHERE u.id = $1
			RETURNING `+userColumns, id, disabled))
		if err != nil {
			return err
		}
		ended := int64(0)
		if disabled {
			tag, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id)
			if err != nil {
				return err
			}
			ended = tag.RowsAffected()
			if _, err := tx.Exec(ctx, `UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, id); err != nil {
				return err
			}
		}
		return writeAudit(ctx, tx, audit.withObject(fmt.Sprintf("user/%d", id)).withDetails(map[string]any{"sessions_ended": ended}))
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, fmt.Errorf("user %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return User{}, fmt.Errorf("set user %d disabled=%t: %w", id, disabled, err)
	}
	return u, nil
}

// ChangePassword replaces a user's password after checking their current
// one: a wrong current password is refused on the field
// "current_password". Every other session of the user ends (keepSession is
// the secret of the one to keep, "" for none).
func (s *Store) ChangePassword(ctx context.Context, userID int64, current, next, keepSession string, audit AuditEntry) error {
	if err := checkPassword("new_password", next); err != nil {
		return fmt.Errorf("change password of user %d: %w", userID, err)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(next), bcrypt.DefaultCost)
	if err != nil {
		return fmt.Errorf("change password of user %d: hash: %w", userID, err)
	}
	err = s.tx(ctx, func(tx pgx.Tx) error {
		var have *string
		if err := tx.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = $1 FOR UPDATE`, userID).Scan(&have); err != nil {
			return err
		}
		if have == nil || bcrypt.CompareHashAndPassword([]byte(*have), []byte(current)) != nil {
			return invalid("current_password", "this is not your current password")
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, userID, string(hash)); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, userID, hashSecret(keepSession))
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, audit.withObject(fmt.Sprintf("user/%d", userID)).
			withDetails(map[string]any{"sessions_ended": tag.RowsAffected()}))
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("user %d: %w", userID, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("change password of user %d: %w", userID, err)
	}
	return nil
}

// checkPassword refuses a password rcm does not accept, naming field.
func checkPassword(field, password string) error {
	switch {
	case len(password) < MinPasswordLength:
		return invalid(field, "too short: use at least %d characters", MinPasswordLength)
	case len(password) > 72:
		return invalid(field, "too long: use at most 72 bytes")
	}
	return nil
}

// CreatePasswordReset issues a one-time link secret for the user to set a
// new password, valid for ttl; the database keeps its SHA-256. Earlier
// links of the user stop working. A disabled user gets none (ErrConflict).
func (s *Store) CreatePasswordReset(ctx context.Context, userID int64, ttl time.Duration, audit AuditEntry) (string, time.Time, error) {
	secret, err := newSecret()
	if err != nil {
		return "", time.Time{}, fmt.Errorf("password reset for user %d: %w", userID, err)
	}
	var expires time.Time
	err = s.tx(ctx, func(tx pgx.Tx) error {
		var disabled *time.Time
		if err := tx.QueryRow(ctx, `SELECT disabled_at FROM users WHERE id = $1 FOR UPDATE`, userID).Scan(&disabled); err != nil {
			return err
		}
		if disabled != nil {
			return fmt.Errorf("the user is disabled; enable them first: %w", ErrConflict)
		}
		if _, err := tx.Exec(ctx, `UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, userID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO password_resets (token_hash, user_id, created_by, expires_at)
			VALUES ($1, $2, $3, now() + $4::interval)
			RETURNING expires_at`, hashSecret(secret), userID, audit.ActorID, durationToInterval(ttl)).Scan(&expires); err != nil {
			return err
		}
		return writeAudit(ctx, tx, audit.withObject(fmt.Sprintf("user/%d", userID)).
			withDetails(map[string]any{"expires_at": expires.UTC().Format(time.RFC3339)}))
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return "", time.Time{}, fmt.Errorf("user %d: %w", userID, ErrNotFound)
	}
	if err != nil {
		return "", time.Time{}, fmt.Errorf("password reset for user %d: %w", userID, err)
	}
	return secret, expires, nil
}

// UsePasswordReset sets a new password with a reset link's secret, once: a
// link unknown, used or expired is ErrResetLinkInvalid. Every session of
// the user ends. The audit entry is the user's own (actor filled in here).
func (s *Store) UsePasswordReset(ctx context.Context, secret, password string, at time.Time, audit AuditEntry) (User, error) {
	if err := checkPassword("new_password", password); err != nil {
		return User{}, fmt.Errorf("reset password: %w", err)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return User{}, fmt.Errorf("reset password: hash: %w", err)
	}
	var u User
	err = s.tx(ctx, func(tx pgx.Tx) error {
		var userID int64
		err := tx.QueryRow(ctx, `
			SELECT r.user_id FROM password_resets r JOIN users u ON u.id = r.user_id
			 WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2 AND u.disabled_at IS NULL
			   FOR UPDATE OF r`, hashSecret(secret), at).Scan(&userID)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrResetLinkInvalid
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE password_resets SET used_at = now() WHERE token_hash = $1`, hashSecret(secret)); err != nil {
			return err
		}
		if u, err = scanUser(tx.QueryRow(ctx, `
			UPDATE users u SET password_hash = $2 WHERE u.id = $1 RETURNING `+userColumns, userID, string(hash))); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
		if err != nil {
			return err
		}
		id := u.ID
		audit.ActorID, audit.Actor = &id, u.Email
		return writeAudit(ctx, tx, audit.withObject(fmt.Sprintf("user/%d", u.ID)).
			withDetails(map[string]any{"sessions_ended": tag.RowsAffected()}))
	})
	if err != nil {
		return User{}, fmt.Errorf("reset password: %w", err)
	}
	return u, nil
}

// ListSessions lists a user's web sessions that have not ended, newest first.
func (s *Store) ListSessions(ctx context.Context, userID int64, now time.Time) ([]Session, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id, user_id, created_at, expires_at, remote_addr FROM sessions
		 WHERE user_id = $1 AND expires_at > $2
		 ORDER BY id DESC`, userID, now)
	if err != nil {
		return nil, fmt.Errorf("sessions of user %d: %w", userID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Session, error) {
		var x Session
		return x, r.Scan(&x.ID, &x.UserID, &x.CreatedAt, &x.ExpiresAt, &x.RemoteAddr)
	})
	if err != nil {
		return nil, fmt.Errorf("sessions of user %d: %w", userID, err)
	}
	return out, nil
}

// EndSessions ends a user's web sessions: the one numbered sessionID, or
// all of them when sessionID is 0. It returns how many ended; a session
// number that is not the user's is ErrNotFound.
func (s *Store) EndSessions(ctx context.Context, userID, sessionID int64, audit AuditEntry) (int64, error) {
	var ended int64
	err := s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND ($2 = 0 OR id = $2)`, userID, sessionID)
		if err != nil {
			return err
		}
		ended = tag.RowsAffected()
		if sessionID != 0 && ended == 0 {
			return fmt.Errorf("session %d: %w", sessionID, ErrNotFound)
		}
		details := map[string]any{"sessions_ended": ended}
		if sessionID != 0 {
			details["session"] = sessionID
		}
		return writeAudit(ctx, tx, audit.withObject(fmt.Sprintf("user/%d", userID)).withDetails(details))
	})
	if err != nil {
		return 0, fmt.Errorf("end sessions of user %d: %w", userID, err)
	}
	return ended, nil
}
