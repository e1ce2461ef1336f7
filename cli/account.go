package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"rcm/api"
	"rcm/messages"
)

// accountCommands are the account-control subcommands of rcm user.
func accountCommands() []*ucli.Command {
	return []*ucli.Command{
		userStateCommand("disable", "disable a user: their sessions end and their tokens are refused at once (office staff)"),
		userStateCommand("enable", "re-enable a disabled user: their tokens work again (office staff)"),
		{
			Name:      "reset-password",
			Usage:     "mail a user a one-time link to set a new password, valid for an hour (office staff)",
			ArgsUsage: "USER-ID",
			UsageText: "rcm user reset-password USER-ID",
			Description: `The link goes to the user's e-mail address only; rcm keeps its hash. A new
reset voids the links sent before it.

Examples:
   rcm user reset-password 12`,
			Flags:  append(clientFlags(), outputFlag()),
			Action: userResetPassword,
		},
		{
			Name:      "password",
			Usage:     "change your own password (current one required); your other sessions end",
			UsageText: "rcm user password --password-stdin",
			Description: `Reads two lines from standard input: your current password, then the new
one (10 characters to 72 bytes).

Examples:
   printf '%s\n%s\n' "$OLD" "$NEW" | rcm user password --password-stdin`,
			Flags: append(clientFlags(),
				&ucli.BoolFlag{Name: "password-stdin", Usage: "read the current and the new password from standard input", Required: true}),
			Action: userChangePassword,
		},
		{
			Name:  "session",
			Usage: "list and end web sessions (yours, or with --user anyone's for office staff)",
			Subcommands: []*ucli.Command{
				{
					Name:      "list",
					Usage:     "list open web sessions",
					UsageText: "rcm user session list [--user ID] [--output table|json|csv]",
					Description: `Examples:
   rcm user session list --user 12`,
					Flags:  append(clientFlags(), &ucli.Int64Flag{Name: "user", Usage: "whose sessions (default: yours)"}, outputFlag()),
					Action: userSessionList,
				},
				{
					Name:      "end",
					Usage:     "end one web session, or all of them",
					UsageText: "rcm user session end [--user ID] (--session N | --all)",
					Description: `Examples:
   rcm user session end --user 12 --all
   rcm user session end --session 40`,
					Flags: append(clientFlags(),
						&ucli.Int64Flag{Name: "user", Usage: "whose sessions (default: yours)"},
						&ucli.Int64Flag{Name: "session", Usage: "the session number rcm user session list shows"},
						&ucli.BoolFlag{Name: "all", Usage: "end every session of the user"},
						outputFlag()),
					Action: userSessionEnd,
				},
			},
		},
	}
}

func userStateCommand(name, usage string) *ucli.Command {
	return &ucli.Command{
		Name:      name,
		Usage:     usage,
		ArgsUsage: "USER-ID",
		UsageText: "rcm user " + name + " USER-ID [--output table|json|csv]",
		Description: fmt.Sprintf(`Examples:
   rcm user %s 12`, name),
		Flags: append(clientFlags(), outputFlag()),
		Action: func(c *ucli.Context) error {
			id, err := oneUserID(c, name)
			if err != nil {
				return err
			}
			cl, err := newClient(c)
			if err != nil {
				return err
			}
			var u api.User
			if err := cl.do(c.Context, http.MethodPost, fmt.Sprintf("/api/v1/users/%d/%s", id, name), nil, &u); err != nil {
				return err
			}
			return printUsers(c, []api.User{u})
		},
	}
}

// oneUserID reads the one USER-ID argument of a command.
func oneUserID(c *ucli.Context, command string) (int64, error) {
	if c.NArg() != 1 {
		return 0, usageError("user %s: name one user id, for example: rcm user %s 12", command, command)
	}
	return parseID(c.Args().First(), "user")
}

