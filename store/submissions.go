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

// Actor is who makes a change, for the records and the audit log.
type Actor struct {
	UserID     int64
	Email      string
	RemoteAddr string
}

// NewSubmission is one version to store.
type NewSubmission struct {
	CycleID        string
	AgencyCode     string
	Values         reporting.Values
	Narrative      string
	Source         string // json, csv, xlsx, form, cli
	IdempotencyKey string
	ContentHash    []byte
	SubmittedAt    time.Time
	Actor          Actor
}

// lockedObligation is an obligation row locked for a change, with the
// status of its cycle.
type lockedObligation struct {
	reporting.Obligation
	cycleStatus reporting.CycleStatus
}

func lockObligation(ctx context.Context, tx pgx.Tx, cycleID, agencyCode string) (lockedObligation, error) {
	o, _, err := lockObligationWith(ctx, tx, cycleID, agencyCode, "NULL::bigint")
	return o, err
}

// lockObligationForVersion is lockObligation that also takes the id the
// next version will have, in the same round trip, so that every statement
// that stores the version can be sent at once.
func lockObligationForVersion(ctx context.Context, tx pgx.Tx, cycleID, agencyCode string) (lockedObligation, int64, error) {
	o, id, err := lockObligationWith(ctx, tx, cycleID, agencyCode, "nextval(pg_get_serial_sequence('submissions', 'id'))")
	if err == nil && id == nil {
		err = fmt.Errorf("lock obligation %s/%s: no next version id", cycleID, agencyCode)
	}
	if err != nil {
		return o, 0, err
	}
	return o, *id, nil
}

// lockObligationWith locks the obligation and reads extra, one more bigint
// expression, beside it.
func lockObligationWith(ctx context.Context, tx pgx.Tx, cycleID, agencyCode, extra string) (lockedObligation, *int64, error) {
	o := lockedObligation{Obligation: reporting.Obligation{CycleID: cycleID, AgencyCode: agencyCode}}
	var x *int64
	err := tx.QueryRow(ctx, `
		SELECT c.status, o.status, o.due_at, o.close_at, o.finalized_at, o.versions, `+extra+`
		  FROM obligations o JOIN cycles c ON c.id = o.cycle_id
		 WHERE o.cycle_id = $1 AND o.agency_code = $2
		   FOR UPDATE OF o FOR SHARE OF c`, cycleID, agencyCode).
		Scan(&o.cycleStatus, &o.Status, &o.Due, &o.Close, &o.FinalizedAt, &o.Versions, &x)
	if errors.Is(err, pgx.ErrNoRows) {
		return o, nil, fmt.Errorf("agency %s has no obligation in cycle %s: %w", agencyCode, cycleID, ErrNotFound)
	}
	if err != nil {
		return o, nil, fmt.Errorf("lock obligation %s/%s: %w", cycleID, agencyCode, err)
	}
	return o, x, nil
}

// refused turns a refusal of reporting's rules into the store's error: a
// closed obligation is ErrClosed, anything else ErrConflict.
func refused(err error) error {
	var r *reporting.RefusedError
	if errors.As(err, &r) && (r.Refusal == reporting.RefusedClosed || r.Refusal == reporting.RefusedReopenClosed) {
		return fmt.Errorf("%w: %w", err, ErrClosed)
	}
	return fmt.Errorf("%w: %w", err, ErrConflict)
}

// ErrClosed is an ErrConflict for changes after the close of an obligation.
var ErrClosed = fmt.Errorf("closed: %w", ErrConflict)

