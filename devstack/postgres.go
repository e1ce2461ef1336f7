package devstack

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// LocalPostgresURL is the server FindPostgres tries when given no URL: the
// postgres role on 127.0.0.1:5432, without a password.
const LocalPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres"

const (
	connectTimeout       = 5 * time.Second
	postgresReadyTimeout = 60 * time.Second
)

// PostgresOptions says where to find PostgreSQL.
type PostgresOptions struct {
	// URL of a server to use (--database-url, DATABASE_URL); empty means
	// look for one.
	URL string
	// DataDir is where a private cluster lives if rcm has to start one
	// (e.g. .rcm/postgres); empty means never start one.
	DataDir string
	// Log receives a private cluster's output; nil discards it (its last
	// lines still appear in errors).
	Log io.Writer

	// port is the private cluster's port; 0 picks a free one
	// (StartPrivatePostgres sets it).
	port int
}

// Postgres is a PostgreSQL server rcm can use: one it was given, the local
// one, or a private cluster it started.
type Postgres struct {
	url     string
	private *Process // nil unless rcm started the cluster
}

// URL returns the server's URL, pointing at its maintenance database.
func (p *Postgres) URL() string { return p.url }

// Private reports whether rcm started this server as a private cluster.
func (p *Postgres) Private() bool { return p.private != nil }

// Process returns the private cluster's process, or nil for a server rcm
// did not start.
func (p *Postgres) Process() *Process { return p.private }

// FindPostgres returns a server in this order: the one at opts.URL if given
// (an error if it cannot be reached, naming it with the password hidden);
// else the local server at LocalPostgresURL; else a private cluster under
// opts.DataDir started from the installed server binaries (initdb and
// postgres on PATH or in /usr/lib/postgresql/*/bin, the highest version).
// The private cluster trusts local connections, listens only on 127.0.0.1
// on a free port, and runs as the postgres user when rcm runs as root. If
// none of this works, the error says what was tried and the three ways to
// get a server.
func FindPostgres(ctx context.Context, opts PostgresOptions) (*Postgres, error) {
	if opts.URL != "" {
		if err := ping(ctx, opts.URL); err != nil {
			return nil, fmt.Errorf("connect to PostgreSQL at %s: %w", RedactURL(opts.URL), err)
		}
		return &Postgres{url: opts.URL}, nil
	}
	localErr := ping(ctx, LocalPostgresURL)
	if localErr == nil {
		return &Postgres{url: LocalPostgresURL}, nil
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("find PostgreSQL: %w", ctx.Err())
	}
	tried := []string{fmt.Sprintf("%s: %v", LocalPostgresURL, localErr)}
	if opts.DataDir == "" {
		tried = append(tried, "a private cluster: no data folder given")
		return nil, noPostgresError(tried, "")
	}
	pg, err := startPrivate(ctx, opts)
	if errors.Is(err, errNoServerBinaries) {
		tried = append(tried, "a private cluster: "+err.Error())
		return nil, noPostgresError(tried, opts.DataDir)
	}
	if err != nil {
		return nil, err
	}
	return pg, nil
}

// noPostgresError explains the ways to get a PostgreSQL server.
func noPostgresError(tried []string, dataDir string) error {
	where := "a private cluster"
	if dataDir != "" {
		where += " under " + dataDir
	}
	return fmt.Errorf("no PostgreSQL server found; tried:\n  - %s\n"+
		"Get one in one of three ways:\n"+
		"  - give the URL of a server you have: --database-url or DATABASE_URL\n"+
		"  - run a server on 127.0.0.1:5432 that lets the postgres role in without a password\n"+
		"  - install the server binaries (e.g. `apt install postgresql`, `brew install postgresql`) and rcm starts %s",
		strings.Join(tried, "\n  - "), where)
}

// ping connects to url and runs a query.
func ping(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return conn.Ping(ctx)
}

// CreateDatabase creates the database name unless it exists and returns
// its URL.
func (p *Postgres) CreateDatabase(ctx context.Context, name string) (string, error) {
	dbURL, err := WithDatabase(p.url, name)
	if err != nil {
		return "", err
	}
	err = p.exec(ctx, func(conn *pgx.Conn) error {
		var exists bool
		if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
			return err
		}
		if exists {
			return nil
		}
		_, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // duplicate_database: created meanwhile
			return nil
		}
		return err
	})
	if err != nil {
		return "", fmt.Errorf("create database %s on %s: %w", name, RedactURL(p.url), err)
	}
	return dbURL, nil
}

// DropDatabase drops the database name if it exists, disconnecting its
// sessions (DROP DATABASE ... WITH (FORCE), PostgreSQL 13 or newer).
func (p *Postgres) DropDatabase(ctx context.Context, name string) error {
	if err := validDatabaseName(name); err != nil {
		return err
	}
	err := p.exec(ctx, func(conn *pgx.Conn) error {
		_, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
		return err
	})
	if err != nil {
		return fmt.Errorf("drop database %s on %s: %w", name, RedactURL(p.url), err)
	}
	return nil
}

