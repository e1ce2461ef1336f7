package cli

import (
	"errors"
	"strconv"

	ucli "github.com/urfave/cli/v2"

	"rcm/messages"
	"rcm/store"
)

// databaseURLFlag is --database-url for the commands that work on the
// database directly (migrate, serve, user bootstrap).
func databaseURLFlag() *ucli.StringFlag {
	return &ucli.StringFlag{
		Name:    "database-url",
		Usage:   "PostgreSQL URL, e.g. postgres://rcm@127.0.0.1:5432/rcm",
		EnvVars: []string{"RCM_DATABASE_URL", "DATABASE_URL"},
	}
}

// databaseURL returns --database-url, or a usage error saying how to give it.
func databaseURL(c *ucli.Context) (string, error) {
	u := c.String("database-url")
	if u == "" {
		return "", usageError("no database: give --database-url or set RCM_DATABASE_URL, e.g. postgres://rcm@127.0.0.1:5432/rcm")
	}
	return u, nil
}

// openDatabase applies pending migrations and opens the store.
func openDatabase(c *ucli.Context) (*store.Store, error) { return connectDatabase(c, true) }

// connectDatabase opens the store, first applying pending migrations when migrate is set.
func connectDatabase(c *ucli.Context, migrate bool) (*store.Store, error) {
	u, err := databaseURL(c)
	if err != nil {
		return nil, err
	}
	if migrate {
		if err := store.MigrateUp(c.Context, u); err != nil {
			return nil, unavailable(err)
		}
	}
	st, err := store.Open(c.Context, u)
	if err != nil {
		return nil, unavailable(err)
	}
	return st, nil
}

// unavailable marks an error reaching a service with ExitUnavailable.
func unavailable(err error) error {
	var exitErr *ExitError
	if errors.As(err, &exitErr) {
		return err
	}
	return &ExitError{Code: ExitUnavailable, Err: err}
}

// migrateCommand applies and lists the database migrations.
func migrateCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "migrate",
		Usage: "apply or list the database migrations (on the database directly)",
		Subcommands: []*ucli.Command{
			{
				Name:      "up",
				Usage:     "apply every pending migration",
				UsageText: "rcm migrate up [--database-url URL]",
				Description: `Safe to run while other rcm processes start: migrations take a lock.

Examples:
   rcm migrate up --database-url postgres://rcm@127.0.0.1:5432/rcm`,
				Flags:  []ucli.Flag{databaseURLFlag(), outputFlag()},
				Action: migrateUp,
			},
			{
				Name:      "status",
				Usage:     "list the migrations and whether each is applied",
				UsageText: "rcm migrate status [--database-url URL] [--output table|json|csv]",
				Description: `Examples:
   RCM_DATABASE_URL=postgres://rcm@127.0.0.1:5432/rcm rcm migrate status`,
				Flags:  []ucli.Flag{databaseURLFlag(), outputFlag()},
				Action: migrateStatus,
			},
		},
	}
}

func migrateUp(c *ucli.Context) error {
	u, err := databaseURL(c)
	if err != nil {
		return err
	}
	applied, err := store.MigrateUpReport(c.Context, u)
	if err != nil {
		return unavailable(err)
	}
	if len(applied) == 0 && c.String("output") != outputJSON {
		_, err := c.App.Writer.Write([]byte(messages.Both("cli.database_up_to_date") + "\n"))
		return err
	}
	return printMigrations(c, applied)
}

func migrateStatus(c *ucli.Context) error {
	u, err := databaseURL(c)
	if err != nil {
		return err
	}
	all, err := store.Migrations(c.Context, u)
	if err != nil {
		return unavailable(err)
	}
	return printMigrations(c, all)
}

func printMigrations(c *ucli.Context, ms []store.MigrationStatus) error {
	type migrationJSON struct {
		Version int64  `json:"version"`
		Name    string `json:"name"`
		Applied bool   `json:"applied"`
	}
	rows := make([][]string, len(ms))
	out := make([]migrationJSON, len(ms))
	for i, m := range ms {
		state := "pending"
		if m.Applied {
			state = "applied"
		}
		rows[i] = []string{strconv.FormatInt(m.Version, 10), m.Name, state}
		out[i] = migrationJSON{Version: m.Version, Name: m.Name, Applied: m.Applied}
	}
	return printRecords(c, records{Header: []string{"version", "name", "state"}, Rows: rows, JSON: out})
}
