package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"rcm/reporting"
)

// ExpectedIn counts the obligations of each cycle whose agency is in a scope
// (the subtree of scopePath, or that agency alone when exact): what a
// supervisor or an officer is shown as a cycle's "expected".
func (s *Store) ExpectedIn(ctx context.Context, cycleIDs []string, scopePath string, exact bool) (map[string]int, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT o.cycle_id, count(*) FROM obligations o JOIN agencies a ON a.code = o.agency_code
		 WHERE o.cycle_id = ANY($1) AND (CASE WHEN $3 THEN a.path = $2 ELSE a.path LIKE $2 || '%' END)
		 GROUP BY o.cycle_id`, cycleIDs, scopePath, exact)
	if err != nil {
		return nil, fmt.Errorf("expected agencies under %s: %w", scopePath, err)
	}
	out := make(map[string]int, len(cycleIDs))
	var id string
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&id, &n}, func() error { out[id] = n; return nil }); err != nil {
		return nil, fmt.Errorf("expected agencies under %s: %w", scopePath, err)
	}
	return out, nil
}

// WaveCounts are the notifications of one wave within a scope.
type WaveCounts struct {
	// Subjects is the number of agencies of the scope the wave wrote about.
	Subjects int
	// ByStatus counts the notifications by status.
	ByStatus map[reporting.NotificationStatus]int
}

// WaveCountsIn counts the notifications of one wave (kinds and step) of a
// cycle whose subject is an agency in a scope, or a person reached about
// one ("AGENCY/uID"); messages about the whole cycle ("*/uID") are in no
// agency's scope.
func (s *Store) WaveCountsIn(ctx context.Context, cycleID string, kinds []reporting.Event, step int, scopePath string, exact bool) (WaveCounts, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT n.status, count(*), count(DISTINCT a.code) FROM notifications n
		  JOIN agencies a ON a.code = split_part(n.subject_code, '/', 1)
		 WHERE n.cycle_id = $1 AND n.kind = ANY($2) AND n.step = $3
		   AND (CASE WHEN $5 THEN a.path = $4 ELSE a.path LIKE $4 || '%' END)
		 GROUP BY ROLLUP (n.status)`, cycleID, kinds, step, scopePath, exact)
	if err != nil {
		return WaveCounts{}, fmt.Errorf("wave counts of cycle %s under %s: %w", cycleID, scopePath, err)
	}
	out := WaveCounts{ByStatus: map[reporting.NotificationStatus]int{}}
	var status *reporting.NotificationStatus
	var n, subjects int
	_, err = pgx.ForEachRow(rows, []any{&status, &n, &subjects}, func() error {
		if status == nil { // the rollup's total row
			out.Subjects = subjects
		} else {
			out.ByStatus[*status] = n
		}
		return nil
	})
	if err != nil {
		return WaveCounts{}, fmt.Errorf("wave counts of cycle %s under %s: %w", cycleID, scopePath, err)
	}
	return out, nil
}
