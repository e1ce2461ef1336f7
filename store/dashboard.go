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

// Reads of the supervisors' dashboard: a regime's periods, the agency ×
// period matrix, its chronic latecomers, a node's stored rates over periods,
// and what an agency still owes.

// customPlan, passed as a query's first argument, has PostgreSQL plan the query
// for its arguments at every execution (an unnamed statement, sent in one
// round trip) rather than fall back to the generic plan of a cached prepared
// statement, which it does after five executions. For the reads that count
// every obligation of a subtree in a cycle the generic plan guesses a few
// rows where there are thousands: EXPLAIN ANALYZE at 10,000 agencies, the
// nation's groups 56 ms generic against 14 ms planned for the arguments, its
// accepted reports 33 ms against 8 ms.
const customPlan = pgx.QueryExecModeExec

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
			SELECT a.code AS agency_code FROM agencies a
			 WHERE (CASE WHEN $3 THEN a.path = $2 ELSE a.path LIKE $2 || '%' END)
			   AND a.code > $4
			   AND EXISTS (SELECT 1 FROM obligations o WHERE o.agency_code = a.code AND o.cycle_id = ANY($1))
			 ORDER BY a.code LIMIT $5)
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
		err := r.Scan(append(obligationDest(o), &m.Extended)...)
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
	// Without a scope the counts read only obligations_cycle_states_idx
	// (an index-only scan of the cycles); within one they start from the
	// scope's agencies and read obligations_agency_states_idx (migration
	// 00017), a dozen entries per agency. Two texts, so that each keeps its
	// own plan. Names are joined for the few agencies listed.
	from := `FROM obligations o WHERE o.cycle_id = ANY($1)`
	args := []any{f.CycleIDs, names, minFinals, clampLimit(f.Limit)}
	if f.ScopePath != "" {
		from = `FROM agencies a JOIN obligations o ON o.agency_code = a.code
			 WHERE o.cycle_id = ANY($1) AND CASE WHEN $6 THEN a.path = $5 ELSE a.path LIKE $5 || '%' END`
		args = append(args, f.ScopePath, f.ExactPath)
	}
	rows, err := s.pool.Query(ctx, `
		WITH counts AS (
			SELECT o.agency_code,
			       count(*) FILTER (WHERE o.finalized_at IS NOT NULL) AS finals,
			       count(*) FILTER (WHERE o.finalized_at IS NOT NULL AND o.status = ANY($2)) AS not_on_time
			  `+from+`
			 GROUP BY o.agency_code)
		SELECT c.agency_code, a.name_vi, a.name_en, c.finals, c.not_on_time
		  FROM counts c JOIN agencies a ON a.code = c.agency_code
		 WHERE c.finals >= $3 AND c.finals = c.not_on_time
		 ORDER BY c.agency_code LIMIT $4`, args...)
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

// SubtreeObligations returns a cycle's obligations of the agencies whose
// tree path starts with path, by agency code.
func (s *Store) SubtreeObligations(ctx context.Context, cycleID, path string) ([]reporting.Obligation, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+obligationColumns+` `+obligationJoins+`
		WHERE o.cycle_id = $1 AND a.path LIKE $2 || '%' ORDER BY o.agency_code`, cycleID, path)
	if err != nil {
		return nil, fmt.Errorf("obligations of cycle %s under %s: %w", cycleID, path, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (reporting.Obligation, error) { return scanObligation(r) })
	if err != nil {
		return nil, fmt.Errorf("obligations of cycle %s under %s: %w", cycleID, path, err)
	}
	return out, nil
}

// AgencyLevels returns the children of the agency and their children, by
// tree path.
func (s *Store) AgencyLevels(ctx context.Context, code string) ([]reporting.Agency, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+agencyColumns+` FROM agencies
		WHERE parent_code = $1 OR parent_code IN (SELECT code FROM agencies WHERE parent_code = $1)
		ORDER BY path`, code)
	if err != nil {
		return nil, fmt.Errorf("agencies below %s: %w", code, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (reporting.Agency, error) { return scanAgency(r) })
	if err != nil {
		return nil, fmt.Errorf("agencies below %s: %w", code, err)
	}
	return out, nil
}

