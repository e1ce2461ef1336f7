package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"rcm/api"
	"rcm/reporting"
)

// regimeCommand manages reporting regimes.
func regimeCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "regime",
		Usage: "create, list and show reporting regimes, assign agencies to them, and schedule their cycles",
		Subcommands: []*ucli.Command{
			regimeCreateCommand(),
			regimeListCommand(),
			regimeShowCommand(),
			regimeAssignCommand(),
			regimeScheduleCommand(),
		},
	}
}

func regimeCreateCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "create",
		Usage: "create a reporting regime from a JSON file or from flags (office staff)",
		UsageText: "rcm regime create --file regime.json\n" +
			"   rcm regime create --code CODE --name-vi NAME --template CODE --cadence CADENCE --deadline-rule RULE\n" +
			"      [--reminders 3d,1d] [--escalation AFTER:RECIPIENTS[:REPEAT:TIMES]]... [--review-time 3d] [--close-after 10d]\n" +
			"      [--holidays DATE,...] [--time-zone ZONE] [--reviewer USER-ID] [--assign CODE,...]",
		Description: `CADENCE is monthly, quarterly, six-monthly, nine-monthly, annual or custom.
RULE is day:N, days:N or workdays:N (see rcm period show). Offsets are a
number and a unit: 3d, 36h, 90s. --reminders go out that long before due to
agencies that have not submitted; each --escalation goes AFTER due to
RECIPIENTS (officer, head, supervisor; joined with +), optionally TIMES
times, REPEAT apart. The JSON file is the API's regime object.

Examples:
   rcm regime create --file ktxh-monthly.json
   rcm regime create --code KTXH_THANG --name-vi "Báo cáo KT-XH tháng" --template KTXH \
      --cadence monthly --deadline-rule workdays:2 --reminders 3d,1d \
      --escalation 1d:officer+head --escalation 3d:supervisor:1d:3 --assign HNI,HPG`,
		Flags: append(clientFlags(),
			&ucli.StringFlag{Name: "file", Aliases: []string{"f"}, Usage: "the regime as JSON"},
			&ucli.StringFlag{Name: "code", Usage: "regime code"},
			&ucli.StringFlag{Name: "name-vi", Usage: "Vietnamese name"},
			&ucli.StringFlag{Name: "name-en", Usage: "English name"},
			&ucli.StringFlag{Name: "template", Usage: "the template agencies fill in"},
			&ucli.StringFlag{Name: "cadence", Usage: "monthly, quarterly, six-monthly, nine-monthly, annual or custom"},
			&ucli.StringFlag{Name: "deadline-rule", Usage: "day:N, days:N or workdays:N"},
			&ucli.StringFlag{Name: "timeliness", Usage: "what judges on time: accepted_version (the version finally accepted; the default) or first_version", Value: string(reporting.DefaultTimeliness)},
			&ucli.StringFlag{Name: "time-zone", Usage: "IANA time zone", Value: reporting.DefaultZone},
			&ucli.StringSliceFlag{Name: "holidays", Usage: "days off for workdays:N, YYYY-MM-DD, comma-separated or repeated"},
			&ucli.StringSliceFlag{Name: "reminders", Usage: "how long before due each reminder goes, e.g. 3d,1d"},
			&ucli.StringSliceFlag{Name: "escalation", Usage: "AFTER:RECIPIENTS[:REPEAT:TIMES], repeated for each step"},
			&ucli.StringFlag{Name: "review-time", Usage: "how long a reviewer has before being reminded (0s: no limit)", Value: "3d"},
			&ucli.StringFlag{Name: "close-after", Usage: "how long after due the cycle closes", Value: "10d"},
			&ucli.Int64Flag{Name: "reviewer", Usage: "id of the office-staff user who reviews"},
			&ucli.StringSliceFlag{Name: "assign", Usage: "codes of the agencies that report, comma-separated or repeated"},
			outputFlag(),
		),
		Action: regimeCreate,
	}
}

func regimeCreate(c *ucli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	var body []byte
	if file := c.String("file"); file != "" {
		for _, flag := range []string{"code", "name-vi", "template", "cadence", "deadline-rule", "reminders", "escalation", "assign"} {
			if c.IsSet(flag) {
				return usageError("--%s and --file do not mix: put everything in the file, or use flags only", flag)
			}
		}
		if body, err = os.ReadFile(file); err != nil {
			return usageError("--file: %v", err)
		}
	} else {
		r, err := regimeFromFlags(c)
		if err != nil {
			return err
		}
		if body, err = json.Marshal(r); err != nil {
			return fmt.Errorf("encode regime: %w", err)
		}
	}
	var created api.Regime
	if err := cl.doRaw(c.Context, http.MethodPost, "/api/v1/regimes", bytes.NewReader(body), "application/json", &created); err != nil {
		return err
	}
	return printRegime(c, created)
}