func userResetPassword(c *ucli.Context) error {
	id, err := oneUserID(c, "reset-password")
	if err != nil {
		return err
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	var sent api.PasswordResetSent
	if err := cl.do(c.Context, http.MethodPost, fmt.Sprintf("/api/v1/users/%d/password-reset", id), nil, &sent); err != nil {
		return err
	}
	return printRecords(c, records{
		Header: []string{"email", "link_expires"},
		Rows:   [][]string{{sent.Email, formatTime(sent.ExpiresAt)}},
		JSON:   sent,
	})
}

func userChangePassword(c *ucli.Context) error {
	in := bufio.NewReader(c.App.Reader)
	var lines [2]string
	for i, what := range []string{"current", "new"} {
		line, err := in.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read the %s password from standard input: %w", what, err)
		}
		lines[i] = strings.TrimRight(line, "\r\n")
		if lines[i] == "" {
			return usageError("--password-stdin: give the current password, then the new one, each on a line of its own")
		}
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	req := api.ChangePassword{CurrentPassword: lines[0], NewPassword: lines[1]}
	if err := cl.do(c.Context, http.MethodPut, "/api/v1/me/password", req, nil); err != nil {
		return err
	}
	fmt.Fprintln(c.App.ErrWriter, messages.Both("cli.password_changed"))
	return nil
}

func userSessionList(c *ucli.Context) error {
	cl, user, err := userClient(c)
	if err != nil {
		return err
	}
	var p api.Page[api.UserSession]
	if err := cl.do(c.Context, http.MethodGet, user+"/sessions", nil, &p); err != nil {
		return err
	}
	rows := make([][]string, len(p.Items))
	for i, s := range p.Items {
		rows[i] = []string{strconv.FormatInt(s.ID, 10), strconv.FormatInt(s.UserID, 10), formatTime(s.CreatedAt),
			formatTime(s.ExpiresAt), s.RemoteAddr}
	}
	return printRecords(c, records{Header: []string{"id", "user", "created", "expires", "from"}, Rows: rows, JSON: nonNil(p.Items)})
}

func userSessionEnd(c *ucli.Context) error {
	session, all := c.Int64("session"), c.Bool("all")
	if (session > 0) == all {
		return usageError("user session end: give --session N or --all")
	}
	cl, user, err := userClient(c)
	if err != nil {
		return err
	}
	path := user + "/sessions"
	if session > 0 {
		path += fmt.Sprintf("/%d", session)
	}
	var ended api.SessionsEnded
	if err := cl.do(c.Context, http.MethodDelete, path, nil, &ended); err != nil {
		return err
	}
	return printRecords(c, records{Header: []string{"ended"}, Rows: [][]string{{strconv.FormatInt(ended.Ended, 10)}}, JSON: ended})
}

// auditCommand reads and verifies the chained audit log.
func auditCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "audit",
		Usage: "read the audit log and prove its chain unbroken (office staff)",
		Subcommands: []*ucli.Command{
			{
				Name:      "list",
				Usage:     "list audit records, oldest first",
				UsageText: "rcm audit list [--actor EMAIL] [--action ACTION] [--object OBJECT] [--stream STREAM] [--since TIME] [--until TIME] [--after ID] [--limit N] [--output table|json|csv]",
				Description: `Times are RFC 3339 (2026-11-30T08:00:00+07:00) or a day (30/11/2026, in
Asia/Ho_Chi_Minh). Streams are main, cycle/<cycle id> (with its agencies' streams) and
cycle/<cycle id>/agency/<code>.

Examples:
   rcm audit list --action user.disable
   rcm audit list --actor staff@vpcp.gov.vn --since 30/11/2026 --output json
   rcm audit list --stream cycle/SEI_MONTHLY-2026-11`,
				Flags: append(clientFlags(),
					&ucli.StringFlag{Name: "actor", Usage: "only records of this actor"},
					&ucli.StringFlag{Name: "action", Usage: "only records of this action, e.g. user.disable"},
					&ucli.StringFlag{Name: "object", Usage: "only records about this object, e.g. user/12"},
					&ucli.StringFlag{Name: "stream", Usage: "only records of this stream and those below it: main, cycle/<id> or cycle/<id>/agency/<code>"},
					&ucli.StringFlag{Name: "since", Usage: "only records at or after this time"},
					&ucli.StringFlag{Name: "until", Usage: "only records before this time"},
					&ucli.Int64Flag{Name: "after", Usage: "only records after this id (paging)"},
					&ucli.IntFlag{Name: "limit", Usage: "at most this many (0 = all)", Value: 100},
					outputFlag()),
				Action: auditList,
			},
			{
				Name:      "verify",
				Usage:     "recompute every stream's chain: whole, or the first bad record of each broken stream",
				UsageText: "rcm audit verify [--output table|json]",
				Description: `Exits 0 when every chain is whole; 1, naming the first bad record of each
broken stream, when a record was edited, removed or inserted by hand.

Examples:
   rcm audit verify`,
				Flags:  append(clientFlags(), outputFlag()),
				Action: auditVerify,
			},
		},
	}
}

// auditTime reads a --since or --until value: RFC 3339, or a day dd/mm/yyyy
// (its start in Asia/Ho_Chi_Minh).
func auditTime(flag, raw string) (string, error) {
	if t, err := time.Parse(time.RFC3339, raw); err == nil {
		return t.Format(time.RFC3339), nil
	}
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		return "", fmt.Errorf("load Asia/Ho_Chi_Minh: %w", err)
	}
	t, err := time.ParseInLocation("02/01/2006", raw, loc)
	if err != nil {
		return "", usageError("--%s %q is neither an RFC 3339 time nor a day dd/mm/yyyy", flag, raw)
	}
	return t.Format(time.RFC3339), nil
}

