package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"rcm/reporting"
)

// NewAction is an action on one obligation (reporting.Action) to record.
type NewAction struct {
	CycleID    string
	AgencyCode string
	Kind       reporting.ActionKind
	Reason     string
	// RequestedDue is the due date an extension request asks for.
	RequestedDue *reporting.Date
	Now          time.Time
	Actor        Actor
}

const actionColumns = `x.id, x.cycle_id, x.agency_code, x.kind, x.status, x.reason, x.version, x.requested_due,
	x.created_by, cu.email, x.created_at, coalesce(du.email, ''), x.decided_at, x.decision_reason, x.extension_id`

const actionJoins = `FROM obligation_actions x
	JOIN users cu ON cu.id = x.created_by
	LEFT JOIN users du ON du.id = x.decided_by`

func scanAction(row pgx.Row) (reporting.Action, error) {
	var a reporting.Action
	var due *time.Time
	err := row.Scan(&a.ID, &a.CycleID, &a.AgencyCode, &a.Kind, &a.Status, &a.Reason, &a.Version, &due,
		&a.CreatedByID, &a.CreatedBy, &a.CreatedAt, &a.DecidedBy, &a.DecidedAt, &a.DecisionReason, &a.ExtensionID)
	if due != nil {
		d := dateFromPg(*due)
		a.RequestedDue = &d
	}
	return a, err
}

