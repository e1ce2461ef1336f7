package cli

import (
	"fmt"
	"path/filepath"

	ucli "github.com/urfave/cli/v2"

	"rcm/access"
	"rcm/demo"
	"rcm/operations"
)

// demoCommand manages the demo data.
func demoCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "demo",
		Usage: "the demo data: Vietnam's agencies, a monthly socio-economic template and regime, users and tokens",
		Subcommands: []*ucli.Command{
			{
				Name:      "seed",
				Usage:     "put the demo data into the database, safe to repeat (on the database directly)",
				UsageText: "rcm demo seed [--database-url URL] [--data-dir DIR]",
				Description: `Creates what is missing of the demo data, the same that rcm dev --demo
seeds: the national root, six regions, the 34 provinces and centrally-run
cities and the ministries, each with an officer's and a head's address on
the rcm.test domain; the template SEI and the regime SEI_MONTHLY for the
provinces and cities; an office-staff user, an officer per province and city,
a supervisor per region and one for the country, each with a password of its
own drawn at random. Seeding again changes nothing, except that it issues new
API tokens (for the staff user, the officers of HNI and HCM and the supervisor
of R-DBSH), revokes the old ones and rewrites DATA-DIR/` + demo.CredentialsFileName + `
(mode 0600), the only place the tokens and the passwords are written (the
passwords of the file it replaces are kept).

Examples:
   rcm demo seed --database-url postgres://postgres@127.0.0.1:5432/rcm
   RCM_DATABASE_URL=postgres://rcm:secret@postgres:5432/rcm RCM_DATA_DIR=/var/lib/rcm rcm demo seed`,
				Flags: []ucli.Flag{
					databaseURLFlag(),
					&ucli.StringFlag{Name: "data-dir", Usage: "folder for the demo credentials file", Value: DefaultDataDir, EnvVars: []string{"RCM_DATA_DIR"}},
					&ucli.BoolFlag{Name: "migrate", Usage: "apply pending migrations first", Value: true, EnvVars: []string{"RCM_MIGRATE"}},
				},
				Action: demoSeed,
			},
		},
	}
}

func demoSeed(c *ucli.Context) error {
	if c.NArg() > 0 {
		return usageError("demo seed takes no arguments; got %q", c.Args().First())
	}
	dataDir, err := filepath.Abs(c.String("data-dir"))
	if err != nil {
		return usageError("--data-dir %q: %v", c.String("data-dir"), err)
	}
	st, err := connectDatabase(c, c.Bool("migrate"))
	if err != nil {
		return err
	}
	defer st.Close()
	creds, err := demo.Seed(c.Context, operations.New(st, nil, nil), demo.Options{CredentialsFile: filepath.Join(dataDir, demo.CredentialsFileName)})
	if err != nil {
		return fmt.Errorf("seed the demo data: %w", err)
	}
	staff, _ := creds.Token(access.Staff, "")
	officer, _ := creds.Token(access.Officer, "")
	w := c.App.Writer
	fmt.Fprintf(w, "Demo data: %s.\n", creds.Seeded)
	fmt.Fprintf(w, "Sign in as %s (office staff) or %s (officer), ... with the passwords in %s.\n", staff.Email, officer.Email, creds.File)
	fmt.Fprintf(w, "API tokens: %s (new ones; the earlier demo tokens are revoked).\n", creds.File)
	fmt.Fprintf(w, "Use the staff token: export RCM_TOKEN=%s\n", demo.TokenCommand(relativePath(creds.File), "staff"))
	return nil
}
