package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Reads the HTTP API and the pages need beyond the engine's own.

// LiveObligation is what compliance counts of one obligation while its
// cycle still runs: enough to classify it as if the cycle closed now.
type LiveObligation struct {
	AgencyCode       string
	Path             string
	Status           string
	Due              time.Time
	FirstSubmittedAt *time.Time
	// Final is set once the obligation has its final state in Status.
	Final bool
}

// LiveObligations lists a cycle's obligations of the agencies in the
// subtree whose path starts with underPath ("" = all), by tree path.
func (s *Store) LiveObligations(ctx context.Context, cycleID, underPath string) ([]LiveObligation, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT o.agency_code, a.path, o.status, o.due_at, o.first_submitted_at, o.finalized_at IS NOT NULL
		  FROM obligations o JOIN agencies a ON a.code = o.agency_code
		 WHERE o.cycle_id = $1 AND a.path LIKE $2 || '%'
		 ORDER BY a.path`, cycleID, underPath)
	if err != nil {
		return nil, fmt.Errorf("live obligations of cycle %s: %w", cycleID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (LiveObligation, error) {
		var o LiveObligation
		err := r.Scan(&o.AgencyCode, &o.Path, &o.Status, &o.Due, &o.FirstSubmittedAt, &o.Final)
		return o, err
	})
	if err != nil {
		return nil, fmt.Errorf("live obligations of cycle %s: %w", cycleID, err)
	}
	return out, nil
}

// AgenciesByPath returns the agencies with the given tree paths, by path.
// Paths no agency has are left out.
func (s *Store) AgenciesByPath(ctx context.Context, paths []string) ([]Agency, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+agencyColumns+` FROM agencies WHERE path = ANY($1) ORDER BY path`, paths)
	if err != nil {
		return nil, fmt.Errorf("agencies by path: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Agency, error) { return scanAgency(r) })
	if err != nil {
		return nil, fmt.Errorf("agencies by path: %w", err)
	}
	return out, nil
}
