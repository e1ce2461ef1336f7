package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"rcm/reporting"
)

// Reads the operations need for the HTTP API and the pages.

// AgenciesByCode returns the agencies with the given codes, by tree path.
// Codes no agency has are left out.
func (s *Store) AgenciesByCode(ctx context.Context, codes []string) ([]reporting.Agency, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+agencyColumns+` FROM agencies WHERE code = ANY($1) ORDER BY path`, codes)
	if err != nil {
		return nil, fmt.Errorf("agencies by code: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (reporting.Agency, error) { return scanAgency(r) })
	if err != nil {
		return nil, fmt.Errorf("agencies by code: %w", err)
	}
	return out, nil
}