// regimeFromFlags builds a regime from the flags of regime create.
func regimeFromFlags(c *ucli.Context) (api.Regime, error) {
	for _, flag := range []string{"code", "name-vi", "template", "cadence", "deadline-rule"} {
		if c.String(flag) == "" {
			return api.Regime{}, usageError("--%s is missing; give it, or the whole regime with --file", flag)
		}
	}
	holidays, err := holidaysFlag(c)
	if err != nil {
		return api.Regime{}, err
	}
	r := api.Regime{Code: c.String("code"), NameVI: c.String("name-vi"), NameEN: c.String("name-en"),
		Template: c.String("template"), Cadence: c.String("cadence"), DeadlineRule: c.String("deadline-rule"),
		Timeliness: c.String("timeliness"), TimeZone: c.String("time-zone"), Holidays: holidays,
		Policy: reporting.PolicyDoc{ReminderOffsets: splitList(c.StringSlice("reminders")), Escalations: []reporting.EscalationDoc{},
			ReviewTime: c.String("review-time"), CloseAfter: c.String("close-after")},
		Assignments: []api.Assignment{}}
	if r.Policy.ReminderOffsets == nil {
		r.Policy.ReminderOffsets = []string{}
	}
	if id := c.Int64("reviewer"); id > 0 {
		r.ReviewerID = &id
	}
	for _, step := range c.StringSlice("escalation") {
		e, err := parseEscalation(step)
		if err != nil {
			return api.Regime{}, err
		}
		r.Policy.Escalations = append(r.Policy.Escalations, e)
	}
	for _, code := range splitList(c.StringSlice("assign")) {
		r.Assignments = append(r.Assignments, api.Assignment{Agency: code})
	}
	return r, nil
}

// holidaysFlag reads --holidays: dates YYYY-MM-DD, comma-separated or
// repeated; nil when none.
func holidaysFlag(c *ucli.Context) ([]reporting.Date, error) {
	var out []reporting.Date
	for _, text := range splitList(c.StringSlice("holidays")) {
		d, err := reporting.ParseDate(text)
		if err != nil {
			return nil, usageError("--holidays: %v", err)
		}
		out = append(out, d)
	}
	return out, nil
}

// dateFlag reads a flag holding one date YYYY-MM-DD; nil when not given.
func dateFlag(c *ucli.Context, name string) (*reporting.Date, error) {
	text := c.String(name)
	if text == "" {
		return nil, nil
	}
	d, err := reporting.ParseDate(text)
	if err != nil {
		return nil, usageError("--%s: %v", name, err)
	}
	return &d, nil
}

// parseEscalation reads AFTER:RECIPIENTS[:REPEAT:TIMES], such as
// "1d:officer+head" or "3d:supervisor:1d:3".
func parseEscalation(s string) (reporting.EscalationDoc, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 2 && len(parts) != 4 {
		return reporting.EscalationDoc{}, usageError("--escalation %q: write AFTER:RECIPIENTS or AFTER:RECIPIENTS:REPEAT:TIMES, such as 1d:officer+head or 3d:supervisor:1d:3", s)
	}
	e := reporting.EscalationDoc{After: parts[0], Recipients: strings.Split(parts[1], "+")}
	if len(parts) == 4 {
		times, err := strconv.Atoi(parts[3])
		if err != nil {
			return reporting.EscalationDoc{}, usageError("--escalation %q: TIMES %q is not a number", s, parts[3])
		}
		e.Repeat, e.Times = parts[2], times
	}
	return e, nil
}

// splitList flattens comma-separated and repeated flag values.
func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// parseOffsetFlag reads an offset flag such as --expires 90d.
func parseOffsetFlag(name, value string) (time.Duration, error) {
	d, err := reporting.ParseOffset(value)
	if err != nil {
		return 0, usageError("--%s: %v", name, err)
	}
	if d <= 0 {
		return 0, usageError("--%s %s: must be more than zero", name, value)
	}
	return d, nil
}