// Action returns one recorded action.
func (s *Store) Action(ctx context.Context, id int64) (reporting.Action, error) {
	a, err := scanAction(s.pool.QueryRow(ctx, `SELECT `+actionColumns+` `+actionJoins+` WHERE x.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return reporting.Action{}, fmt.Errorf("action %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return reporting.Action{}, fmt.Errorf("action %d: %w", id, err)
	}
	return a, nil
}

// ActionFilter narrows Actions.
type ActionFilter struct {
	CycleID    string
	AgencyCode string
	Kind       reporting.ActionKind
	Status     reporting.ActionStatus
	Limit      int
}

// Actions lists recorded actions, newest first.
func (s *Store) Actions(ctx context.Context, f ActionFilter) ([]reporting.Action, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+actionColumns+` `+actionJoins+`
		WHERE ($1 = '' OR x.cycle_id = $1) AND ($2 = '' OR x.agency_code = $2)
		  AND ($3 = '' OR x.kind = $3) AND ($4 = '' OR x.status = $4)
		ORDER BY x.id DESC LIMIT $5`, f.CycleID, f.AgencyCode, string(f.Kind), string(f.Status), clampLimit(f.Limit))
	if err != nil {
		return nil, fmt.Errorf("list actions: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (reporting.Action, error) { return scanAction(r) })
	if err != nil {
		return nil, fmt.Errorf("list actions: %w", err)
	}
	return out, nil
}

// RecordAction records an action of an agency or of office staff on one
// obligation and applies it, in one transaction with its hand-off to the
// SubmissionWorkflow and its audit entry:
//   - reopen: the accepted version (or nil report) becomes returned, awaiting
//     a new version;
//   - nil_report: the obligation is accepted as a nil report, timed now;
//   - extension_request: a pending request (one at a time per obligation).
//
// A refusal of reporting's rules is an ErrConflict (ErrClosed after close).
func (s *Store) RecordAction(ctx context.Context, n NewAction, handoff func(reporting.Action) (OutboxMessage, error)) (reporting.Action, error) {
	var a reporting.Action
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		a, err = recordAction(ctx, tx, n, handoff)
		return err
	})
	if err != nil {
		return reporting.Action{}, fmt.Errorf("%s for %s in cycle %s: %w", n.Kind, n.AgencyCode, n.CycleID, err)
	}
	return a, nil
}

// recordAction records an action within tx (RecordAction); a review that
// returns a consolidated report reopens the chosen lower-level reports
// with it, in its transaction.
func recordAction(ctx context.Context, tx pgx.Tx, n NewAction, handoff func(reporting.Action) (OutboxMessage, error)) (reporting.Action, error) {
	a := reporting.Action{CycleID: n.CycleID, AgencyCode: n.AgencyCode, Kind: n.Kind, Reason: n.Reason,
		RequestedDue: n.RequestedDue, CreatedByID: n.Actor.UserID, CreatedBy: n.Actor.Email, CreatedAt: n.Now, Status: reporting.ActionDone}
	err := func() error {
		o, err := lockObligation(ctx, tx, n.CycleID, n.AgencyCode)
		if err != nil {
			return err
		}
		switch n.Kind {
		case reporting.ActionReopen:
			if err := o.MayReopen(o.cycleStatus, n.Now); err != nil {
				return refused(err)
			}
			var version *int
			if err := tx.QueryRow(ctx, `SELECT s.version FROM obligations o LEFT JOIN submissions s ON s.id = o.accepted_submission
				WHERE o.cycle_id = $1 AND o.agency_code = $2`, n.CycleID, n.AgencyCode).Scan(&version); err != nil {
				return fmt.Errorf("accepted version: %w", err)
			}
			if version != nil {
				a.Version = *version
			}
			err = setObligationStatus(ctx, tx, n, reporting.ObligationReturned,
				`accepted_submission = NULL, nil_reported_at = NULL,
				 last_submitted_at = CASE WHEN versions = 0 THEN NULL ELSE last_submitted_at END`)
		case reporting.ActionNilReport:
			if err := o.MayDeclareNil(o.cycleStatus, n.Now); err != nil {
				return refused(err)
			}
			err = setObligationStatus(ctx, tx, n, reporting.ObligationAccepted,
				`accepted_submission = NULL, nil_reported_at = $5, last_submitted_at = $5`, n.Now)
		case reporting.ActionExtensionRequest:
			if err := o.MayRequestExtension(o.cycleStatus, n.Now); err != nil {
				return refused(err)
			}
			if n.RequestedDue == nil {
				return fmt.Errorf("an extension request needs the due date it asks for: %w", ErrInvalid)
			}
			a.Status = reporting.ActionPending
			var pending int64
			err = tx.QueryRow(ctx, `SELECT id FROM obligation_actions WHERE cycle_id = $1 AND agency_code = $2 AND status = $3`,
				n.CycleID, n.AgencyCode, reporting.ActionPending).Scan(&pending)
			if err == nil {
				return fmt.Errorf("request %d of %s in cycle %s still waits for the office's answer: %w", pending, n.AgencyCode, n.CycleID, ErrConflict)
			}
			if !errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("pending request: %w", err)
			}
			err = nil
		default:
			return fmt.Errorf("unknown action %q: %w", n.Kind, ErrInvalid)
		}
		if err != nil {
			return err
		}
		var due *time.Time
		if n.RequestedDue != nil {
			d := dateToPg(*n.RequestedDue)
			due = &d
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO obligation_actions (cycle_id, agency_code, kind, status, reason, version, requested_due, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			a.CycleID, a.AgencyCode, a.Kind, a.Status, a.Reason, a.Version, due, a.CreatedByID, a.CreatedAt).Scan(&a.ID); err != nil {
			return fmt.Errorf("record %s: %w", n.Kind, err)
		}
		if err := outbox(ctx, tx, handoff, a); err != nil {
			return err
		}
		details := map[string]any{"cycle": a.CycleID, "agency": a.AgencyCode, "reason": a.Reason, "id": a.ID}
		if a.Version > 0 {
			details["version"] = a.Version
		}
		if a.RequestedDue != nil {
			details["requested_due"] = a.RequestedDue.String()
		}
		return insertAudit(ctx, tx, n.Actor, "obligation."+string(a.Kind), a.CycleID+"/"+a.AgencyCode, details)
	}()
	return a, err
}

// setObligationStatus moves the obligation to status, from a state the
// life of obligations allows, setting the other columns given (args are
// $5 on).
func setObligationStatus(ctx context.Context, tx pgx.Tx, n NewAction, status reporting.ObligationStatus, set string, args ...any) error {
	tag, err := tx.Exec(ctx, `UPDATE obligations SET status = $3, `+set+`
		 WHERE cycle_id = $1 AND agency_code = $2 AND status = ANY($4)`,
		append([]any{n.CycleID, n.AgencyCode, status, status.From()}, args...)...)
	if err != nil {
		return fmt.Errorf("update obligation: %w", err)
	}
	if tag.RowsAffected() != 1 {
		return fmt.Errorf("the obligation of %s in cycle %s cannot become %s: %w", n.AgencyCode, n.CycleID, status, ErrConflict)
	}
	return nil
}

func outbox(ctx context.Context, tx pgx.Tx, handoff func(reporting.Action) (OutboxMessage, error), a reporting.Action) error {
	msg, err := handoff(a)
	if err != nil {
		return err
	}
	_, err = insertOutbox(ctx, tx, msg)
	return err
}

// ActionDecision is office staff's answer to a pending extension request.
type ActionDecision struct {
	ActionID int64
	Grant    bool
	// Reason is why it is refused (required), or a note on the grant.
	Reason string
	// Due and Close are the granted deadlines (Grant only).
	Due, Close time.Time
	Now        time.Time
	Actor      Actor
}

// DecideRequest grants or refuses a pending extension request in one
// transaction: a grant records an extension for the agency (as
// ExtendDeadlines does, with its hand-off to the CycleWorkflow from
// extended), both hand the decision to the SubmissionWorkflow (handoff) and
// write the audit entry.
func (s *Store) DecideRequest(ctx context.Context, d ActionDecision, extended func(reporting.Extension) (OutboxMessage, error),
	handoff func(reporting.Action) (OutboxMessage, error)) (reporting.Action, error) {
	var a reporting.Action
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		a, err = scanAction(tx.QueryRow(ctx, `SELECT `+actionColumns+` `+actionJoins+` WHERE x.id = $1 FOR UPDATE OF x`, d.ActionID))
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("request %d: %w", d.ActionID, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("lock request %d: %w", d.ActionID, err)
		}
		if a.Status != reporting.ActionPending {
			return fmt.Errorf("request %d is %s, not pending: %w", a.ID, a.Status, ErrConflict)
		}
		a.Status, a.DecisionReason, a.DecidedBy = reporting.ActionRefused, d.Reason, d.Actor.Email
		now := d.Now
		a.DecidedAt = &now
		if d.Grant {
			reason := d.Reason
			if reason == "" {
				reason = a.Reason
			}
			ext, err := extendInTx(ctx, tx, NewExtension{CycleID: a.CycleID, AgencyCode: a.AgencyCode, Due: d.Due, Close: d.Close,
				Reason: reason, Now: d.Now, Actor: d.Actor})
			if err != nil {
				return err
			}
			msg, err := extended(ext)
			if err != nil {
				return err
			}
			if _, err := insertOutbox(ctx, tx, msg); err != nil {
				return err
			}
			a.Status, a.ExtensionID = reporting.ActionGranted, &ext.ID
		} else {
			o, err := lockObligation(ctx, tx, a.CycleID, a.AgencyCode)
			if err != nil {
				return err
			}
			if err := o.TakesChanges(o.cycleStatus, d.Now); err != nil {
				return refused(err)
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE obligation_actions
			SET status = $2, decided_by = $3, decided_at = $4, decision_reason = $5, extension_id = $6 WHERE id = $1`,
			a.ID, a.Status, nullUser(d.Actor.UserID), d.Now, a.DecisionReason, a.ExtensionID); err != nil {
			return fmt.Errorf("record decision: %w", err)
		}
		if err := outbox(ctx, tx, handoff, a); err != nil {
			return err
		}
		details := map[string]any{"cycle": a.CycleID, "agency": a.AgencyCode, "reason": a.DecisionReason, "id": a.ID}
		if d.Grant {
			details["due"], details["close"], details["extension"] = d.Due, d.Close, *a.ExtensionID
		}
		return insertAudit(ctx, tx, d.Actor, "extension_request."+string(a.Status), a.CycleID+"/"+a.AgencyCode, details)
	})
	if err != nil {
		return reporting.Action{}, fmt.Errorf("decide request %d: %w", d.ActionID, err)
	}
	return a, nil
}

func nullUser(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}
