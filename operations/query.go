package operations

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/api/serviceerror"

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
	return view, nil
}
