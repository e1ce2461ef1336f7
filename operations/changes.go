package operations

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"rcm/reporting"
	"rcm/store"
	"rcm/workflows"
)

// ExtendRequest moves due (and close) for one agency, or for all when
// AgencyCode is empty.
type ExtendRequest struct {
	CycleID    string
	AgencyCode string
	Due        time.Time
	// Close defaults to Due plus the cycle's close-after.
	Close  *time.Time
	Reason string
}

// Extend records an extension; the CycleWorkflow moves its timeline and tells
// the agencies concerned, and nobody is reminded of the old deadline.
func (e *Engine) Extend(ctx context.Context, c Caller, req ExtendRequest) (reporting.Extension, error) {
	if err := e.Authorize(c, OpExtendCycle); err != nil {
		return reporting.Extension{}, err
	}
	req.Reason = strings.TrimSpace(req.Reason)
	var problems reporting.FieldErrors
	if req.Reason == "" {
		problems.Add("reason", "say why the deadline moves; the agencies are told")
	}
	if req.Due.IsZero() {
		problems.Add("due", "required")
	} else if !req.Due.After(e.now()) {
		problems.Add("due", "an extension must end in the future")
	}
	if err := problems.Err(); err != nil {
		return reporting.Extension{}, err
	}
	cyc, err := e.store.Cycle(ctx, req.CycleID)
	if err != nil {
		return reporting.Extension{}, err
	}
	if req.Due.Before(cyc.CutOff) && !cyc.Estimates {
		loc := locationOr(cyc.TimeZone)
		return reporting.Extension{}, invalid("due", fmt.Sprintf("due %s is before the data cut-off (end of %s) and cycle %s reports actual figures, not estimates; choose a due after the cut-off",
			req.Due.In(loc).Format("02/01/2006 15:04"), cyc.WindowEnd.Format("vi"), cyc.ID))
	}
	closeAt := req.Due.Add(cyc.Policy.CloseAfter)
	if req.Close != nil {
		closeAt = *req.Close
		if closeAt.Before(req.Due) {
			return reporting.Extension{}, invalid("close", "close must not be before due")
		}
	}
	n := store.NewExtension{CycleID: req.CycleID, AgencyCode: req.AgencyCode, Due: req.Due, Close: closeAt,
		Reason: req.Reason, Now: e.now(), Actor: c.actor()}
	ext, err := e.store.ExtendDeadlines(ctx, n, func(x reporting.Extension) (store.OutboxMessage, error) {
		return store.NewOutboxMessage(workflows.CycleWorkflowID(x.CycleID), workflows.SignalDeadlinesChanged,
			workflows.DeadlinesChangedSignal{ExtensionID: x.ID}, "", nil)
	})
	if errors.Is(err, store.ErrInvalid) {
		return reporting.Extension{}, invalid("due", err.Error())
	}
	if err != nil {
		return reporting.Extension{}, err
	}
	e.handOff(ctx, workflows.CycleWorkflowID(req.CycleID))
	return ext, nil
}

// Close closes the cycle now for every agency that has not reached its final
// state; the CycleWorkflow classifies, aggregates and summarises.
func (e *Engine) Close(ctx context.Context, c Caller, cycleID, reason string) error {
	if err := e.Authorize(c, OpCloseCycle); err != nil {
		return err
	}
	err := e.store.CloseEarly(ctx, cycleID, strings.TrimSpace(reason), e.now(), c.actor(), func() (store.OutboxMessage, error) {
		return store.NewOutboxMessage(workflows.CycleWorkflowID(cycleID), workflows.SignalDeadlinesChanged,
			workflows.DeadlinesChangedSignal{}, "", nil)
	})
	if err != nil {
		return err
	}
	e.handOff(ctx, workflows.CycleWorkflowID(cycleID))
	return nil
}

// Cancel cancels the cycle: no more notices, no final states.
func (e *Engine) Cancel(ctx context.Context, c Caller, cycleID, reason string) error {
	if err := e.Authorize(c, OpCancelCycle); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return invalid("reason", "say why the cycle is cancelled")
	}
	err := e.store.CancelCycle(ctx, cycleID, reason, c.actor(), func() (store.OutboxMessage, error) {
		return store.NewOutboxMessage(workflows.CycleWorkflowID(cycleID), workflows.SignalCancel, workflows.CancelSignal{}, "", nil)
	})
	if err != nil {
		return err
	}
	e.handOff(ctx, workflows.CycleWorkflowID(cycleID))
	return nil
}
