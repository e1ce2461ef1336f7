package reporting

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kinds of deadline rule.
const (
	// RuleDayOfMonth: due on day N of the month in which the cut-off falls.
	RuleDayOfMonth = "day"
	// RuleCalendarDays: due N calendar days after the cut-off date.
	RuleCalendarDays = "days"
	// RuleWorkingDays: due N working days after the cut-off date, skipping
	// Saturdays, Sundays and the calendar's holidays.
	RuleWorkingDays = "workdays"
	// RuleDate: due on a fixed month and day of the period's year, or of the
	// year after it (Circular 02/2023's "6 June", "25 November").
	RuleDate = "date"
)

// Bounds on N, to catch typing mistakes ("days:300" for "days:3").
const (
	maxRuleCalendarDays = 366
	maxRuleWorkingDays  = 250
)

// DeadlineRule says when a regime's reports are due, relative to the cut-off
// date (the last day of the window) or to the period's year. Written as text
// it is one of
//
//	day:N            day N of the month in which the cut-off falls (1-31; in
//	                 a shorter month, its last day)
//	days:N           N calendar days after the cut-off date (0-366)
//	workdays:N       N working days after the cut-off date (1-250), skipping
//	                 Saturdays, Sundays and the calendar's holidays, and
//	                 counting its make-up Saturdays
//	date:MM-DD       that month and day of the period's year (date:11-25 is
//	                 25 November of an annual period's own year)
//	date:+1y:MM-DD   that month and day of the year after the period's year
//	                 (date:+1y:01-20 for an annual report due 20 January)
//
// A DeadlineRule encodes as that text in JSON.
type DeadlineRule struct {
	// Kind is RuleDayOfMonth, RuleCalendarDays, RuleWorkingDays or RuleDate.
	Kind string
	// N is the day of the month or the number of days; for RuleDate, the
	// month and day as MMDD (1125 for 25 November).
	N int
	// NextYear (RuleDate only) puts the date in the year after the period's.
	NextYear bool
}

const ruleForms = "write day:N (day N of the cut-off month), days:N (N calendar days after the cut-off), " +
	"workdays:N (N working days after it), date:MM-DD (a date of the period's year) " +
	"or date:+1y:MM-DD (a date of the year after)"

// nextYearPrefix marks a RuleDate of the year after the period's.
const nextYearPrefix = "+1y:"

// ParseDeadlineRule parses a rule written "day:15", "days:2" or "workdays:2".
func ParseDeadlineRule(s string) (DeadlineRule, error) {
	kind, nText, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return DeadlineRule{}, fmt.Errorf("deadline rule %q: no ':'; %s", s, ruleForms)
	}
	kind = strings.ToLower(strings.TrimSpace(kind))
	var example string
	switch kind {
	case RuleDayOfMonth:
		example = "day:15"
	case RuleCalendarDays:
		example = "days:2"
	case RuleWorkingDays:
		example = "workdays:2"
	case RuleDate:
		return parseDateRule(s, strings.TrimSpace(nText))
	default:
		return DeadlineRule{}, fmt.Errorf("deadline rule %q: unknown kind %q; %s", s, kind, ruleForms)
	}
	n, ok := digits(strings.TrimSpace(nText))
	if !ok {
		return DeadlineRule{}, fmt.Errorf("deadline rule %q: %q is not a whole number; write for example %s", s, nText, example)
	}
	r := DeadlineRule{Kind: kind, N: n}
	if err := r.Validate(); err != nil {
		return DeadlineRule{}, fmt.Errorf("deadline rule %q: %w", s, err)
	}
	return r, nil
}

// parseDateRule reads the MM-DD or +1y:MM-DD of a date: rule.
func parseDateRule(s, text string) (DeadlineRule, error) {
	r := DeadlineRule{Kind: RuleDate}
	if rest, ok := strings.CutPrefix(text, nextYearPrefix); ok {
		r.NextYear, text = true, rest
	}
	m, d, ok := strings.Cut(text, "-")
	month, okM := digits(m)
	dayN, okD := digits(d)
	if !ok || !okM || !okD || len(m) != 2 || len(d) != 2 {
		return DeadlineRule{}, fmt.Errorf("deadline rule %q: write date:MM-DD, for example date:11-25 (25 November of the period's year), "+
			"or date:+1y:MM-DD for a date of the year after", s)
	}
	r.N = month*100 + dayN
	if err := r.Validate(); err != nil {
		return DeadlineRule{}, fmt.Errorf("deadline rule %q: %w", s, err)
	}
	return r, nil
}