// StoreSubmission stores a new version in one transaction with its hand-off
// to the SubmissionWorkflow (built by handoff) and an audit record. A repeat
// with the same idempotency key and the same content returns the stored
// version with replayed true; with other content it is an ErrConflict.
func (s *Store) StoreSubmission(ctx context.Context, n NewSubmission, handoff func(reporting.Submission) (OutboxMessage, error)) (sub reporting.Submission, replayed bool, err error) {
	values, err := json.Marshal(n.Values)
	if err != nil {
		return reporting.Submission{}, false, fmt.Errorf("encode values: %w", err)
	}
	err = s.tx(ctx, func(tx pgx.Tx) error {
		o, id, err := lockObligationForVersion(ctx, tx, n.CycleID, n.AgencyCode)
		if err != nil {
			return err
		}
		if n.IdempotencyKey != "" {
			prev, err := submissionByKey(ctx, tx, n.CycleID, n.AgencyCode, n.IdempotencyKey)
			switch {
			case err == nil && string(prev.ContentHash) == string(n.ContentHash):
				sub, replayed = prev, true
				return nil
			case err == nil:
				return fmt.Errorf("Idempotency-Key %q was already used for different content (receipt %s): %w",
					n.IdempotencyKey, prev.ReceiptNumber, ErrConflict)
			case !errors.Is(err, ErrNotFound):
				return err
			}
		}
		if err := o.MaySubmit(o.cycleStatus, n.SubmittedAt); err != nil {
			return refused(err)
		}
		version := o.Versions + 1
		code, err := reporting.NewReceiptCode()
		if err != nil {
			return err
		}
		sub = reporting.Submission{
			ID: id, CycleID: n.CycleID, AgencyCode: n.AgencyCode, Version: version, Values: n.Values,
			Narrative: n.Narrative, Source: n.Source, SubmittedBy: n.Actor.UserID, SubmittedByEmail: n.Actor.Email,
			SubmittedAt: n.SubmittedAt, ContentHash: n.ContentHash, IdempotencyKey: n.IdempotencyKey,
			ReceiptNumber: reporting.ReceiptNumber(n.CycleID, n.AgencyCode, version, code),
		}
		if sub.MissingChildren, err = missingChildren(ctx, tx, n.CycleID, n.AgencyCode, n.SubmittedAt); err != nil {
			return err
		}
		var key *string
		if n.IdempotencyKey != "" {
			key = &n.IdempotencyKey
		}
		msg, err := handoff(sub)
		if err != nil {
			return err
		}
		audit, err := auditStatement(actorEntry(n.Actor, "submission.create", sub.ReceiptNumber, map[string]any{
			"cycle": sub.CycleID, "agency": sub.AgencyCode, "version": version, "source": sub.Source,
		}))
		if err != nil {
			return err
		}
		// The version, the obligation, the outbox row and the audit entry
		// in one round trip: a submission's commit is what its receipt
		// waits for.
		b := &pgx.Batch{}
		b.Queue(`
			INSERT INTO submissions (id, cycle_id, agency_code, version, "values", narrative, source,
			                         submitted_by, submitted_at, content_hash, idempotency_key, receipt_number, missing_children)
			OVERRIDING SYSTEM VALUE
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			sub.ID, sub.CycleID, sub.AgencyCode, version, values, sub.Narrative, sub.Source, sub.SubmittedBy,
			sub.SubmittedAt, sub.ContentHash, key, sub.ReceiptNumber, sub.MissingChildren)
		b.Queue(`
			UPDATE obligations
			   SET versions = $3, status = $5,
			       first_submitted_at = coalesce(first_submitted_at, $4), last_submitted_at = $4
			 WHERE cycle_id = $1 AND agency_code = $2`, n.CycleID, n.AgencyCode, version, n.SubmittedAt, reporting.ObligationSubmitted)
		outboxSQL, outboxArgs := outboxStatement(msg)
		b.Queue(outboxSQL, outboxArgs...)
		b.Queue(audit.sql, audit.args...)
		results := tx.SendBatch(ctx, b)
		for _, what := range []string{fmt.Sprintf("insert version %d", version), "update obligation",
			fmt.Sprintf("outbox %s %s", msg.WorkflowID, msg.SignalName), "audit submission.create " + sub.ReceiptNumber} {
			if _, err := results.Exec(); err != nil {
				_ = results.Close()
				return fmt.Errorf("%s: %w", what, err)
			}
		}
		return results.Close()
	})
	if err != nil {
		return reporting.Submission{}, false, fmt.Errorf("submit %s for cycle %s: %w", n.AgencyCode, n.CycleID, err)
	}
	return sub, replayed, nil
}

const submissionColumns = `s.id, s.cycle_id, s.agency_code, s.version, s."values", s.narrative, s.source,
	s.submitted_by, u.email, s.submitted_at, s.content_hash, coalesce(s.idempotency_key, ''), s.receipt_number, s.late_filed, s.missing_children,
	r.id, coalesce(r.decision, ''), coalesce(r.reason, ''), coalesce(r.reviewer_id, 0), coalesce(ru.email, ''), r.decided_at`

const submissionJoins = `FROM submissions s
	JOIN users u ON u.id = s.submitted_by
	LEFT JOIN reviews r ON r.submission_id = s.id
	LEFT JOIN users ru ON ru.id = r.reviewer_id`

func scanSubmission(row pgx.Row) (reporting.Submission, error) {
	var sub reporting.Submission
	var values []byte
	var reviewID *int64
	var rv reporting.Review
	var decidedAt *time.Time
	err := row.Scan(&sub.ID, &sub.CycleID, &sub.AgencyCode, &sub.Version, &values, &sub.Narrative, &sub.Source,
		&sub.SubmittedBy, &sub.SubmittedByEmail, &sub.SubmittedAt, &sub.ContentHash, &sub.IdempotencyKey,
		&sub.ReceiptNumber, &sub.LateFiled, &sub.MissingChildren, &reviewID, &rv.Decision, &rv.Reason, &rv.ReviewerID, &rv.ReviewerEmail, &decidedAt)
	if err != nil {
		return reporting.Submission{}, err
	}
	if err := json.Unmarshal(values, &sub.Values); err != nil {
		return reporting.Submission{}, fmt.Errorf("submission %d: decode values: %w", sub.ID, err)
	}
	if reviewID != nil {
		rv.ID, rv.SubmissionID = *reviewID, sub.ID
		if decidedAt != nil {
			rv.DecidedAt = *decidedAt
		}
		sub.Review = &rv
	}
	return sub, nil
}

func submissionByKey(ctx context.Context, q Querier, cycleID, agencyCode, key string) (reporting.Submission, error) {
	sub, err := scanSubmission(q.QueryRow(ctx, `SELECT `+submissionColumns+` `+submissionJoins+`
		WHERE s.cycle_id = $1 AND s.agency_code = $2 AND s.idempotency_key = $3`, cycleID, agencyCode, key))
	if errors.Is(err, pgx.ErrNoRows) {
		return reporting.Submission{}, ErrNotFound
	}
	return sub, err
}

// Submission returns one version with its review, if any.
func (s *Store) Submission(ctx context.Context, id int64) (reporting.Submission, error) {
	sub, err := scanSubmission(s.pool.QueryRow(ctx, `SELECT `+submissionColumns+` `+submissionJoins+` WHERE s.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return reporting.Submission{}, fmt.Errorf("submission %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return reporting.Submission{}, fmt.Errorf("submission %d: %w", id, err)
	}
	return sub, nil
}

// SubmissionByReceipt returns the version a receipt number names, with its
// review, if any.
func (s *Store) SubmissionByReceipt(ctx context.Context, number string) (reporting.Submission, error) {
	sub, err := scanSubmission(s.pool.QueryRow(ctx, `SELECT `+submissionColumns+` `+submissionJoins+` WHERE s.receipt_number = $1`, number))
	if errors.Is(err, pgx.ErrNoRows) {
		return reporting.Submission{}, fmt.Errorf("receipt %s: %w", number, ErrNotFound)
	}
	if err != nil {
		return reporting.Submission{}, fmt.Errorf("receipt %s: %w", number, err)
	}
	return sub, nil
}

// Submissions lists every version an agency submitted in a cycle, newest first.
func (s *Store) Submissions(ctx context.Context, cycleID, agencyCode string) ([]reporting.Submission, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+submissionColumns+` `+submissionJoins+`
		WHERE s.cycle_id = $1 AND s.agency_code = $2 ORDER BY s.version DESC`, cycleID, agencyCode)
	if err != nil {
		return nil, fmt.Errorf("submissions of %s in %s: %w", agencyCode, cycleID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (reporting.Submission, error) { return scanSubmission(r) })
	if err != nil {
		return nil, fmt.Errorf("submissions of %s in %s: %w", agencyCode, cycleID, err)
	}
	return out, nil
}

// ReviewQueueFilter narrows ReviewQueue.
type ReviewQueueFilter struct {
	CycleID   string
	ScopePath string
	// Below, when set, leaves out the agency whose path it is: a
	// reviewer's queue holds the agencies below their own.
	Below string
	Limit int
}

// ReviewQueue lists latest versions waiting for a decision, oldest first.
func (s *Store) ReviewQueue(ctx context.Context, f ReviewQueueFilter) ([]reporting.Submission, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+submissionColumns+` `+submissionJoins+`
		JOIN obligations o ON o.cycle_id = s.cycle_id AND o.agency_code = s.agency_code AND o.versions = s.version
		JOIN agencies a ON a.code = s.agency_code
		WHERE r.id IS NULL AND o.finalized_at IS NULL
		  AND ($1 = '' OR s.cycle_id = $1)
		  AND a.path LIKE $2 || '%'
		  AND a.path <> $4
		ORDER BY s.submitted_at, s.id
		LIMIT $3`, f.CycleID, f.ScopePath, clampLimit(f.Limit), f.Below)
	if err != nil {
		return nil, fmt.Errorf("review queue: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (reporting.Submission, error) { return scanSubmission(r) })
	if err != nil {
		return nil, fmt.Errorf("review queue: %w", err)
	}
	return out, nil
}

// NewReview is a decision to store.
type NewReview struct {
	SubmissionID int64
	Decision     reporting.Decision
	Reason       string
	DecidedAt    time.Time
	Actor        Actor
	// Reopen are lower-level agencies whose accepted reports a return of a
	// consolidated report reopens, in its transaction, each handed off by
	// ReopenHandoff; the review's reason is theirs.
	Reopen        []string
	ReopenHandoff func(reporting.Action) (OutboxMessage, error)
}

// StoreReview stores a decision on the latest version of an obligation, with
// its hand-off and an audit record, in one transaction. A decision on an
// older version, a second decision on the same version, or one after close
// is an ErrConflict.
func (s *Store) StoreReview(ctx context.Context, n NewReview, handoff func(reporting.Review, reporting.Submission) (OutboxMessage, error)) (reporting.Review, error) {
	var rv reporting.Review
	err := s.tx(ctx, func(tx pgx.Tx) error {
		sub, err := scanSubmission(tx.QueryRow(ctx, `SELECT `+submissionColumns+` `+submissionJoins+` WHERE s.id = $1`, n.SubmissionID))
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("submission %d: %w", n.SubmissionID, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("submission %d: %w", n.SubmissionID, err)
		}
		o, err := lockObligation(ctx, tx, sub.CycleID, sub.AgencyCode)
		if err != nil {
			return err
		}
		if err := o.TakesChanges(o.cycleStatus, n.DecidedAt); err != nil {
			return refused(err)
		}
		if sub.Version != o.Versions {
			return fmt.Errorf("version %d of %s is not the latest; review version %d: %w",
				sub.Version, sub.AgencyCode, o.Versions, ErrConflict)
		}
		if sub.Review != nil {
			return fmt.Errorf("version %d of %s was already %s by %s: %w",
				sub.Version, sub.AgencyCode, sub.Review.Decision, sub.Review.ReviewerEmail, ErrConflict)
		}
		status := n.Decision.ObligationStatus()
		if !status.Follows(o.Status) {
			return fmt.Errorf("version %d of %s cannot be %s while its obligation is %s: %w",
				sub.Version, sub.AgencyCode, n.Decision, o.Status, ErrConflict)
		}
		rv = reporting.Review{SubmissionID: sub.ID, Decision: n.Decision, Reason: n.Reason, ReviewerID: n.Actor.UserID,
			ReviewerEmail: n.Actor.Email, DecidedAt: n.DecidedAt}
		if err := tx.QueryRow(ctx, `
			INSERT INTO reviews (submission_id, decision, reason, reviewer_id, decided_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			rv.SubmissionID, rv.Decision, rv.Reason, rv.ReviewerID, rv.DecidedAt).Scan(&rv.ID); err != nil {
			return fmt.Errorf("insert review: %w", err)
		}
		var accepted *int64
		if n.Decision == reporting.DecisionAccepted {
			accepted = &sub.ID
		}
		if _, err := tx.Exec(ctx, `
			UPDATE obligations SET status = $3, accepted_submission = $4
			 WHERE cycle_id = $1 AND agency_code = $2`, sub.CycleID, sub.AgencyCode, status, accepted); err != nil {
			return fmt.Errorf("update obligation: %w", err)
		}
		msg, err := handoff(rv, sub)
		if err != nil {
			return err
		}
		if _, err := insertOutbox(ctx, tx, msg); err != nil {
			return err
		}
		if len(n.Reopen) > 0 && n.Decision != reporting.DecisionReturned {
			return fmt.Errorf("only a return reopens the reports below: %w", ErrInvalid)
		}
		for _, code := range n.Reopen {
			reopen := NewAction{CycleID: sub.CycleID, AgencyCode: code, Kind: reporting.ActionReopen, Reason: n.Reason,
				Now: n.DecidedAt, Actor: n.Actor}
			if _, err := recordAction(ctx, tx, reopen, n.ReopenHandoff); err != nil {
				return fmt.Errorf("reopen %s: %w", code, err)
			}
		}
		details := map[string]any{"cycle": sub.CycleID, "agency": sub.AgencyCode, "version": sub.Version, "reason": n.Reason}
		if len(n.Reopen) > 0 {
			details["reopened"] = n.Reopen
		}
		return insertAudit(ctx, tx, n.Actor, "review."+string(n.Decision), sub.ReceiptNumber, details)
	})
	if err != nil {
		return reporting.Review{}, fmt.Errorf("review submission %d: %w", n.SubmissionID, err)
	}
	return rv, nil
}

// insertAudit writes the audit record of a change made by actor within the
// change's transaction.
func insertAudit(ctx context.Context, q Querier, actor Actor, action, object string, details map[string]any) error {
	return writeAudit(ctx, q, actorEntry(actor, action, object, details))
}

// actorEntry is the audit entry of a change made by actor.
func actorEntry(actor Actor, action, object string, details map[string]any) AuditEntry {
	e := AuditEntry{Actor: actor.Email, Action: action, Object: object, RemoteAddr: actor.RemoteAddr, Details: details}
	if actor.UserID != 0 {
		id := actor.UserID
		e.ActorID = &id
	}
	return e
}

// missingChildren are the agencies the version of agency's report stored at
// now is sent without, in a tiered cycle: those of the level just below it,
// under it in the tree, not accepted, without a nil report and not closed
// out. None for an agency of the lowest level or of a single-tier cycle.
func missingChildren(ctx context.Context, tx pgx.Tx, cycleID, agency string, now time.Time) ([]string, error) {
	rows, err := tx.Query(ctx, `
		SELECT c.agency_code
		  FROM obligations p
		  JOIN agencies pa ON pa.code = p.agency_code
		  JOIN obligations c ON c.cycle_id = p.cycle_id AND c.tier = p.tier - 1
		  JOIN agencies ca ON ca.code = c.agency_code AND starts_with(ca.path, pa.path)
		 WHERE p.cycle_id = $1 AND p.agency_code = $2 AND p.tier > 1
		   AND c.finalized_at IS NULL AND c.close_at > $3 AND c.status <> ALL($4)
		 ORDER BY c.agency_code`, cycleID, agency, now,
		[]reporting.ObligationStatus{reporting.ObligationAccepted, reporting.ObligationNilReport})
	if err != nil {
		return nil, fmt.Errorf("missing children of %s in cycle %s: %w", agency, cycleID, err)
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("missing children of %s in cycle %s: %w", agency, cycleID, err)
	}
	return codes, nil
}
