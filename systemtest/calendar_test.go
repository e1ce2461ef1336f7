package systemtest

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
	"rcm/testenv"
	"rcm/workflows"
)

// TestCalendarImportMovesThePendingReminder runs an open cycle whose
// reminder, given in days, lands at the regime's send time tomorrow; office
// staff then import a calendar that makes tomorrow a day off, and the
// reminder goes out today at the send time instead: the import goes from the
// store through the outbox to the cycle's workflow, which lays its timeline
// out again. The send time is the next whole minute at least 20 s ahead, so
// the test waits 20-80 s for it.
func TestCalendarImportMovesThePendingReminder(t *testing.T) {
	w := newWorld(t, 50)
	w.SeedTree(map[string][]string{"NORTH": {"P01", "P02"}})
	vn, err := reporting.DefaultLocation()
	require.NoError(t, err)

	sendAt := time.Now().Add(20 * time.Second).Truncate(time.Minute).Add(time.Minute).In(vn)
	today := reporting.DateOf(sendAt, vn)
	tomorrow, dueDay := today.AddDays(1), today.AddDays(2)
	regime := reporting.Regime{Code: "CALM", NameVI: "Báo cáo tháng", NameEN: "Monthly report", TemplateCode: "SEI",
		Cadence: reporting.Monthly, DeadlineRule: mustRule(t, "workdays:2"), TimeZone: reporting.DefaultZone,
		SendTime:    reporting.ClockTime(sendAt.Hour()*60 + sendAt.Minute()),
		Policy:      reporting.Policy{ReminderOffsets: []time.Duration{24 * time.Hour}, ReviewTime: time.Hour, CloseAfter: 24 * time.Hour},
		Assignments: []reporting.Assignment{{AgencyCode: "P01"}, {AgencyCode: "P02"}}}
	require.NoError(t, w.Engine.CreateTemplate(w.Ctx, seeder, SEITemplate()))
	_, err = w.Engine.CreateRegime(w.Ctx, seeder, regime)
	require.NoError(t, err)

	// Before launch: today and tomorrow are working days, whatever day of
	// the week the test runs.
	worked := func(days ...reporting.Date) []reporting.CalendarDay {
		var out []reporting.CalendarDay
		for _, d := range days {
			if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
				out = append(out, reporting.CalendarDay{Date: d, Kind: reporting.DayWorking})
			}
		}
		return out
	}
	importDays(t, w, worked(today, tomorrow))

	period, ok := reporting.PeriodContaining(reporting.Monthly, today)
	require.True(t, ok)
	due := dueDay.End(vn)
	cyc, err := w.Engine.Launch(w.Ctx, w.Staff, operations.LaunchRequest{RegimeCode: "CALM", Period: period.Prev().ID, Due: &due})
	require.NoError(t, err)
	w.WaitOpen(cyc.ID)
	w.SMTP.WaitFor(t, 2, 30*time.Second) // the deadline notices

	tomorrowAt := time.Date(tomorrow.Year, tomorrow.Month, tomorrow.Day, sendAt.Hour(), sendAt.Minute(), 0, 0, vn)
	before := reminderInstants(t, w, cyc.ID)
	require.Len(t, before, 1)
	assert.True(t, before[0].Equal(tomorrowAt), "a reminder 1d before due: tomorrow at the send time %s, not %s", tomorrowAt, before[0])

	var mu sync.Mutex
	arrived := map[string]time.Time{}
	w.SMTP.OnMessage(func(m testenv.ReceivedMessage) {
		mu.Lock()
		defer mu.Unlock()
		if m.Header != nil {
			arrived[m.Header.Get("Message-Id")] = time.Now()
		}
	})

	// Tomorrow becomes a day off: the reminder moves back to today.
	closed := worked(today)
	if wd := tomorrow.Weekday(); wd != time.Saturday && wd != time.Sunday {
		closed = append(closed, reporting.CalendarDay{Date: tomorrow, Kind: reporting.DayHoliday, NameVI: "Nghỉ bù", NameEN: "Day off in lieu"})
	}
	told := importDays(t, w, closed)
	assert.Contains(t, told, cyc.ID, "the open cycle is told")
	require.Eventually(t, func() bool {
		got := reminderInstants(t, w, cyc.ID)
		return len(got) == 1 && got[0].Equal(sendAt)
	}, 30*time.Second, 200*time.Millisecond, "the reminder moved to today %s", sendAt.Format("15:04"))

	ctx, cancel := context.WithTimeout(w.Ctx, time.Until(sendAt)+45*time.Second)
	defer cancel()
	var reminders []reporting.Notification
	for len(reminders) < 2 {
		select {
		case <-ctx.Done():
			t.Fatalf("reminders sent by %s: %d of 2", time.Now().In(vn).Format("15:04:05"), len(reminders))
		case <-time.After(250 * time.Millisecond):
		}
		reminders = notificationsOf(t, w, cyc.ID, reporting.EventReminder)
	}
	subjects := []string{}
	for _, n := range reminders {
		subjects = append(subjects, n.Key.Subject)
		require.NotNil(t, n.SentAt)
		assert.False(t, n.SentAt.Before(sendAt), "reminder to %s sent at %s, before the send time %s", n.Key.Subject, n.SentAt, sendAt)
		assert.Less(t, n.SentAt.Sub(sendAt), 15*time.Second, "reminder to %s sent at %s, long after the send time", n.Key.Subject, n.SentAt)
		mu.Lock()
		at, ok := arrived[n.MessageID]
		mu.Unlock()
		if assert.True(t, ok, "the SMTP server received the reminder to %s (%s)", n.Key.Subject, n.MessageID) {
			assert.False(t, at.Before(sendAt), "received at %s, before the send time", at)
		}
	}
	sort.Strings(subjects)
	assert.Equal(t, []string{"P01", "P02"}, subjects)

	recs, err := w.Store.AuditLog(w.Ctx, store.AuditFilter{Action: "calendar.import"})
	require.NoError(t, err)
	named := false
	for _, r := range recs {
		moved, _ := r.Details["cycles_moved"].([]any)
		named = named || len(moved) == 1 && moved[0] == cyc.ID
	}
	assert.True(t, named, "the audit of the import names the cycle whose moments moved: %+v", recs)

	// The cycle ends, so its history can be recorded for the replay tests.
	require.NoError(t, w.Engine.Cancel(w.Ctx, w.Staff, cyc.ID, "end of the test"))
	var result workflows.CycleResult
	require.NoError(t, temporal.Client().GetWorkflow(ctx, workflows.CycleWorkflowID(cyc.ID), "").Get(ctx, &result))
	assert.Equal(t, reporting.CycleCancelled, result.Status)
	recordHistory(t, w, "calendar-cycle.json", workflows.CycleWorkflowID(cyc.ID))
}

