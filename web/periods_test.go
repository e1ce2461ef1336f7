package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"rcm/api"
	"rcm/reporting"
	"rcm/store"
)

// TestPeriodPlanShowsTheRealInstants: a regime's planned cycle for
// 2026-10 (cut-off Wednesday 14/10, days:2 due Friday 16/10) under a
// calendar that closes Tuesday 13/10 and works Saturday 17/10: the reminder
// 3 days before moves back to Monday 12/10, the escalation a day after
// lands on the make-up Saturday, each at 08:00; due (overdue) and close
// keep their midnights.
func TestPeriodPlanShowsTheRealInstants(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.store.ReplaceHolidayCalendar(ctx, reporting.HolidayCalendar{Year: 2026, Source: "test", Days: []reporting.CalendarDay{
		{Date: reporting.NewDate(2026, 10, 13), Kind: reporting.DayHoliday},
		{Date: reporting.NewDate(2026, 10, 17), Kind: reporting.DayWorking},
	}}, store.Actor{Email: "test"}, func(string) (store.OutboxMessage, error) { return store.OutboxMessage{}, nil })
	require.NoError(t, err)
	day := 24 * time.Hour
	_, err = f.engine.CreateRegime(ctx, seeder, reporting.Regime{Code: "PLAN", NameVI: "Báo cáo tháng", TemplateCode: "KTXH",
		Cadence: reporting.Monthly, DeadlineRule: reporting.DeadlineRule{Kind: reporting.RuleCalendarDays, N: 2},
		Policy: reporting.Policy{ReminderOffsets: []time.Duration{3 * day, day}, ReviewTime: day, CloseAfter: 10 * day,
			Escalations: []reporting.EscalationStep{
				{After: day, Recipients: []reporting.Recipient{reporting.RecipientOfficer, reporting.RecipientHead}, Times: 1},
				{After: 3 * day, Recipients: []reporting.Recipient{reporting.RecipientSupervisor}, Times: 1}}}})
	require.NoError(t, err)

	resp := f.do("officer", "GET", "/api/v1/regimes/PLAN/periods/2026-10", nil)
	require.Equal(t, http.StatusOK, resp.status, "%s", resp.body)
	var plan api.PeriodPlan
	resp.decode(t, &plan)
	vn, err := reporting.DefaultLocation()
	require.NoError(t, err)
	at := func(tm time.Time) string { return tm.In(vn).Format("Mon 02/01/2006 15:04") }
	require.Equal(t, "2026-10", plan.Period)
	require.Equal(t, "15/09/2026–14/10/2026", plan.WindowStart.Format("vi")+"–"+plan.WindowEnd.Format("vi"))
	require.Equal(t, "Sat 17/10/2026 00:00", at(plan.Due), "days:2: the end of Friday 16/10")
	require.Equal(t, "08:00", plan.SendTime)
	require.False(t, plan.Estimates)
	var got []string
	for _, m := range plan.Timeline {
		got = append(got, fmt.Sprintf("%s %d/%d %s %s", m.Kind, m.Step, m.Of, at(m.At), strings.Join(m.Recipients, "+")))
	}
	require.Equal(t, []string{
		"reminder 1/2 Mon 12/10/2026 08:00 officer",
		"reminder 2/2 Thu 15/10/2026 08:00 officer",
		"overdue 1/1 Sat 17/10/2026 08:00 ",
		"escalation 1/2 Sat 17/10/2026 08:00 officer+head",
		"escalation 2/2 Mon 19/10/2026 08:00 supervisor",
		"close 1/1 Tue 27/10/2026 00:00 ",
	}, got)
	require.Empty(t, plan.Tiers, "a single-tier regime has no levels")

	// A two-tier regime's plan gives each level's dates and moments, the
	// departments' by their own reminder.
	resp = f.do("staff", "POST", "/api/v1/regimes", tieredRegimeJSON("PLAN_TIERS", []api.Tier{
		{NameVI: "Sở", Depth: 4, DeadlineRule: "days:1", ReminderOffsets: &[]string{"1d"}, Escalations: &[]reporting.EscalationDoc{}},
		{NameVI: "Tỉnh", Depth: 3}}, "HNI", "HNI-SYT"))
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	plan = api.PeriodPlan{}
	f.do("officer", "GET", "/api/v1/regimes/PLAN_TIERS/periods/2026-10", nil).decode(t, &plan)
	require.Len(t, plan.Tiers, 2)
	require.Equal(t, "Fri 16/10/2026 00:00", at(plan.Tiers[0].Due), "days:1")
	require.Equal(t, "Sun 18/10/2026 00:00", at(plan.Tiers[1].Due), "the regime's days:3")
	got = nil
	for _, m := range plan.Timeline {
		got = append(got, fmt.Sprintf("%d: %s %s", m.Tier, m.Kind, at(m.At)))
	}
	require.Equal(t, []string{
		"1: reminder Wed 14/10/2026 08:00", // the departments' own: a day before
		"1: overdue Fri 16/10/2026 00:00",  // (closing 2 hours after due, no morning to wait for)
		"1: close Fri 16/10/2026 02:00",
		"2: reminder Sat 17/10/2026 23:30", // the provinces': the regime's 30 minutes before
		"2: overdue Sun 18/10/2026 00:00",
		"2: close Sun 18/10/2026 02:00",
	}, got)

	for _, bad := range []struct {
		path   string
		status int
		field  string
	}{
		{"/api/v1/regimes/NOPE/periods/2026-10", http.StatusNotFound, ""},
		{"/api/v1/regimes/PLAN/periods/2026-13", http.StatusUnprocessableEntity, "period"},
		{"/api/v1/regimes/PLAN/periods/2026-Q4", http.StatusUnprocessableEntity, "period"},
	} {
		resp := f.do("officer", "GET", bad.path, nil)
		require.Equal(t, bad.status, resp.status, "%s: %s", bad.path, resp.body)
		if bad.field != "" {
			require.Contains(t, string(resp.body), `"field":"`+bad.field+`"`)
		}
	}
}
