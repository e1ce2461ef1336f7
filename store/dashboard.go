package store

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"rcm/reporting"
)

// Reads of the supervisors' dashboard: a regime's periods, the agency ×
// period matrix, its chronic latecomers, a node's stored rates over periods,
// and what an agency still owes.

// RegimeCycles returns up to n cycles of a regime whose data window starts no
// later than upTo, latest period first; cancelled cycles are left out.
func (s *Store) RegimeCycles(ctx context.Context, regimeCode string, upTo reporting.Date, n int) ([]reporting.Cycle, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+cycleColumns+` FROM cycles c
		WHERE c.regime_code = $1 AND c.window_start <= $2 AND c.status <> $3
		ORDER BY c.window_start DESC LIMIT $4`, regimeCode, dateToPg(upTo), reporting.CycleCancelled, n)
	if err != nil {
		return nil, fmt.Errorf("cycles of regime %s: %w", regimeCode, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (reporting.Cycle, error) { return scanCycle(r) })
	if err != nil {
		return nil, fmt.Errorf("cycles of regime %s: %w", regimeCode, err)
	}
	return out, nil
}

// MatrixFilter narrows MatrixObligations and ChronicLatecomers.
type MatrixFilter struct {
	CycleIDs []string
	// ScopePath limits the matrix to a subtree ("" = all); ExactPath to one agency.
	ScopePath string
	ExactPath bool
	// After is the last agency code of the previous page; Limit counts agencies.
	After string
	Limit int
}

// MatrixObligation is an obligation of the matrix with whether its due was
// extended.
type MatrixObligation struct {
	reporting.Obligation
	Extended bool
}

