package cli

import (
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"rcm/api"
	"rcm/calendarfile"
)

// calendarCommand keeps the shared holiday calendar.
func calendarCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "calendar",
		Usage: "import, show and list the shared holiday calendar: days off and make-up working days, one calendar per year",
		Subcommands: []*ucli.Command{
			{
				Name:      "import",
				Usage:     "replace the holiday calendar of a year from a CSV file (office staff)",
				ArgsUsage: "YEAR",
				UsageText: "rcm calendar import YEAR --file FILE.csv [--source TEXT]",
				Description: `The CSV file has a header line and the columns date (YYYY-MM-DD, in YEAR) and
kind, and optionally name_vi and name_en. kind is holiday (a day off: a public
holiday, a day off in lieu, a bridge day) or working (a Saturday or Sunday
worked in exchange, ngày làm bù). A day not listed is a working day from
Monday to Friday. The file replaces the year's calendar as a whole; open
cycles move their pending reminders and escalations to the new working days
(due and close do not move), and the change is audited.

Examples:
   rcm calendar import 2027 --file lich-nghi-2027.csv --source "Quyết định của Thủ tướng"`,
				Flags: append(clientFlags(),
					&ucli.StringFlag{Name: "file", Usage: "the CSV file", Required: true},
					&ucli.StringFlag{Name: "source", Usage: "the decision or notice the days come from"},
					outputFlag(),
				),
				Action: calendarImport,
			},
			{
				Name:      "show",
				Usage:     "show the holiday calendar of a year (office staff)",
				ArgsUsage: "YEAR",
				Flags:     append(clientFlags(), outputFlag()),
				Action:    calendarShow,
			},
			{
				Name:   "list",
				Usage:  "list the years of the holiday calendar (office staff)",
				Flags:  append(clientFlags(), outputFlag()),
				Action: calendarList,
			},
		},
	}
}

func calendarYearArg(c *ucli.Context, verb string) (int, error) {
	if c.NArg() != 1 {
		return 0, usageError("calendar %s: name one YEAR, for example: rcm calendar %s 2027", verb, verb)
	}
	year, err := strconv.Atoi(c.Args().First())
	if err != nil || year < 1000 || year > 9999 {
		return 0, usageError("calendar %s: %q is not a year; write four digits, for example 2027", verb, c.Args().First())
	}
	return year, nil
}

func calendarImport(c *ucli.Context) error {
	year, err := calendarYearArg(c, "import")
	if err != nil {
		return err
	}
	f, err := os.Open(c.String("file"))
	if err != nil {
		return usageError("calendar import: --file: %v", err)
	}
	defer f.Close()
	cal, err := calendarfile.Read(f, year, c.String("source"))
	if err != nil {
		return usageError("calendar import %s:\n  %v", c.String("file"), err)
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	var out api.Calendar
	body := api.Calendar{Year: year, Source: cal.Source, Days: api.CalendarDaysOf(cal.Days)}
	if err := cl.do(c.Context, http.MethodPut, "/api/v1/calendars/"+strconv.Itoa(year), body, &out); err != nil {
		return err
	}
	return printCalendar(c, out)
}

func calendarShow(c *ucli.Context) error {
	year, err := calendarYearArg(c, "show")
	if err != nil {
		return err
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	var out api.Calendar
	if err := cl.do(c.Context, http.MethodGet, "/api/v1/calendars/"+strconv.Itoa(year), nil, &out); err != nil {
		return err
	}
	return printCalendar(c, out)
}

// printCalendar writes a year's days, dates dd/mm/yyyy, and the cycles an
// import moved.
func printCalendar(c *ucli.Context, cal api.Calendar) error {
	recs := records{Header: []string{"date", "weekday", "kind", "name_vi", "name_en"}, JSON: cal}
	for _, d := range cal.Days {
		date, weekday := d.Date, ""
		if t, err := timeOfDate(d.Date); err == nil {
			date, weekday = t.Format("02/01/2006"), t.Weekday().String()
		}
		recs.Rows = append(recs.Rows, []string{date, weekday, d.Kind, d.NameVI, d.NameEN})
	}
	if err := printRecords(c, recs); err != nil {
		return err
	}
	if len(cal.CyclesMoved) > 0 && c.String("output") != outputJSON {
		_, err := c.App.Writer.Write([]byte("open cycles moved to the new working days: " + joinComma(cal.CyclesMoved) + "\n"))
		return err
	}
	return nil
}

func calendarList(c *ucli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	var page api.Page[api.CalendarSummary]
	if err := cl.do(c.Context, http.MethodGet, "/api/v1/calendars", nil, &page); err != nil {
		return err
	}
	recs := records{Header: []string{"year", "holidays", "working_days", "source"}, JSON: page.Items}
	for _, s := range page.Items {
		recs.Rows = append(recs.Rows, []string{strconv.Itoa(s.Year), strconv.Itoa(s.Holidays), strconv.Itoa(s.WorkingDays), s.Source})
	}
	return printRecords(c, recs)
}

func timeOfDate(s string) (time.Time, error) { return time.Parse("2006-01-02", s) }

func joinComma(ss []string) string { return strings.Join(ss, ", ") }