// importDays imports the calendars of the years the days fall in (a year
// with none of them gets an empty one) as office staff, and returns the
// cycles told.
func importDays(t *testing.T, w *World, days []reporting.CalendarDay) []string {
	t.Helper()
	years := map[int]*reporting.HolidayCalendar{}
	year := func(y int) *reporting.HolidayCalendar {
		if years[y] == nil {
			years[y] = &reporting.HolidayCalendar{Year: y, Source: "systemtest"}
		}
		return years[y]
	}
	now := reporting.DateOf(time.Now(), time.UTC)
	year(now.Year)
	year(now.AddDays(3).Year)
	for _, d := range days {
		c := year(d.Date.Year)
		c.Days = append(c.Days, d)
	}
	var told []string
	for _, cal := range years {
		got, err := w.Engine.ImportCalendar(w.Ctx, w.Staff, *cal)
		require.NoError(t, err)
		told = append(told, got...)
	}
	return told
}

// reminderInstants are the reminders of the cycle's timeline, asked of its
// workflow.
func reminderInstants(t *testing.T, w *World, cycleID string) []time.Time {
	t.Helper()
	view, err := w.Engine.Timeline(w.Ctx, w.Staff, cycleID)
	require.NoError(t, err)
	var out []time.Time
	for _, m := range view.Moments {
		if m.Kind == reporting.EventReminder {
			out = append(out, m.At)
		}
	}
	return out
}

// notificationsOf are the cycle's notifications of one kind that were sent.
func notificationsOf(t *testing.T, w *World, cycleID string, kind reporting.Event) []reporting.Notification {
	t.Helper()
	notes, err := w.Store.ListNotifications(w.Ctx, store.NotificationFilter{CycleID: cycleID, Limit: 1000})
	require.NoError(t, err)
	var out []reporting.Notification
	for _, n := range notes {
		if n.Key.Kind == kind && n.Status == reporting.NotificationSent {
			out = append(out, n)
		}
	}
	return out
}

func mustRule(t *testing.T, s string) reporting.DeadlineRule {
	t.Helper()
	r, err := reporting.ParseDeadlineRule(s)
	require.NoError(t, err)
	return r
}
