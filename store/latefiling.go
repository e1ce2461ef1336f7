package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"rcm/reporting"
)

// NewLateFiling is a version an agency files after its obligation's close,
// with the reason it gives.
type NewLateFiling struct {
	NewSubmission
	Reason string
}

// StoreLateFiling stores a version filed after the obligation's close
// (marked late-filed) and a pending late filing action, in one transaction
// with its hand-off to the SubmissionWorkflow and its audit entry. The
// obligation does not change until the office admits it. A refusal of reporting's rules
// (Obligation.MayFileLate) is an ErrConflict.
func (s *Store) StoreLateFiling(ctx context.Context, n NewLateFiling, handoff func(reporting.Action) (OutboxMessage, error)) (reporting.Action, reporting.Submission, error) {
	values, err := json.Marshal(n.Values)
	if err != nil {
		return reporting.Action{}, reporting.Submission{}, fmt.Errorf("encode values: %w", err)
	}
	var a reporting.Action
	var sub reporting.Submission
	err = s.tx(ctx, func(tx pgx.Tx) error {
		o, err := lockObligation(ctx, tx, n.CycleID, n.AgencyCode)
		if err != nil {
			return err
		}
		var windowDays int
		if err := tx.QueryRow(ctx, `SELECT r.late_filing_days FROM cycles c JOIN regimes r ON r.code = c.regime_code WHERE c.id = $1`,
			n.CycleID).Scan(&windowDays); err != nil {
			return fmt.Errorf("late filing window: %w", err)
		}
		if err := o.MayFileLate(o.cycleStatus, n.SubmittedAt, windowDays); err != nil {
			return refused(err)
		}
		var pending int64
		err = tx.QueryRow(ctx, `SELECT id FROM obligation_actions WHERE cycle_id = $1 AND agency_code = $2 AND kind = $3 AND status = $4`,
			n.CycleID, n.AgencyCode, reporting.ActionLateFiling, reporting.ActionPending).Scan(&pending)
		if err == nil {
			return refused(&reporting.RefusedError{Refusal: reporting.RefusedLatePending, Obligation: o.Obligation})
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("pending late filing: %w", err)
		}
		// The obligation counts the versions that count (its check ties
		// them to first_submitted_at); a late version is numbered after
		// every stored one, and counted once admitted.
		var version int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) + 1 FROM submissions WHERE cycle_id = $1 AND agency_code = $2`,
			n.CycleID, n.AgencyCode).Scan(&version); err != nil {
			return fmt.Errorf("next version: %w", err)
		}
		code, err := reporting.NewReceiptCode()
		if err != nil {
			return err
		}
		sub = reporting.Submission{
			CycleID: n.CycleID, AgencyCode: n.AgencyCode, Version: version, Values: n.Values,
			Narrative: n.Narrative, Source: n.Source, SubmittedBy: n.Actor.UserID, SubmittedByEmail: n.Actor.Email,
			SubmittedAt: n.SubmittedAt, ContentHash: n.ContentHash, LateFiled: true,
			ReceiptNumber: reporting.ReceiptNumber(n.CycleID, n.AgencyCode, version, code),
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO submissions (cycle_id, agency_code, version, "values", narrative, source,
			                         submitted_by, submitted_at, content_hash, receipt_number, late_filed)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, true) RETURNING id`,
			sub.CycleID, sub.AgencyCode, version, values, sub.Narrative, sub.Source, sub.SubmittedBy,
			sub.SubmittedAt, sub.ContentHash, sub.ReceiptNumber).Scan(&sub.ID); err != nil {
			return fmt.Errorf("insert late version %d: %w", version, err)
		}
		a = reporting.Action{CycleID: n.CycleID, AgencyCode: n.AgencyCode, Kind: reporting.ActionLateFiling,
			Status: reporting.ActionPending, Reason: n.Reason, Version: version, CreatedByID: n.Actor.UserID,
			CreatedBy: n.Actor.Email, CreatedAt: n.SubmittedAt}
		if err := tx.QueryRow(ctx, `
			INSERT INTO obligation_actions (cycle_id, agency_code, kind, status, reason, version, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			a.CycleID, a.AgencyCode, a.Kind, a.Status, a.Reason, a.Version, a.CreatedByID, a.CreatedAt).Scan(&a.ID); err != nil {
			return fmt.Errorf("record late filing: %w", err)
		}
		if err := outbox(ctx, tx, handoff, a); err != nil {
			return err
		}
		return insertAudit(ctx, tx, n.Actor, "obligation.late_filing", sub.ReceiptNumber, map[string]any{
			"cycle": a.CycleID, "agency": a.AgencyCode, "version": version, "reason": a.Reason, "id": a.ID,
			"final_state": o.Status, "source": sub.Source,
		})
	})
	if err != nil {
		return reporting.Action{}, reporting.Submission{}, fmt.Errorf("late filing of %s in cycle %s: %w", n.AgencyCode, n.CycleID, err)
	}
	return a, sub, nil
}

// LateFilingDecision is office staff's answer to a pending late filing.
type LateFilingDecision struct {
	ActionID int64
	Admit    bool
	// Reason is why it is refused (required), or a note on the admission.
	Reason string
	Now    time.Time
	Actor  Actor
}

// DecideLateFiling admits or refuses a pending late filing in one
// transaction. Admission accepts the late-filed version as the agency's
// report (a review, accepted): the obligation becomes late (never on time)
// and, when the cycle's results are stored, its compliance and aggregates
// are recomputed in the same transaction. Refusal returns the version with
// the reason and leaves the final state as it was. Both hand the decision to
// the SubmissionWorkflow (handoff) and write the audit entry.
func (s *Store) DecideLateFiling(ctx context.Context, d LateFilingDecision, handoff func(reporting.Action) (OutboxMessage, error)) (reporting.Action, error) {
	var a reporting.Action
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		a, err = scanAction(tx.QueryRow(ctx, `SELECT `+actionColumns+` `+actionJoins+` WHERE x.id = $1 AND x.kind = $2 FOR UPDATE OF x`,
			d.ActionID, reporting.ActionLateFiling))
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("late filing %d: %w", d.ActionID, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("lock late filing %d: %w", d.ActionID, err)
		}
		if a.Status != reporting.ActionPending {
			return fmt.Errorf("late filing %d is %s, not pending: %w", a.ID, a.Status, ErrConflict)
		}
		if d.Admit {
			// Admissions in one cycle recompute its results one after the
			// other, each from facts that include the ones before it.
			if _, err := tx.Exec(ctx, `SELECT 1 FROM cycles WHERE id = $1 FOR UPDATE`, a.CycleID); err != nil {
				return fmt.Errorf("lock cycle %s: %w", a.CycleID, err)
			}
		}
		o, err := lockObligation(ctx, tx, a.CycleID, a.AgencyCode)
		if err != nil {
			return err
		}
		var subID int64
		var submittedAt time.Time
		var receipt string
		if err := tx.QueryRow(ctx, `SELECT id, submitted_at, receipt_number FROM submissions
			WHERE cycle_id = $1 AND agency_code = $2 AND version = $3 AND late_filed`,
			a.CycleID, a.AgencyCode, a.Version).Scan(&subID, &submittedAt, &receipt); err != nil {
			return fmt.Errorf("late version %d: %w", a.Version, err)
		}
		decision := reporting.DecisionReturned
		a.Status = reporting.ActionRefused
		if d.Admit {
			if err := o.MayAdmitLateFiling(); err != nil {
				return refused(err)
			}
			decision, a.Status = reporting.DecisionAccepted, reporting.ActionAdmitted
		}
		if _, err := tx.Exec(ctx, `INSERT INTO reviews (submission_id, decision, reason, reviewer_id, decided_at)
			VALUES ($1, $2, $3, $4, $5)`, subID, decision, d.Reason, d.Actor.UserID, d.Now); err != nil {
			return fmt.Errorf("insert review: %w", err)
		}
		details := map[string]any{"cycle": a.CycleID, "agency": a.AgencyCode, "version": a.Version, "reason": d.Reason,
			"id": a.ID, "final_state": o.Status}
		if d.Admit {
			tag, err := tx.Exec(ctx, `
				UPDATE obligations
				   SET status = $3, accepted_submission = $5, nil_reported_at = NULL, versions = $7,
				       first_submitted_at = coalesce(first_submitted_at, $6), last_submitted_at = $6
				 WHERE cycle_id = $1 AND agency_code = $2 AND status = ANY($4)`,
				a.CycleID, a.AgencyCode, reporting.ObligationLate, reporting.ObligationLate.From(), subID, submittedAt, a.Version)
			if err != nil {
				return fmt.Errorf("update obligation: %w", err)
			}
			if tag.RowsAffected() != 1 {
				return fmt.Errorf("the obligation of %s in cycle %s cannot become late: %w", a.AgencyCode, a.CycleID, ErrConflict)
			}
			recomputed, err := s.recomputeClosedResults(ctx, tx, a.CycleID, d.Now)
			if err != nil {
				return err
			}
			details["new_state"], details["results_recomputed"] = reporting.ObligationLate, recomputed
		}
		now := d.Now
		a.DecidedBy, a.DecidedAt, a.DecisionReason = d.Actor.Email, &now, d.Reason
		if _, err := tx.Exec(ctx, `UPDATE obligation_actions
			SET status = $2, decided_by = $3, decided_at = $4, decision_reason = $5 WHERE id = $1`,
			a.ID, a.Status, nullUser(d.Actor.UserID), d.Now, a.DecisionReason); err != nil {
			return fmt.Errorf("record decision: %w", err)
		}
		if err := outbox(ctx, tx, handoff, a); err != nil {
			return err
		}
		return insertAudit(ctx, tx, d.Actor, "late_filing."+string(a.Status), receipt, details)
	})
	if err != nil {
		return reporting.Action{}, fmt.Errorf("decide late filing %d: %w", d.ActionID, err)
	}
	return a, nil
}
