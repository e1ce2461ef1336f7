package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"rcm/reporting"
)

// NewExtension moves due and close for one agency (AgencyCode set) or for
// every obligation of the cycle that is not final yet.
type NewExtension struct {
	CycleID    string
	AgencyCode string
	Due        time.Time
	Close      time.Time
	Reason     string
	Now        time.Time
	Actor      Actor
}

func lockCycle(ctx context.Context, tx pgx.Tx, id string) (reporting.Cycle, error) {
	c, err := scanCycle(tx.QueryRow(ctx, `SELECT `+cycleColumns+` FROM cycles c WHERE c.id = $1 FOR UPDATE`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return reporting.Cycle{}, fmt.Errorf("cycle %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return reporting.Cycle{}, fmt.Errorf("lock cycle %s: %w", id, err)
	}
	return c, nil
}

func requireOpen(c reporting.Cycle) error {
	switch c.Status {
	case reporting.CycleOpen:
		return nil
	case reporting.CycleLaunching:
		return fmt.Errorf("cycle %s is still being launched; try again in a minute: %w", c.ID, ErrConflict)
	default:
		return fmt.Errorf("cycle %s is %s: %w", c.ID, c.Status, ErrConflict)
	}
}

// ExtendDeadlines records an extension and moves the deadlines, with its
// hand-off to the CycleWorkflow and an audit record, in one transaction.
func (s *Store) ExtendDeadlines(ctx context.Context, n NewExtension, handoff func(reporting.Extension) (OutboxMessage, error)) (reporting.Extension, error) {
	var ext reporting.Extension
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		ext, err = extendInTx(ctx, tx, n)
		if err != nil {
			return err
		}
		msg, err := handoff(ext)
		if err != nil {
			return err
		}
		if _, err := insertOutbox(ctx, tx, msg); err != nil {
			return err
		}
		return insertAudit(ctx, tx, n.Actor, "cycle.extend", n.CycleID, map[string]any{
			"agency": n.AgencyCode, "due": n.Due, "close": n.Close, "reason": n.Reason, "affected": ext.Affected,
		})
	})
	if err != nil {
		return reporting.Extension{}, fmt.Errorf("extend cycle %s: %w", n.CycleID, err)
	}
	return ext, nil
}

// extendInTx records an extension and moves the deadlines within tx.
func extendInTx(ctx context.Context, tx pgx.Tx, n NewExtension) (reporting.Extension, error) {
	var ext reporting.Extension
	err := func() error {
		c, err := lockCycle(ctx, tx, n.CycleID)
		if err != nil {
			return err
		}
		if err := requireOpen(c); err != nil {
			return err
		}
		if !n.Due.After(n.Now) {
			return fmt.Errorf("due %s is not in the future: %w", n.Due.UTC().Format(time.RFC3339), ErrInvalid)
		}
		if n.Close.Before(n.Due) {
			return fmt.Errorf("close %s is before due %s: %w", n.Close.UTC().Format(time.RFC3339), n.Due.UTC().Format(time.RFC3339), ErrInvalid)
		}
		var oldDue *time.Time
		if n.AgencyCode != "" {
			var due time.Time
			var finalized bool
			err := tx.QueryRow(ctx, `SELECT due_at, finalized_at IS NOT NULL FROM obligations
				WHERE cycle_id = $1 AND agency_code = $2 FOR UPDATE`, n.CycleID, n.AgencyCode).Scan(&due, &finalized)
			if errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("agency %s has no obligation in cycle %s: %w", n.AgencyCode, n.CycleID, ErrNotFound)
			}
			if err != nil {
				return fmt.Errorf("lock obligation: %w", err)
			}
			if finalized {
				return fmt.Errorf("the obligation of %s in cycle %s is already final: %w", n.AgencyCode, n.CycleID, ErrClosed)
			}
			oldDue = &due
		} else {
			oldDue = &c.Due
		}
		tag, err := tx.Exec(ctx, `
			UPDATE obligations SET due_at = $3, close_at = $4
			 WHERE cycle_id = $1 AND ($2 = '' OR agency_code = $2) AND finalized_at IS NULL`,
			n.CycleID, n.AgencyCode, n.Due, n.Close)
		if err != nil {
			return fmt.Errorf("move deadlines: %w", err)
		}
		// An obligation overdue under the old due is not overdue under a
		// due still ahead: it is notified (or pending) again until then.
		if _, err := tx.Exec(ctx, `
			UPDATE obligations SET status = CASE WHEN notified_at IS NULL THEN $4 ELSE $5 END
			 WHERE cycle_id = $1 AND ($2 = '' OR agency_code = $2) AND finalized_at IS NULL
			   AND status = $6 AND due_at > $3`,
			n.CycleID, n.AgencyCode, n.Now, reporting.ObligationPending, reporting.ObligationNotified,
			reporting.ObligationOverdue); err != nil {
			return fmt.Errorf("undo overdue: %w", err)
		}
		if n.AgencyCode == "" {
			if _, err := tx.Exec(ctx, `UPDATE cycles SET due_at = $2, close_at = $3 WHERE id = $1`,
				n.CycleID, n.Due, n.Close); err != nil {
				return fmt.Errorf("move cycle deadlines: %w", err)
			}
		}
		var agency *string
		if n.AgencyCode != "" {
			agency = &n.AgencyCode
		}
		ext = reporting.Extension{CycleID: n.CycleID, AgencyCode: n.AgencyCode, OldDue: oldDue, Due: n.Due, Close: n.Close,
			Reason: n.Reason, CreatedAt: n.Now, Affected: int(tag.RowsAffected())}
		if n.Actor.UserID != 0 {
			ext.CreatedBy = &n.Actor.UserID
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO extensions (cycle_id, agency_code, old_due_at, new_due_at, new_close_at, reason, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			n.CycleID, agency, oldDue, n.Due, n.Close, n.Reason, ext.CreatedBy, n.Now).Scan(&ext.ID); err != nil {
			return fmt.Errorf("record extension: %w", err)
		}
		return nil
	}()
	return ext, err
}

