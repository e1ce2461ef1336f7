package reporting

import "time"

// ScheduleDays says when the cut-off windows of a periodic cadence start, for
// calendar schedules that launch one cycle per period: on day of each of
// months, listed in calendar order.
//
//	monthly       every month, day 15
//	quarterly     March, June, September, December, day 15
//	six-monthly   June, December, day 15
//	nine-monthly  December, day 15
//	annual        December, day 15
//
// Custom periods are not scheduled: ScheduleDays(Custom) returns nil and 0,
// as does an unknown cadence.
func ScheduleDays(c Cadence) (months []time.Month, day int) {
	return Decree09Windows.ScheduleDays(c)
}

func decree09ScheduleDays(c Cadence) (months []time.Month, day int) {
	switch c {
	case Monthly:
		months = []time.Month{time.January, time.February, time.March, time.April, time.May, time.June,
			time.July, time.August, time.September, time.October, time.November, time.December}
	case Quarterly:
		months = []time.Month{time.March, time.June, time.September, time.December}
	case SixMonthly:
		months = []time.Month{time.June, time.December}
	case NineMonthly, Annual:
		months = []time.Month{time.December}
	default:
		return nil, 0
	}
	return months, windowStartDay
}

// PeriodStartingOn returns the period of cadence c whose cut-off window starts
// on d, and false when no window of c starts that day. A launch scheduled by
// ScheduleDays uses it to name the period it launches: 15/12/2026 starts
// 2027-01, 2027-Q1, 2027-H1, 2027-9M and 2027. Custom periods are never found.
func PeriodStartingOn(c Cadence, d Date) (Period, bool) {
	return Decree09Windows.PeriodStartingOn(c, d)
}

func decree09PeriodStartingOn(c Cadence, d Date) (Period, bool) {
	if d.Day != windowStartDay || !d.IsValid() {
		return Period{}, false
	}
	next := d.Month + 1 // windows start in the month before their first month
	year := d.Year
	if next > time.December {
		next, year = time.January, year+1
	}
	var p Period
	var err error
	switch {
	case c == Monthly:
		p, err = NewPeriod(Monthly, year, int(next))
	case c == Quarterly && next%3 == 1:
		p, err = NewPeriod(Quarterly, year, int(next+2)/3)
	case c == SixMonthly && next%6 == 1:
		p, err = NewPeriod(SixMonthly, year, int(next+5)/6)
	case (c == NineMonthly || c == Annual) && next == time.January:
		p, err = NewPeriod(c, year, 0)
	default:
		return Period{}, false
	}
	return p, err == nil
}

// PeriodContaining returns the period of cadence c whose cut-off window
// contains d, and false when there is none: nine-monthly windows leave 15 Sep
// .. 14 Dec uncovered, and custom periods are never found. Monthly, quarterly,
// six-monthly and annual windows follow one another without gaps.
func PeriodContaining(c Cadence, d Date) (Period, bool) {
	return Decree09Windows.PeriodContaining(c, d)
}

func decree09PeriodContaining(c Cadence, d Date) (Period, bool) {
	if !d.IsValid() {
		return Period{}, false
	}
	// The month whose window contains d: the same month up to the 14th, the
	// next one from the 15th.
	month, year := d.Month, d.Year
	if d.Day >= windowStartDay {
		month++
		if month > time.December {
			month, year = time.January, year+1
		}
	}
	var p Period
	var err error
	switch c {
	case Monthly:
		p, err = NewPeriod(Monthly, year, int(month))
	case Quarterly:
		p, err = NewPeriod(Quarterly, year, int(month+2)/3)
	case SixMonthly:
		p, err = NewPeriod(SixMonthly, year, int(month+5)/6)
	case NineMonthly:
		if month > time.September {
			return Period{}, false
		}
		p, err = NewPeriod(NineMonthly, year, 0)
	case Annual:
		p, err = NewPeriod(Annual, year, 0)
	default:
		return Period{}, false
	}
	return p, err == nil
}
