package reporting

import (
	"fmt"
	"strings"
	"time"
)

// Windows says how a regime cuts its periods: by the data cut-off windows of
// Decree 09 (monthly 2026-10 is 15/09–14/10), or by calendar months, as
// statistical regimes do (2026-10 is 01/10–31/10, 2026-H1 is 01/01–30/06).
// Period IDs are the same either way; the regime says which windows they
// name.
type Windows string

// The ways of cutting periods.
const (
	// Decree09Windows: the cut-off windows of Decree 09/2019/NĐ-CP Art. 12.
	Decree09Windows Windows = "decree09"
	// CalendarWindows: calendar months, quarters, halves and years.
	CalendarWindows Windows = "calendar"
)

// ParseWindows reads decree09 or calendar; "" is decree09.
func ParseWindows(s string) (Windows, error) {
	switch w := Windows(strings.ToLower(strings.TrimSpace(s))); w {
	case "", Decree09Windows:
		return Decree09Windows, nil
	case CalendarWindows:
		return w, nil
	}
	return "", fmt.Errorf("windows %q is unknown; use decree09 (Decree 09's cut-off windows, 15th to 14th) or calendar (calendar months)", s)
}

// On returns p cut by windows w (custom periods keep their own window).
func (p Period) On(w Windows) Period {
	if p.Cadence == Custom || p.IsZero() {
		return p
	}
	if w == CalendarWindows {
		p.Windows = CalendarWindows
	} else {
		p.Windows = ""
	}
	return p
}

// calendarWindow is the period's calendar months: the first day of its first
// month to the last day of its last.
func (p Period) calendarWindow() (start, end Date) {
	var first, last time.Month
	switch p.Cadence {
	case Monthly:
		first, last = time.Month(p.Index), time.Month(p.Index)
	case Quarterly:
		first, last = time.Month(3*p.Index-2), time.Month(3*p.Index)
	case SixMonthly:
		first, last = time.Month(6*p.Index-5), time.Month(6*p.Index)
	case NineMonthly:
		first, last = time.January, time.September
	case Annual:
		first, last = time.January, time.December
	default:
		return Date{}, Date{}
	}
	return Date{Year: p.Year, Month: first, Day: 1}, Date{Year: p.Year, Month: last, Day: daysIn(p.Year, last)}
}

// ScheduleDays says when the windows of a periodic cadence start, for
// schedules that launch one cycle per period: on day of each of months, in
// calendar order. Decree 09 windows start on the 15th of the month before
// (see the package-level ScheduleDays); calendar windows on the 1st of
// their first month (monthly: every month; quarterly: January, April, July,
// October; six-monthly: January, July; nine-monthly and annual: January).
// Custom periods are not scheduled: nil and 0.
func (w Windows) ScheduleDays(c Cadence) (months []time.Month, day int) {
	if w != CalendarWindows {
		return decree09ScheduleDays(c)
	}
	var every time.Month
	switch c {
	case Monthly:
		every = 1
	case Quarterly:
		every = 3
	case SixMonthly:
		every = 6
	case NineMonthly, Annual:
		every = 12
	default:
		return nil, 0
	}
	for m := time.January; m <= time.December; m += every {
		months = append(months, m)
	}
	return months, 1
}

// PeriodStartingOn returns the period of cadence c whose window starts on
// d, and false when none does.
func (w Windows) PeriodStartingOn(c Cadence, d Date) (Period, bool) {
	if w != CalendarWindows {
		return decree09PeriodStartingOn(c, d)
	}
	if d.Day != 1 || !d.IsValid() {
		return Period{}, false
	}
	p, ok := w.PeriodContaining(c, d)
	if !ok {
		return Period{}, false
	}
	if start, _ := p.Window(); start != d {
		return Period{}, false
	}
	return p, true
}

// PeriodContaining returns the period of cadence c whose window contains d,
// and false when there is none (nine-monthly windows leave the end of the
// year uncovered; custom periods are never found).
func (w Windows) PeriodContaining(c Cadence, d Date) (Period, bool) {
	if w != CalendarWindows {
		return decree09PeriodContaining(c, d)
	}
	if !d.IsValid() {
		return Period{}, false
	}
	m := int(d.Month)
	var p Period
	var err error
	switch c {
	case Monthly:
		p, err = NewPeriod(Monthly, d.Year, m)
	case Quarterly:
		p, err = NewPeriod(Quarterly, d.Year, (m+2)/3)
	case SixMonthly:
		p, err = NewPeriod(SixMonthly, d.Year, (m+5)/6)
	case NineMonthly:
		if m > 9 {
			return Period{}, false
		}
		p, err = NewPeriod(NineMonthly, d.Year, 0)
	case Annual:
		p, err = NewPeriod(Annual, d.Year, 0)
	default:
		return Period{}, false
	}
	return p.On(CalendarWindows), err == nil
}