// Validate checks the kind and the range of N.
func (r DeadlineRule) Validate() error {
	var lo, hi int
	var what string
	if r.NextYear && r.Kind != RuleDate {
		return fmt.Errorf("only a date: rule can name the year after the period")
	}
	switch r.Kind {
	case RuleDate:
		month, d := time.Month(r.N/100), r.N%100
		if month < time.January || month > time.December {
			return fmt.Errorf("month %02d is not between 01 and 12", int(month))
		}
		if month == time.February && d == 29 {
			return fmt.Errorf("29 February exists only in leap years; use 02-28 or 03-01")
		}
		if n := daysIn(2027, month); d < 1 || d > n {
			return fmt.Errorf("day %02d does not exist in %s, which has %d days", d, month, n)
		}
		return nil
	case RuleDayOfMonth:
		lo, hi, what = 1, 31, "day of the month"
	case RuleCalendarDays:
		lo, hi, what = 0, maxRuleCalendarDays, "number of calendar days"
	case RuleWorkingDays:
		lo, hi, what = 1, maxRuleWorkingDays, "number of working days"
	case "":
		return fmt.Errorf("deadline rule is empty; %s", ruleForms)
	default:
		return fmt.Errorf("deadline rule kind %q is unknown; %s", r.Kind, ruleForms)
	}
	if r.N < lo || r.N > hi {
		return fmt.Errorf("%s %d is not between %d and %d", what, r.N, lo, hi)
	}
	return nil
}

// String writes the rule as ParseDeadlineRule reads it ("workdays:2",
// "date:+1y:01-20"); the zero rule is "".
func (r DeadlineRule) String() string {
	switch {
	case r.Kind == "":
		return ""
	case r.Kind == RuleDate && r.NextYear:
		return fmt.Sprintf("%s:%s%02d-%02d", r.Kind, nextYearPrefix, r.N/100, r.N%100)
	case r.Kind == RuleDate:
		return fmt.Sprintf("%s:%02d-%02d", r.Kind, r.N/100, r.N%100)
	}
	return r.Kind + ":" + strconv.Itoa(r.N)
}

// MarshalText encodes the rule as its text form.
func (r DeadlineRule) MarshalText() ([]byte, error) {
	return []byte(r.String()), nil
}

// UnmarshalText decodes a rule's text form; "" decodes to the zero rule.
func (r *DeadlineRule) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*r = DeadlineRule{}
		return nil
	}
	parsed, err := ParseDeadlineRule(string(b))
	if err != nil {
		return err
	}
	*r = parsed
	return nil
}

// Calendar is the time zone and the days off a regime's deadlines are
// computed with.
type Calendar struct {
	// Location is the time zone dates become instants in; callers must set
	// it (see DefaultLocation and LoadLocation).
	Location *time.Location
	// Holidays are public holidays and other days off on weekdays.
	Holidays []Date
	// WorkingWeekends are Saturdays or Sundays declared working days, such as
	// the make-up days (ngày làm bù) that accompany a bridged holiday.
	WorkingWeekends []Date
}

// IsWorkingDay reports whether d is a working day: a weekday that is not a
// holiday, or a weekend day listed in WorkingWeekends.
func (c Calendar) IsWorkingDay(d Date) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return containsDate(c.WorkingWeekends, d)
	}
	return !containsDate(c.Holidays, d)
}

// AddWorkingDays returns the n-th working day after d (n >= 1); d itself does
// not count, whether or not it is a working day.
func (c Calendar) AddWorkingDays(d Date, n int) Date {
	off := make(map[Date]bool, len(c.Holidays))
	for _, h := range c.Holidays {
		off[h] = true
	}
	on := make(map[Date]bool, len(c.WorkingWeekends))
	for _, w := range c.WorkingWeekends {
		on[w] = true
	}
	for n > 0 {
		d = d.AddDays(1)
		working := !off[d]
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			working = on[d]
		}
		if working {
			n--
		}
	}
	return d
}

func containsDate(ds []Date, d Date) bool {
	for _, x := range ds {
		if x == d {
			return true
		}
	}
	return false
}

