package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/bcrypt"
)

// SetPassword replaces a user's password (at least MinPasswordLength
// characters, at most 72 bytes), with its audit entries in the same
// transaction.
func (s *Store) SetPassword(ctx context.Context, userID int64, password string, audit AuditEntry) error {
	if err := checkPassword("password", password); err != nil {
		return fmt.Errorf("set password of user %d: %w", userID, err)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return fmt.Errorf("set password of user %d: hash: %w", userID, err)
	}
	err = s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, userID, string(hash))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		return writeAudit(ctx, tx, audit.withObject(fmt.Sprintf("user/%d", userID)))
	})
	if err != nil {
		return fmt.Errorf("set password of user %d: %w", userID, err)
	}
	return nil
}
