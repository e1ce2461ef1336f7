package reporting

import (
	"fmt"
	"strings"
	"time"
)

// Cadence is how often a regime's periodic report is due (Decree 09/2019/NĐ-CP):
// monthly, quarterly, six-monthly, nine-monthly or annual, or a custom window
// set by the issuing agency.
type Cadence string

// The cadences a regime can have.
const (
	Monthly     Cadence = "monthly"
	Quarterly   Cadence = "quarterly"
	SixMonthly  Cadence = "six-monthly"
	NineMonthly Cadence = "nine-monthly"
	Annual      Cadence = "annual"
	Custom      Cadence = "custom"
)

// Cadences lists every cadence, the periodic ones from the shortest.
func Cadences() []Cadence {
	return []Cadence{Monthly, Quarterly, SixMonthly, NineMonthly, Annual, Custom}
}

// ParseCadence parses a cadence name such as "quarterly" (case and
// surrounding spaces are ignored). An unknown name is an error listing the
// valid ones.
func ParseCadence(s string) (Cadence, error) {
	c := Cadence(strings.ToLower(strings.TrimSpace(s)))
	if c.IsValid() {
		return c, nil
	}
	return "", fmt.Errorf("cadence %q is unknown; use monthly, quarterly, six-monthly, nine-monthly, annual or custom", s)
}

// IsValid reports whether c is one of the cadences listed by Cadences.
func (c Cadence) IsValid() bool {
	switch c {
	case Monthly, Quarterly, SixMonthly, NineMonthly, Annual, Custom:
		return true
	}
	return false
}

// Period identifies one reporting period of a cadence. Its ID is the canonical
// text form:
//
//	monthly       2026-10
//	quarterly     2026-Q4
//	six-monthly   2026-H1, 2026-H2
//	nine-monthly  2026-9M
//	annual        2026
//	custom        2026-11-01..2026-11-20
//
// Build periods with ParsePeriod, NewPeriod or NewCustomPeriod rather than by
// hand, so that ID and the other fields agree. A Period encodes as its ID in
// JSON. The zero Period means "no period".
type Period struct {
	// ID is the canonical text form, as listed above.
	ID string
	// Cadence is the period's cadence.
	Cadence Cadence
	// Year is the year the period belongs to (for a custom window, the year
	// it starts in).
	Year int
	// Index is the month (1-12) of a monthly period, the quarter (1-4) of a
	// quarterly one, the half (1-2) of a six-monthly one, and 0 otherwise.
	Index int
	// CustomStart and CustomEnd are the first and last days of a custom
	// window; zero for the other cadences.
	CustomStart, CustomEnd Date
	// Windows says how the period is cut: "" or Decree09Windows by Decree
	// 09's cut-off windows, CalendarWindows by calendar months (see On).
	Windows Windows
}

const periodForms = "write 2026-10 (monthly), 2026-Q4 (quarterly), 2026-H1 or 2026-H2 (six-monthly), " +
	"2026-9M (nine-monthly), 2026 (annual) or 2026-11-01..2026-11-20 (custom)"