func auditList(c *ucli.Context) error {
	q := url.Values{"limit": {"500"}}
	for _, name := range []string{"actor", "action", "object", "stream"} {
		if v := c.String(name); v != "" {
			q.Set(name, v)
		}
	}
	for _, name := range []string{"since", "until"} {
		if v := c.String(name); v != "" {
			t, err := auditTime(name, v)
			if err != nil {
				return err
			}
			q.Set(name, t)
		}
	}
	if a := c.Int64("after"); a > 0 {
		q.Set("after", strconv.FormatInt(a, 10))
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	recs, err := listAll[api.AuditRecord](c.Context, cl, "/api/v1/audit", q, c.Int("limit"))
	if err != nil {
		return err
	}
	rows := make([][]string, len(recs))
	for i, r := range recs {
		details, _ := json.Marshal(r.Details)
		rows[i] = []string{strconv.FormatInt(r.ID, 10), formatTime(r.At), r.Actor, r.Action, r.Object, r.Stream,
			string(details), shortHash(r.Hash)}
	}
	return printRecords(c, records{Header: []string{"id", "at", "actor", "action", "object", "stream", "details", "hash"},
		Rows: rows, JSON: nonNil(recs)})
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12] + "…"
	}
	return h
}

func auditVerify(c *ucli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	var v api.AuditVerification
	if err := cl.do(c.Context, http.MethodGet, "/api/v1/audit/verify", nil, &v); err != nil {
		return err
	}
	if c.String("output") == outputJSON {
		if err := printRecords(c, records{JSON: v}); err != nil {
			return err
		}
	} else if v.Whole {
		fmt.Fprintf(c.App.Writer, "%s: %d records in %d streams.\n", messages.Both("cli.audit_whole"), v.Records, v.Streams)
	} else {
		for _, b := range v.Breaks {
			where := fmt.Sprintf("record %d", b.ID)
			if b.ID == 0 {
				where = "its end"
			}
			fmt.Fprintf(c.App.Writer, "BROKEN stream %s at %s: %s\n", b.Stream, where, b.Reason)
		}
	}
	if !v.Whole {
		first := v.Breaks[0]
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("the audit log's chain is broken: first at record %d of stream %s", first.ID, first.Stream)}
	}
	return nil
}

// loginCommand signs in with a password and creates an API token for
// oneself: how a person gets their first token, now that nobody mints one
// for someone else.
func loginCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "login",
		Usage:     "sign in with your e-mail address and password and print a new API token of your own",
		UsageText: "rcm login --email ADDRESS --password-stdin [--name NAME] [--expires 90d]",
		Description: `Signs in (the same limits as the pages' sign-in), creates a token for you,
signs out again and prints the token once, alone on standard output. Your
password comes from office staff (rcm user create --password-stdin) or from
the link rcm user reset-password mails you.

Examples:
   export RCM_TOKEN=$(printf '%s' "$PASSWORD" | rcm login --email vanphong@hanoi.gov.vn --password-stdin --expires 90d)`,
		Flags: []ucli.Flag{
			clientFlags()[0],
			&ucli.StringFlag{Name: "email", Usage: "your e-mail address (required)", Required: true},
			&ucli.BoolFlag{Name: "password-stdin", Usage: "read your password from standard input", Required: true},
			&ucli.StringFlag{Name: "name", Usage: "a name to recognise the token by", Value: "cli"},
			&ucli.StringFlag{Name: "expires", Usage: "how long the token lasts, e.g. 90d or 12h (default: no expiry)"},
			outputFlag(),
		},
		Action: login,
	}
}

func login(c *ucli.Context) error {
	password, err := readPassword(c)
	if err != nil {
		return err
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		return fmt.Errorf("cookie jar: %w", err)
	}
	cl.http.Jar = jar
	var session api.Session
	if err := cl.do(c.Context, http.MethodPost, "/api/v1/session", api.SignIn{Email: c.String("email"), Password: password}, &session); err != nil {
		return err
	}
	var t api.NewToken
	err = cl.do(c.Context, http.MethodPost, fmt.Sprintf("/api/v1/users/%d/tokens", session.User.ID),
		api.CreateToken{Name: c.String("name"), ExpiresIn: c.String("expires")}, &t)
	if outErr := cl.do(c.Context, http.MethodDelete, "/api/v1/session", nil, nil); err == nil {
		err = outErr
	}
	if err != nil {
		return err
	}
	return printNewToken(c, t)
}
