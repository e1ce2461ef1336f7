package operations

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/api/serviceerror"

	"rcm/activities"
	"rcm/reporting"
	"rcm/workflows"
)

// timelineQueryTimeout bounds a timeline query: a query needs a worker to
// answer, and none may be running.
const timelineQueryTimeout = 10 * time.Second

// Timeline asks a cycle's CycleWorkflow for its timeline: the moments done,
// with what each wave did, and those still ahead. Office staff and
// supervisors may ask. A finished workflow answers while Temporal retains
// it; after that the timeline is ErrNotFound (the records in PostgreSQL
// remain).
func (e *Engine) Timeline(ctx context.Context, c Caller, cycleID string) (workflows.TimelineView, error) {
	if err := e.Authorize(c, OpReadTimeline); err != nil {
		return workflows.TimelineView{}, err
	}
	if _, err := e.store.Cycle(ctx, cycleID); err != nil {
		return workflows.TimelineView{}, err
	}
	qctx, cancel := context.WithTimeout(ctx, timelineQueryTimeout)
	defer cancel()
	resp, err := e.temporal.QueryWorkflow(qctx, workflows.CycleWorkflowID(cycleID), "", workflows.QueryTimeline)
	if err != nil {
		var notFound *serviceerror.NotFound
		if errors.As(err, &notFound) {
			return workflows.TimelineView{}, fmt.Errorf("timeline of cycle %s: its workflow is no longer kept by Temporal; the records remain (rcm cycle status): %w", cycleID, ErrNotFound)
		}
		return workflows.TimelineView{}, fmt.Errorf("timeline of cycle %s: %v (is `rcm worker` running?): %w", cycleID, err, ErrUnavailable)
	}
	var view workflows.TimelineView
	if err := resp.Get(&view); err != nil {
		return workflows.TimelineView{}, fmt.Errorf("timeline of cycle %s: decode the answer: %w", cycleID, err)
	}
	if err := e.scopeTimeline(ctx, c, &view); err != nil {
		return workflows.TimelineView{}, fmt.Errorf("timeline of cycle %s: %w", cycleID, err)
	}
	return view, nil
}

// scopeTimeline replaces the workflow's cycle-wide figures (expected, what
// each wave did) by those of the caller's scope, counted from the
// obligations and notifications of that part of the tree. Office staff see
// the workflow's own.
func (e *Engine) scopeTimeline(ctx context.Context, c Caller, view *workflows.TimelineView) error {
	scope := c.Scope()
	if scope.All() {
		return nil
	}
	statuses, err := e.store.StatusCounts(ctx, view.CycleID, scope.Path, scope.Exact)
	if err != nil {
		return err
	}
	open, final := 0, 0
	for status, n := range statuses {
		if status.IsFinal() {
			final += n
		} else {
			open += n
		}
	}
	if view.Expected > 0 {
		view.Expected = open + final
	}
	for i, m := range view.Moments {
		if m.Result == nil {
			continue
		}
		if m.Kind == reporting.EventClose {
			view.Moments[i].Result = &activities.WaveResult{Selected: final, Remaining: open}
			continue
		}
		wc, err := e.store.WaveCountsIn(ctx, view.CycleID, activities.WaveNotificationKinds(m.Kind),
			activities.MomentNotificationStep(reporting.Moment{Kind: m.Kind, Step: m.Step}), scope.Path, scope.Exact)
		if err != nil {
			return err
		}
		view.Moments[i].Result = &activities.WaveResult{Selected: wc.Subjects, Sent: wc.ByStatus[reporting.NotificationSent],
			Failed: wc.ByStatus[reporting.NotificationFailed], Skipped: wc.ByStatus[reporting.NotificationSkipped]}
	}
	return nil
}
