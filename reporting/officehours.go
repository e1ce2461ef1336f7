package reporting

import (
	"fmt"
	"strings"
	"time"
)

// ClockTime is a time of day, in minutes after midnight: a regime's send
// time. It is written "08:00" (24-hour clock), also in JSON.
type ClockTime int

// DefaultSendTime is the send time of a regime that names none: 08:00, the
// start of the office day.
const DefaultSendTime ClockTime = 8 * 60

// ParseClockTime reads a time of day written HH:MM on the 24-hour clock
// ("08:00", "7:30", "17:45").
func ParseClockTime(s string) (ClockTime, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hour, okH := digits(h)
	minute, okM := digits(m)
	if !ok || !okH || !okM || len(h) > 2 || len(m) != 2 {
		return 0, fmt.Errorf("time of day %q: write HH:MM on the 24-hour clock, for example 08:00", s)
	}
	if hour > 23 || minute > 59 {
		return 0, fmt.Errorf("time of day %q: hours go from 00 to 23 and minutes from 00 to 59", s)
	}
	return ClockTime(hour*60 + minute), nil
}

// String writes the time as HH:MM ("08:00").
func (c ClockTime) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// MarshalText writes the time as HH:MM.
func (c ClockTime) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads a time written HH:MM.
func (c *ClockTime) UnmarshalText(b []byte) error {
	v, err := ParseClockTime(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// On returns the instant the time of day comes on day d in loc.
func (c ClockTime) On(d Date, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, int(c)/60, int(c)%60, 0, 0, loc)
}

// OfficeHours say when a regime's mail counted in days goes out: at
// SendTime, on a working day of Calendar, in the calendar's zone. The zero
// OfficeHours (no Location) keep every instant exact.
type OfficeHours struct {
	Calendar Calendar
	SendTime ClockTime
}

// calendarMargin widens the years of calendar a timeline needs: a moment
// moved to a working day may cross into another year.
const calendarMargin = 31 * day

// CalendarYears are the years whose working days the timeline between due
// and close needs in loc, from its earliest reminder to close, with a
// month's margin either side: the years of shared calendar to read before
// laying the timeline out under office hours (TimelineIn).
func (p Policy) CalendarYears(due, close time.Time, loc *time.Location) (from, to int) {
	first, last := due, close
	for _, o := range p.ReminderOffsets {
		if at := due.Add(-o); at.Before(first) {
			first = at
		}
	}
	if due.After(last) {
		last = due
	}
	return first.Add(-calendarMargin).In(loc).Year(), last.Add(calendarMargin).In(loc).Year()
}

// moves reports whether the hours move anything: without a Location every
// instant is exact.
func (h OfficeHours) moves() bool { return h.Calendar.Location != nil }

// countsInDays reports whether an offset is given in whole days, and so
// follows office hours: at least a day and a whole number of them. Offsets
// below a day (the seconds and minutes of demos and tests) and offsets with
// hours or minutes in them (36h) keep their exact instant.
func countsInDays(o time.Duration) bool { return o >= day && o%day == 0 }

// dueDay is the day a due instant belongs to: the date of its last instant
// before it, so the exclusive end of a day (00:00 the next day) is that day.
func dueDay(due time.Time, loc *time.Location) Date { return DateOf(due.Add(-time.Nanosecond), loc) }

// ReminderAt is the instant of a reminder sent before due: due - before, or,
// for a reminder given in whole days under office hours, the send time of
// the day that many days before the due day, moved back to the working day
// before it when that day is not one ("1d" before a due date of Monday
// 16/03 is Friday 13/03 at 08:00).
func (h OfficeHours) ReminderAt(due time.Time, before time.Duration) time.Time {
	loc := h.Calendar.Location
	if !h.moves() || !countsInDays(before) {
		return due.Add(-before)
	}
	d := dueDay(due, loc).AddDays(-int(before / day))
	for !h.Calendar.IsWorkingDay(d) {
		d = d.AddDays(-1)
	}
	return h.SendTime.On(d, loc)
}

// OverdueAt is the instant of the overdue moment (its notice to the agencies
// that have sent nothing): due itself, or, under office hours for a due at
// the start of a day in the regime's zone (the end of a deadline rule's due
// day), the send time of the first working day after the due day, so the
// notice reaches the officer in office hours and not at midnight (due at the
// end of Friday 31/12 is noticed on Monday 04/01 at 08:00 when 01/01 is a
// holiday). An obligation is overdue from due whatever the notice's instant:
// the live classification and timeliness are judged by due itself.
func (h OfficeHours) OverdueAt(due time.Time) time.Time {
	loc := h.Calendar.Location
	if !h.moves() {
		return due
	}
	if local := due.In(loc); local.Hour() != 0 || local.Minute() != 0 || local.Second() != 0 || local.Nanosecond() != 0 {
		return due
	}
	d := dueDay(due, loc).AddDays(1)
	for !h.Calendar.IsWorkingDay(d) {
		d = d.AddDays(1)
	}
	return h.SendTime.On(d, loc)
}

// EscalationAt is the instant of an escalation sent after due: due + after,
// or, for one given in whole days under office hours, the send time of the
// day that many days after the due day, moved on to the next working day
// when that day is not one.
func (h OfficeHours) EscalationAt(due time.Time, after time.Duration) time.Time {
	loc := h.Calendar.Location
	if !h.moves() || !countsInDays(after) {
		return due.Add(after)
	}
	d := dueDay(due, loc).AddDays(int(after / day))
	for !h.Calendar.IsWorkingDay(d) {
		d = d.AddDays(1)
	}
	return h.SendTime.On(d, loc)
}

// OfficeDayEnd is when the office day ends (17:00): mail planned at or after
// it, or before a regime's send time, goes out outside office hours.
const OfficeDayEnd ClockTime = 17 * 60

// SendWhen says whether an instant falls in office hours.
type SendWhen string

// When a message planned at an instant goes out.
const (
	// SendInHours is a working day, from the send time to the end of the office day.
	SendInHours SendWhen = "in_hours"
	// SendOffHours is a working day, before the send time or after the office day.
	SendOffHours SendWhen = "off_hours"
	// SendOffDay is a weekend or a day off of the calendar.
	SendOffDay SendWhen = "off_day"
)

// When says whether a message sent at t reaches people in office hours:
// on a working day of the calendar, from the send time to OfficeDayEnd (a
// send time at or after OfficeDayEnd counts as in hours only at its own
// minute). The zero OfficeHours count every instant in hours.
func (h OfficeHours) When(t time.Time) SendWhen {
	if !h.moves() {
		return SendInHours
	}
	local := t.In(h.Calendar.Location)
	if !h.Calendar.IsWorkingDay(DateOf(t, h.Calendar.Location)) {
		return SendOffDay
	}
	clock := ClockTime(local.Hour()*60 + local.Minute())
	if clock == h.SendTime || clock >= h.SendTime && clock < OfficeDayEnd {
		return SendInHours
	}
	return SendOffHours
}
