package devstack

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestWithDatabase(t *testing.T) {
	cases := []struct{ server, want string }{
		{"postgres://postgres@127.0.0.1:5432/postgres", "postgres://postgres@127.0.0.1:5432/rcm_x"},
		{"postgresql://u:p%40ss@db.example:6543/main?sslmode=require", "postgresql://u:p%40ss@db.example:6543/rcm_x?sslmode=require"},
		{"postgres://u@h/postgres?dbname=other&sslmode=disable", "postgres://u@h/rcm_x?sslmode=disable"},
		{"postgres://u@h", "postgres://u@h/rcm_x"},
		{"host=127.0.0.1 user=postgres dbname=postgres sslmode=disable", "host=127.0.0.1 user=postgres  sslmode=disable dbname='rcm_x'"},
		{"host=/var/run/postgresql", "host=/var/run/postgresql dbname='rcm_x'"},
	}
	for _, c := range cases {
		got, err := WithDatabase(c.server, "rcm_x")
		if err != nil || got != c.want {
			t.Errorf("WithDatabase(%q) = %q, %v; want %q", c.server, got, err, c.want)
		}
	}
	if _, err := WithDatabase(LocalPostgresURL, strings.Repeat("x", 64)); err == nil {
		t.Error("accepted a 64-byte database name")
	}
}

