package crashtest

import (
	"context"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"rcm/activities"
	"rcm/workflows"
)

// waveTiming is one activity of a cycle's workflow as its history tells
// it: the moment it was planned for and when it was scheduled and done.
type waveTiming struct {
	key       string    // kind/step: "deadline_notice/0", "escalation/2", "finalize/0"
	planned   time.Time // the moment of the timeline (zero for finalize)
	scheduled time.Time
	completed time.Time
	attempts  int32
}

// lateBy is how long after its planned moment the wave was done; finalize,
// which has none, counts from close.
func (w waveTiming) lateBy(close time.Time) time.Duration {
	if w.planned.IsZero() {
		return w.completed.Sub(close)
	}
	return w.completed.Sub(w.planned)
}

// startLag is how long after its planned moment the wave was scheduled.
func (w waveTiming) startLag() time.Duration {
	if w.planned.IsZero() {
		return 0
	}
	return w.scheduled.Sub(w.planned)
}

// took is how long the wave ran, retries included.
func (w waveTiming) took() time.Duration { return w.completed.Sub(w.scheduled) }

// waveTimings reads the waves (RunWave) and the finalize activity of a
// CycleWorkflow from its history, in the order they ran.
func waveTimings(ctx context.Context, tc client.Client, cycleID string) ([]waveTiming, error) {
	byEvent := map[int64]*waveTiming{}
	var order []int64
	it := tc.GetWorkflowHistory(ctx, workflows.CycleWorkflowID(cycleID), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("history of cycle %s: %w", cycleID, err)
		}
		switch e.GetEventType() {
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			a := e.GetActivityTaskScheduledEventAttributes()
			w := &waveTiming{scheduled: e.GetEventTime().AsTime()}
			switch a.GetActivityType().GetName() {
			case "RunWave": // the method names of *activities.Activities
				var in activities.WaveInput
				if err := converter.GetDefaultDataConverter().FromPayloads(a.GetInput(), &in); err != nil {
					return nil, fmt.Errorf("history of cycle %s: wave input: %w", cycleID, err)
				}
				w.key, w.planned = fmt.Sprintf("%s/%d", in.Moment.Kind, in.Moment.Step), in.Moment.At
			case "FinalizeCycle":
				w.key = "finalize/0"
			default:
				continue
			}
			byEvent[e.GetEventId()] = w
			order = append(order, e.GetEventId())
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_STARTED:
			a := e.GetActivityTaskStartedEventAttributes()
			if w := byEvent[a.GetScheduledEventId()]; w != nil {
				w.attempts = a.GetAttempt()
			}
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
			a := e.GetActivityTaskCompletedEventAttributes()
			if w := byEvent[a.GetScheduledEventId()]; w != nil {
				w.completed = e.GetEventTime().AsTime()
			}
		}
	}
	out := make([]waveTiming, 0, len(order))
	for _, id := range order {
		out = append(out, *byEvent[id])
	}
	return out, nil
}
