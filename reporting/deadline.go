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
)

// Bounds on N, to catch typing mistakes ("days:300" for "days:3").
const (
	maxRuleCalendarDays = 366
	maxRuleWorkingDays  = 250
)

// DeadlineRule says when a regime's reports are due, relative to the cut-off
// date (the last day of the window). Written as text it is one of
//
//	day:N       day N of the month in which the cut-off falls (1-31; in a
//	            shorter month, its last day)
//	days:N      N calendar days after the cut-off date (0-366)
//	workdays:N  N working days after the cut-off date (1-250), skipping
//	            Saturdays, Sundays and the calendar's holidays
//
// A DeadlineRule encodes as that text in JSON.
type DeadlineRule struct {
	// Kind is RuleDayOfMonth, RuleCalendarDays or RuleWorkingDays.
	Kind string
	// N is the day of the month or the number of days.
	N int
}

const ruleForms = "write day:N (day N of the cut-off month), days:N (N calendar days after the cut-off) " +
	"or workdays:N (N working days after it)"

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

// Validate checks the kind and the range of N.
func (r DeadlineRule) Validate() error {
	var lo, hi int
	var what string
	switch r.Kind {
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

// String writes the rule as ParseDeadlineRule reads it ("workdays:2"); the
// zero rule is "".
func (r DeadlineRule) String() string {
	if r.Kind == "" {
		return ""
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
// is cutoff. A rule whose due date falls before the cut-off date is an error,
// since nobody can report figures before they are closed: "day:6 falls on
// 06/03/2026, before the cut-off 14/03/2026; ...". The calendar's Location is
// not needed here.
func (r DeadlineRule) DueDate(cutoff Date, cal Calendar) (Date, error) {
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
		if due.Before(cutoff) {
			return Date{}, fmt.Errorf("%s falls on %s, before the cut-off %s; use day:%d or later, or a days: or workdays: rule",
				r, due.Format("en"), cutoff.Format("en"), cutoff.Day)
		}
	case RuleCalendarDays:
		due = cutoff.AddDays(r.N)
	case RuleWorkingDays:
		due = cal.AddWorkingDays(cutoff, r.N)
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
// not be negative.
func ComputeDeadlines(p Period, rule DeadlineRule, cal Calendar, closeAfter time.Duration) (Deadlines, error) {
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
	dueDate, err := rule.DueDate(end, cal)
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