func TestRedactURL(t *testing.T) {
	cases := []struct{ in, want string }{
		{"postgres://u:hunter2@h:5432/db", "postgres://u:xxxxx@h:5432/db"},
		{"postgres://u@h/db?password=hunter2&sslmode=disable", "postgres://u@h/db?password=xxxxx&sslmode=disable"},
		{"host=h user=u password=hunter2 dbname=db", "host=h user=u password=xxxxx dbname=db"},
		{"host=h password='hunter 2' dbname=db", "host=h password=xxxxx dbname=db"},
		{LocalPostgresURL, LocalPostgresURL},
	}
	for _, c := range cases {
		if got := RedactURL(c.in); got != c.want {
			t.Errorf("RedactURL(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestParsePostgresVersion(t *testing.T) {
	cases := []struct {
		out     string
		version string
		major   int
	}{
		{"postgres (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n", "15.20", 15},
		{"postgres (PostgreSQL) 17.2\n", "17.2", 17},
		{"postgres (PostgreSQL) 18beta1\n", "18", 18},
	}
	for _, c := range cases {
		v, m, ok := parsePostgresVersion(c.out)
		if !ok || v != c.version || m != c.major {
			t.Errorf("parsePostgresVersion(%q) = %s, %d, %v", c.out, v, m, ok)
		}
	}
	if _, _, ok := parsePostgresVersion("bash: postgres: command not found"); ok {
		t.Error("parsed nonsense")
	}
}

func TestFindPostgresWithAnUnreachableURLNamesItWithoutThePassword(t *testing.T) {
	port := freePorts(t, 1)[0]
	url := fmt.Sprintf("postgres://office:hunter2@127.0.0.1:%d/rcm", port)
	_, err := FindPostgres(context.Background(), PostgresOptions{URL: url, DataDir: t.TempDir()})
	if err == nil {
		t.Fatal("no error")
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error shows the password: %v", err)
	}
	if !strings.Contains(err.Error(), fmt.Sprintf("postgres://office:xxxxx@127.0.0.1:%d/rcm", port)) || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("error does not name the URL and the reason: %v", err)
	}
}

func TestNoPostgresErrorNamesTheThreeWays(t *testing.T) {
	err := noPostgresError([]string{"postgres://postgres@127.0.0.1:5432/postgres: connection refused"}, ".rcm/postgres")
	for _, s := range []string{"connection refused", "--database-url or DATABASE_URL", "127.0.0.1:5432", "apt install postgresql", "under .rcm/postgres"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error lacks %q:\n%v", s, err)
		}
	}
}

// The development machines run PostgreSQL on 127.0.0.1:5432 (./scripts/test
// checks it), so FindPostgres takes it.
func TestFindPostgresTakesTheLocalServerAndManagesDatabases(t *testing.T) {
	ctx := context.Background()
	pg, err := FindPostgres(ctx, PostgresOptions{})
	if err != nil {
		t.Fatalf("%v\nstart the local server (e.g. pg_ctlcluster 15 main start)", err)
	}
	if pg.URL() != LocalPostgresURL || pg.Private() {
		t.Fatalf("found %s (private %v)", pg.URL(), pg.Private())
	}
	testDatabaseRoundTrip(t, pg)
	if err := pg.Stop(ctx); err != nil {
		t.Errorf("Stop on a server rcm did not start: %v", err)
	}
	if err := ping(ctx, LocalPostgresURL); err != nil {
		t.Errorf("the local server is gone after Stop: %v", err)
	}
}

func TestPrivateClusterStartsStopsAndKeepsItsData(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if len(findServerBinaries(ctx)) == 0 {
		t.Fatal("no PostgreSQL server binaries installed (apt install postgresql)")
	}
	dataDir := filepath.Join(postgresReachableDir(t), ".rcm", "postgres")
	var log syncBuffer
	pg, err := startPrivate(ctx, PostgresOptions{DataDir: dataDir, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Stop(context.Background())
	if !pg.Private() || !strings.HasPrefix(pg.URL(), "postgres://postgres@127.0.0.1:") {
		t.Fatalf("private cluster at %s", pg.URL())
	}
	testDatabaseRoundTrip(t, pg)
	conn, err := pgx.Connect(ctx, pg.URL())
	if err != nil {
		t.Fatal(err)
	}
	var listen string
	if err := conn.QueryRow(ctx, "SHOW listen_addresses").Scan(&listen); err != nil || listen != "127.0.0.1" {
		t.Errorf("listen_addresses = %q (%v)", listen, err)
	}
	conn.Close(ctx)
	if _, err := pg.CreateDatabase(ctx, "rcm_kept"); err != nil {
		t.Fatal(err)
	}
	if err := pg.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v\n%s", err, log.String())
	}
	if err := ping(ctx, pg.URL()); err == nil {
		t.Fatal("cluster still answers after Stop")
	}

	// Started again over the same folder: no initdb, same data.
	again, err := startPrivate(ctx, PostgresOptions{DataDir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Stop(context.Background())
	kept, err := WithDatabase(again.URL(), "rcm_kept")
	if err != nil {
		t.Fatal(err)
	}
	if err := ping(ctx, kept); err != nil {
		t.Errorf("database made before the restart: %v", err)
	}
}

func TestPrivatePostgresStartsAgainOnItsPortWithItsData(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	port := freePorts(t, 1)[0]
	opts := PrivatePostgresOptions{DataDir: filepath.Join(postgresReachableDir(t), "pg"), Port: port}
	pg, err := StartPrivatePostgres(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Stop(context.Background())
	if want := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres", port); pg.URL() != want || !pg.Private() {
		t.Fatalf("started %s (private %v), want %s", pg.URL(), pg.Private(), want)
	}
	if _, err := pg.CreateDatabase(ctx, "rcm_kept"); err != nil {
		t.Fatal(err)
	}
	if err := pg.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	again, err := StartPrivatePostgres(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Stop(context.Background())
	if again.URL() != pg.URL() {
		t.Errorf("started again at %s, was %s", again.URL(), pg.URL())
	}
	kept, err := WithDatabase(again.URL(), "rcm_kept")
	if err != nil {
		t.Fatal(err)
	}
	if err := ping(ctx, kept); err != nil {
		t.Errorf("database made before the restart: %v", err)
	}
	for _, bad := range []PrivatePostgresOptions{{}, {DataDir: opts.DataDir, Port: 70000}} {
		if _, err := StartPrivatePostgres(ctx, bad); err == nil || !strings.Contains(err.Error(), "private PostgreSQL cluster") {
			t.Errorf("StartPrivatePostgres(%+v) = %v", bad, err)
		}
	}
}

func TestPrivateClusterAsRootNeedsAFolderPostgresCanReach(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root runs the cluster as the postgres user")
	}
	hidden := t.TempDir() // 0700, root's, and so is its parent
	_, err := startPrivate(context.Background(), PostgresOptions{DataDir: filepath.Join(hidden, "pg")})
	if err == nil || !strings.Contains(err.Error(), "postgres cannot enter "+filepath.Dir(hidden)+" (mode 0700)") || !strings.Contains(err.Error(), "Fix:") {
		t.Fatalf("got %v", err)
	}
}

// postgresReachableDir is a temporary folder the postgres user can enter,
// for a private cluster when the test runs as root (the folders of
// t.TempDir are not); it is removed when the test ends.
func postgresReachableDir(t *testing.T) string {
	t.Helper()
	base, err := os.MkdirTemp("", "rcm-devstack-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	return base
}

// testDatabaseRoundTrip creates a database, uses it, and drops it while a
// session is still connected.
func testDatabaseRoundTrip(t *testing.T, pg *Postgres) {
	t.Helper()
	ctx := context.Background()
	name := fmt.Sprintf("rcm_devstack_test_%d", time.Now().UnixNano())
	url, err := pg.CreateDatabase(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := pg.CreateDatabase(ctx, name); err != nil || again != url {
		t.Fatalf("creating it again: %s, %v", again, err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var current string
	if err := conn.QueryRow(ctx, "SELECT current_database()").Scan(&current); err != nil || current != name {
		t.Fatalf("connected to %q (%v), want %q", current, err, name)
	}
	if err := pg.DropDatabase(ctx, name); err != nil {
		t.Fatalf("drop with a session open: %v", err)
	}
	if err := ping(ctx, url); err == nil {
		t.Fatalf("database %s still there after DropDatabase", name)
	}
	if err := pg.DropDatabase(ctx, name); err != nil {
		t.Errorf("dropping a database that is gone: %v", err)
	}
}
