package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcm/api"
	"rcm/reporting"
	"rcm/store"
)

// runPeriodShow runs "rcm period show ARGS..." and returns the exit status,
// stdout and stderr.
func runPeriodShow(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	t.Setenv("RCM_OUTPUT", "")
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), append([]string{"rcm", "period", "show"}, args...), strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// periodShowJSON runs the command with --output json and decodes its output.
func periodShowJSON(t *testing.T, args ...string) map[string]string {
	t.Helper()
	code, stdout, stderr := runPeriodShow(t, append(args, "--output", "json")...)
	require.Equal(t, ExitOK, code, "stderr: %s", stderr)
	var got map[string]string
	require.NoError(t, json.Unmarshal([]byte(stdout), &got), stdout)
	return got
}

func TestPeriodShowFirstQuarterWithADeadline(t *testing.T) {
	got := periodShowJSON(t, "2026-Q1", "--deadline", "days:2")
	assert.Equal(t, map[string]string{
		"period":       "2026-Q1",
		"cadence":      "quarterly",
		"label_vi":     "quý I/2026",
		"label_en":     "Q1 2026",
		"window_start": "2025-12-15",
		"window_end":   "2026-03-14",
		"cut_off":      "2026-03-15T00:00:00+07:00",
		"time_zone":    "Asia/Ho_Chi_Minh",
		"deadline":     "days:2",
		"due":          "2026-03-16",
		"due_end":      "2026-03-17T00:00:00+07:00",
	}, got)
}

func TestPeriodShowWithoutDeadlineHasNoDueFields(t *testing.T) {
	got := periodShowJSON(t, "2026-10")
	assert.Equal(t, map[string]string{
		"period":       "2026-10",
		"cadence":      "monthly",
		"label_vi":     "tháng 10/2026",
		"label_en":     "October 2026",
		"window_start": "2026-09-15",
		"window_end":   "2026-10-14",
		"cut_off":      "2026-10-15T00:00:00+07:00",
		"time_zone":    "Asia/Ho_Chi_Minh",
	}, got)
}

func TestPeriodShowFlagsMayComeBeforeOrAfterThePeriod(t *testing.T) {
	after := periodShowJSON(t, "2027-01", "--deadline", "day:15", "--close-after", "10d")
	before := periodShowJSON(t, "--deadline=day:15", "--close-after=10d", "2027-01")
	assert.Equal(t, after, before)
	assert.Equal(t, "2026-12-15", after["window_start"])
	assert.Equal(t, "2027-01-14", after["window_end"])
	assert.Equal(t, "2027-01-15", after["due"])
	assert.Equal(t, "2027-01-16T00:00:00+07:00", after["due_end"])
	assert.Equal(t, "2027-01-26T00:00:00+07:00", after["close"])
}

func TestPeriodShowWorkingDaysSkipHolidays(t *testing.T) {
	// 14/04/2026 is a Tuesday: Wednesday counts, Thursday and Friday are days
	// off, the weekend does not count, Monday 20 is the second working day.
	got := periodShowJSON(t, "2026-04", "--deadline", "workdays:2", "--holidays", "2026-04-16,2026-04-17")
	assert.Equal(t, "2026-04-20", got["due"])
	got = periodShowJSON(t, "2026-04", "--deadline", "workdays:2", "--holidays", "2026-04-16", "--holidays", "2026-04-17")
	assert.Equal(t, "2026-04-20", got["due"], "repeated --holidays")
	got = periodShowJSON(t, "2026-04", "--deadline", "workdays:2")
	assert.Equal(t, "2026-04-16", got["due"])
}

func TestPeriodShowInAnotherZone(t *testing.T) {
	got := periodShowJSON(t, "2026-Q1", "--deadline", "days:2", "--tz", "UTC", "--close-after", "36h")
	assert.Equal(t, "2026-03-15T00:00:00Z", got["cut_off"])
	assert.Equal(t, "2026-03-17T00:00:00Z", got["due_end"])
	assert.Equal(t, "2026-03-18T12:00:00Z", got["close"])
	assert.Equal(t, "UTC", got["time_zone"])
}

