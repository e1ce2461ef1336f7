package testenv

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestDatabaseExistsDuringTheTestAndIsGoneAfter(t *testing.T) {
	ctx := context.Background()
	var name string
	t.Run("inner", func(t *testing.T) {
		url := Database(t)
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatalf("connect to the test database: %v", err)
		}
		// Left open on purpose: the drop must not wait for it.
		t.Cleanup(func() { conn.Close(context.Background()) })
		if err := conn.QueryRow(ctx, "SELECT current_database()").Scan(&name); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(name, "rcm_test_testenv_testdatabaseexists") {
			t.Errorf("database name %q does not name the package and the test", name)
		}
		var migrations int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM goose_db_version WHERE version_id > 0").Scan(&migrations); err != nil || migrations == 0 {
			t.Errorf("no migrations applied (%d, %v)", migrations, err)
		}
	})
	if name == "" {
		t.Fatal("the inner test did not get a database")
	}
	if exists := databaseExists(t, name); exists {
		t.Errorf("database %s still exists after its test", name)
	}
}

func TestEmptyDatabaseHasNoMigrations(t *testing.T) {
	conn, err := pgx.Connect(context.Background(), EmptyDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var tables int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&tables); err != nil || tables != 0 {
		t.Errorf("public tables: %d (%v), want none", tables, err)
	}
}

func TestPoolIsOnAFreshMigratedDatabase(t *testing.T) {
	a, b := Pool(t), Pool(t)
	var nameA, nameB string
	if err := a.QueryRow(context.Background(), "SELECT current_database()").Scan(&nameA); err != nil {
		t.Fatal(err)
	}
	if err := b.QueryRow(context.Background(), "SELECT current_database()").Scan(&nameB); err != nil {
		t.Fatal(err)
	}
	if nameA == nameB {
		t.Errorf("two calls share database %s", nameA)
	}
	var n int
	if err := a.QueryRow(context.Background(), "SELECT count(*) FROM goose_db_version").Scan(&n); err != nil {
		t.Errorf("pool's database is not migrated: %v", err)
	}
}

func TestDatabaseFailsLoudlyWhenPostgresCannotBeReached(t *testing.T) {
	t.Setenv("RCM_TEST_DATABASE_URL", "postgres://tester:hunter2@127.0.0.1:1/postgres")
	rec := &fatalCatcher{TB: t}
	rec.run(func() { Database(rec) })
	if !rec.failed {
		t.Fatal("Database did not fail the test")
	}
	for _, s := range []string{"postgres://tester:xxxxx@127.0.0.1:1/postgres", "connection refused", "Fix:", "RCM_TEST_DATABASE_URL"} {
		if !strings.Contains(rec.message, s) {
			t.Errorf("message lacks %q:\n%s", s, rec.message)
		}
	}
	if strings.Contains(rec.message, "hunter2") {
		t.Errorf("message shows the password:\n%s", rec.message)
	}
}

func TestDatabaseName(t *testing.T) {
	cases := []struct{ pkg, test, want string }{
		{"store", "TestOpenCycle", "rcm_test_store_testopencycle_0a1b2c3d"},
		{"rcm-e2e", "TestCycle/with 10000 agencies", "rcm_test_rcm_e2e_testcycle_with_10000_agencies_0a1b2c3d"},
		{"store", strings.Repeat("TestVeryLong", 10), "rcm_test_store_testverylongtestverylongtestverylongtes_0a1b2c3d"},
		{"Ünïcode", "Test_Ñ", "rcm_test_n_code_test_0a1b2c3d"},
	}
	for _, c := range cases {
		got := databaseName(c.pkg, c.test, "0a1b2c3d")
		if got != c.want {
			t.Errorf("databaseName(%q, %q) = %q, want %q", c.pkg, c.test, got, c.want)
		}
		if len(got) > 63 {
			t.Errorf("databaseName(%q, %q) is %d bytes", c.pkg, c.test, len(got))
		}
	}
}

func databaseExists(t *testing.T, name string) bool {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), DatabaseServerURL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var exists bool
	if err := conn.QueryRow(context.Background(), "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	return exists
}

// fatalCatcher stands in for a test that a helper fails: it records the
// message of Fatalf and ends the helper's goroutine as Fatalf would.
type fatalCatcher struct {
	testing.TB
	mu      sync.Mutex
	failed  bool
	message string
}

func (f *fatalCatcher) Helper() {}

func (f *fatalCatcher) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.failed = true
	f.message = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}

func (f *fatalCatcher) Cleanup(func()) {}

// run calls fn in a goroutine of its own, as Goexit needs.
func (f *fatalCatcher) run(fn func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	<-done
}
