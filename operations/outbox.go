package operations

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"golang.org/x/sync/errgroup"

	"rcm/store"
	"rcm/workflows"
)

// HandOffTimeout bounds the hand-off a request makes right after its
// commit: past it the request answers with what is already committed (the
// receipt), and the sweeper delivers the message.
const HandOffTimeout = 3 * time.Second

// handOff delivers the pending outbox messages of one workflow right after
// the commit that wrote them, within HandOffTimeout. A failure is only
// logged: the record is safe, and the sweeper delivers the message later.
func (e *Engine) handOff(ctx context.Context, workflowID string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.handOffTimeout)
	defer cancel()
	if _, err := e.store.DeliverOutbox(ctx, workflowID, e.deliver); err != nil {
		e.logger.WarnContext(ctx, "hand-off deferred to the sweeper", "workflow", workflowID, "error", err)
	}
}

// sweepWorkflowsAtOnce is how many workflows a sweep hands messages to side
// by side: after a crash of the web server, every request it had in flight
// left a hand-off behind, and one signal at a time they wait seconds each
// on a loaded Temporal.
const sweepWorkflowsAtOnce = 8

// SweepOutbox delivers every message older than minAge still pending: the
// messages of one workflow in commit order, a workflow whose message fails
// keeping its later ones for the next sweep, so that signals arrive in
// order; several workflows at once. Each workflow's messages are claimed
// (store.DeliverOutbox), so sweepers of several workers and the hand-offs
// of web servers never deliver a message twice or out of order. It returns
// how many it delivered.
func (e *Engine) SweepOutbox(ctx context.Context, minAge time.Duration) (int, error) {
	ids, err := e.store.PendingOutboxWorkflows(ctx, e.now().Add(-minAge), 500)
	if err != nil {
		return 0, err
	}
	var delivered atomic.Int64
	var g errgroup.Group
	g.SetLimit(sweepWorkflowsAtOnce)
	for _, id := range ids {
		g.Go(func() error {
			n, err := e.store.DeliverOutbox(ctx, id, e.deliver)
			delivered.Add(int64(n))
			if err != nil {
				e.logger.WarnContext(ctx, "outbox delivery failed", "workflow", id, "error", err)
			}
			return nil
		})
	}
	_ = g.Wait() // the goroutines log their failures and return nil
	return int(delivered.Load()), nil
}

// RunOutboxSweeper sweeps the outbox every interval until ctx ends.
func (e *Engine) RunOutboxSweeper(ctx context.Context, interval, minAge time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := e.SweepOutbox(ctx, minAge); err != nil && ctx.Err() == nil {
			e.logger.WarnContext(ctx, "outbox sweep failed", "error", err)
		} else if n > 0 {
			e.logger.InfoContext(ctx, "outbox swept", "delivered", n)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// deliver sends one outbox message; the claim that calls it records the
// outcome. A signal to a workflow that no longer runs has nothing left to do
// and counts as delivered.
func (e *Engine) deliver(ctx context.Context, m store.OutboxMessage) error {
	err := e.signal(ctx, m)
	var notFound *serviceerror.NotFound
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &notFound) || errors.As(err, &started) {
		e.logger.InfoContext(ctx, "outbox message for a finished workflow dropped", "outbox", m.ID, "workflow", m.WorkflowID, "signal", m.SignalName)
		return nil
	}
	if err != nil {
		e.logger.WarnContext(ctx, "outbox delivery failed", "outbox", m.ID, "workflow", m.WorkflowID, "attempts", m.Attempts+1, "error", err)
	}
	return err
}

func (e *Engine) signal(ctx context.Context, m store.OutboxMessage) error {
	payload, err := decodeSignal(m.SignalName, m.Payload)
	if err != nil {
		return err
	}
	if m.StartWorkflow == "" {
		return e.temporal.SignalWorkflow(ctx, m.WorkflowID, "", m.SignalName, payload)
	}
	if m.StartWorkflow != workflows.SubmissionWorkflowName {
		return fmt.Errorf("outbox %d: cannot start workflow type %q", m.ID, m.StartWorkflow)
	}
	var input workflows.SubmissionInput
	if err := json.Unmarshal(m.StartInput, &input); err != nil {
		return fmt.Errorf("outbox %d: decode start input: %w", m.ID, err)
	}
	// A loop that ended with an acceptance is never started again by a
	// version (one that failed or was terminated is); an action (a reopen
	// above all) starts it again, and the loop ends at once if its
	// obligation is final.
	reuse := enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY
	if m.SignalName == workflows.SignalAction {
		reuse = enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE
	}
	// No search attributes here: the loop sets its cycle's itself
	// (SubmissionWorkflow), after the request that starts it has answered;
	// Temporal's visibility write of them took about a third of a raw
	// Signal-With-Start's time (BenchmarkSubmission).
	opts := client.StartWorkflowOptions{
		ID:                    m.WorkflowID,
		TaskQueue:             e.taskQueue,
		WorkflowIDReusePolicy: reuse,
	}
	_, err = e.temporal.SignalWithStartWorkflow(ctx, m.WorkflowID, m.SignalName, payload, opts, workflows.SubmissionWorkflow, input)
	return err
}

// decodeSignal turns a stored payload back into the signal's own type, so
// that it travels as the workflow expects it.
func decodeSignal(name string, raw json.RawMessage) (any, error) {
	var v any
	switch name {
	case workflows.SignalSubmission:
		v = &workflows.SubmissionSignal{}
	case workflows.SignalReview:
		v = &workflows.ReviewSignal{}
	case workflows.SignalAction:
		v = &workflows.ActionSignal{}
	case workflows.SignalDeadlinesChanged:
		v = &workflows.DeadlinesChangedSignal{}
	case workflows.SignalCancel:
		v = &workflows.CancelSignal{}
	default:
		return nil, fmt.Errorf("outbox: unknown signal %q", name)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, fmt.Errorf("outbox: decode %s signal: %w", name, err)
	}
	return v, nil
}

// EndSubmissionLoop tells one agency's submission loop in a cycle that its
// obligation closed (the close and cancel of a cycle call it for every loop
// still running). A loop that has already ended is not an error.
func (e *Engine) EndSubmissionLoop(ctx context.Context, cycleID, agencyCode string) error {
	err := e.temporal.SignalWorkflow(ctx, workflows.SubmissionWorkflowID(cycleID, agencyCode), "", workflows.SignalCycleClosed, workflows.CycleClosedSignal{})
	var notFound *serviceerror.NotFound
	if err != nil && !errors.As(err, &notFound) {
		return fmt.Errorf("end submission loop of %s in cycle %s: %w", agencyCode, cycleID, err)
	}
	return nil
}