func TestPeriodShowTableWritesDatesDayFirst(t *testing.T) {
	code, stdout, stderr := runPeriodShow(t, "2026-Q1", "--deadline", "days:2", "--close-after", "10d")
	require.Equal(t, ExitOK, code, stderr)
	for _, want := range []string{"quý I/2026", "15/12/2025", "14/03/2026", "15/03/2026 00:00 +07:00",
		"16/03/2026", "17/03/2026 00:00 +07:00", "27/03/2026 00:00 +07:00"} {
		assert.Contains(t, stdout, want)
	}
	assert.NotContains(t, stdout, "2026-03-16", "no ISO dates in the table")
}

func TestPeriodShowCSVHasOneRowUnderTheJSONNames(t *testing.T) {
	code, stdout, stderr := runPeriodShow(t, "2026-H2", "--deadline", "day:20", "-o", "csv")
	require.Equal(t, ExitOK, code, stderr)
	assert.Equal(t, "period,cadence,label_vi,label_en,window_start,window_end,cut_off,time_zone,deadline,due,due_end,close\n"+
		"2026-H2,six-monthly,6 tháng cuối năm 2026,H2 2026,2026-06-15,2026-12-14,2026-12-15T00:00:00+07:00,"+
		"Asia/Ho_Chi_Minh,day:20,2026-12-20,2026-12-21T00:00:00+07:00,\n", stdout)
}

func TestPeriodShowBadInputExitsWithUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"month out of range", []string{"2026-13"},
			`rcm: period "2026-13": month 13 is not between 01 and 12`},
		{"not a period", []string{"Q1-2026"},
			`rcm: period "Q1-2026": year "Q1" is not four digits`},
		{"no period", nil,
			"rcm: period show: PERIOD is missing; for example: rcm period show 2026-Q1"},
		{"two periods", []string{"2026-Q1", "2026-Q2"},
			"rcm: period show: takes one PERIOD, got 2: 2026-Q1 2026-Q2"},
		{"unknown rule", []string{"2026-Q1", "--deadline", "weeks:2"},
			`rcm: --deadline: deadline rule "weeks:2": unknown kind "weeks"`},
		{"rule before the cut-off", []string{"2026-Q1", "--deadline", "day:6"},
			"rcm: --deadline: day:6 falls on 06/03/2026, before the cut-off 14/03/2026; choose a rule that falls on 14/03/2026 or later, or mark the regime's figures as estimates (estimates: true) to report before the cut-off"},
		{"unknown zone", []string{"2026-Q1", "--tz", "Asia/Hanoi"},
			`rcm: --tz: time zone "Asia/Hanoi" is unknown`},
		{"bad holiday", []string{"2026-Q1", "--deadline", "workdays:2", "--holidays", "2026-03-16,2026-02-30"},
			`rcm: --holidays: date "2026-02-30": day 30 does not exist in February 2026, which has 28 days`},
		{"close without deadline", []string{"2026-Q1", "--close-after", "10d"},
			"rcm: --close-after needs --deadline: close counts from the due instant"},
		{"bad close offset", []string{"2026-Q1", "--deadline", "days:2", "--close-after", "10x"},
			`rcm: --close-after: offset "10x": unknown unit "x"`},
		{"negative close offset", []string{"2026-Q1", "--deadline", "days:2", "--close-after", "-1d"},
			"rcm: --close-after: -1d is negative; a cycle closes at or after due"},
		{"unknown flag after the period", []string{"2026-Q1", "--when", "now"},
			"rcm: flag provided but not defined: -when"},
		{"unknown flag before the period", []string{"--when", "now", "2026-Q1"},
			"rcm: flag provided but not defined: -when"},
		{"flag without its value", []string{"2026-Q1", "--deadline"},
			"rcm: flag needs an argument: --deadline"},
		{"unknown output format", []string{"2026-Q1", "--output", "xml"},
			`rcm: --output: unknown format "xml"; use table, json or csv`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runPeriodShow(t, tt.args...)
			assert.Equal(t, ExitUsage, code)
			assert.Empty(t, stdout)
			assert.True(t, strings.HasPrefix(stderr, tt.want), "stderr %q does not start with %q", stderr, tt.want)
			assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line: %q", stderr)
		})
	}
}