// MatrixObligations returns the obligations in the cycles of a page of
// agencies (by code) that have one in any of them.
func (s *Store) MatrixObligations(ctx context.Context, f MatrixFilter) ([]MatrixObligation, error) {
	rows, err := s.pool.Query(ctx, `
		WITH page AS (
			SELECT DISTINCT o.agency_code FROM obligations o JOIN agencies a ON a.code = o.agency_code
			 WHERE o.cycle_id = ANY($1)
			   AND (CASE WHEN $3 THEN a.path = $2 ELSE a.path LIKE $2 || '%' END)
			   AND o.agency_code > $4
			 ORDER BY o.agency_code LIMIT $5)
		SELECT `+obligationColumns+`,
		       EXISTS (SELECT 1 FROM extensions e WHERE e.cycle_id = o.cycle_id
		                  AND (e.agency_code IS NULL OR e.agency_code = o.agency_code))
		  `+obligationJoins+`
		 WHERE o.cycle_id = ANY($1) AND o.agency_code IN (SELECT agency_code FROM page)
		 ORDER BY o.agency_code, o.cycle_id`, f.CycleIDs, f.ScopePath, f.ExactPath, f.After, clampLimit(f.Limit))
	if err != nil {
		return nil, fmt.Errorf("compliance matrix: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (MatrixObligation, error) {
		var m MatrixObligation
		o := &m.Obligation
		err := r.Scan(&o.CycleID, &o.AgencyCode, &o.AgencyNameVI, &o.AgencyNameEN, &o.AgencyPath, &o.Due, &o.Close,
			&o.Status, &o.NotifiedAt, &o.FirstSubmittedAt, &o.LastSubmittedAt, &o.Versions,
			&o.AcceptedSubmission, &o.FinalizedAt, &o.Timeliness, &o.AcceptedVersion, &o.AcceptedSubmittedAt, &m.Extended)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("compliance matrix: %w", err)
	}
	return out, nil
}

// Latecomer is an agency with how many of its obligations in a set of
// cycles are final, and how many of those ended in one of the given states.
type Latecomer struct {
	AgencyCode   string
	AgencyNameVI string
	AgencyNameEN string
	Finals       int
	NotOnTime    int
}

// Latecomers returns, by agency code, the agencies of the filter's scope
// whose final obligations in its cycles all ended in one of states, with at
// least minFinals of them (reporting.IsChronic's rule, counted in SQL so that
// a national matrix need not load every cell).
func (s *Store) Latecomers(ctx context.Context, f MatrixFilter, states []reporting.ObligationStatus, minFinals int) ([]Latecomer, error) {
	names := make([]string, len(states))
	for i, st := range states {
		names[i] = string(st)
	}
	rows, err := s.pool.Query(ctx, `
		SELECT o.agency_code, a.name_vi, a.name_en,
		       count(*) FILTER (WHERE o.finalized_at IS NOT NULL),
		       count(*) FILTER (WHERE o.finalized_at IS NOT NULL AND o.status = ANY($4))
		  FROM obligations o JOIN agencies a ON a.code = o.agency_code
		 WHERE o.cycle_id = ANY($1)
		   AND (CASE WHEN $3 THEN a.path = $2 ELSE a.path LIKE $2 || '%' END)
		 GROUP BY o.agency_code, a.name_vi, a.name_en
		HAVING count(*) FILTER (WHERE o.finalized_at IS NOT NULL) >= $5
		   AND count(*) FILTER (WHERE o.finalized_at IS NOT NULL)
		       = count(*) FILTER (WHERE o.finalized_at IS NOT NULL AND o.status = ANY($4))
		 ORDER BY o.agency_code LIMIT $6`, f.CycleIDs, f.ScopePath, f.ExactPath, names, minFinals, clampLimit(f.Limit))
	if err != nil {
		return nil, fmt.Errorf("chronic latecomers: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Latecomer, error) {
		var l Latecomer
		err := r.Scan(&l.AgencyCode, &l.AgencyNameVI, &l.AgencyNameEN, &l.Finals, &l.NotOnTime)
		return l, err
	})
	if err != nil {
		return nil, fmt.Errorf("chronic latecomers: %w", err)
	}
	return out, nil
}

// NodeRates returns an agency's stored compliance (its subtree's) in each of
// the closed cycles that have it, by cycle ID.
func (s *Store) NodeRates(ctx context.Context, cycleIDs []string, agencyCode string) (map[string]reporting.Rates, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT cycle_id, expected, submitted, on_time, late, missing, not_accepted, submitted_not_reviewed,
		       nil_report, timely, submitted_on_time, review_backlog, versions_before_acceptance,
		       reporting_rate::text, on_time_rate::text, submitted_on_time_rate::text
		  FROM cycle_compliance WHERE cycle_id = ANY($1) AND agency_code = $2`, cycleIDs, agencyCode)
	if err != nil {
		return nil, fmt.Errorf("rates of %s over cycles: %w", agencyCode, err)
	}
	out := map[string]reporting.Rates{}
	var cycleID, rr, otr, sotr string
	r := reporting.Rates{OnTimeRateBasis: reporting.BasisExpected}
	_, err = pgx.ForEachRow(rows, []any{&cycleID, &r.Expected, &r.Submitted, &r.OnTime, &r.Late, &r.Missing, &r.NotAccepted,
		&r.NotReviewed, &r.NilReport, &r.Timely, &r.SubmittedOnTime, &r.ReviewBacklog, &r.VersionsBeforeAcceptance,
		&rr, &otr, &sotr}, func() error {
		var err error
		for _, f := range []struct {
			text string
			to   *float64
		}{{rr, &r.ReportingRate}, {otr, &r.OnTimeRate}, {sotr, &r.SubmittedOnTimeRate}} {
			if *f.to, err = strconv.ParseFloat(f.text, 64); err != nil {
				return err
			}
		}
		out[cycleID] = r
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("rates of %s over cycles: %w", agencyCode, err)
	}
	return out, nil
}

// OwedObligations returns an agency's obligations in open cycles that still
// want a version (nothing accepted, no nil report), soonest due first.
func (s *Store) OwedObligations(ctx context.Context, agencyCode string, limit int) ([]reporting.Obligation, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+obligationColumns+` `+obligationJoins+`
		WHERE o.agency_code = $1 AND o.finalized_at IS NULL AND c.status = $2
		  AND o.status IN ('pending', 'notified', 'overdue', 'returned')
		ORDER BY o.due_at, o.cycle_id LIMIT $3`, agencyCode, reporting.CycleOpen, clampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("obligations owed by %s: %w", agencyCode, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (reporting.Obligation, error) { return scanObligation(r) })
	if err != nil {
		return nil, fmt.Errorf("obligations owed by %s: %w", agencyCode, err)
	}
	return out, nil
}
