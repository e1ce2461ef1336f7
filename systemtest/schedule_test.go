package systemtest

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"rcm/operations"
	"rcm/reporting"
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