// Extension returns one recorded extension.
func (s *Store) Extension(ctx context.Context, id int64) (reporting.Extension, error) {
	var e reporting.Extension
	var agency *string
	err := s.pool.QueryRow(ctx, `
		SELECT id, cycle_id, agency_code, old_due_at, new_due_at, new_close_at, reason, created_by, created_at
		  FROM extensions WHERE id = $1`, id).
		Scan(&e.ID, &e.CycleID, &agency, &e.OldDue, &e.Due, &e.Close, &e.Reason, &e.CreatedBy, &e.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return reporting.Extension{}, fmt.Errorf("extension %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return reporting.Extension{}, fmt.Errorf("extension %d: %w", id, err)
	}
	if agency != nil {
		e.AgencyCode = *agency
	}
	return e, nil
}

// CloseEarly closes every open obligation of the cycle now (due moves to now
// where it was later), with its hand-off and an audit record.
func (s *Store) CloseEarly(ctx context.Context, cycleID, reason string, now time.Time, actor Actor, handoff func() (OutboxMessage, error)) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		c, err := lockCycle(ctx, tx, cycleID)
		if err != nil {
			return err
		}
		if err := requireOpen(c); err != nil {
			return err
		}
		if now.Before(c.CutOff) {
			return fmt.Errorf("cycle %s cannot close before its data cut-off (%s); cancel it instead: %w",
				cycleID, c.CutOff.UTC().Format(time.RFC3339), ErrConflict)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE obligations SET due_at = least(due_at, $2), close_at = $2
			 WHERE cycle_id = $1 AND finalized_at IS NULL`, cycleID, now); err != nil {
			return fmt.Errorf("close obligations: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE cycles SET due_at = least(due_at, $2), close_at = $2 WHERE id = $1`, cycleID, now); err != nil {
			return fmt.Errorf("close cycle: %w", err)
		}
		msg, err := handoff()
		if err != nil {
			return err
		}
		if _, err := insertOutbox(ctx, tx, msg); err != nil {
			return err
		}
		return insertAudit(ctx, tx, actor, "cycle.close", cycleID, map[string]any{"reason": reason, "at": now})
	})
	if err != nil {
		return fmt.Errorf("close cycle %s: %w", cycleID, err)
	}
	return nil
}

// CancelCycle marks the cycle cancelled, with its hand-off and an audit record.
func (s *Store) CancelCycle(ctx context.Context, cycleID, reason string, actor Actor, handoff func() (OutboxMessage, error)) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		c, err := lockCycle(ctx, tx, cycleID)
		if err != nil {
			return err
		}
		if !reporting.CycleCancelled.Follows(c.Status) {
			return fmt.Errorf("cycle %s is %s: %w", cycleID, c.Status, ErrConflict)
		}
		if _, err := tx.Exec(ctx, `UPDATE cycles SET status = $3, cancel_reason = $2 WHERE id = $1`,
			cycleID, reason, reporting.CycleCancelled); err != nil {
			return fmt.Errorf("mark cancelled: %w", err)
		}
		msg, err := handoff()
		if err != nil {
			return err
		}
		if _, err := insertOutbox(ctx, tx, msg); err != nil {
			return err
		}
		return insertAudit(ctx, tx, actor, "cycle.cancel", cycleID, map[string]any{"reason": reason})
	})
	if err != nil {
		return fmt.Errorf("cancel cycle %s: %w", cycleID, err)
	}
	return nil
}
