package reporting

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDeadlineRuleReadsTheThreeKinds(t *testing.T) {
	tests := []struct {
		in   string
		want DeadlineRule
		text string
	}{
		{"day:15", DeadlineRule{Kind: RuleDayOfMonth, N: 15}, "day:15"},
		{"days:2", DeadlineRule{Kind: RuleCalendarDays, N: 2}, "days:2"},
		{"days:0", DeadlineRule{Kind: RuleCalendarDays, N: 0}, "days:0"},
		{"workdays:2", DeadlineRule{Kind: RuleWorkingDays, N: 2}, "workdays:2"},
		{" Workdays: 2 ", DeadlineRule{Kind: RuleWorkingDays, N: 2}, "workdays:2"},
		{"day:31", DeadlineRule{Kind: RuleDayOfMonth, N: 31}, "day:31"},
	}
	for _, tt := range tests {
		got, err := ParseDeadlineRule(tt.in)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
		assert.Equal(t, tt.text, got.String())
	}
}

func TestParseDeadlineRuleSaysWhatToWrite(t *testing.T) {
	tests := []struct{ in, want string }{
		{"15", `deadline rule "15": no ':'; ` + ruleForms},
		{"week:2", `deadline rule "week:2": unknown kind "week"; ` + ruleForms},
		{"days:x", `deadline rule "days:x": "x" is not a whole number; write for example days:2`},
		{"days:-1", `deadline rule "days:-1": "-1" is not a whole number; write for example days:2`},
		{"day:32", `deadline rule "day:32": day of the month 32 is not between 1 and 31`},
		{"day:0", `deadline rule "day:0": day of the month 0 is not between 1 and 31`},
		{"workdays:0", `deadline rule "workdays:0": number of working days 0 is not between 1 and 250`},
		{"days:400", `deadline rule "days:400": number of calendar days 400 is not between 0 and 366`},
	}
	for _, tt := range tests {
		_, err := ParseDeadlineRule(tt.in)
		assert.EqualError(t, err, tt.want, tt.in)
	}
}

