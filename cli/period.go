package cli

import (
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"rcm/reporting"
)

// periodCommand answers calendar questions: the cut-off window and due date of a period.
func periodCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "period",
		Usage: "show reporting periods, cut-off windows and due dates",
		Subcommands: []*ucli.Command{
			periodShowCommand(),
		},
		OnUsageError: commandUsageError,
	}
}

func periodShowCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "show",
		Usage:     "show a period's Decree 09 cut-off window and, with --deadline, its due date",
		ArgsUsage: "PERIOD",
		UsageText: "rcm period show PERIOD [--deadline RULE] [--holidays DATE,...] [--tz ZONE] " +
			"[--close-after OFFSET] [--output table|json|csv]",
		Description: `PERIOD is 2026-10 (monthly), 2026-Q4 (quarterly), 2026-H1 or 2026-H2
(six-monthly), 2026-9M (nine-monthly), 2026 (annual) or 2026-11-01..2026-11-20
(a custom window). RULE is day:N (day N of the month the cut-off falls in),
days:N (N calendar days after the cut-off) or workdays:N (N working days
after it, skipping weekends and --holidays). A due date means the end of that
day in --tz; close is that instant plus --close-after.

Examples:
   rcm period show 2026-10
   rcm period show 2026-Q1 --deadline days:2 --output json
   rcm period show 2026-04 --deadline workdays:2 --holidays 2026-04-30,2026-05-01 --close-after 10d`,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "deadline", Usage: "deadline rule: day:N, days:N or workdays:N", Value: ""},
			&ucli.StringSliceFlag{Name: "holidays", Usage: "days off for workdays:N rules, as YYYY-MM-DD, comma-separated or repeated"},
			&ucli.StringFlag{Name: "tz", Usage: "time zone of the regime (IANA name)", Value: reporting.DefaultZone},
			&ucli.StringFlag{Name: "close-after", Usage: "how long after due the cycle closes, e.g. 10d or 36h (needs --deadline)"},
			outputFlag(),
		},
		OnUsageError: commandUsageError,
		Action:       periodShow,
	}
}

func periodShow(c *ucli.Context) error {
	args, err := parseTrailingFlags(c)
	if err != nil || c.Bool("help") {
		if err == nil {
			ucli.HelpPrinter(c.App.Writer, ucli.CommandHelpTemplate, c.Command)
		}
		return err
	}
	switch len(args) {
	case 0:
		return usageError("period show: PERIOD is missing; for example: rcm period show 2026-Q1")
	case 1:
	default:
		return usageError("period show: takes one PERIOD, got %d: %s", len(args), strings.Join(args, " "))
	}
	period, err := reporting.ParsePeriod(args[0])
	if err != nil {
		return usageError("%v", err)
	}
	loc, err := reporting.LoadLocation(c.String("tz"))
	if err != nil {
		return usageError("--tz: %v", err)
	}
	cal := reporting.Calendar{Location: loc}
	for _, text := range c.StringSlice("holidays") {
		if text == "" {
			continue
		}
		h, err := reporting.ParseDate(text)
		if err != nil {
			return usageError("--holidays: %v", err)
		}
		cal.Holidays = append(cal.Holidays, h)
	}
	var closeAfter time.Duration
	if c.IsSet("close-after") {
		if c.String("deadline") == "" {
			return usageError("--close-after needs --deadline: close counts from the due instant")
		}
		if closeAfter, err = reporting.ParseOffset(c.String("close-after")); err != nil {
			return usageError("--close-after: %v", err)
		}
		if closeAfter < 0 {
			return usageError("--close-after: %s is negative; a cycle closes at or after due", c.String("close-after"))
		}
	}

	start, end := period.Window()
	shown := periodShown{period: period, start: start, end: end, cutOff: end.End(loc), loc: loc}
	if text := c.String("deadline"); text != "" {
		rule, err := reporting.ParseDeadlineRule(text)
		if err != nil {
			return usageError("--deadline: %v", err)
		}
		if _, err := rule.DueDate(end, cal); err != nil {
			return usageError("--deadline: %v", err)
		}
		dl, err := reporting.ComputeDeadlines(period, rule, cal, closeAfter)
		if err != nil {
			return usageError("--deadline: %v", err)
		}
		shown.rule, shown.deadlines, shown.withClose = rule, &dl, c.IsSet("close-after")
	}
	if c.String("output") == outputCSV {
		return printRecords(c, shown.csv())
	}
	return printRecords(c, shown.table())
}

// periodShown is what rcm period show found out about a period.
type periodShown struct {
	period     reporting.Period
	start, end reporting.Date
	cutOff     time.Time
	loc        *time.Location
	rule       reporting.DeadlineRule
	deadlines  *reporting.Deadlines // nil without --deadline
	withClose  bool
}

