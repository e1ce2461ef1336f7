package reporting

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestScheduleDaysAreWhenWindowsStart(t *testing.T) {
	tests := []struct {
		cadence Cadence
		months  []time.Month
		day     int
	}{
		{Monthly, []time.Month{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 15},
		{Quarterly, []time.Month{time.March, time.June, time.September, time.December}, 15},
		{SixMonthly, []time.Month{time.June, time.December}, 15},
		{NineMonthly, []time.Month{time.December}, 15},
		{Annual, []time.Month{time.December}, 15},
		{Custom, nil, 0},
		{"weekly", nil, 0},
	}
	for _, tt := range tests {
		months, day := ScheduleDays(tt.cadence)
		assert.Equal(t, tt.months, months, tt.cadence)
		assert.Equal(t, tt.day, day, tt.cadence)
	}
}

// Every day of two years: a period starts on exactly the days ScheduleDays
// names, and it is the period whose window starts that day.
func TestPeriodStartingOnMatchesScheduleDaysEveryDayOfTwoYears(t *testing.T) {
	for _, c := range []Cadence{Monthly, Quarterly, SixMonthly, NineMonthly, Annual} {
		months, day := ScheduleDays(c)
		starts := 0
		for date := d("2026-01-01"); date.Before(d("2028-01-01")); date = date.AddDays(1) {
			p, ok := PeriodStartingOn(c, date)
			scheduled := date.Day == day && containsMonth(months, date.Month)
			assert.Equal(t, scheduled, ok, "%s on %s", c, date)
			if ok {
				starts++
				start, _ := p.Window()
				assert.Equal(t, date, start, "%s starting on %s is %s", c, date, p)
				assert.Equal(t, c, p.Cadence)
			}
		}
		assert.Equal(t, 2*len(months), starts, c)
	}
}

func containsMonth(ms []time.Month, m time.Month) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}

func TestPeriodStartingOnNamesThePeriodLaunched(t *testing.T) {
	tests := []struct {
		cadence Cadence
		on      string
		want    string
	}{
		{Monthly, "2026-12-15", "2027-01"},
		{Monthly, "2026-09-15", "2026-10"},
		{Quarterly, "2026-12-15", "2027-Q1"},
		{Quarterly, "2026-03-15", "2026-Q2"},
		{SixMonthly, "2026-12-15", "2027-H1"},
		{SixMonthly, "2026-06-15", "2026-H2"},
		{NineMonthly, "2026-12-15", "2027-9M"},
		{Annual, "2026-12-15", "2027"},
	}
	for _, tt := range tests {
		p, ok := PeriodStartingOn(tt.cadence, d(tt.on))
		if assert.True(t, ok, "%s %s", tt.cadence, tt.on) {
			assert.Equal(t, tt.want, p.ID)
		}
	}
	_, ok := PeriodStartingOn(Quarterly, d("2026-01-15"))
	assert.False(t, ok)
	_, ok = PeriodStartingOn(Custom, d("2026-12-15"))
	assert.False(t, ok)
}

// Every day of two years falls in exactly the window PeriodContaining names.
func TestPeriodContainingEveryDayOfTwoYears(t *testing.T) {
	for _, c := range []Cadence{Monthly, Quarterly, SixMonthly, NineMonthly, Annual} {
		for date := d("2026-01-01"); date.Before(d("2028-01-01")); date = date.AddDays(1) {
			p, ok := PeriodContaining(c, date)
			if c == NineMonthly {
				gap := date.Month >= time.October && date.Month <= time.November ||
					date.Month == time.September && date.Day >= 15 ||
					date.Month == time.December && date.Day < 15
				assert.Equal(t, !gap, ok, "%s on %s", c, date)
			} else {
				assert.True(t, ok, "%s on %s", c, date)
			}
			if ok {
				assert.True(t, p.Contains(date), "%s contains %s", p, date)
			}
		}
	}
	p, ok := PeriodContaining(Monthly, d("2026-12-15"))
	assert.True(t, ok)
	assert.Equal(t, "2027-01", p.ID)
	p, ok = PeriodContaining(Quarterly, d("2026-03-14"))
	assert.True(t, ok)
	assert.Equal(t, "2026-Q1", p.ID)
	_, ok = PeriodContaining(Custom, d("2026-03-14"))
	assert.False(t, ok)
}