func TestPeriodShowHelpHasAnExample(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"2026-Q1", "--help"}} {
		code, stdout, _ := runPeriodShow(t, args...)
		assert.Equal(t, ExitOK, code)
		assert.Contains(t, stdout, "rcm period show PERIOD [--deadline RULE]")
		assert.Contains(t, stdout, "rcm period show 2026-Q1 --deadline days:2 --output json")
	}
}

// TestPeriodShowForARegimeShowsTheRealInstants: with --regime, the cycle of
// 2026-10 of a regime due by days:2 (Friday 16/10) under a calendar that
// closes Tuesday 13/10 and works Saturday 17/10, as the server lays it out:
// reminders and escalations at 08:00 on working days, with their day of
// the week, due and close at their midnights.
func TestPeriodShowForARegimeShowsTheRealInstants(t *testing.T) {
	e := newCLIEnv(t)
	ctx := context.Background()
	_, err := e.store.ReplaceHolidayCalendar(ctx, reporting.HolidayCalendar{Year: 2026, Source: "test", Days: []reporting.CalendarDay{
		{Date: reporting.NewDate(2026, 10, 13), Kind: reporting.DayHoliday},
		{Date: reporting.NewDate(2026, 10, 17), Kind: reporting.DayWorking},
	}}, store.Actor{Email: "test"}, func(string) (store.OutboxMessage, error) { return store.OutboxMessage{}, nil })
	require.NoError(t, err)
	day := 24 * time.Hour
	e.seedMonthlyRegime(reporting.Policy{ReminderOffsets: []time.Duration{3 * day, day}, ReviewTime: day, CloseAfter: 10 * day,
		Escalations: []reporting.EscalationStep{{After: day, Recipients: []reporting.Recipient{reporting.RecipientOfficer, reporting.RecipientHead}, Times: 1}}})

	out := e.staff("period", "show", "2026-10", "--regime", "KTXH_THANG").ok(t)
	for _, want := range [][2]string{
		{"window start", "15/09/2026"},
		{"cut-off", "15/10/2026 00:00 +07:00"},
		{"due end", "17/10/2026 00:00 +07:00"},
		{"due", "16/10/2026"},
		{"close", "27/10/2026 00:00 (T3)"},
		{"figures", "thực hiện / actual"},
		{"send time", "08:00"},
		{"reminder 1/2 → officer", "12/10/2026 08:00 (T2)"},
		{"reminder 2/2 → officer", "15/10/2026 08:00 (T5)"},
		{"overdue", "17/10/2026 08:00 (T7)"},
		{"escalation → officer+head", "17/10/2026 08:00 (T7)"},
	} {
		assert.Regexp(t, regexp.QuoteMeta(want[0])+`\s*│\s*`+regexp.QuoteMeta(want[1]), out)
	}
	var plan map[string]any
	require.NoError(t, json.Unmarshal([]byte(e.staff("period", "show", "2026-10", "--regime", "KTXH_THANG", "--output", "json").ok(t)), &plan))
	assert.Equal(t, "2026-10-12T08:00:00+07:00", plan["timeline"].([]any)[0].(map[string]any)["at"])

	r := e.staff("period", "show", "2026-10", "--regime", "KTXH_THANG", "--deadline", "day:15")
	assert.Equal(t, ExitUsage, r.code)
	assert.Contains(t, r.stderr, "--deadline goes without --regime")
	r = e.staff("period", "show", "2026-Q4", "--regime", "KTXH_THANG")
	assert.Equal(t, ExitUsage, r.code, r.stderr)
	assert.Contains(t, r.stderr, "period")
	r = e.staff("period", "show", "2026-10", "--regime", "NOPE")
	assert.Equal(t, ExitNotFound, r.code, r.stderr)

	// A two-tier regime: each level's due and close, and each level's
	// moments by its own ladder (the departments reminded a day before
	// their due, the provinces by the regime's policy).
	require.NoError(t, e.store.CreateRegime(ctx, reporting.Regime{Code: "KTXH_HAI_CAP", NameVI: "Báo cáo tháng hai cấp", TemplateCode: "KTXH",
		Cadence: reporting.Monthly, DeadlineRule: reporting.DeadlineRule{Kind: reporting.RuleCalendarDays, N: 2},
		Policy: reporting.Policy{ReminderOffsets: []time.Duration{3 * day}, ReviewTime: day, CloseAfter: 10 * day},
		Tiers: []reporting.Tier{
			{NameVI: "Sở", Depth: 4, DeadlineRule: reporting.DeadlineRule{Kind: reporting.RuleCalendarDays, N: 1},
				Chase: &reporting.Policy{ReminderOffsets: []time.Duration{day}}},
			{NameVI: "Tỉnh", Depth: 3},
		}}, testAudit))
	out = e.staff("period", "show", "2026-10", "--regime", "KTXH_HAI_CAP").ok(t)
	for _, want := range [][2]string{
		{"level 1 (Sở) due", "16/10/2026 00:00 +07:00"},
		{"level 1 (Sở) close", "26/10/2026 00:00 +07:00"},
		{"level 2 (Tỉnh) due", "17/10/2026 00:00 +07:00"},
		{"level 2 (Tỉnh) close", "27/10/2026 00:00 +07:00"},
		{"level 1: reminder → officer", "14/10/2026 08:00 (T4)"},
		{"level 2: reminder → officer", "12/10/2026 08:00 (T2)"},
		{"level 1: overdue", "16/10/2026 08:00 (T6)"},
		{"level 2: overdue", "17/10/2026 08:00 (T7)"},
	} {
		assert.Regexp(t, regexp.QuoteMeta(want[0])+`\s*│\s*`+regexp.QuoteMeta(want[1]), out)
	}
	assert.NotRegexp(t, `level 1: reminder 1/2`, out, "the departments have one reminder of their own")

	// Launched, the cycle list shows every level's dates; a single-tier
	// cycle's levels column is empty.
	var plan2 api.PeriodPlan
	require.NoError(t, json.Unmarshal([]byte(e.staff("period", "show", "2026-10", "--regime", "KTXH_HAI_CAP", "--output", "json").ok(t)), &plan2))
	require.Len(t, plan2.Tiers, 2)
	cyc := reporting.Cycle{ID: "KTXH_HAI_CAP-2026-10", RegimeCode: "KTXH_HAI_CAP", Period: "2026-10", WindowStart: plan2.WindowStart,
		WindowEnd: plan2.WindowEnd, TimeZone: plan2.TimeZone, CutOff: plan2.CutOff, Due: plan2.Due, Close: plan2.Close,
		Policy: reporting.Policy{CloseAfter: 10 * day}}
	for _, t := range plan2.Tiers {
		cyc.Tiers = append(cyc.Tiers, reporting.CycleTier{Tier: reporting.Tier{Level: t.Level, NameVI: t.NameVI, Depth: t.Depth}, Due: t.Due, Close: t.Close})
	}
	require.NoError(t, e.store.InsertCycle(ctx, cyc, testAudit))
	list := e.staff("cycle", "list", "--output", "csv").ok(t)
	assert.Contains(t, list, "1 Sở: due 15/10/2026 24:00, close 25/10/2026 24:00; 2 Tỉnh: due 16/10/2026 24:00, close 26/10/2026 24:00", list)
}