// periodView is the JSON form: dates as YYYY-MM-DD, instants as RFC 3339
// with the zone's offset.
type periodView struct {
	Period      string `json:"period"`
	Cadence     string `json:"cadence"`
	LabelVI     string `json:"label_vi"`
	LabelEN     string `json:"label_en"`
	WindowStart string `json:"window_start"`
	WindowEnd   string `json:"window_end"`
	CutOff      string `json:"cut_off"`
	TimeZone    string `json:"time_zone"`
	Deadline    string `json:"deadline,omitempty"`
	Due         string `json:"due,omitempty"`
	DueEnd      string `json:"due_end,omitempty"`
	Close       string `json:"close,omitempty"`
}

func (s periodShown) view() periodView {
	v := periodView{
		Period:      s.period.ID,
		Cadence:     string(s.period.Cadence),
		LabelVI:     s.period.Label("vi"),
		LabelEN:     s.period.Label("en"),
		WindowStart: s.start.String(),
		WindowEnd:   s.end.String(),
		CutOff:      s.cutOff.Format(time.RFC3339),
		TimeZone:    s.loc.String(),
	}
	if dl := s.deadlines; dl != nil {
		v.Deadline = s.rule.String()
		v.Due = dl.DueDate.String()
		v.DueEnd = dl.Due.Format(time.RFC3339)
		if s.withClose {
			v.Close = dl.Close.Format(time.RFC3339)
		}
	}
	return v
}

// table lays the period out as field / value rows for people, dates written
// dd/mm/yyyy and instants with their offset; JSON output gets the view.
func (s periodShown) table() records {
	instant := func(t time.Time) string { return t.Format("02/01/2006 15:04 -07:00") }
	rows := [][]string{
		{"period", s.period.ID},
		{"cadence", string(s.period.Cadence)},
		{"label (vi)", s.period.Label("vi")},
		{"label (en)", s.period.Label("en")},
		{"window start", s.start.Format("vi")},
		{"window end", s.end.Format("vi")},
		{"cut-off", instant(s.cutOff)},
		{"time zone", s.loc.String()},
	}
	if dl := s.deadlines; dl != nil {
		rows = append(rows,
			[]string{"deadline", s.rule.String()},
			[]string{"due", dl.DueDate.Format("vi")},
			[]string{"due end", instant(dl.Due)},
		)
		if s.withClose {
			rows = append(rows, []string{"close", instant(dl.Close)})
		}
	}
	return records{Header: []string{"field", "value"}, Rows: rows, JSON: s.view()}
}

// csv is a header row of the JSON field names and one row of their values.
func (s periodShown) csv() records {
	v := s.view()
	header := []string{"period", "cadence", "label_vi", "label_en", "window_start", "window_end", "cut_off", "time_zone",
		"deadline", "due", "due_end", "close"}
	row := []string{v.Period, v.Cadence, v.LabelVI, v.LabelEN, v.WindowStart, v.WindowEnd, v.CutOff,
		v.TimeZone, v.Deadline, v.Due, v.DueEnd, v.Close}
	return records{Header: header, Rows: [][]string{row}, JSON: v}
}

// parseTrailingFlags returns the command's positional arguments after
// applying any flags written after them. urfave/cli v2 stops reading flags at
// the first argument, but people write "rcm period show 2026-Q1 --output
// json"; this reads such flags into the context as if they came first.
func parseTrailingFlags(c *ucli.Context) ([]string, error) {
	args := c.Args().Slice()
	var positional []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if len(arg) < 2 || arg[0] != '-' {
			positional = append(positional, arg)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		flag := commandFlag(c.Command, name)
		if flag == nil {
			return nil, usageError("flag provided but not defined: %s", arg)
		}
		takesValue := true
		if doc, ok := flag.(ucli.DocGenerationFlag); ok {
			takesValue = doc.TakesValue()
		}
		switch {
		case !takesValue && !hasValue:
			value = "true"
		case takesValue && !hasValue:
			if i+1 >= len(args) {
				return nil, usageError("flag needs an argument: %s", arg)
			}
			i++
			value = args[i]
		}
		// Each name of a flag holds its own value, except for slice flags,
		// whose names share one; set every name as the parser would.
		names := flag.Names()
		if slice, ok := flag.(ucli.DocGenerationSliceFlag); ok && slice.IsSliceFlag() {
			names = []string{name}
		}
		for _, n := range names {
			if err := c.Set(n, value); err != nil {
				return nil, usageError("%s: %v", arg, err)
			}
		}
	}
	return positional, nil
}

// commandFlag returns the flag of cmd with the name or alias, or nil.
func commandFlag(cmd *ucli.Command, name string) ucli.Flag {
	for _, f := range cmd.Flags {
		for _, n := range f.Names() {
			if n == name {
				return f
			}
		}
	}
	return nil
}

// commandUsageError gives flag parsing errors in subcommands the usage exit
// status, as the app's own OnUsageError does for top-level flags.
func commandUsageError(_ *ucli.Context, err error, _ bool) error {
	return &ExitError{Code: ExitUsage, Err: err}
}
