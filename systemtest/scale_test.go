package systemtest

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/proto"

	"rcm/operations"
	"rcm/reporting"
	"rcm/workflows"
)

// scaleAgencies is the size of the scale test's cycle; RCM_SCALE_AGENCIES
// overrides it (e.g. 100000 for the stretch goal, by hand).
func scaleAgencies(t *testing.T) int {
	if s := os.Getenv("RCM_SCALE_AGENCIES"); s != "" {
		n, err := strconv.Atoi(s)
		require.NoError(t, err, "RCM_SCALE_AGENCIES")
		return n
	}
	return 10000
}

// TestCycleOf10000AgenciesStaysWithinTemporalLimits runs a cycle of 10,000
// agencies on the real dev server with the real activities, PostgreSQL and
// SMTP — notice, a reminder, due (overdue notices), an escalation step,
// close, aggregation, summary — and checks the cycle workflow against Temporal's default limits
// with a wide margin: under 2,000 history events, never more than 500
// pending activities, no event above 256 KB.
func TestCycleOf10000AgenciesStaysWithinTemporalLimits(t *testing.T) {
	n := scaleAgencies(t)
	w := newWorld(t, 500)
	var provinces []string
	for i := 1; i <= n; i++ {
		provinces = append(provinces, fmt.Sprintf("S%05d", i))
	}
	regions := map[string][]string{}
	for i, p := range provinces {
		r := fmt.Sprintf("R%02d", i%20)
		regions[r] = append(regions[r], p)
	}
	start := time.Now()
	submitters := map[string]bool{}
	for _, p := range provinces[:50] {
		submitters[p] = true
	}
	w.SeedTree(regions, func(code string) bool { return submitters[code] })
	sec := time.Second
	w.SeedRegime("SCALE", provinces, reporting.Policy{
		ReminderOffsets: []time.Duration{10 * sec},
		// The escalation step selects over all 10,000 but mails one digest per
		// region's supervisor, which keeps the test's mail volume at ~30,000.
		Escalations: []reporting.EscalationStep{{After: 2 * sec, Recipients: []reporting.Recipient{reporting.RecipientSupervisor}, Times: 1}},
		ReviewTime:  time.Hour,
		CloseAfter:  4 * sec,
	})
	t.Logf("seeded %d agencies in %s", n, time.Since(start).Round(time.Millisecond))

	due := time.Now().Add(30 * sec).Truncate(time.Second)
	launched := time.Now()
	cyc, err := w.Engine.Launch(w.Ctx, w.Staff, operations.LaunchRequest{RegimeCode: "SCALE", Period: "2026-10", Due: &due})
	require.NoError(t, err)
	w.WaitOpen(cyc.ID)
	t.Logf("opened %d obligations in %s", n, time.Since(launched).Round(time.Millisecond))
	// Fifty agencies submit and are accepted before due, eight at a time,
	// so a loaded machine does not push them past close.
	var g errgroup.Group
	g.SetLimit(8)
	for i := 0; i < 50; i++ {
		g.Go(func() error {
			r, err := w.Engine.Submit(w.Ctx, w.Officers[provinces[i]], operations.SubmitRequest{CycleID: cyc.ID, AgencyCode: provinces[i], Values: Values(i), Source: "json"})
			if err != nil {
				return fmt.Errorf("submit for %s: %w", provinces[i], err)
			}
			_, err = w.Engine.Review(w.Ctx, w.Staff, operations.ReviewRequest{SubmissionID: r.SubmissionID, Decision: reporting.DecisionAccepted})
			return err
		})
	}
	require.NoError(t, g.Wait())
	require.True(t, time.Now().Before(due), "the submissions took longer than the time to due: the machine is too slow for this test's timeline")

	ctx, cancel := context.WithTimeout(w.Ctx, 10*time.Minute)
	defer cancel()
	var res workflows.CycleResult
	require.NoError(t, temporal.Client().GetWorkflow(ctx, workflows.CycleWorkflowID(cyc.ID), "").Get(ctx, &res))
	t.Logf("cycle of %d agencies closed %s after launch", n, time.Since(launched).Round(time.Millisecond))
	assert.Equal(t, n, res.Rates.Expected)
	assert.Equal(t, 50, res.Rates.OnTime)
	assert.Equal(t, n-50, res.Rates.Missing)

	var events []*historypb.HistoryEvent
	iter := temporal.Client().GetWorkflowHistory(w.Ctx, workflows.CycleWorkflowID(cyc.ID), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for iter.HasNext() {
		ev, err := iter.Next()
		require.NoError(t, err)
		events = append(events, ev)
	}
	pending, maxPending, maxEvent := 0, 0, 0
	for _, ev := range events {
		switch ev.GetEventType() {
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			pending++
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, enumspb.EVENT_TYPE_ACTIVITY_TASK_FAILED,
			enumspb.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT, enumspb.EVENT_TYPE_ACTIVITY_TASK_CANCELED:
			pending--
		}
		maxPending = max(maxPending, pending)
		maxEvent = max(maxEvent, proto.Size(ev))
	}
	t.Logf("history: %d events, at most %d pending activities, largest event %d bytes", len(events), maxPending, maxEvent)
	assert.Less(t, len(events), 2000, "history events")
	assert.LessOrEqual(t, maxPending, 500, "pending activities")
	assert.Less(t, maxEvent, 256<<10, "event size")

	counts, err := w.Store.NotificationCounts(w.Ctx, cyc.ID, []reporting.Event{reporting.EventDeadlineNotice}, 0)
	require.NoError(t, err)
	assert.Equal(t, map[reporting.NotificationStatus]int{reporting.NotificationSent: n}, counts, "every agency got its notice once")
	reminded, err := w.Store.NotificationCounts(w.Ctx, cyc.ID, []reporting.Event{reporting.EventReminder}, 1)
	require.NoError(t, err)
	assert.Equal(t, map[reporting.NotificationStatus]int{reporting.NotificationSent: n - 50}, reminded, "reminders only to who had not submitted")
	digests, err := w.Store.NotificationCounts(w.Ctx, cyc.ID, []reporting.Event{reporting.EventEscalationDigest}, 1)
	require.NoError(t, err)
	assert.Equal(t, map[reporting.NotificationStatus]int{reporting.NotificationSent: len(regions)}, digests, "one digest per region's supervisor")
}
