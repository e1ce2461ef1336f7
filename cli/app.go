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
	"strings"

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
	// urfave/cli reports missing required flags with a type it does not
	// export; its message is the one thing to recognise it by.
	if strings.HasPrefix(err.Error(), "Required flag") {
		return ExitUsage
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
		// A value may hold commas ("--value NOTE=a, b", "--value GRDP=8,2" to
		// be refused with its own message); list flags split them themselves.
		DisableSliceFlagSeparator: true,
		HideHelpCommand:           true,
		ExitErrHandler:            func(*ucli.Context, error) {}, // Run prints and maps errors
		OnUsageError: func(_ *ucli.Context, err error, _ bool) error {
			return &ExitError{Code: ExitUsage, Err: err}
		},
	}
	app.Commands = []*ucli.Command{
		// Office staff, agencies and supervisors (clients of the API).
		agencyCommand(),
		calendarCommand(),
		userCommand(),
		auditCommand(),
		loginCommand(),
		templateCommand(),
		regimeCommand(),
		cycleCommand(),
		submitCommand(),
		nilReportCommand(),
		extensionCommand(),
		lateFileCommand(),
		lateFilingCommand(),
		receiptCommand(),
		reviewCommand(),
		complianceCommand(),
		aggregateCommand(),
		scheduleCommand(),
		// Calendar and message previews (no server needed).
		periodCommand(),
		notifyCommand(),
		// Running the system.
		devCommand(),
		demoCommand(),
		serveCommand(),
		workerCommand(),
		migrateCommand(),
		toolsCommand(),
	}
	for _, c := range app.Commands {
		exitUsageOnBadFlags(c)
	}
	return app
}

// exitUsageOnBadFlags makes a bad flag on c or its subcommands exit with
// ExitUsage instead of urfave/cli's default status 1.
func exitUsageOnBadFlags(c *ucli.Command) {
	if c.OnUsageError == nil {
		c.OnUsageError = func(_ *ucli.Context, err error, _ bool) error {
			return &ExitError{Code: ExitUsage, Err: err}
		}
	}
	for _, sub := range c.Subcommands {
		exitUsageOnBadFlags(sub)
	}
}

// flagsFirst moves the flags written after a command's arguments in front of
// them: urfave/cli v2 stops reading flags at the first argument, but people
// write "rcm period show 2026-Q1 --output json". Everything after "--" stays
// an argument.
func flagsFirst(app *ucli.App, args []string) ([]string, error) {
	if len(args) < 2 {
		return args, nil
	}
	out := []string{args[0]}
	commands, flags := app.Commands, app.Flags
	i := 1
	for i < len(args) {
		a := args[i]
		if a == "--" || !strings.HasPrefix(a, "-") {
			cmd := findCommand(commands, a)
			if cmd == nil {
				break
			}
			out = append(out, a)
			i++
			commands, flags = cmd.Subcommands, cmd.Flags
			if len(commands) == 0 {
				break
			}
			continue
		}
		out = append(out, a)
		i++
		if takesValue(flags, a) && i < len(args) {
			out = append(out, args[i])
			i++
		}
	}
	var leadingFlags, positional []string
	for i < len(args) {
		a := args[i]
		switch {
		case a == "--":
			positional = append(positional, args[i:]...)
			i = len(args)
		case strings.HasPrefix(a, "-") && a != "-":
			leadingFlags = append(leadingFlags, a)
			i++
			if takesValue(flags, a) {
				if i >= len(args) {
					return nil, usageError("flag needs an argument: %s", a)
				}
				leadingFlags = append(leadingFlags, args[i])
				i++
			}
		default:
			positional = append(positional, a)
			i++
		}
	}
	for _, f := range leadingFlags {
		if f == "--help" || f == "-h" {
			// Help wins; urfave/cli would take an argument after it for a help topic.
			return append(out, f), nil
		}
	}
	out = append(out, leadingFlags...)
	return append(out, positional...), nil
}

func findCommand(commands []*ucli.Command, name string) *ucli.Command {
	for _, c := range commands {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// takesValue reports whether the flag token arg ("--due", "-o") names a flag
// that reads the next token as its value.
func takesValue(flags []ucli.Flag, arg string) bool {
	name, _, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
	if hasValue {
		return false
	}
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				if d, ok := f.(ucli.DocGenerationFlag); ok {
					return d.TakesValue()
				}
				return true
			}
		}
	}
	return false
}