// ParsePeriod parses a period ID (see Period). Letters may be lower case and
// a month may be written with one digit ("2026-q4", "2026-1"); the returned
// Period carries the canonical ID. Errors name the bad part, for example
// `period "2026-13": month 13 is not between 01 and 12`.
func ParsePeriod(s string) (Period, error) {
	text := strings.TrimSpace(s)
	fail := func(format string, args ...any) (Period, error) {
		return Period{}, fmt.Errorf("period %q: %s", s, fmt.Sprintf(format, args...))
	}
	if text == "" {
		return fail("empty; %s", periodForms)
	}
	if startText, endText, ok := strings.Cut(text, ".."); ok {
		start, err := ParseDate(strings.TrimSpace(startText))
		if err != nil {
			return fail("start of the custom window: %v", err)
		}
		end, err := ParseDate(strings.TrimSpace(endText))
		if err != nil {
			return fail("end of the custom window: %v", err)
		}
		p, err := NewCustomPeriod(start, end)
		if err != nil {
			return fail("%v", err)
		}
		return p, nil
	}
	yearText, rest, _ := strings.Cut(text, "-")
	year, ok := digits(yearText)
	if !ok || len(yearText) != 4 {
		return fail("year %q is not four digits; %s", yearText, periodForms)
	}
	if year < minYear {
		return fail("year %04d is before %d", year, minYear)
	}
	upper := strings.ToUpper(rest)
	switch {
	case text == yearText:
		return NewPeriod(Annual, year, 0)
	case strings.Contains(rest, "-"):
		return fail("a single date is not a period; for a custom window write START..END, for example %s..%s",
			text, text)
	case upper == "9M":
		return NewPeriod(NineMonthly, year, 0)
	case strings.HasPrefix(upper, "Q"):
		q, ok := digits(rest[1:])
		if !ok {
			return fail("quarter %q is not a number; write Q1, Q2, Q3 or Q4", rest)
		}
		if q < 1 || q > 4 {
			return fail("quarter %d is not between 1 and 4", q)
		}
		return NewPeriod(Quarterly, year, q)
	case strings.HasPrefix(upper, "H"):
		h, ok := digits(rest[1:])
		if !ok {
			return fail("half %q is not a number; write H1 or H2", rest)
		}
		if h < 1 || h > 2 {
			return fail("half %d is not 1 or 2", h)
		}
		return NewPeriod(SixMonthly, year, h)
	default:
		m, ok := digits(rest)
		if !ok || len(rest) > 2 {
			return fail("%q is not a month, quarter or half; %s", rest, periodForms)
		}
		if m < 1 || m > 12 {
			return fail("month %02d is not between 01 and 12", m)
		}
		return NewPeriod(Monthly, year, m)
	}
}

// MustParsePeriod is ParsePeriod for constants in code and tests; it panics on
// a malformed period.
func MustParsePeriod(s string) Period {
	p, err := ParsePeriod(s)
	if err != nil {
		panic(err)
	}
	return p
}

// minYear keeps period years to four digits, so IDs sort and parse back.
const minYear = 1000

// NewPeriod returns the period of a periodic cadence in year: index is the
// month (1-12) for Monthly, the quarter (1-4) for Quarterly, the half (1-2)
// for SixMonthly, and 0 for NineMonthly and Annual. Custom windows are made
// with NewCustomPeriod.
func NewPeriod(c Cadence, year, index int) (Period, error) {
	if year < minYear || year > 9999 {
		return Period{}, fmt.Errorf("%s period: year %d is not between %d and 9999", c, year, minYear)
	}
	p := Period{Cadence: c, Year: year, Index: index}
	var limit int
	switch c {
	case Monthly:
		limit = 12
		p.ID = fmt.Sprintf("%04d-%02d", year, index)
	case Quarterly:
		limit = 4
		p.ID = fmt.Sprintf("%04d-Q%d", year, index)
	case SixMonthly:
		limit = 2
		p.ID = fmt.Sprintf("%04d-H%d", year, index)
	case NineMonthly:
		p.ID = fmt.Sprintf("%04d-9M", year)
	case Annual:
		p.ID = fmt.Sprintf("%04d", year)
	case Custom:
		return Period{}, fmt.Errorf("a custom period has no index; build it from its window with NewCustomPeriod")
	default:
		return Period{}, fmt.Errorf("cadence %q is unknown; use monthly, quarterly, six-monthly, nine-monthly or annual", c)
	}
	if limit == 0 && index != 0 {
		return Period{}, fmt.Errorf("%s period %04d: index %d given, but %s periods have none; pass 0", c, year, index, c)
	}
	if limit != 0 && (index < 1 || index > limit) {
		return Period{}, fmt.Errorf("%s period %04d: index %d is not between 1 and %d", c, year, index, limit)
	}
	return p, nil
}

// NewCustomPeriod returns the custom period whose cut-off window runs from
// start to end, both days included.
func NewCustomPeriod(start, end Date) (Period, error) {
	if !start.IsValid() || !end.IsValid() {
		return Period{}, fmt.Errorf("custom window %s..%s: both ends must be real dates", start, end)
	}
	if start.Year < minYear || end.Year > 9999 {
		return Period{}, fmt.Errorf("custom window %s..%s: years must be between %d and 9999", start, end, minYear)
	}
	if end.Before(start) {
		return Period{}, fmt.Errorf("custom window starts %s, after its end %s; write START..END with START on or before END",
			start.Format("en"), end.Format("en"))
	}
	return Period{
		ID:          start.String() + ".." + end.String(),
		Cadence:     Custom,
		Year:        start.Year,
		CustomStart: start,
		CustomEnd:   end,
	}, nil
}

