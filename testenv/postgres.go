package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"rcm/devstack"
	"rcm/store"
)

// DefaultDatabaseURL is the server tests use unless RCM_TEST_DATABASE_URL
// names another: the postgres role on 127.0.0.1:5432, without a password.
const DefaultDatabaseURL = devstack.LocalPostgresURL

// DatabaseServerURL returns the PostgreSQL server tests create their
// databases on: $RCM_TEST_DATABASE_URL, else DefaultDatabaseURL. The role
// must be allowed to create databases.
func DatabaseServerURL() string {
	if url := os.Getenv("RCM_TEST_DATABASE_URL"); url != "" {
		return url
	}
	return DefaultDatabaseURL
}

// Database creates a fresh database for the test, applies rcm's migrations
// (store.MigrateUp) and returns its URL. The database is named
// rcm_test_<package>_<test>_<random> and is dropped when the test ends,
// even if sessions are still open. If PostgreSQL cannot be reached the test
// fails, saying what was tried and how to fix it; it never skips.
func Database(t testing.TB) string {
	t.Helper()
	url := EmptyDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := store.MigrateUp(ctx, url); err != nil {
		t.Fatalf("testenv: migrate the test database: %v", err)
	}
	return url
}

// EmptyDatabase is Database without the migrations, for tests of the
// migrations themselves.
func EmptyDatabase(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	server := DatabaseServerURL()
	pg, err := devstack.FindPostgres(ctx, devstack.PostgresOptions{URL: server})
	if err != nil {
		t.Fatalf("testenv: no PostgreSQL for the test: %v\n%s", err, postgresHelp(server))
	}
	name := databaseName(testBinary(), t.Name(), randomSuffix())
	url, err := pg.CreateDatabase(ctx, name)
	if err != nil {
		t.Fatalf("testenv: %v\nThe role in RCM_TEST_DATABASE_URL must be allowed to create databases (CREATEDB).", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := pg.DropDatabase(ctx, name); err != nil {
			t.Errorf("testenv: %v", err)
		}
	})
	return url
}

// Pool returns a connection pool on a fresh migrated database (Database),
// closed when the test ends.
func Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	url := Database(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatalf("testenv: open a pool on %s: %v", devstack.RedactURL(url), err)
	}
	t.Cleanup(pool.Close) // runs before the database is dropped
	if err := pool.Ping(ctx); err != nil {
		t.Fatalf("testenv: connect to %s: %v", devstack.RedactURL(url), err)
	}
	return pool
}

func postgresHelp(server string) string {
	return "Tried " + devstack.RedactURL(server) + " (RCM_TEST_DATABASE_URL, default " + DefaultDatabaseURL + ").\n" +
		"Fix: start the local server (e.g. `pg_ctlcluster 15 main start`, or install it: `apt install postgresql`), " +
		"or set RCM_TEST_DATABASE_URL to a server where the role may create databases. ./scripts/test checks this first."
}

// testBinary names the package under test from the test binary's name
// (store.test → store).
func testBinary() string {
	name := filepath.Base(os.Args[0])
	name = strings.TrimSuffix(name, ".exe")
	return strings.TrimSuffix(name, ".test")
}

func randomSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// databaseName builds rcm_test_<package>_<test>_<suffix>: lower case
// letters, digits and underscores, at most 63 bytes (PostgreSQL's limit),
// cutting the test name first.
func databaseName(pkg, test, suffix string) string {
	const max = 63
	pkg, test = sanitize(pkg), sanitize(test)
	fixed := "rcm_test_" + pkg + "_" + "_" + suffix
	if over := len(fixed) - max; over > 0 { // an absurdly long package name
		pkg = pkg[:len(pkg)-min(over, len(pkg))]
		fixed = "rcm_test_" + pkg + "__" + suffix
	}
	if room := max - len(fixed); len(test) > room {
		test = test[:room]
	}
	return "rcm_test_" + pkg + "_" + test + "_" + suffix
}

func sanitize(s string) string {
	var b strings.Builder
	lastUnderscore := false
	for _, r := range strings.ToLower(s) {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
		switch {
		case ok:
			b.WriteRune(r)
			lastUnderscore = false
		case !lastUnderscore:
			b.WriteByte('_')
			lastUnderscore = true
		}
	}
	return strings.Trim(b.String(), "_")
}
