package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"rcm/access"
	"rcm/api"
	"rcm/messages"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
)

// userCommand manages people and their API tokens.
func userCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "user",
		Usage: "create and list users, issue and revoke API tokens, disable users, passwords and sessions",
		Subcommands: slices.Concat([]*ucli.Command{
			userBootstrapCommand(),
			userCreateCommand(),
			userListCommand(),
			userShowCommand(),
			userRevokeCommand(),
			{
				Name:  "token",
				Usage: "create and list API tokens",
				Subcommands: []*ucli.Command{
					userTokenCreateCommand(),
					userTokenListCommand(),
				},
			},
		}, accountCommands()),
	}
}

func userCreateCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "create",
		Usage: "create a user (office staff)",
		UsageText: "rcm user create --email ADDRESS --role staff|officer|supervisor|reviewer [--agency CODE] [--name NAME] " +
			"[--language vi|en] [--password-stdin]",
		Description: `An officer reports for one agency; a supervisor sees the subtree rooted at
theirs; office staff see everything and belong to no agency. Without
--password-stdin the user signs in with API tokens only.

Examples:
   rcm user create --email vanphong@hanoi.gov.vn --role officer --agency HNI
   rcm user create --email lanhdao@dbsh.gov.vn --role supervisor --agency R-DBSH
   printf '%s' "$PASSWORD" | rcm user create --email staff2@vpcp.gov.vn --role staff --password-stdin`,
		Flags: append(clientFlags(),
			&ucli.StringFlag{Name: "email", Usage: "e-mail address (required)", Required: true},
			&ucli.StringFlag{Name: "role", Usage: "staff, officer, supervisor or reviewer (required)", Required: true},
			&ucli.StringFlag{Name: "agency", Usage: "the officer's agency or the supervisor's subtree root"},
			&ucli.StringFlag{Name: "name", Usage: "the person's name"},
			&ucli.StringFlag{Name: "language", Usage: "language of messages: vi or en", Value: "vi"},
			&ucli.BoolFlag{Name: "password-stdin", Usage: "read a password for the pages from standard input"},
			outputFlag(),
		),
		Action: userCreate,
	}
}

func userCreate(c *ucli.Context) error {
	if _, err := access.ParseRole(c.String("role")); err != nil {
		return usageError("--role: %v", err)
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	password, err := readPassword(c)
	if err != nil {
		return err
	}
	req := api.NewUser{Email: c.String("email"), Role: c.String("role"), Agency: c.String("agency"),
		Name: c.String("name"), Language: c.String("language"), Password: password}
	var u api.User
	if err := cl.do(c.Context, http.MethodPost, "/api/v1/users", req, &u); err != nil {
		return err
	}
	return printUsers(c, []api.User{u})
}

// readPassword reads the first line of standard input when --password-stdin is set.
func readPassword(c *ucli.Context) (string, error) {
	if !c.Bool("password-stdin") {
		return "", nil
	}
	line, err := bufio.NewReader(c.App.Reader).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from standard input: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		return "", usageError("--password-stdin: standard input is empty; pipe the password in")
	}
	return password, nil
}

func printUsers(c *ucli.Context, users []api.User) error {
	rows := make([][]string, len(users))
	for i, u := range users {
		state := "active"
		if u.DisabledAt != nil {
			state = "disabled"
		}
		rows[i] = []string{strconv.FormatInt(u.ID, 10), u.Email, u.Name, u.Role, u.Agency, u.Language, state}
	}
	return printRecords(c, records{
		Header: []string{"id", "email", "name", "role", "agency", "language", "state"},
		Rows:   rows,
		JSON:   nonNil(users),
	})
}

func userListCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "list",
		Usage:     "list the users you may see (office staff: all; supervisors: their subtree's)",
		UsageText: "rcm user list [--role ROLE] [--limit N] [--output table|json|csv]",
		Description: `Examples:
   rcm user list
   rcm user list --role supervisor --output csv`,
		Flags: append(clientFlags(),
			&ucli.StringFlag{Name: "role", Usage: "only users of this role"},
			&ucli.IntFlag{Name: "limit", Usage: "at most this many (0 = all)"},
			outputFlag(),
		),
		Action: userList,
	}
}

func userList(c *ucli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	q := url.Values{"limit": {"500"}}
	if r := c.String("role"); r != "" {
		q.Set("role", r)
	}
	users, err := listAll[api.User](c.Context, cl, "/api/v1/users", q, c.Int("limit"))
	if err != nil {
		return err
	}
	return printUsers(c, users)
}

func userShowCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "show",
		Usage:     "show one user (yourself if no ID is given)",
		ArgsUsage: "[ID]",
		UsageText: "rcm user show [ID] [--output table|json|csv]",
		Description: `Examples:
   rcm user show
   rcm user show 12 --output json`,
		Flags:  append(clientFlags(), outputFlag()),
		Action: userShow,
	}
}

func userShow(c *ucli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	path := "/api/v1/me"
	if c.NArg() > 0 {
		id, err := parseID(c.Args().First(), "user")
		if err != nil {
			return err
		}
		path = fmt.Sprintf("/api/v1/users/%d", id)
	}
	var u api.User
	if err := cl.do(c.Context, http.MethodGet, path, nil, &u); err != nil {
		return err
	}
	return printUsers(c, []api.User{u})
}

func userRevokeCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "revoke",
		Usage:     "revoke an API token (yours; office staff: anyone's)",
		ArgsUsage: "TOKEN-ID",
		UsageText: "rcm user revoke TOKEN-ID",
		Description: `TOKEN-ID is the number rcm user token list shows, not the token itself.

Examples:
   rcm user revoke 7`,
		Flags:  append(clientFlags(), outputFlag()),
		Action: userRevoke,
	}
}

func userRevoke(c *ucli.Context) error {
	if c.NArg() != 1 {
		return usageError("user revoke: name one token id, for example: rcm user revoke 7")
	}
	id, err := parseID(c.Args().First(), "token")
	if err != nil {
		return err
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	var t api.Token
	if err := cl.do(c.Context, http.MethodDelete, fmt.Sprintf("/api/v1/tokens/%d", id), nil, &t); err != nil {
		return err
	}
	return printTokens(c, []api.Token{t})
}

func userTokenCreateCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "create",
		Usage:     "create an API token and print it once",
		UsageText: "rcm user token create [--user ID] [--name NAME] [--expires 90d] [--output table|json]",
		Description: `The token is printed once, alone on standard output, so a script can keep
it: save it now, rcm keeps only its hash. A token is issued to its holder
only: nobody, office staff included, may create one for someone else and
act as them (--user names yourself, or is refused).

Examples:
   rcm user token create --name laptop --expires 90d
   RCM_TOKEN=$(rcm user token create --expires 30d)`,
		Flags: append(clientFlags(),
			&ucli.Int64Flag{Name: "user", Usage: "the user the token is for (default: you)"},
			&ucli.StringFlag{Name: "name", Usage: "a name to recognise the token by"},
			&ucli.StringFlag{Name: "expires", Usage: "how long the token lasts, e.g. 90d or 12h (default: no expiry)"},
			outputFlag(),
		),
		Action: userTokenCreate,
	}
}

// userClient opens the API client and finds the user the flags name
// (--user, or the caller), returning the API path of that user.
func userClient(c *ucli.Context) (*apiClient, string, error) {
	cl, err := newClient(c)
	if err != nil {
		return nil, "", err
	}
	id, err := userID(c, cl)
	if err != nil {
		return nil, "", err
	}
	return cl, fmt.Sprintf("/api/v1/users/%d", id), nil
}

// userID returns --user, or the caller's own id.
func userID(c *ucli.Context, cl *apiClient) (int64, error) {
	if id := c.Int64("user"); id > 0 {
		return id, nil
	}
	var me api.User
	if err := cl.do(c.Context, http.MethodGet, "/api/v1/me", nil, &me); err != nil {
		return 0, err
	}
	return me.ID, nil
}

func userTokenCreate(c *ucli.Context) error {
	cl, user, err := userClient(c)
	if err != nil {
		return err
	}
	req := api.CreateToken{Name: c.String("name"), ExpiresIn: c.String("expires")}
	var t api.NewToken
	if err := cl.do(c.Context, http.MethodPost, user+"/tokens", req, &t); err != nil {
		return err
	}
	return printNewToken(c, t)
}

// printNewToken prints a token just created: the secret alone on standard
// output (or the whole record as JSON), the advice on standard error.
func printNewToken(c *ucli.Context, t api.NewToken) error {
	if c.String("output") == outputJSON {
		if err := printRecords(c, records{JSON: t}); err != nil {
			return err
		}
	} else if _, err := fmt.Fprintln(c.App.Writer, t.Secret); err != nil {
		return fmt.Errorf("print the token: %w", err)
	}
	expiry := messages.Both("cli.never_expires")
	if t.ExpiresAt != nil {
		expiry = messages.Both("cli.expires") + " " + t.ExpiresAt.Local().Format(time.RFC3339)
	}
	fmt.Fprintf(c.App.ErrWriter, "Token #%d (%s). %s\n%s: export RCM_TOKEN=<token>; %s: rcm user revoke %d\n",
		t.ID, expiry, messages.Both("cli.token_shown_once"), messages.Both("cli.use"), messages.Both("cli.revoke"), t.ID)
	return nil
}

func userTokenListCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "list",
		Usage:     "list API tokens (yours, or with --user anyone's for office staff)",
		UsageText: "rcm user token list [--user ID] [--output table|json|csv]",
		Description: `Examples:
   rcm user token list
   rcm user token list --user 12 --output json`,
		Flags: append(clientFlags(),
			&ucli.Int64Flag{Name: "user", Usage: "whose tokens (default: yours)"},
			outputFlag(),
		),
		Action: userTokenList,
	}
}

func userTokenList(c *ucli.Context) error {
	cl, user, err := userClient(c)
	if err != nil {
		return err
	}
	var p api.Page[api.Token]
	if err := cl.do(c.Context, http.MethodGet, user+"/tokens", nil, &p); err != nil {
		return err
	}
	return printTokens(c, p.Items)
}

func printTokens(c *ucli.Context, tokens []api.Token) error {
	rows := make([][]string, len(tokens))
	for i, t := range tokens {
		state := "active"
		switch {
		case t.RevokedAt != nil:
			state = "revoked"
		case t.ExpiresAt != nil && t.ExpiresAt.Before(time.Now()):
			state = "expired"
		}
		rows[i] = []string{strconv.FormatInt(t.ID, 10), strconv.FormatInt(t.UserID, 10), t.Name, t.Prefix + "…",
			formatTime(t.CreatedAt), formatTimePtr(t.ExpiresAt), formatTimePtr(t.LastUsedAt), state}
	}
	return printRecords(c, records{
		Header: []string{"id", "user", "name", "prefix", "created", "expires", "last_used", "state"},
		Rows:   rows,
		JSON:   nonNil(tokens),
	})
}

func formatTime(t time.Time) string { return t.Local().Format("2006-01-02 15:04") }

func formatTimePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return formatTime(*t)
}

func parseID(raw, what string) (int64, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, usageError("%s id %q is not a number; list them with rcm %s", what, raw, map[string]string{"user": "user list", "token": "user token list"}[what])
	}
	return id, nil
}

func userBootstrapCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "bootstrap",
		Usage:     "create the first office-staff user and a token, on the database directly",
		UsageText: "rcm user bootstrap --email ADDRESS [--name NAME] [--password-stdin] [--database-url URL]",
		Description: `Run once, on a new installation: it applies pending migrations, creates the
first office-staff user and prints an API token for them (once). It refuses
when a staff user exists; from then on staff create users with rcm user create.

Examples:
   rcm user bootstrap --email admin@vpcp.gov.vn --database-url postgres://rcm@localhost/rcm
   export RCM_TOKEN=$(rcm user bootstrap --email admin@vpcp.gov.vn)`,
		Flags: []ucli.Flag{
			databaseURLFlag(),
			&ucli.StringFlag{Name: "email", Usage: "e-mail address of the first staff user (required)", Required: true},
			&ucli.StringFlag{Name: "name", Usage: "their name"},
			&ucli.BoolFlag{Name: "password-stdin", Usage: "read a password for the pages from standard input"},
			&ucli.StringFlag{Name: "expires", Usage: "how long the token lasts, e.g. 90d (default: no expiry)"},
			outputFlag(),
		},
		Action: userBootstrap,
	}
}

func userBootstrap(c *ucli.Context) error {
	password, err := readPassword(c)
	if err != nil {
		return err
	}
	var expires *time.Time
	if e := c.String("expires"); e != "" {
		d, err := parseOffsetFlag("expires", e)
		if err != nil {
			return err
		}
		at := time.Now().Add(d)
		expires = &at
	}
	st, err := openDatabase(c)
	if err != nil {
		return err
	}
	defer st.Close()
	ops := operations.New(st, nil, nil)
	_, secret, tok, err := ops.BootstrapStaff(c.Context, operations.BootstrapCaller(),
		store.User{Email: c.String("email"), Name: c.String("name")}, password, expires)
	var inErr *reporting.InputError
	switch {
	case errors.Is(err, store.ErrConflict):
		return &ExitError{Code: ExitConflict, Err: errors.New(
			"a staff user exists already; ask them for a token, or have them run rcm user create")}
	case errors.As(err, &inErr):
		return usageError("%v", inErr)
	case err != nil:
		return err
	}
	return printNewToken(c, api.NewToken{Secret: secret, Token: api.Token{ID: tok.ID, UserID: tok.UserID, Name: tok.Name,
		Prefix: tok.Prefix, CreatedAt: tok.CreatedAt, ExpiresAt: tok.ExpiresAt}})
}