func (p *Postgres) exec(ctx context.Context, fn func(*pgx.Conn) error) error {
	connectCtx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	conn, err := pgx.Connect(connectCtx, p.url)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return fn(conn)
}

// Stop stops the private cluster rcm started; a server rcm did not start
// is left alone.
func (p *Postgres) Stop(ctx context.Context) error {
	if p.private == nil {
		return nil
	}
	return p.private.Stop(ctx)
}

func validDatabaseName(name string) error {
	if name == "" || len(name) > 63 {
		return fmt.Errorf("database name %q: must be 1 to 63 bytes", name)
	}
	return nil
}

// WithDatabase returns serverURL pointing at database name instead. It
// takes URLs (postgres://...) and key=value connection strings.
func WithDatabase(serverURL, name string) (string, error) {
	if err := validDatabaseName(name); err != nil {
		return "", err
	}
	if strings.HasPrefix(serverURL, "postgres://") || strings.HasPrefix(serverURL, "postgresql://") {
		u, err := url.Parse(serverURL)
		if err != nil {
			return "", fmt.Errorf("database URL %s: %w", RedactURL(serverURL), err)
		}
		u.Path = "/" + name
		u.RawPath = ""
		q := u.Query()
		if q.Has("dbname") {
			q.Del("dbname")
			u.RawQuery = q.Encode()
		}
		return u.String(), nil
	}
	dsn := strings.TrimSpace(dbnameKV.ReplaceAllString(serverURL, ""))
	return strings.TrimSpace(dsn + " dbname='" + strings.ReplaceAll(name, `'`, `\'`) + "'"), nil
}

var (
	dbnameKV   = regexp.MustCompile(`\bdbname\s*=\s*('(?:[^'\\]|\\.)*'|\S+)`)
	passwordKV = regexp.MustCompile(`\bpassword\s*=\s*('(?:[^'\\]|\\.)*'|\S+)`)
)

// RedactURL hides the password in a PostgreSQL URL or key=value
// connection string, for messages.
func RedactURL(s string) string {
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		if err != nil {
			return "(unparsable URL)"
		}
		q := u.Query()
		if q.Has("password") {
			q.Set("password", "xxxxx")
			u.RawQuery = q.Encode()
		}
		return u.Redacted()
	}
	return passwordKV.ReplaceAllString(s, "password=xxxxx")
}

// errNoServerBinaries means no installed PostgreSQL server was found.
var errNoServerBinaries = errors.New("no PostgreSQL server binaries (initdb, postgres) on PATH or in /usr/lib/postgresql/*/bin")

// pgInstall is one installed PostgreSQL server.
type pgInstall struct {
	bin     string // folder with initdb and postgres
	version string // "15.20"
	major   int
}

// findServerBinaries lists installed PostgreSQL servers, highest version
// first.
func findServerBinaries(ctx context.Context) []pgInstall {
	var dirs []string
	for _, prog := range []string{"initdb", "postgres", "pg_ctl"} {
		if p, err := exec.LookPath(prog); err == nil {
			if real, err := filepath.EvalSymlinks(p); err == nil {
				p = real
			}
			dirs = append(dirs, filepath.Dir(p))
		}
	}
	for _, pattern := range []string{
		"/usr/lib/postgresql/*/bin",          // Debian, Ubuntu
		"/usr/pgsql-*/bin",                   // PGDG on RHEL, Fedora
		"/usr/local/pgsql/bin",               // built from source
		"/opt/homebrew/opt/postgresql@*/bin", // Homebrew, Apple silicon
		"/usr/local/opt/postgresql@*/bin",    // Homebrew, Intel
		"/Applications/Postgres.app/Contents/Versions/*/bin",
	} {
		found, _ := filepath.Glob(pattern)
		dirs = append(dirs, found...)
	}
	seen := map[string]bool{}
	var installs []pgInstall
	for _, dir := range dirs {
		if seen[dir] {
			continue
		}
		seen[dir] = true
		if !isExecutable(filepath.Join(dir, "initdb")) || !isExecutable(filepath.Join(dir, "postgres")) {
			continue
		}
		out, err := exec.CommandContext(ctx, filepath.Join(dir, "postgres"), "--version").Output()
		if err != nil {
			continue
		}
		version, major, ok := parsePostgresVersion(string(out))
		if !ok {
			continue
		}
		installs = append(installs, pgInstall{bin: dir, version: version, major: major})
	}
	slices.SortStableFunc(installs, func(a, b pgInstall) int { return cmp.Compare(b.major, a.major) })
	return installs
}

var postgresVersion = regexp.MustCompile(`\(PostgreSQL\) (\d+)(\.\d+)?`)

