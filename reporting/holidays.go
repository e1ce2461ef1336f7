package reporting

import (
	"fmt"
	"strings"
	"time"
)

// DayKind says what a day listed in a holiday calendar is.
type DayKind string

// The kinds of listed day.
const (
	// DayHoliday is a day off: a public holiday, a day off in lieu of one
	// that fell on a weekend, or a bridge day given with Tết.
	DayHoliday DayKind = "holiday"
	// DayWorking is a Saturday or Sunday worked in exchange for a bridge day
	// (ngày làm bù).
	DayWorking DayKind = "working"
)

// ParseDayKind reads a day kind: holiday or working.
func ParseDayKind(s string) (DayKind, error) {
	k := DayKind(strings.ToLower(strings.TrimSpace(s)))
	if k == DayHoliday || k == DayWorking {
		return k, nil
	}
	return "", fmt.Errorf("kind %q is unknown; use holiday (a day off) or working (a Saturday or Sunday worked, ngày làm bù)", s)
}

// CalendarDay is one day a holiday calendar lists.
type CalendarDay struct {
	Date   Date    `json:"date"`
	Kind   DayKind `json:"kind"`
	NameVI string  `json:"name_vi,omitempty"`
	NameEN string  `json:"name_en,omitempty"`
}

// HolidayCalendar is the shared working-day calendar of one year, kept by
// office staff: the public holidays and days off of the year, and the
// weekend days worked in exchange (announced each year with Tết). Every
// regime's working days come from it; a day it does not list is a working
// day from Monday to Friday and a day off on Saturday and Sunday.
type HolidayCalendar struct {
	Year int
	// Source says where the days come from (the decision or notice).
	Source string
	Days   []CalendarDay
}

// Validate checks the calendar and names every refused field: the year,
// and per day its date (outside the year, listed twice) and kind (unknown,
// or a working day that is not a Saturday or Sunday).
func (c HolidayCalendar) Validate() error {
	var errs FieldErrors
	if c.Year < minYear || c.Year > 9999 {
		errs.Add("year", "%d is not a year between %d and 9999", c.Year, minYear)
	}
	seen := make(map[Date]int, len(c.Days))
	for i, d := range c.Days {
		field := fmt.Sprintf("days[%d]", i)
		switch {
		case !d.Date.IsValid():
			errs.Add(field+".date", "missing; write the day as YYYY-MM-DD")
		case d.Date.Year != c.Year:
			errs.Add(field+".date", "%s is not in %d; list it in the calendar of %d", d.Date, c.Year, d.Date.Year)
		default:
			if j, dup := seen[d.Date]; dup {
				errs.Add(field+".date", "%s is listed twice (also days[%d]); keep one", d.Date, j)
			}
			seen[d.Date] = i
		}
		switch d.Kind {
		case DayHoliday:
		case DayWorking:
			if wd := d.Date.Weekday(); d.Date.IsValid() && wd != time.Saturday && wd != time.Sunday {
				errs.Add(field+".kind", "%s is a %s, a working day already; a make-up day (working) is a Saturday or Sunday", d.Date, wd)
			}
		default:
			errs.Add(field+".kind", "%q is unknown; use holiday (a day off) or working (a Saturday or Sunday worked, ngày làm bù)", d.Kind)
		}
	}
	return errs.Err()
}

// Holidays returns the days off the calendar lists.
func (c HolidayCalendar) Holidays() []Date { return c.daysOf(DayHoliday) }

// WorkingWeekends returns the weekend days the calendar lists as worked.
func (c HolidayCalendar) WorkingWeekends() []Date { return c.daysOf(DayWorking) }

func (c HolidayCalendar) daysOf(k DayKind) []Date {
	var out []Date
	for _, d := range c.Days {
		if d.Kind == k {
			out = append(out, d.Date)
		}
	}
	return out
}

// WorkingCalendar is the calendar a regime's working days come from: the
// shared calendars of the years given, plus the regime's own extra days
// off (regimes created before the shared calendar listed their holidays
// themselves), in loc.
func WorkingCalendar(loc *time.Location, shared []HolidayCalendar, extraDaysOff []Date) Calendar {
	cal := Calendar{Location: loc, Holidays: append([]Date(nil), extraDaysOff...)}
	for _, c := range shared {
		cal.Holidays = append(cal.Holidays, c.Holidays()...)
		cal.WorkingWeekends = append(cal.WorkingWeekends, c.WorkingWeekends()...)
	}
	return cal
}
