package devstack

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// temporalConn is how the cluster reaches PostgreSQL.
type temporalConn struct {
	host     string
	port     uint16
	user     string
	password string
}

// temporalConnection reads host, port, user and password from a
// PostgreSQL URL or key=value string.
func temporalConnection(serverURL string) (temporalConn, error) {
	cfg, err := pgconn.ParseConfig(serverURL)
	if err != nil {
		return temporalConn{}, fmt.Errorf("start Temporal cluster: PostgreSQL URL %s: %w", RedactURL(serverURL), err)
	}
	if strings.HasPrefix(cfg.Host, "/") {
		return temporalConn{}, fmt.Errorf("start Temporal cluster: PostgreSQL at %s is a Unix socket; Temporal connects over TCP: give a URL with a host name or address",
			RedactURL(serverURL))
	}
	return temporalConn{host: cfg.Host, port: cfg.Port, user: cfg.User, password: cfg.Password}, nil
}

// TemporalSchemaSteps are the schema tool's commands (after its connection
// settings, which it reads from SQL_* variables) that bring a cluster's two
// databases to the schema of this server version, in order. The schema is
// embedded in the tool. Each is safe to repeat: setup makes the version
// tables if missing, update applies what is newer than the database.
func TemporalSchemaSteps(database, visibilityDatabase string) [][]string {
	return [][]string{
		{"--db", database, "setup-schema", "-v", "0.0"},
		{"--db", database, "update-schema", "--schema-name", "postgresql/v12/temporal"},
		{"--db", visibilityDatabase, "setup-schema", "-v", "0.0"},
		{"--db", visibilityDatabase, "update-schema", "--schema-name", "postgresql/v12/visibility"},
	}
}

// setUpTemporalDatabases creates the databases unless they exist and runs
// the schema steps.
func setUpTemporalDatabases(ctx context.Context, o TemporalClusterOptions, conn temporalConn) error {
	for _, name := range []string{o.Database, o.VisibilityDatabase} {
		if _, err := o.Postgres.CreateDatabase(ctx, name); err != nil {
			return fmt.Errorf("start Temporal cluster: %w", err)
		}
	}
	env := temporalEnv(
		"SQL_PLUGIN="+TemporalSQLPlugin,
		"SQL_HOST="+conn.host,
		"SQL_PORT="+strconv.Itoa(int(conn.port)),
		"SQL_USER="+conn.user,
		"SQL_PASSWORD="+conn.password,
	)
	for _, step := range TemporalSchemaSteps(o.Database, o.VisibilityDatabase) {
		if err := runTool(ctx, "Temporal schema tool", o.SQLTool, o.Dir, env, step...); err != nil {
			return err
		}
	}
	return nil
}

// temporalEnv is this process's environment without any TEMPORAL_* or SQL_*
// variable, then vars: the server and its schema tool read only what
// devstack sets, never what a shell left behind (TEMPORAL_ADDRESS for the
// CLI, say).
func temporalEnv(vars ...string) []string {
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "TEMPORAL_") || strings.HasPrefix(kv, "SQL_")
	})
	return append(env, vars...)
}

// runTool runs a program to its end (bounded by temporalSchemaTimeout) and
// returns an error with the end of its output if it fails.
func runTool(ctx context.Context, what, path, dir string, env []string, args ...string) error {
	ctx, cancel := context.WithTimeout(ctx, temporalSchemaTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Dir = dir
	cmd.Env = env
	tail := newTailBuffer(16 << 10)
	cmd.Stdout, cmd.Stderr = tail, tail
	cmd.SysProcAttr = childProcAttr(syscall.SIGKILL)
	cmd.Cancel = func() error { killGroup(cmd.Process.Pid, syscall.SIGKILL); return nil }
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: `%s %s` failed: %v\nlast lines of its output:\n%s",
			what, filepath.Base(path), strings.Join(args, " "), err, indent(tail.Lines(20), "  "))
	}
	return nil
}
