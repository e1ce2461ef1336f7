package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// MigrationStatus describes one migration and whether it is applied.
type MigrationStatus struct {
	Version int64
	Name    string
	Applied bool
}

func migrationProvider(db *sql.DB) (*goose.Provider, error) {
	dir, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	// A session lock lets `rcm dev`, workers and servers start together.
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, dir,
		goose.WithSessionLocker(locker), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

func withMigrations(ctx context.Context, databaseURL string, fn func(*goose.Provider) error) error {
	db, err := sql.Open("pgx", databaseURL)
	if err != nil {
		return fmt.Errorf("open %s: %w", RedactURL(databaseURL), err)
	}
	defer db.Close()
	if err := db.PingContext(ctx); err != nil {
		return fmt.Errorf("connect to %s: %w", RedactURL(databaseURL), err)
	}
	p, err := migrationProvider(db)
	if err != nil {
		return err
	}
	return fn(p)
}

// MigrateUp applies every pending migration to the database at databaseURL.
func MigrateUp(ctx context.Context, databaseURL string) error {
	_, err := MigrateUpReport(ctx, databaseURL)
	return err
}

// MigrateUpReport is MigrateUp returning what it applied.
func MigrateUpReport(ctx context.Context, databaseURL string) ([]MigrationStatus, error) {
	var applied []MigrationStatus
	err := withMigrations(ctx, databaseURL, func(p *goose.Provider) error {
		results, err := p.Up(ctx)
		for _, r := range results {
			applied = append(applied, MigrationStatus{Version: r.Source.Version, Name: baseName(r.Source.Path), Applied: r.Error == nil})
		}
		if err != nil {
			return fmt.Errorf("apply migrations: %w", err)
		}
		return nil
	})
	return applied, err
}

// Migrations lists every migration with its state.
func Migrations(ctx context.Context, databaseURL string) ([]MigrationStatus, error) {
	var out []MigrationStatus
	err := withMigrations(ctx, databaseURL, func(p *goose.Provider) error {
		statuses, err := p.Status(ctx)
		if err != nil {
			return fmt.Errorf("migration status: %w", err)
		}
		for _, s := range statuses {
			out = append(out, MigrationStatus{Version: s.Source.Version, Name: baseName(s.Source.Path), Applied: s.State == goose.StateApplied})
		}
		return nil
	})
	return out, err
}

func baseName(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[i+1:]
		}
	}
	return path
}
