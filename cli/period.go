package cli

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"rcm/api"
	"rcm/messages"
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
	}
}

func periodShowCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "show",
		Usage:     "show a period's Decree 09 cut-off window and, with --deadline, its due date; with --regime, that regime's cycle and its timeline",
		ArgsUsage: "PERIOD",
		UsageText: "rcm period show PERIOD [--deadline RULE] [--holidays DATE,...] [--tz ZONE] " +
			"[--close-after OFFSET] [--output table|json|csv]\n" +
			"   rcm period show PERIOD --regime CODE [--output table|json|csv]",
		Description: `PERIOD is 2026-10 (monthly), 2026-Q4 (quarterly), 2026-H1 or 2026-H2
(six-monthly), 2026-9M (nine-monthly), 2026 (annual) or 2026-11-01..2026-11-20
(a custom window). RULE is day:N (day N of the month the cut-off falls in),
days:N (N calendar days after the cut-off) or workdays:N (N working days
after it, skipping weekends and --holidays). A due date means the end of that
day in --tz; close is that instant plus --close-after.

With --regime CODE, rcm asks the server (--server, --token) for the cycle
that regime would have for PERIOD: its windows, its deadline rule and its
policy, and the timeline at the real instants, dd/mm/yyyy HH:MM in the
regime's zone: reminders and escalations counted in days go out at the
regime's send time on working days of the shared holiday calendar. For a
tiered regime it shows each level's due and close, and each level's
moments by its own reminders and escalation ladder (or the regime's).

Examples:
   rcm period show 2026-10
   rcm period show 2026-Q1 --deadline days:2 --output json
   rcm period show 2026-04 --deadline workdays:2 --holidays 2026-04-30,2026-05-01 --close-after 10d
   rcm period show 2026-11 --regime SEI_MONTHLY`,
		Flags: append(clientFlags(),
			&ucli.StringFlag{Name: "deadline", Usage: "deadline rule: day:N, days:N or workdays:N", Value: ""},
			&ucli.StringSliceFlag{Name: "holidays", Usage: "days off for workdays:N rules, as YYYY-MM-DD, comma-separated or repeated"},
			&ucli.StringFlag{Name: "tz", Usage: "time zone of the regime (IANA name)", Value: reporting.DefaultZone},
			&ucli.StringFlag{Name: "close-after", Usage: "how long after due the cycle closes, e.g. 10d or 36h (needs --deadline)"},
			&ucli.StringFlag{Name: "regime", Usage: "show this regime's cycle for the period and its timeline (asks the server)"},
			outputFlag(),
		),
		Action: periodShow,
	}
}

func periodShow(c *ucli.Context) error {
	args := c.Args().Slice()
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
	if c.String("regime") != "" {
		return regimePeriodShow(c, period)
	}
	loc, err := reporting.LoadLocation(c.String("tz"))
	if err != nil {
		return usageError("--tz: %v", err)
	}
	cal := reporting.Calendar{Location: loc}
	if cal.Holidays, err = holidaysFlag(c); err != nil {
		return err
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
		dl, err := reporting.ComputeDeadlines(period, rule, cal, closeAfter, false)
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
		LabelVI:     messages.PeriodLabel(messages.Vietnamese, s.period),
		LabelEN:     messages.PeriodLabel(messages.English, s.period),
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
		{"label (vi)", messages.PeriodLabel(messages.Vietnamese, s.period)},
		{"label (en)", messages.PeriodLabel(messages.English, s.period)},
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

// regimePeriodShow shows the cycle a regime would have for the period, as
// the server lays it out with the regime's rules and the shared calendar.
func regimePeriodShow(c *ucli.Context, period reporting.Period) error {
	for _, name := range []string{"deadline", "holidays", "tz", "close-after"} {
		if c.IsSet(name) {
			return usageError("--%s goes without --regime: the regime's own rules and the shared calendar give its cycle", name)
		}
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	var plan api.PeriodPlan
	path := "/api/v1/regimes/" + pathEscape(c.String("regime")) + "/periods/" + pathEscape(period.ID)
	if err := cl.do(c.Context, http.MethodGet, path, nil, &plan); err != nil {
		return err
	}
	recs, err := planRecords(plan)
	if err != nil {
		return err
	}
	return printRecords(c, recs)
}

// vietnameseWeekday is the short name of a day of the week as Vietnamese
// write it: CN (chủ nhật), T2 (thứ hai) ... T7 (thứ bảy).
func vietnameseWeekday(d time.Weekday) string {
	if d == time.Sunday {
		return "CN"
	}
	return fmt.Sprintf("T%d", int(d)+1)
}

// planRecords lays a regime's planned cycle out as field / value rows: its
// dates, each level's due and close in a tiered regime, then one row per
// moment of its timeline (close among them; each level's, named so),
// written dd/mm/yyyy HH:MM with the day of the week in the regime's zone;
// JSON output gets the plan.
func planRecords(p api.PeriodPlan) (records, error) {
	loc, err := reporting.LoadLocation(p.TimeZone)
	if err != nil {
		return records{}, fmt.Errorf("the server's plan: time zone: %w", err)
	}
	instant := func(t time.Time) string { return t.In(loc).Format("02/01/2006 15:04 -07:00") }
	moment := func(t time.Time) string {
		t = t.In(loc)
		layout := "02/01/2006 15:04"
		if t.Second() != 0 {
			layout = "02/01/2006 15:04:05"
		}
		return t.Format(layout) + " (" + vietnameseWeekday(t.Weekday()) + ")"
	}
	figures := messages.Both("cli.figures_actual")
	if p.Estimates {
		figures = messages.Both("cli.figures_estimate")
	}
	rows := [][]string{
		{"regime", p.Regime},
		{"period", p.Period},
		{"cadence", p.Cadence},
		{"windows", p.Windows},
		{"label (vi)", p.LabelVI},
		{"label (en)", p.LabelEN},
		{"window start", p.WindowStart.Format("vi")},
		{"window end", p.WindowEnd.Format("vi")},
		{"cut-off", instant(p.CutOff)},
		{"deadline", p.DeadlineRule},
		{"due", reporting.DateOf(p.Due.Add(-time.Nanosecond), loc).Format("vi")},
		{"due end", instant(p.Due)},
		{"figures", figures},
		{"time zone", p.TimeZone},
		{"send time", p.SendTime},
	}
	for _, t := range p.Tiers {
		level := fmt.Sprintf("level %d (%s)", t.Level, t.NameVI)
		rows = append(rows, []string{level + " due", instant(t.Due)}, []string{level + " close", instant(t.Close)})
	}
	for _, m := range p.Timeline {
		name := m.Kind
		if m.Tier > 0 {
			name = fmt.Sprintf("level %d: %s", m.Tier, m.Kind)
		}
		if m.Of > 1 {
			name += fmt.Sprintf(" %d/%d", m.Step, m.Of)
		}
		if len(m.Recipients) > 0 {
			name += " → " + strings.Join(m.Recipients, "+")
		}
		rows = append(rows, []string{name, moment(m.At)})
	}
	return records{Header: []string{"field", "value"}, Rows: rows, JSON: p}, nil
}