// parsePostgresVersion reads `postgres --version`:
// "postgres (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)".
func parsePostgresVersion(s string) (version string, major int, ok bool) {
	m := postgresVersion.FindStringSubmatch(s)
	if m == nil {
		return "", 0, false
	}
	major, err := strconv.Atoi(m[1])
	if err != nil {
		return "", 0, false
	}
	return m[1] + m[2], major, true
}

// startPrivate starts (after creating, the first time) a private cluster
// under opts.DataDir: the cluster in data/, its socket in run/.
func startPrivate(ctx context.Context, opts PostgresOptions) (*Postgres, error) {
	dataDir, err := filepath.Abs(opts.DataDir)
	if err != nil {
		return nil, fmt.Errorf("private PostgreSQL cluster: data folder %s: %w", opts.DataDir, err)
	}
	installs := findServerBinaries(ctx)
	if len(installs) == 0 {
		return nil, errNoServerBinaries
	}
	pgdata := filepath.Join(dataDir, "data")
	install := installs[0]
	if b, err := os.ReadFile(filepath.Join(pgdata, "PG_VERSION")); err == nil {
		made, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		i := slices.IndexFunc(installs, func(in pgInstall) bool { return in.major == made })
		if i < 0 {
			return nil, fmt.Errorf("private PostgreSQL cluster in %s was made by PostgreSQL %d, which is not installed (found %d in %s): install it, or remove %s to start afresh",
				pgdata, made, install.major, install.bin, pgdata)
		}
		install = installs[i]
	}
	owner, err := clusterOwner(dataDir)
	if err != nil {
		return nil, fmt.Errorf("private PostgreSQL cluster in %s: %w", dataDir, err)
	}
	sockDir := filepath.Join(dataDir, "run")
	for _, dir := range []string{dataDir, sockDir} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("private PostgreSQL cluster: %w", err)
		}
	}
	if err := owner.own(dataDir); err != nil {
		return nil, fmt.Errorf("private PostgreSQL cluster: %w", err)
	}
	if _, err := os.Stat(filepath.Join(pgdata, "PG_VERSION")); err != nil {
		if err := initCluster(ctx, install, owner, dataDir, pgdata, opts.Log); err != nil {
			return nil, err
		}
	}

	port := opts.port
	if port == 0 {
		if port, err = FreePort(); err != nil {
			return nil, fmt.Errorf("private PostgreSQL cluster: %w", err)
		}
	}
	// A Unix socket path has a length limit (104 bytes on macOS); the
	// cluster is reached over TCP anyway.
	sockets := sockDir
	if len(filepath.Join(sockDir, ".s.PGSQL."+strconv.Itoa(port)+".lock")) > 100 {
		sockets = ""
	}
	p, err := startProcess(processSpec{
		name: "PostgreSQL " + install.version + " (private cluster in " + pgdata + ")",
		path: filepath.Join(install.bin, "postgres"),
		args: []string{"-D", pgdata,
			"-c", "listen_addresses=" + Loopback,
			"-c", "port=" + strconv.Itoa(port),
			"-c", "unix_socket_directories=" + sockets,
			"-c", "logging_collector=off",
		},
		dir:        dataDir,
		log:        opts.Log,
		stopSignal: syscall.SIGINT, // fast shutdown: ends sessions, then checkpoints
		user:       owner,
	})
	if err != nil {
		return nil, err
	}
	serverURL := "postgres://postgres@" + hostPort(port) + "/postgres"
	if err := p.waitReady(ctx, postgresReadyTimeout, hostPort(port), func(ctx context.Context) error {
		return ping(ctx, serverURL)
	}); err != nil {
		return nil, err
	}
	return &Postgres{url: serverURL, private: p}, nil
}

// initCluster runs initdb into a fresh folder and renames it to pgdata, so
// an interrupted initdb never leaves a cluster that looks made.
func initCluster(ctx context.Context, install pgInstall, owner clusterUser, dataDir, pgdata string, log io.Writer) error {
	tmp := pgdata + ".initdb"
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("private PostgreSQL cluster: %w", err)
	}
	initdb := filepath.Join(install.bin, "initdb")
	cmd := exec.CommandContext(ctx, initdb, "-D", tmp,
		"--auth=trust", "--username=postgres", "--encoding=UTF8", "--no-locale")
	cmd.Dir = dataDir
	tail := newTailBuffer(16 << 10)
	cmd.Stdout, cmd.Stderr = tail, tail
	if log != nil {
		cmd.Stdout, cmd.Stderr = io.MultiWriter(tail, log), io.MultiWriter(tail, log)
	}
	cmd.SysProcAttr = childProcAttr(syscall.SIGKILL)
	owner.apply(cmd.SysProcAttr)
	if err := cmd.Run(); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("private PostgreSQL cluster: `%s -D %s --auth=trust --username=postgres` failed: %v\nlast lines of its output:\n%s",
			initdb, tmp, err, indent(tail.Lines(15), "  "))
	}
	if err := os.Rename(tmp, pgdata); err != nil {
		return fmt.Errorf("private PostgreSQL cluster: %w", err)
	}
	return nil
}