// testAudit is the audit entry of what a test writes to the store directly.
var testAudit = store.AuditEntry{Actor: "test", Action: "test.seed"}

// TestCyclePlanListsEverySendBeforeLaunching: `rcm cycle plan` takes the
// flags of `cycle launch` and prints each send with its instant in Vietnam,
// its recipients, how many people and how many without an address, and a
// flag outside office hours; nothing is launched.
func TestCyclePlanListsEverySendBeforeLaunching(t *testing.T) {
	e := newCLIEnv(t)
	ctx := context.Background()
	_, _, err := e.store.UpsertAgencies(ctx, []reporting.Agency{
		{Code: "VN", NameVI: "Việt Nam", Kind: "national"},
		{Code: "HNI", ParentCode: "VN", NameVI: "Hà Nội", Kind: "city", OfficerEmail: "canbo@hanoi.gov.vn", HeadEmail: "lanhdao@hanoi.gov.vn"},
		{Code: "HPG", ParentCode: "VN", NameVI: "Hải Phòng", Kind: "city"},
	}, testAudit)
	require.NoError(t, err)
	day := 24 * time.Hour
	e.seedMonthlyRegime(reporting.Policy{ReminderOffsets: []time.Duration{day}, ReviewTime: day, CloseAfter: 10 * day}, "HNI", "HPG")

	// Due Saturday 2099-10-17: the reminder moves to Friday 08:00, the
	// overdue notice of Sunday's midnight waits for Monday 08:00.
	out := e.staff("cycle", "plan", "--regime", "KTXH_THANG", "--period", "2099-10", "--due", "2099-10-17").ok(t)
	assert.Contains(t, out, "KTXH_THANG-2099-10")
	assert.Regexp(t, `no_officer_address\s*│\s*1 HPG \(Hải Phòng\)`, out)
	assert.Regexp(t, `16/10/2099 08:00:00\s*│\s*nhắc nộp\s*│\s*cán bộ báo cáo\s*│\s*2\s*│\s*1\s*│\s*│`, out)
	assert.Regexp(t, `19/10/2099 08:00:00\s*│\s*thông báo quá hạn\s*│\s*cán bộ báo cáo\s*│\s*2\s*│\s*1\s*│\s*│`, out)
	// Due at an exact instant on a Sunday evening: its notice keeps it, flagged.
	out = e.staff("cycle", "plan", "--regime", "KTXH_THANG", "--period", "2099-10", "--due", "2099-10-18T20:00:00+07:00").ok(t)
	assert.Regexp(t, `18/10/2099 20:00:00\s*│\s*thông báo quá hạn\s*│\s*cán bộ báo cáo\s*│\s*2\s*│\s*1\s*│\s*⚠ ngày nghỉ`, out)
	var plan api.LaunchPlan
	require.NoError(t, json.Unmarshal([]byte(e.staff("cycle", "plan", "--regime", "KTXH_THANG", "--period", "2099-10", "--output", "json").ok(t)), &plan))
	assert.Equal(t, 2, plan.Agencies)
	assert.Equal(t, "deadline_notice", plan.Sends[0].Kind)
	_, err = e.store.Cycle(ctx, "KTXH_THANG-2099-10")
	assert.ErrorIs(t, err, store.ErrNotFound, "nothing launched")

	r := e.staff("cycle", "plan", "--regime", "KTXH_THANG", "--period", "2099-Q4")
	assert.Equal(t, ExitUsage, r.code, r.stderr)
	assert.Contains(t, r.stderr, "period")
	r = e.staff("cycle", "plan", "--regime", "KTXH_THANG")
	assert.Equal(t, ExitUsage, r.code)
	assert.Contains(t, r.stderr, "--period is required")
}

// seedMonthlyRegime creates template KTXH and regime KTXH_THANG, monthly,
// due two days after the cut-off, with the policy, assigned to the agencies.
func (e *cliEnv) seedMonthlyRegime(policy reporting.Policy, agencies ...string) {
	e.t.Helper()
	ctx := context.Background()
	require.NoError(e.t, e.store.CreateTemplate(ctx, reporting.Template{Code: "KTXH", NameVI: "Kinh tế - xã hội", Indicators: []reporting.Indicator{
		{Code: "GRDP", NameVI: "GRDP", Type: reporting.TypeDecimal, Aggregation: reporting.AggregationSum}}}, testAudit))
	r := reporting.Regime{Code: "KTXH_THANG", NameVI: "Báo cáo tháng", TemplateCode: "KTXH",
		Cadence: reporting.Monthly, DeadlineRule: reporting.DeadlineRule{Kind: reporting.RuleCalendarDays, N: 2}, Policy: policy}
	for _, a := range agencies {
		r.Assignments = append(r.Assignments, reporting.Assignment{AgencyCode: a})
	}
	require.NoError(e.t, e.store.CreateRegime(ctx, r, testAudit))
}
