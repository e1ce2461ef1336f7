package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"rcm/reporting"
)

// PreviousFigures are what a soft check compares a version with: the
// figures accepted from the agency in the latest earlier cycle of the same
// regime, and the regime's factor.
type PreviousFigures struct {
	// CycleID and Period name the earlier cycle; both "" when the agency
	// has no accepted version in an earlier cycle of the regime.
	CycleID, Period string
	Values          reporting.Values
	// Factor is the regime's soft-check factor.
	Factor int
}

// PreviousFigures returns the figures accepted from the agency in the latest
// cycle of the cycle's regime whose window began before the cycle's.
func (s *Store) PreviousFigures(ctx context.Context, cycleID, agencyCode string) (PreviousFigures, error) {
	var p PreviousFigures
	var prevID, period *string
	err := s.pool.QueryRow(ctx, `
		SELECT r.soft_check_factor, prev.id, prev.period, prev."values"
		FROM cycles cur
		JOIN regimes r ON r.code = cur.regime_code
		LEFT JOIN LATERAL (
			SELECT p.id, p.period, sub."values"
			FROM cycles p
			JOIN obligations o ON o.cycle_id = p.id AND o.agency_code = $2
			JOIN submissions sub ON sub.id = o.accepted_submission
			WHERE p.regime_code = cur.regime_code AND p.window_start < cur.window_start
			ORDER BY p.window_start DESC
			LIMIT 1
		) prev ON true
		WHERE cur.id = $1`, cycleID, agencyCode).Scan(&p.Factor, &prevID, &period, &p.Values)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, fmt.Errorf("previous figures of %s before cycle %s: %w", agencyCode, cycleID, ErrNotFound)
	}
	if err != nil {
		return p, fmt.Errorf("previous figures of %s before cycle %s: %w", agencyCode, cycleID, err)
	}
	if prevID != nil {
		p.CycleID, p.Period = *prevID, *period
	}
	return p, nil
}
