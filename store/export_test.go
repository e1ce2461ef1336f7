package store

import (
	"context"

	"github.com/pressly/goose/v3"
)

// MigrateDownTo undoes migrations after version, for tests of a migration
// over rows written before it.
func MigrateDownTo(ctx context.Context, databaseURL string, version int64) error {
	return withMigrations(ctx, databaseURL, func(p *goose.Provider) error {
		_, err := p.DownTo(ctx, version)
		return err
	})
}

// ExecWithoutFlush exposes execWithoutFlush to the tests of the package.
func (s *Store) ExecWithoutFlush(ctx context.Context, sql string, args ...any) error {
	return s.execWithoutFlush(ctx, sql, args...)
}