// String returns the period's ID.
func (p Period) String() string { return p.ID }

// IsZero reports whether p is the zero Period.
func (p Period) IsZero() bool { return p == Period{} }

// Window returns the first and last days of the period's data cut-off window
// (thời gian chốt số liệu), both included, as set by Decree 09 Art. 12:
//
//	monthly, month M     15th of M-1 .. 14th of M
//	quarterly, quarter Q 15th of the month before Q .. 14th of Q's last month
//	six-monthly H1       15 Dec of the previous year .. 14 Jun
//	six-monthly H2       15 Jun .. 14 Dec
//	nine-monthly         15 Dec of the previous year .. 14 Sep
//	annual               15 Dec of the previous year .. 14 Dec
//
// A custom period returns its own window; the zero Period returns zero dates.
// A period on calendar windows (On(CalendarWindows)) returns its calendar
// months instead: 2026-10 is 01/10–31/10, 2026-H1 01/01–30/06.
func (p Period) Window() (start, end Date) {
	if p.Windows == CalendarWindows && p.Cadence != Custom {
		return p.calendarWindow()
	}
	switch p.Cadence {
	case Monthly:
		return windowOfMonths(p.Year, time.Month(p.Index), time.Month(p.Index))
	case Quarterly:
		last := time.Month(3 * p.Index)
		return windowOfMonths(p.Year, last-2, last)
	case SixMonthly:
		last := time.Month(6 * p.Index)
		return windowOfMonths(p.Year, last-5, last)
	case NineMonthly:
		return windowOfMonths(p.Year, time.January, time.September)
	case Annual:
		return windowOfMonths(p.Year, time.January, time.December)
	case Custom:
		return p.CustomStart, p.CustomEnd
	}
	return Date{}, Date{}
}

// windowOfMonths is the Decree 09 window of the months first..last of year:
// from the 15th of the month before first to the 14th of last.
func windowOfMonths(year int, first, last time.Month) (start, end Date) {
	return NewDate(year, first-1, windowStartDay), Date{Year: year, Month: last, Day: windowStartDay - 1}
}

// windowStartDay is the day of the month on which every Decree 09 window starts.
const windowStartDay = 15

// Contains reports whether d falls inside the period's cut-off window.
func (p Period) Contains(d Date) bool {
	start, end := p.Window()
	return !p.IsZero() && !d.Before(start) && !d.After(end)
}

// Next returns the period after p of the same cadence (2026-12 → 2027-01,
// 2026-Q4 → 2027-Q1, 2026-H1 → 2026-H2). A custom period has no successor:
// Next returns it unchanged, so check the cadence before walking periods.
func (p Period) Next() Period { return p.shift(1) }

// Prev returns the period before p of the same cadence (2026-01 → 2025-12).
// A custom period has no predecessor: Prev returns it unchanged.
func (p Period) Prev() Period { return p.shift(-1) }

func (p Period) shift(by int) Period {
	var per int // periods per year
	switch p.Cadence {
	case Monthly:
		per = 12
	case Quarterly:
		per = 4
	case SixMonthly:
		per = 2
	case NineMonthly, Annual:
		per = 0
	default:
		return p
	}
	year, index := p.Year, p.Index
	if per == 0 {
		year += by
	} else {
		n := year*per + (index - 1) + by
		year, index = n/per, n%per+1
	}
	next, err := NewPeriod(p.Cadence, year, index)
	if err != nil { // outside years 1000..9999
		return p
	}
	return next.On(p.Windows)
}

// MarshalText encodes p as its ID, so a period travels in JSON as "2026-Q4".
func (p Period) MarshalText() ([]byte, error) {
	return []byte(p.ID), nil
}

// UnmarshalText decodes a period ID; "" decodes to the zero Period.
func (p *Period) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*p = Period{}
		return nil
	}
	parsed, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = parsed
	return nil
}
