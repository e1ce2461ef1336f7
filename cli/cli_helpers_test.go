package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	ucli "github.com/urfave/cli/v2"

	"rcm/operations"
	"rcm/store"
	"rcm/testenv"
	"rcm/web"
)

// referenceCommands are the commands of this part of the command line, added
// to the app for tests until app.go registers them.
func referenceCommands() []func() *ucli.Command {
	return []func() *ucli.Command{agencyCommand, userCommand, templateCommand, regimeCommand, migrateCommand, serveCommand, auditCommand, loginCommand}
}

// runCLI runs the command line as Run does, with the reference commands.
func runCLI(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := newApp(stdin, stdout, stderr)
	for _, mk := range referenceCommands() {
		c := mk()
		if findCommand(app.Commands, c.Name) == nil {
			exitUsageOnBadFlags(c)
			app.Commands = append(app.Commands, c)
		}
	}
	args, err := flagsFirst(app, args)
	if err == nil {
		err = app.RunContext(ctx, args)
	}
	if err == nil {
		return ExitOK
	}
	fmt.Fprintf(stderr, "rcm: %v\n", err)
	var exitErr *ExitError
	if errors.As(err, &exitErr) {
		return exitErr.Code
	}
	return ExitFailure
}

// result is what one run of the command line printed and returned.
type result struct {
	code           int
	stdout, stderr string
}

// cliEnv is a real API server on a real database, and the command line
// pointed at it.
type cliEnv struct {
	t          *testing.T
	dbURL      string
	store      *store.Store
	server     string
	staffToken string
}

func newCLIEnv(t *testing.T) *cliEnv {
	t.Helper()
	e := &cliEnv{t: t, dbURL: testenv.Database(t)}
	st, err := store.Open(context.Background(), e.dbURL)
	require.NoError(t, err)
	t.Cleanup(st.Close)
	e.store = st
	srv := httptest.NewServer(web.NewServer(web.Config{}, web.Deps{Operations: operations.New(st, nil, nil)}).Handler())
	t.Cleanup(srv.Close)
	e.server = srv.URL
	r := e.run("", "user", "bootstrap", "--email", "admin@vpcp.gov.vn", "--database-url", e.dbURL)
	require.Equal(t, ExitOK, r.code, r.stderr)
	e.staffToken = strings.TrimSpace(r.stdout)
	return e
}

// run runs rcm with args and stdin.
func (e *cliEnv) run(stdin string, args ...string) result {
	e.t.Helper()
	var stdout, stderr bytes.Buffer
	code := runCLI(context.Background(), append([]string{"rcm"}, args...), strings.NewReader(stdin), &stdout, &stderr)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// as runs an API command with the token.
func (e *cliEnv) as(token string, args ...string) result {
	e.t.Helper()
	return e.run("", append(args, "--server", e.server, "--token", token)...)
}

// staff runs an API command as the bootstrapped office-staff user.
func (e *cliEnv) staff(args ...string) result {
	e.t.Helper()
	return e.as(e.staffToken, args...)
}

// ok fails the test unless r succeeded, and returns its standard output.
func (r result) ok(t *testing.T) string {
	t.Helper()
	require.Equal(t, ExitOK, r.code, "stderr: %s\nstdout: %s", r.stderr, r.stdout)
	return r.stdout
}