// TopAgency returns the first agency without a parent, by tree path.
func (s *Store) TopAgency(ctx context.Context) (reporting.Agency, error) {
	a, err := scanAgency(s.pool.QueryRow(ctx, `SELECT `+agencyColumns+` FROM agencies WHERE parent_code IS NULL ORDER BY path LIMIT 1`))
	if errors.Is(err, pgx.ErrNoRows) {
		return a, fmt.Errorf("top agency: %w", ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("top agency: %w", err)
	}
	return a, nil
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

// GroupFilter narrows ObligationGroups.
type GroupFilter struct {
	CycleID string
	// RootPath is the tree path of the subtree's root; Depth how many levels
	// below it each group names (reporting.ObligationGroup.Nodes).
	RootPath string
	Depth    int
	// ScopePath limits the obligations to a subtree ("" = all); ExactPath
	// to one agency.
	ScopePath string
	ExactPath bool
}

// ObligationGroups counts a cycle's obligations under a subtree into the
// groups the one classification cannot tell apart at now: PostgreSQL
// compares each instant the classification reads with due and now
// (reporting.OnTime is "before due"; final once now is at or past close;
// due passed once now is at or past due), and every group's Like is an
// obligation built with those comparisons alone, so that
// reporting.RollUpGroups over the groups gives what reporting.RollUpLevels
// gives over the obligations themselves, without loading them.
func (s *Store) ObligationGroups(ctx context.Context, f GroupFilter, now time.Time) ([]reporting.ObligationGroup, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT (string_to_array(rtrim(substr(a.path, length($2) + 1), '/'), '/'))[1:$3::int],
		       o.status, o.finalized_at IS NOT NULL, o.nil_reported_at IS NOT NULL, c.timeliness,
		       coalesce(acc.version, 0), o.close_at <= $6, o.due_at <= $6,
		       o.first_submitted_at < o.due_at, o.last_submitted_at < o.due_at, acc.submitted_at < o.due_at,
		       count(*)
		  FROM obligations o JOIN agencies a ON a.code = o.agency_code
		  JOIN cycles c ON c.id = o.cycle_id
		  LEFT JOIN submissions acc ON acc.id = o.accepted_submission
		 WHERE o.cycle_id = $1 AND a.path LIKE $2 || '%'
		   AND ($4 = '' OR CASE WHEN $5 THEN a.path = $4 ELSE a.path LIKE $4 || '%' END)
		 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11`, customPlan, f.CycleID, f.RootPath, f.Depth, f.ScopePath, f.ExactPath, now)
	if err != nil {
		return nil, fmt.Errorf("obligation groups of cycle %s under %s: %w", f.CycleID, f.RootPath, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (reporting.ObligationGroup, error) {
		var (
			g                        reporting.ObligationGroup
			finalized, closed, after bool
			first, last, accepted    *bool
		)
		o := &g.Like
		if err := r.Scan(&g.Nodes, &o.Status, &finalized, &o.NilReport, &o.Timeliness, &o.AcceptedVersion,
			&closed, &after, &first, &last, &accepted, &g.Count); err != nil {
			return g, err
		}
		// Instants standing to due and now as the group's do.
		o.Due, o.Close = now.Add(time.Hour), now.Add(2*time.Hour)
		if after {
			o.Due = now
		}
		if closed {
			o.Close = now
		}
		if finalized {
			o.FinalizedAt = &now
		}
		o.FirstSubmittedAt, o.LastSubmittedAt, o.AcceptedSubmittedAt = instantTo(o.Due, first), instantTo(o.Due, last), instantTo(o.Due, accepted)
		return g, nil
	})
	if err != nil {
		return nil, fmt.Errorf("obligation groups of cycle %s under %s: %w", f.CycleID, f.RootPath, err)
	}
	return out, nil
}

// instantTo returns an instant before due when before is true, due itself
// when false, and nil when there is no instant.
func instantTo(due time.Time, before *bool) *time.Time {
	if before == nil {
		return nil
	}
	at := due
	if *before {
		at = due.Add(-time.Second)
	}
	return &at
}

// SubtreeReports is what the figures of a subtree in a running cycle are
// rolled up from, without the tree: every agency expected to report (one
// with an obligation) with its tree path, and the values of the versions
// accepted so far.
type SubtreeReports struct {
	// Paths holds the tree path of every agency expected, by code.
	Paths map[string]string
	// Expected lists the agencies expected, by code.
	Expected []string
	// Accepted holds the values of the version accepted, by agency code.
	Accepted map[string]reporting.Values
}

// SubtreeAccepted loads the reports of a cycle's agencies whose tree path
// starts with path ("" = the whole tree).
func (s *Store) SubtreeAccepted(ctx context.Context, cycleID, path string) (SubtreeReports, error) {
	out := SubtreeReports{Paths: map[string]string{}, Accepted: map[string]reporting.Values{}}
	rows, err := s.pool.Query(ctx, `SELECT o.agency_code, a.path, acc."values"
		  FROM obligations o JOIN agencies a ON a.code = o.agency_code
		  LEFT JOIN submissions acc ON acc.id = o.accepted_submission
		 WHERE o.cycle_id = $1 AND a.path LIKE $2 || '%'
		 ORDER BY o.agency_code`, customPlan, cycleID, path)
	if err != nil {
		return out, fmt.Errorf("reports of cycle %s under %s: %w", cycleID, path, err)
	}
	var (
		code, agencyPath string
		values           []byte
	)
	if _, err := pgx.ForEachRow(rows, []any{&code, &agencyPath, &values}, func() error {
		out.Paths[code] = agencyPath
		out.Expected = append(out.Expected, code)
		if values != nil {
			var v reporting.Values
			if err := json.Unmarshal(values, &v); err != nil {
				return fmt.Errorf("values of %s: %w", code, err)
			}
			out.Accepted[code] = v
		}
		return nil
	}); err != nil {
		return out, fmt.Errorf("reports of cycle %s under %s: %w", cycleID, path, err)
	}
	return out, nil
}
