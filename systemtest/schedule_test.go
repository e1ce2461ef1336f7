package systemtest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
	"rcm/workflows"
)

// TestRegimeSchedule puts a regime on a Temporal Schedule: its next runs are
// the days its data windows open, at 08:00 in Hanoi; a run launches the cycle
// of the period at hand, a second run finds it launched; pause, resume, list
// and delete work.
func TestRegimeSchedule(t *testing.T) {
	w := newWorld(t, 50)
	w.SeedTree(map[string][]string{"NORTH": {"P01", "P02"}})
	w.SeedRegime("SCHED", []string{"P01", "P02"}, reporting.Policy{ReminderOffsets: []time.Duration{24 * time.Hour}, ReviewTime: time.Hour, CloseAfter: 240 * time.Hour})

	s, err := w.Engine.ScheduleRegime(w.Ctx, w.Staff, "SCHED", operations.ScheduleOptions{Hour: 8})
	require.NoError(t, err)
	t.Cleanup(func() { _ = w.Engine.DeleteSchedule(w.Ctx, w.Staff, "SCHED") })
	require.NotEmpty(t, s.NextRuns)
	for _, run := range s.NextRuns {
		assert.True(t, strings.HasPrefix(run, "15/"), "runs on the 15th: %s", run)
		assert.True(t, strings.HasSuffix(run, "08:00 +07:00"), "at 08:00 Hanoi time: %s", run)
	}
	_, err = w.Engine.ScheduleRegime(w.Ctx, w.Staff, "SCHED", operations.ScheduleOptions{Hour: 8})
	assert.ErrorIs(t, err, operations.ErrConflict, "a regime has one schedule")
	_, err = w.Engine.ScheduleRegime(w.Ctx, w.Officers["P01"], "SCHED", operations.ScheduleOptions{Hour: 8})
	assert.ErrorIs(t, err, operations.ErrForbidden)

	handle := temporal.Client().ScheduleClient().GetHandle(w.Ctx, workflows.ScheduleID("SCHED"))
	require.NoError(t, handle.Trigger(w.Ctx, client.ScheduleTriggerOptions{}))
	loc, err := reporting.DefaultLocation()
	require.NoError(t, err)
	period, ok := reporting.PeriodContaining(reporting.Monthly, reporting.DateOf(time.Now(), loc))
	require.True(t, ok)
	cycleID := operations.CycleID("SCHED", period.ID)
	var cyc reporting.Cycle
	require.Eventually(t, func() bool {
		cyc, err = w.Store.Cycle(w.Ctx, cycleID)
		return err == nil
	}, 30*time.Second, 100*time.Millisecond, "the schedule launched %s", cycleID)
	assert.Nil(t, cyc.LaunchedBy, "launched by rcm itself")

	// A second run finds the cycle launched and starts nothing new.
	id, already, err := w.Engine.LaunchScheduled(w.Ctx, "SCHED", time.Now())
	require.NoError(t, err)
	assert.Equal(t, cycleID, id)
	assert.True(t, already)

	require.NoError(t, w.Engine.PauseSchedule(w.Ctx, w.Staff, "SCHED", "Tết"))
	d, err := w.Engine.DescribeSchedule(w.Ctx, w.Staff, "SCHED")
	require.NoError(t, err)
	assert.True(t, d.Paused)
	require.NoError(t, w.Engine.ResumeSchedule(w.Ctx, w.Staff, "SCHED", "after Tết"))
	d, err = w.Engine.DescribeSchedule(w.Ctx, w.Staff, "SCHED")
	require.NoError(t, err)
	assert.False(t, d.Paused)

	require.Eventually(t, func() bool {
		list, err := w.Engine.ListSchedules(w.Ctx, w.Staff)
		return err == nil && len(list) == 1 && list[0].RegimeCode == "SCHED"
	}, 30*time.Second, 200*time.Millisecond, "the schedule is listed")
	require.NoError(t, w.Engine.DeleteSchedule(w.Ctx, w.Staff, "SCHED"))
	_, err = w.Engine.DescribeSchedule(w.Ctx, w.Staff, "SCHED")
	assert.ErrorIs(t, err, operations.ErrNotFound)
}