func printRegime(c *ucli.Context, r api.Regime) error {
	if f := c.String("output"); f != outputTable && f != "" {
		return printRecords(c, regimeRecords(c, []api.Regime{r}))
	}
	var assigned []string
	for _, a := range r.Assignments {
		entry := a.Agency
		if from, until := dateText(a.ActiveFrom), dateText(a.ActiveUntil); from != "" || until != "" {
			entry += fmt.Sprintf(" (%s..%s)", from, until)
		}
		assigned = append(assigned, entry)
	}
	holidays := make([]string, len(r.Holidays))
	for i, d := range r.Holidays {
		holidays[i] = d.String()
	}
	reviewer := ""
	if r.ReviewerID != nil {
		reviewer = strconv.FormatInt(*r.ReviewerID, 10)
	}
	return printRecord(c, []field{
		{"code", r.Code}, {"name_vi", r.NameVI}, {"name_en", r.NameEN}, {"template", r.Template},
		{"cadence", r.Cadence}, {"deadline_rule", r.DeadlineRule}, {"timeliness", r.Timeliness}, {"time_zone", r.TimeZone},
		{"holidays", strings.Join(holidays, ", ")}, {"reminders", strings.Join(r.Policy.ReminderOffsets, ", ")},
		{"escalations", escalationText(r.Policy.Escalations)}, {"review_time", r.Policy.ReviewTime},
		{"close_after", r.Policy.CloseAfter}, {"reviewer", reviewer},
		{"assignments", fmt.Sprintf("%d: %s", len(r.Assignments), strings.Join(assigned, ", "))},
	}, r)
}

// regimeRecords is the list form of regimes; JSON output is the API's objects.
func regimeRecords(c *ucli.Context, regimes []api.Regime) records {
	rows := make([][]string, len(regimes))
	for i, r := range regimes {
		rows[i] = []string{r.Code, r.NameVI, r.Template, r.Cadence, r.DeadlineRule,
			strings.Join(r.Policy.ReminderOffsets, " "), r.Policy.CloseAfter, itoa(len(r.Assignments))}
	}
	var js any = nonNil(regimes)
	if len(regimes) == 1 && c.Command.Name != "list" {
		js = regimes[0]
	}
	return records{Header: []string{"code", "name_vi", "template", "cadence", "deadline_rule", "reminders", "close_after", "agencies"}, Rows: rows, JSON: js}
}

func regimeListCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "list",
		Usage:     "list the reporting regimes",
		UsageText: "rcm regime list [--output table|json|csv]",
		Description: `Supervisors and officers see only the assignments of agencies in their scope.

Examples:
   rcm regime list
   rcm regime list --output json`,
		Flags:  append(clientFlags(), outputFlag()),
		Action: regimeList,
	}
}

func regimeList(c *ucli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	var p api.Page[api.Regime]
	if err := cl.do(c.Context, http.MethodGet, "/api/v1/regimes", nil, &p); err != nil {
		return err
	}
	return printRecords(c, regimeRecords(c, p.Items))
}

func regimeShowCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "show",
		Usage:     "show one regime: its deadline rule, reminders, escalations and agencies",
		ArgsUsage: "CODE",
		UsageText: "rcm regime show CODE [--output table|json|csv]",
		Description: `Examples:
   rcm regime show KTXH_THANG
   rcm regime show KTXH_THANG --output json > regime.json`,
		Flags:  append(clientFlags(), outputFlag()),
		Action: regimeShow,
	}
}

func regimeShow(c *ucli.Context) error {
	var r api.Regime
	if err := getNamed(c, "regime show: name one regime code, for example: rcm regime show KTXH_THANG", "/api/v1/regimes/", &r); err != nil {
		return err
	}
	return printRegime(c, r)
}

func regimeAssignCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "assign",
		Usage:     "replace the agencies a regime expects reports from (office staff)",
		ArgsUsage: "CODE",
		UsageText: "rcm regime assign CODE --agencies CODE,... [--from DATE] [--until DATE]",
		Description: `Cycles already launched keep their obligations; the new list counts from
the next cycle on. --from and --until bound every assignment given.

Examples:
   rcm regime assign KTXH_THANG --agencies HNI,HPG,HCM
   rcm regime assign KTXH_THANG --agencies HNI --from 2026-07-01`,
		Flags: append(clientFlags(),
			&ucli.StringSliceFlag{Name: "agencies", Usage: "agency codes, comma-separated or repeated", Required: true},
			&ucli.StringFlag{Name: "from", Usage: "first day the agencies report (YYYY-MM-DD)"},
			&ucli.StringFlag{Name: "until", Usage: "last day the agencies report (YYYY-MM-DD)"},
			outputFlag(),
		),
		Action: regimeAssign,
	}
}

func regimeAssign(c *ucli.Context) error {
	if c.NArg() != 1 {
		return usageError("regime assign: name one regime code, for example: rcm regime assign KTXH_THANG --agencies HNI,HPG")
	}
	from, err := dateFlag(c, "from")
	if err != nil {
		return err
	}
	until, err := dateFlag(c, "until")
	if err != nil {
		return err
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	assignments := []api.Assignment{}
	for _, code := range splitList(c.StringSlice("agencies")) {
		assignments = append(assignments, api.Assignment{Agency: code, ActiveFrom: from, ActiveUntil: until})
	}
	var r api.Regime
	if err := cl.do(c.Context, http.MethodPut, "/api/v1/regimes/"+pathEscape(c.Args().First())+"/assignments", assignments, &r); err != nil {
		return err
	}
	return printRegime(c, r)
}
