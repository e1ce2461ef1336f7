// Package cli builds the rcm command line: the commands office staff, agencies
// and supervisors type, and the commands that run the system (dev, worker,
// serve, migrate). Role commands are clients of the HTTP API; system commands
// work on the database directly.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	ucli "github.com/urfave/cli/v2"
)

// Exit statuses scripts can rely on.
const (
	ExitOK          = 0
	ExitFailure     = 1 // anything not classified below
	ExitUsage       = 2 // bad flags, arguments or input files
	ExitDenied      = 3 // not authenticated or not allowed
	ExitNotFound    = 4 // the thing named does not exist (or is outside the caller's scope)
	ExitConflict    = 5 // refused by the state of the system (duplicate, closed cycle, ...)
	ExitUnavailable = 6 // a service rcm needs cannot be reached
)

// ExitError carries an exit status with the message printed to the user.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// usageError reports bad input from the command line with ExitUsage.
func usageError(format string, args ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, args...)}
}

// Run executes the command line in args and returns the process exit status.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := newApp(stdin, stdout, stderr)
	err := app.RunContext(ctx, args)
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

func newApp(stdin io.Reader, stdout, stderr io.Writer) *ucli.App {
	app := &ucli.App{
		Name:                 "rcm",
		Usage:                "reporting-cycle manager for government offices",
		Reader:               stdin,
		Writer:               stdout,
		ErrWriter:            stderr,
		EnableBashCompletion: true,
		HideHelpCommand:      true,
		ExitErrHandler:       func(*ucli.Context, error) {}, // Run prints and maps errors
		OnUsageError: func(_ *ucli.Context, err error, _ bool) error {
			return &ExitError{Code: ExitUsage, Err: err}
		},
	}
	app.Commands = []*ucli.Command{
		periodCommand(),
	}
	return app
}
