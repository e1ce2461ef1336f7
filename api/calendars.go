package api

import (
	"fmt"
	"strings"
	"time"

	"rcm/reporting"
)

// Calendar is the shared holiday calendar of one year (GET and PUT
// /api/v1/calendars/{year}): its days off (kind holiday) and the Saturdays
// or Sundays worked in exchange (kind working, ngày làm bù). PUT replaces
// the year's calendar; its answer names the open cycles whose pending
// moments were moved (CyclesMoved, [] when none).
type Calendar struct {
	Year        int           `json:"year"`
	Source      string        `json:"source,omitempty"`
	Days        []CalendarDay `json:"days"`
	CyclesMoved []string      `json:"cycles_moved,omitempty"`
}

// CalendarDay is one listed day: Date as YYYY-MM-DD, Kind holiday or
// working. Date and Kind are text so that a bad one is refused naming its
// field (days[3].date).
type CalendarDay struct {
	Date   string `json:"date"`
	Kind   string `json:"kind"`
	NameVI string `json:"name_vi,omitempty"`
	NameEN string `json:"name_en,omitempty"`
}

// CalendarDaysOf writes the days of a calendar.
func CalendarDaysOf(days []reporting.CalendarDay) []CalendarDay {
	out := make([]CalendarDay, len(days))
	for i, d := range days {
		out[i] = CalendarDay{Date: d.Date.String(), Kind: string(d.Kind), NameVI: d.NameVI, NameEN: d.NameEN}
	}
	return out
}

// ReadCalendar reads a calendar of year as sent, naming every field that
// does not parse (days[i].date); the calendar as a whole is checked by
// reporting.HolidayCalendar.Validate.
func ReadCalendar(year int, c Calendar) (reporting.HolidayCalendar, []reporting.FieldError) {
	out := reporting.HolidayCalendar{Year: year, Source: c.Source, Days: make([]reporting.CalendarDay, 0, len(c.Days))}
	var errs reporting.FieldErrors
	for i, d := range c.Days {
		date, err := reporting.ParseDate(strings.TrimSpace(d.Date))
		if err != nil {
			errs.Add(fmt.Sprintf("days[%d].date", i), "%v", err)
		}
		out.Days = append(out.Days, reporting.CalendarDay{Date: date, Kind: reporting.DayKind(strings.ToLower(strings.TrimSpace(d.Kind))),
			NameVI: strings.TrimSpace(d.NameVI), NameEN: strings.TrimSpace(d.NameEN)})
	}
	return out, errs
}

// CalendarSummary is one year of the shared calendar as listed (GET
// /api/v1/calendars).
type CalendarSummary struct {
	Year        int       `json:"year"`
	Source      string    `json:"source,omitempty"`
	Holidays    int       `json:"holidays"`
	WorkingDays int       `json:"working_days"`
	UpdatedAt   time.Time `json:"updated_at"`
}