// DueDate returns the due date the rule gives for a window whose cut-off date
// is cutoff, a date: rule taking the cut-off's year as the period's. A rule
// whose due date falls before the cut-off date is an error, since nobody can
// report figures before they are closed: "day:6 falls on 06/03/2026, before
// the cut-off 14/03/2026; ...". The calendar's Location is not needed here.
func (r DeadlineRule) DueDate(cutoff Date, cal Calendar) (Date, error) {
	return r.dueDate(Date{}, cutoff, cutoff.Year, cal, false)
}

// dueDate is the due date of a window start..cutoff of a period of year.
// With estimates, a due date before the cut-off is allowed (the figures after
// it are estimates, số liệu ước tính), but not one before the window opens.
func (r DeadlineRule) dueDate(start, cutoff Date, year int, cal Calendar, estimates bool) (Date, error) {
	if err := r.Validate(); err != nil {
		return Date{}, err
	}
	if !cutoff.IsValid() {
		return Date{}, fmt.Errorf("deadline rule %s: cut-off %q is not a date", r, cutoff)
	}
	var due Date
	switch r.Kind {
	case RuleDayOfMonth:
		due = Date{Year: cutoff.Year, Month: cutoff.Month, Day: min(r.N, daysIn(cutoff.Year, cutoff.Month))}
	case RuleCalendarDays:
		due = cutoff.AddDays(r.N)
	case RuleWorkingDays:
		due = cal.AddWorkingDays(cutoff, r.N)
	case RuleDate:
		if r.NextYear {
			year++
		}
		due = Date{Year: year, Month: time.Month(r.N / 100), Day: r.N % 100}
	}
	switch {
	case !estimates && due.Before(cutoff):
		return Date{}, fmt.Errorf("%s falls on %s, before the cut-off %s; choose a rule that falls on %s or later, "+
			"or mark the regime's figures as estimates (estimates: true) to report before the cut-off",
			r, due.Format("en"), cutoff.Format("en"), cutoff.Format("en"))
	case estimates && start.IsValid() && due.Before(start):
		return Date{}, fmt.Errorf("%s falls on %s, before the window opens on %s; even estimates need the window open",
			r, due.Format("en"), start.Format("en"))
	}
	return due, nil
}

// Deadlines are the dates of one obligation: its window, due date and the
// three instants DOMAIN.md keeps apart. Every instant is the exclusive end of
// a day in the regime's time zone, so 2026-03-16 due in Vietnam is
// 2026-03-17T00:00:00+07:00.
type Deadlines struct {
	// WindowStart and WindowEnd are the first and last days of the cut-off window.
	WindowStart Date `json:"window_start"`
	WindowEnd   Date `json:"window_end"`
	// DueDate is the last day on which a submission is on time.
	DueDate Date `json:"due_date"`
	// CutOff is the instant the window's last day ends.
	CutOff time.Time `json:"cut_off"`
	// Due is the instant DueDate ends: submissions before it are on time.
	Due time.Time `json:"due"`
	// Close is Due plus the regime's close-after offset: no submission is
	// accepted from then on, and missing ones are final.
	Close time.Time `json:"close"`
}

// ComputeDeadlines returns the window, due date, cut-off, due and close of
// period p under rule in cal's time zone. Close is Due + closeAfter, which must
// not be negative. Only with estimates may the due date come before the
// cut-off date (the regime reports estimates for the rest of the window).
func ComputeDeadlines(p Period, rule DeadlineRule, cal Calendar, closeAfter time.Duration, estimates bool) (Deadlines, error) {
	if p.IsZero() {
		return Deadlines{}, fmt.Errorf("compute deadlines: no period given")
	}
	if cal.Location == nil {
		return Deadlines{}, fmt.Errorf("compute deadlines for %s: the calendar has no time zone; set it from DefaultLocation or LoadLocation", p)
	}
	if closeAfter < 0 {
		return Deadlines{}, fmt.Errorf("compute deadlines for %s: close-after %s is negative; close must come at or after due", p, FormatOffset(closeAfter))
	}
	start, end := p.Window()
	dueDate, err := rule.dueDate(start, end, p.Year, cal, estimates)
	if err != nil {
		return Deadlines{}, fmt.Errorf("compute deadlines for %s: %w", p, err)
	}
	due := dueDate.End(cal.Location)
	return Deadlines{
		WindowStart: start,
		WindowEnd:   end,
		DueDate:     dueDate,
		CutOff:      end.End(cal.Location),
		Due:         due,
		Close:       due.Add(closeAfter),
	}, nil
}
