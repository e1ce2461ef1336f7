package reporting

import (
	"cmp"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// Date is a civil calendar date, without a time of day or a time zone. Cut-off
// windows and due dates are dates; they become instants only in a regime's
// time zone (see Start and End). The zero Date means "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date year-month-day, normalising out-of-range values the
// way time.Date does (for example 2026-02-30 becomes 2026-03-02).
func NewDate(year int, month time.Month, day int) Date {
	return dateOfTime(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// ParseDate parses a date written YYYY-MM-DD, such as "2026-10-14". The error
// names the part that is wrong.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("date %q: not a date; write YYYY-MM-DD, for example 2026-10-14", s)
	}
	year, okY := digits(s[0:4])
	month, okM := digits(s[5:7])
	day, okD := digits(s[8:10])
	if !okY || !okM || !okD {
		return Date{}, fmt.Errorf("date %q: not a date; write YYYY-MM-DD with digits only, for example 2026-10-14", s)
	}
	if month < 1 || month > 12 {
		return Date{}, fmt.Errorf("date %q: month %02d is not between 01 and 12", s, month)
	}
	if n := daysIn(year, time.Month(month)); day < 1 || day > n {
		return Date{}, fmt.Errorf("date %q: day %02d does not exist in %s %d, which has %d days",
			s, day, time.Month(month), year, n)
	}
	return Date{Year: year, Month: time.Month(month), Day: day}, nil
}

// MustParseDate is ParseDate for constants in code and tests; it panics on a
// malformed date.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// FormatInstant writes an instant as people in Vietnam read it, dd/mm/yyyy
// hh:mm in Asia/Ho_Chi_Minh; the end of a day, the instant deadlines fall
// on, is written 24:00 of that day ("14/11/2026 24:00"), not 00:00 of the
// next. The zero time is "". Pages, mail and the command line all write
// instants so.
func FormatInstant(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	loc, err := DefaultLocation()
	if err != nil {
		loc = time.FixedZone("ICT", 7*3600)
	}
	t = t.In(loc)
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.AddDate(0, 0, -1).Format("02/01/2006") + " 24:00"
	}
	return t.Format("02/01/2006 15:04")
}

// DateOf returns the calendar date in loc at the instant t: the day boundary
// of loc decides (midnight +07:00 for Vietnam), not the time zone t happens to
// be written in. loc must not be nil.
func DateOf(t time.Time, loc *time.Location) Date {
	return dateOfTime(t.In(loc))
}

// String writes the date as YYYY-MM-DD ("2026-10-14"); the zero Date is "".
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Format writes the date for people: dd/mm/yyyy ("14/10/2026"), the form used
// in Vietnamese administrative documents. English output uses the same form
// so figures copied between the two languages cannot be misread.
func (d Date) Format(lang string) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, int(d.Month), d.Year)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// IsValid reports whether d names a real calendar day.
func (d Date) IsValid() bool {
	return d.Month >= time.January && d.Month <= time.December && d.Day >= 1 && d.Day <= daysIn(d.Year, d.Month)
}

// AddDays returns the date n days after d (before d when n is negative).
func (d Date) AddDays(n int) Date {
	return NewDate(d.Year, d.Month, d.Day+n)
}

// DaysSince returns the number of days from o to d (negative when d is before o).
func (d Date) DaysSince(o Date) int {
	return int(d.utc().Sub(o.utc()) / (24 * time.Hour))
}

// Compare returns -1 when d is before o, +1 when it is after, and 0 when they are the same day.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmp.Compare(d.Year, o.Year)
	case d.Month != o.Month:
		return cmp.Compare(int(d.Month), int(o.Month))
	default:
		return cmp.Compare(d.Day, o.Day)
	}
}

// Before reports whether d is an earlier day than o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is a later day than o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }

// Start returns the instant the day begins in loc (00:00 that day). loc must
// not be nil.
func (d Date) Start(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// End returns the instant the day ends in loc: 00:00 of the next day, an
// exclusive end (the "24:00" of d). A deadline on d is met by anything
// strictly before End. loc must not be nil.
func (d Date) End(loc *time.Location) time.Time {
	return d.AddDays(1).Start(loc)
}

// MarshalText encodes d as YYYY-MM-DD, so dates travel in JSON (API bodies,
// Temporal payloads) as "2026-10-14"; the zero Date encodes as "".
func (d Date) MarshalText() ([]byte, error) {
	return []byte(d.String()), nil
}

// UnmarshalText decodes a date written YYYY-MM-DD; "" decodes to the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	parsed, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

func (d Date) utc() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

func dateOfTime(t time.Time) Date {
	y, m, day := t.Date()
	return Date{Year: y, Month: m, Day: day}
}

// daysIn returns the number of days in the month.
func daysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// digits parses s as a non-negative decimal number made of ASCII digits only.
func digits(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// DefaultZone is the time zone calendar rules run in unless a regime names
// another: Vietnam time, UTC+7 without daylight saving.
const DefaultZone = "Asia/Ho_Chi_Minh"

var defaultLocation = sync.OnceValues(func() (*time.Location, error) {
	return LoadLocation(DefaultZone)
})

// DefaultLocation returns the Asia/Ho_Chi_Minh location, loaded once.
//
// Like LoadLocation it reads the time zone database, the only thing in this
// package that touches the machine. The result does not change between calls,
// so workflow code may call it; binaries meant for machines without tzdata
// should import time/tzdata in their main package.
func DefaultLocation() (*time.Location, error) {
	return defaultLocation()
}

// LoadLocation returns the time zone with the IANA name, such as
// "Asia/Ho_Chi_Minh". Unlike time.LoadLocation it refuses "" and "Local",
// whose meaning depends on the machine running the code.
func LoadLocation(name string) (*time.Location, error) {
	switch name {
	case "":
		return nil, fmt.Errorf("time zone is empty; name an IANA zone such as %s", DefaultZone)
	case "Local":
		return nil, fmt.Errorf("time zone %q depends on the machine; name an IANA zone such as %s", name, DefaultZone)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("time zone %q is unknown (%v); name an IANA zone such as %s", name, err, DefaultZone)
	}
	return loc, nil
}