func TestDeadlineRuleTravelsInJSONAsText(t *testing.T) {
	b, err := json.Marshal(struct{ Rule DeadlineRule }{DeadlineRule{Kind: RuleWorkingDays, N: 2}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"Rule":"workdays:2"}`, string(b))
	var back struct{ Rule DeadlineRule }
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, DeadlineRule{Kind: RuleWorkingDays, N: 2}, back.Rule)
}

// Vietnamese public holidays around 30 April and 1 May 2026 (Thursday and Friday).
var reunificationDays = []Date{d("2026-04-30"), d("2026-05-01")}

func TestDueDateOfEachRuleKind(t *testing.T) {
	tests := []struct {
		name     string
		rule     string
		cutoff   string
		holidays []Date
		weekends []Date
		want     string
	}{
		{"day N of the cut-off month", "day:15", "2026-10-14", nil, nil, "2026-10-15"},
		{"day N on the cut-off itself", "day:14", "2026-10-14", nil, nil, "2026-10-14"},
		{"day 31 in a 30-day month is its last day", "day:31", "2026-06-14", nil, nil, "2026-06-30"},
		{"day 31 in February is its last day", "day:31", "2026-02-14", nil, nil, "2026-02-28"},
		{"day 30 in a leap February is its last day", "day:30", "2024-02-14", nil, nil, "2024-02-29"},
		{"calendar days run through weekends", "days:2", "2026-03-14", nil, nil, "2026-03-16"},
		{"zero calendar days is the cut-off", "days:0", "2026-03-14", nil, nil, "2026-03-14"},
		{"calendar days cross the year", "days:20", "2026-12-14", nil, nil, "2027-01-03"},
		{"calendar days ignore holidays", "days:1", "2026-04-29", reunificationDays, nil, "2026-04-30"},
		{"working days skip a weekend", "workdays:2", "2026-03-14", nil, nil, "2026-03-17"},
		{"working days from a Friday", "workdays:1", "2026-03-13", nil, nil, "2026-03-16"},
		{"working days skip holidays and the weekend", "workdays:2", "2026-04-29", reunificationDays, nil, "2026-05-05"},
		{"without the holidays", "workdays:2", "2026-04-29", nil, nil, "2026-05-01"},
		{"cut-off on a holiday", "workdays:1", "2026-04-30", reunificationDays, nil, "2026-05-04"},
		{"a make-up Saturday counts", "workdays:1", "2026-03-20", nil, []Date{d("2026-03-21")}, "2026-03-21"},
		{"working days cross the year", "workdays:3", "2026-12-30", []Date{d("2027-01-01")}, nil, "2027-01-05"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rule, err := ParseDeadlineRule(tt.rule)
			require.NoError(t, err)
			got, err := rule.DueDate(d(tt.cutoff), Calendar{Holidays: tt.holidays, WorkingWeekends: tt.weekends})
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.String())
		})
	}
}

func TestDueDateBeforeTheCutOffIsAnError(t *testing.T) {
	// Circular 02/2023's quarterly "by the 6th of the quarter's last month"
	// falls inside a Decree 09 window.
	_, err := DeadlineRule{Kind: RuleDayOfMonth, N: 6}.DueDate(d("2026-03-14"), Calendar{})
	assert.EqualError(t, err, "day:6 falls on 06/03/2026, before the cut-off 14/03/2026; choose a rule that falls on 14/03/2026 or later, or mark the regime's figures as estimates (estimates: true) to report before the cut-off")

	_, err = DeadlineRule{}.DueDate(d("2026-03-14"), Calendar{})
	assert.EqualError(t, err, "deadline rule is empty; "+ruleForms)
	_, err = DeadlineRule{Kind: "weeks", N: 1}.DueDate(d("2026-03-14"), Calendar{})
	assert.EqualError(t, err, `deadline rule kind "weeks" is unknown; `+ruleForms)
}

// Every month of two years: day:15 is the day after the cut-off, and a
// workdays:N due date is a working day with exactly N working days after the
// cut-off up to it.
func TestDueDatesOfEveryMonthOfTwoYears(t *testing.T) {
	cal := Calendar{Location: vn, Holidays: reunificationDays}
	p := MustParsePeriod("2026-01")
	for range 24 {
		_, cutoff := p.Window()
		due, err := DeadlineRule{Kind: RuleDayOfMonth, N: 15}.DueDate(cutoff, cal)
		require.NoError(t, err)
		assert.Equal(t, Date{p.Year, time.Month(p.Index), 15}, due, p.ID)

		for n := 1; n <= 5; n++ {
			due, err := DeadlineRule{Kind: RuleWorkingDays, N: n}.DueDate(cutoff, cal)
			require.NoError(t, err)
			assert.True(t, cal.IsWorkingDay(due), "%s workdays:%d gives %s, not a working day", p, n, due)
			counted := 0
			for x := cutoff.AddDays(1); !x.After(due); x = x.AddDays(1) {
				if cal.IsWorkingDay(x) {
					counted++
				}
			}
			assert.Equal(t, n, counted, "%s workdays:%d gives %s", p, n, due)
		}
		p = p.Next()
	}
}

func TestIsWorkingDay(t *testing.T) {
	cal := Calendar{Holidays: reunificationDays, WorkingWeekends: []Date{d("2026-04-25")}}
	assert.True(t, cal.IsWorkingDay(d("2026-04-29")), "Wednesday")
	assert.False(t, cal.IsWorkingDay(d("2026-04-30")), "holiday")
	assert.False(t, cal.IsWorkingDay(d("2026-05-02")), "Saturday")
	assert.False(t, cal.IsWorkingDay(d("2026-05-03")), "Sunday")
	assert.True(t, cal.IsWorkingDay(d("2026-04-25")), "make-up Saturday")
}

func TestComputeDeadlinesForTheFirstQuarter(t *testing.T) {
	got, err := ComputeDeadlines(MustParsePeriod("2026-Q1"), DeadlineRule{Kind: RuleCalendarDays, N: 2}, Calendar{Location: vn}, 10*day, false)
	require.NoError(t, err)
	assert.Equal(t, "2025-12-15", got.WindowStart.String())
	assert.Equal(t, "2026-03-14", got.WindowEnd.String())
	assert.Equal(t, "2026-03-16", got.DueDate.String())
	assert.Equal(t, "2026-03-15T00:00:00+07:00", got.CutOff.Format(time.RFC3339))
	assert.Equal(t, "2026-03-17T00:00:00+07:00", got.Due.Format(time.RFC3339))
	assert.Equal(t, "2026-03-27T00:00:00+07:00", got.Close.Format(time.RFC3339))
}

func TestComputeDeadlinesAcrossTheYear(t *testing.T) {
	got, err := ComputeDeadlines(MustParsePeriod("2026"), DeadlineRule{Kind: RuleWorkingDays, N: 2}, Calendar{Location: vn}, 0, false)
	require.NoError(t, err)
	// 14/12/2026 is a Monday.
	assert.Equal(t, "2026-12-16", got.DueDate.String())
	assert.Equal(t, "2026-12-17T00:00:00+07:00", got.Due.Format(time.RFC3339))
	assert.Equal(t, got.Due, got.Close, "close-after 0 closes at due")
	assert.Equal(t, "2026-12-14T17:00:00Z", got.Due.Add(-2*day).UTC().Format(time.RFC3339))
}

func TestComputeDeadlinesRefusesBadInput(t *testing.T) {
	q1 := MustParsePeriod("2026-Q1")
	_, err := ComputeDeadlines(q1, DeadlineRule{Kind: RuleCalendarDays, N: 2}, Calendar{}, 0, false)
	assert.EqualError(t, err, "compute deadlines for 2026-Q1: the calendar has no time zone; set it from DefaultLocation or LoadLocation")
	_, err = ComputeDeadlines(q1, DeadlineRule{Kind: RuleCalendarDays, N: 2}, Calendar{Location: vn}, -time.Hour, false)
	assert.EqualError(t, err, "compute deadlines for 2026-Q1: close-after -1h is negative; close must come at or after due")
	_, err = ComputeDeadlines(q1, DeadlineRule{Kind: RuleDayOfMonth, N: 6}, Calendar{Location: vn}, 0, false)
	assert.EqualError(t, err, "compute deadlines for 2026-Q1: day:6 falls on 06/03/2026, before the cut-off 14/03/2026; choose a rule that falls on 14/03/2026 or later, or mark the regime's figures as estimates (estimates: true) to report before the cut-off")
	_, err = ComputeDeadlines(Period{}, DeadlineRule{Kind: RuleCalendarDays, N: 2}, Calendar{Location: vn}, 0, false)
	assert.EqualError(t, err, "compute deadlines: no period given")
}

func TestOnTimeIsJudgedAtTheEndOfTheDueDayInVietnam(t *testing.T) {
	due := d("2026-03-16").End(vn)
	tests := []struct {
		at   string
		want bool
	}{
		{"2026-03-16T23:59:59+07:00", true},
		{"2026-03-16T23:59:59.999999999+07:00", true},
		{"2026-03-17T00:00:00+07:00", false},
		{"2026-03-17T00:00:01+07:00", false},
		{"2026-03-16T16:59:59Z", true}, // the same instants written in UTC
		{"2026-03-16T17:00:01Z", false},
		{"2026-03-16T12:59:59-04:00", true}, // and from New York
		{"2026-03-16T13:00:01-04:00", false},
		{"2026-03-01T08:00:00+07:00", true},
	}
	for _, tt := range tests {
		at, err := time.Parse(time.RFC3339Nano, tt.at)
		require.NoError(t, err)
		assert.Equal(t, tt.want, OnTime(at, due), tt.at)
	}
}