// TestCalendarMonthRegimeLaunchedByItsSchedule puts a statistical regime,
// monthly on calendar months, on its Schedule: the runs are the 1st of
// every month at 08:00 in Hanoi; a run launches the cycle of the calendar
// month at hand (window 1st to last day, due 10 days after by days:10).
// The regime reports estimates, so office staff may bring due forward,
// before the end of the month, to seconds away for everyone; the cycle
// then runs its timeline of seconds to close: the agency that reported is
// on time, the silent one reminded, overdue, escalated and missing.
func TestCalendarMonthRegimeLaunchedByItsSchedule(t *testing.T) {
	w := newWorld(t, 50)
	w.SeedTree(map[string][]string{"NORTH": {"P01", "P02"}})
	vn, err := reporting.DefaultLocation()
	require.NoError(t, err)
	sec := time.Second
	require.NoError(t, w.Engine.CreateTemplate(w.Ctx, seeder, SEITemplate()))
	_, err = w.Engine.CreateRegime(w.Ctx, seeder, reporting.Regime{Code: "STATM", NameVI: "Báo cáo thống kê tháng", NameEN: "Monthly statistics",
		TemplateCode: "SEI", Cadence: reporting.Monthly, Windows: reporting.CalendarWindows, DeadlineRule: mustRule(t, "days:10"), Estimates: true,
		TimeZone: reporting.DefaultZone, Assignments: []reporting.Assignment{{AgencyCode: "P01"}, {AgencyCode: "P02"}},
		Policy: reporting.Policy{ReminderOffsets: []time.Duration{3 * sec}, ReviewTime: time.Hour, CloseAfter: 5 * sec,
			Escalations: []reporting.EscalationStep{{After: 2 * sec, Recipients: []reporting.Recipient{reporting.RecipientOfficer, reporting.RecipientHead}, Times: 1}}}})
	require.NoError(t, err)

	s, err := w.Engine.ScheduleRegime(w.Ctx, w.Staff, "STATM", operations.ScheduleOptions{Hour: 8})
	require.NoError(t, err)
	t.Cleanup(func() { _ = w.Engine.DeleteSchedule(w.Ctx, w.Staff, "STATM") })
	require.Len(t, s.NextRuns, 10)
	for _, run := range s.NextRuns {
		assert.True(t, strings.HasPrefix(run, "01/"), "a calendar month's window opens on the 1st: %s", run)
		assert.True(t, strings.HasSuffix(run, "08:00 +07:00"), "at 08:00 Hanoi time: %s", run)
	}

	handle := temporal.Client().ScheduleClient().GetHandle(w.Ctx, workflows.ScheduleID("STATM"))
	require.NoError(t, handle.Trigger(w.Ctx, client.ScheduleTriggerOptions{}))
	var cyc reporting.Cycle
	require.Eventually(t, func() bool {
		cycles, err := w.Store.ListCycles(w.Ctx, store.CycleFilter{RegimeCode: "STATM"})
		if err != nil || len(cycles) != 1 {
			return false
		}
		cyc = cycles[0]
		return true
	}, 30*time.Second, 100*time.Millisecond, "the schedule launched a cycle")
	assert.Nil(t, cyc.LaunchedBy, "launched by rcm itself")
	launchDay := reporting.DateOf(cyc.LaunchedAt, vn)
	first := reporting.NewDate(launchDay.Year, launchDay.Month, 1)
	last := first.AddDays(32)
	last = reporting.NewDate(last.Year, last.Month, 1).AddDays(-1)
	assert.Equal(t, operations.CycleID("STATM", first.String()[:7]), cyc.ID, "the calendar month of the launch day")
	assert.Equal(t, first, cyc.WindowStart, "the window is the calendar month")
	assert.Equal(t, last, cyc.WindowEnd)
	assert.True(t, last.End(vn).Equal(cyc.CutOff), "cut-off at the end of %s, not %s", last, cyc.CutOff)
	assert.True(t, last.AddDays(10).End(vn).Equal(cyc.Due), "days:10 is due at the end of %s, not %s", last.AddDays(10), cyc.Due.In(vn))
	w.WaitOpen(cyc.ID)

	w.Review(w.Submit(cyc.ID, "P01", Values(1)), reporting.DecisionAccepted, "")
	due := time.Now().Add(6 * sec).Truncate(sec)
	_, err = w.Engine.Extend(w.Ctx, w.Staff, operations.ExtendRequest{CycleID: cyc.ID, Due: due, Reason: "Rút ngắn để thử"})
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(w.Ctx, 60*time.Second)
	defer cancel()
	var result workflows.CycleResult
	require.NoError(t, temporal.Client().GetWorkflow(ctx, workflows.CycleWorkflowID(cyc.ID), "").Get(ctx, &result))
	assert.Equal(t, reporting.CycleClosed, result.Status)
	obs, err := w.Store.Obligations(w.Ctx, store.ObligationFilter{CycleID: cyc.ID})
	require.NoError(t, err)
	states := map[string]reporting.ObligationStatus{}
	for _, o := range obs {
		states[o.AgencyCode] = o.Status
	}
	assert.Equal(t, map[string]reporting.ObligationStatus{"P01": reporting.ObligationOnTime, "P02": reporting.ObligationMissing}, states)
	for _, kind := range []reporting.Event{reporting.EventReminder, reporting.EventOverdue, reporting.EventEscalation} {
		var to []string
		for _, n := range notificationsOf(t, w, cyc.ID, kind) {
			to = append(to, n.Key.Subject)
		}
		assert.Equal(t, []string{"P02"}, to, "%s goes to the silent agency only", kind)
	}
}
