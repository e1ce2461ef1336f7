package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"rcm/reporting"
)

// obligationColumns are what reporting.Obligation.Classify needs, with the
// cycle's timeliness rule and the accepted version's number and time.
const obligationColumns = `o.cycle_id, o.agency_code, a.name_vi, a.name_en, a.path, o.due_at, o.close_at, o.status,
	o.notified_at, o.first_submitted_at, o.last_submitted_at, o.versions, o.accepted_submission, o.finalized_at,
	c.timeliness, coalesce(acc.version, 0), acc.submitted_at, o.nil_reported_at IS NOT NULL`

const obligationJoins = `FROM obligations o JOIN agencies a ON a.code = o.agency_code
	JOIN cycles c ON c.id = o.cycle_id
	LEFT JOIN submissions acc ON acc.id = o.accepted_submission`

func scanObligation(row pgx.Row) (reporting.Obligation, error) {
	var o reporting.Obligation
	err := row.Scan(obligationDest(&o)...)
	return o, err
}

// obligationDest are the destinations of obligationColumns in o.
func obligationDest(o *reporting.Obligation) []any {
	return []any{&o.CycleID, &o.AgencyCode, &o.AgencyNameVI, &o.AgencyNameEN, &o.AgencyPath, &o.Due, &o.Close,
		&o.Status, &o.NotifiedAt, &o.FirstSubmittedAt, &o.LastSubmittedAt, &o.Versions,
		&o.AcceptedSubmission, &o.FinalizedAt, &o.Timeliness, &o.AcceptedVersion, &o.AcceptedSubmittedAt, &o.NilReport}
}

// Obligation returns one agency's obligation in a cycle.
func (s *Store) Obligation(ctx context.Context, cycleID, agencyCode string) (reporting.Obligation, error) {
	o, err := scanObligation(s.pool.QueryRow(ctx, `SELECT `+obligationColumns+` `+obligationJoins+`
		WHERE o.cycle_id = $1 AND o.agency_code = $2`, cycleID, agencyCode))
	if errors.Is(err, pgx.ErrNoRows) {
		return reporting.Obligation{}, fmt.Errorf("agency %s has no obligation in cycle %s: %w", agencyCode, cycleID, ErrNotFound)
	}
	if err != nil {
		return reporting.Obligation{}, fmt.Errorf("obligation %s/%s: %w", cycleID, agencyCode, err)
	}
	return o, nil
}

// ObligationFilter narrows Obligations.
type ObligationFilter struct {
	CycleID string
	// ScopePath limits the list to a subtree ("" = all); ExactPath to one agency.
	ScopePath string
	ExactPath bool
	Status    reporting.ObligationStatus
	After     string
	Limit     int
}

// Obligations lists a cycle's obligations by agency code.
func (s *Store) Obligations(ctx context.Context, f ObligationFilter) ([]reporting.Obligation, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+obligationColumns+` `+obligationJoins+`
		WHERE o.cycle_id = $1
		  AND (CASE WHEN $3 THEN a.path = $2 ELSE a.path LIKE $2 || '%' END)
		  AND ($4 = '' OR o.status = $4)
		  AND o.agency_code > $5
		ORDER BY o.agency_code
		LIMIT $6`, f.CycleID, f.ScopePath, f.ExactPath, f.Status, f.After, clampLimit(f.Limit))
	if err != nil {
		return nil, fmt.Errorf("obligations of cycle %s: %w", f.CycleID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (reporting.Obligation, error) { return scanObligation(r) })
	if err != nil {
		return nil, fmt.Errorf("obligations of cycle %s: %w", f.CycleID, err)
	}
	return out, nil
}

// StatusCounts counts a cycle's obligations by status within a subtree.
func (s *Store) StatusCounts(ctx context.Context, cycleID, scopePath string, exact bool) (map[reporting.ObligationStatus]int, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT o.status, count(*) FROM obligations o JOIN agencies a ON a.code = o.agency_code
		 WHERE o.cycle_id = $1 AND (CASE WHEN $3 THEN a.path = $2 ELSE a.path LIKE $2 || '%' END)
		 GROUP BY o.status`, cycleID, scopePath, exact)
	if err != nil {
		return nil, fmt.Errorf("status counts of cycle %s: %w", cycleID, err)
	}
	out := map[reporting.ObligationStatus]int{}
	var status reporting.ObligationStatus
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&status, &n}, func() error { out[status] = n; return nil }); err != nil {
		return nil, fmt.Errorf("status counts of cycle %s: %w", cycleID, err)
	}
	return out, nil
}

// MarkUnderReview moves the obligation from submitted to under review when
// version is still its latest, and reports whether it is.
func (s *Store) MarkUnderReview(ctx context.Context, cycleID, agencyCode string, version int) (latest bool, err error) {
	var versions int
	err = s.pool.QueryRow(ctx, `
		WITH upd AS (
			UPDATE obligations SET status = $4
			 WHERE cycle_id = $1 AND agency_code = $2 AND versions = $3 AND status = ANY($5)
		)
		SELECT versions FROM obligations WHERE cycle_id = $1 AND agency_code = $2`,
		cycleID, agencyCode, version, reporting.ObligationUnderReview, reporting.ObligationUnderReview.From()).Scan(&versions)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, fmt.Errorf("agency %s has no obligation in cycle %s: %w", agencyCode, cycleID, ErrNotFound)
	}
	if err != nil {
		return false, fmt.Errorf("mark %s/%s under review: %w", cycleID, agencyCode, err)
	}
	return versions == version, nil
}

// ReviewByID returns a review with the submission it decided.
func (s *Store) ReviewByID(ctx context.Context, id int64) (reporting.Review, reporting.Submission, error) {
	var subID int64
	err := s.pool.QueryRow(ctx, `SELECT submission_id FROM reviews WHERE id = $1`, id).Scan(&subID)
	if errors.Is(err, pgx.ErrNoRows) {
		return reporting.Review{}, reporting.Submission{}, fmt.Errorf("review %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return reporting.Review{}, reporting.Submission{}, fmt.Errorf("review %d: %w", id, err)
	}
	sub, err := s.Submission(ctx, subID)
	if err != nil {
		return reporting.Review{}, reporting.Submission{}, err
	}
	if sub.Review == nil {
		return reporting.Review{}, reporting.Submission{}, fmt.Errorf("review %d: %w", id, ErrNotFound)
	}
	return *sub.Review, sub, nil
}
