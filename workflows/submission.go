package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"rcm/activities"
	"rcm/reporting"
)

// searchAttributesVersion marks the histories in which the loop sets its
// cycle's search attributes (RcmCycle, RcmRegime, RcmPeriod) itself; before
// it, the Signal-With-Start that started the loop carried them.
const searchAttributesVersion = "loop-search-attributes"

// closeGrace is how long a SubmissionWorkflow outlives its obligation's
// close when the cycle-closed signal does not come.
const closeGrace = time.Hour

// SubmissionWorkflow is one agency's loop in one cycle, from its first
// submission on: it acknowledges each version (receipt to the submitter,
// notice to the reviewers), escalates a review that is not done in time,
// tells the agency when a version is accepted or returned with the reason,
// and waits for a resubmission — until a version is accepted or the
// obligation closes. Submissions and reviews are stored before they are
// signalled here, so the workflow only carries their ids.
func SubmissionWorkflow(ctx workflow.Context, input SubmissionInput) (SubmissionResult, error) {
	if input.CycleID == "" || input.AgencyCode == "" {
		return SubmissionResult{}, temporal.NewNonRetryableApplicationError("submission workflow: CycleID and AgencyCode are required", "InvalidInput", nil)
	}
	// From version 1 the loop sets its cycle's search attributes itself
	// rather than the request that starts it (a shorter request).
	if workflow.GetVersion(ctx, searchAttributesVersion, workflow.DefaultVersion, 1) >= 1 {
		if err := workflow.UpsertTypedSearchAttributes(ctx, CycleSearchAttributes(input.CycleID)...); err != nil {
			return SubmissionResult{}, fmt.Errorf("search attributes of cycle %s: %w", input.CycleID, err)
		}
	}
	w := &submissionWorkflow{
		input:       input,
		logger:      log.With(workflow.GetLogger(ctx), "CycleID", input.CycleID, "Agency", input.AgencyCode),
		submissions: workflow.GetSignalChannel(ctx, SignalSubmission),
		reviews:     workflow.GetSignalChannel(ctx, SignalReview),
		actions:     workflow.GetSignalChannel(ctx, SignalAction),
		closed:      workflow.GetSignalChannel(ctx, SignalCycleClosed),
		overdueSent: make(map[int]bool),
	}
	return w.run(ctx)
}

type submissionWorkflow struct {
	input  SubmissionInput
	logger log.Logger

	submissions workflow.ReceiveChannel
	reviews     workflow.ReceiveChannel
	actions     workflow.ReceiveChannel
	closed      workflow.ReceiveChannel

	latest      SubmissionSignal
	received    bool // latest was acknowledged
	state       activities.SubmissionState
	returned    bool // latest was returned; waiting for a resubmission
	overdueSent map[int]bool
	outcome     string
}

func (w *submissionWorkflow) run(ctx workflow.Context) (SubmissionResult, error) {
	for {
		for w.outcome == "" {
			if w.latest.SubmissionID != 0 && !w.received {
				if err := w.acknowledge(ctx); err != nil {
					return SubmissionResult{}, err
				}
				if w.state.Closed {
					w.outcome = "closed"
					break
				}
			}
			if err := w.waitForEvent(ctx); err != nil {
				return SubmissionResult{}, err
			}
		}
		// An action that came with the decision that ended the loop (a
		// reopen right after an acceptance) is not lost: it is handled, and
		// a reopen keeps the loop going.
		var sig ActionSignal
		if !w.actions.ReceiveAsync(&sig) {
			break
		}
		if err := w.onAction(ctx, sig); err != nil {
			return SubmissionResult{}, err
		}
	}
	w.logger.Info("Submission loop ended", "Outcome", w.outcome, "Version", w.latest.Version)
	return SubmissionResult{Outcome: w.outcome, Version: w.latest.Version}, nil
}

// acknowledge sends the receipt and the review notice for the latest version.
func (w *submissionWorkflow) acknowledge(ctx workflow.Context) error {
	var a *activities.Activities
	in := activities.SubmissionInput{SubmissionID: w.latest.SubmissionID}
	var st activities.SubmissionState
	if err := workflow.ExecuteActivity(notifyOptions(ctx), a.SubmissionReceived, in).Get(ctx, &st); err != nil {
		return fmt.Errorf("acknowledge submission %d: %w", w.latest.SubmissionID, err)
	}
	w.state, w.received, w.returned = st, true, false
	return nil
}

// waitForEvent blocks until a signal, the review deadline or the safety
// close timer, and handles what came.
func (w *submissionWorkflow) waitForEvent(ctx workflow.Context) error {
	timerCtx, cancelTimers := workflow.WithCancel(ctx)
	defer cancelTimers()
	sel := workflow.NewSelector(ctx)
	var handle func() error
	sel.AddReceive(w.submissions, func(c workflow.ReceiveChannel, _ bool) {
		var sig SubmissionSignal
		c.Receive(ctx, &sig)
		handle = func() error { w.onSubmission(sig); return nil }
	})
	sel.AddReceive(w.reviews, func(c workflow.ReceiveChannel, _ bool) {
		var sig ReviewSignal
		c.Receive(ctx, &sig)
		handle = func() error { return w.onReview(ctx, sig) }
	})
	sel.AddReceive(w.actions, func(c workflow.ReceiveChannel, _ bool) {
		var sig ActionSignal
		c.Receive(ctx, &sig)
		handle = func() error { return w.onAction(ctx, sig) }
	})
	sel.AddReceive(w.closed, func(c workflow.ReceiveChannel, _ bool) {
		c.Receive(ctx, nil)
		handle = func() error { w.outcome = "closed"; return nil }
	})
	now := workflow.Now(ctx)
	if w.received && !w.returned && !w.overdueSent[w.latest.Version] && !w.state.ReviewDue.IsZero() {
		version := w.latest.Version
		sel.AddFuture(workflow.NewTimer(timerCtx, positive(w.state.ReviewDue.Sub(now))), func(workflow.Future) {
			handle = func() error { return w.onReviewOverdue(ctx, version) }
		})
	}
	// CloseAt is known once a version was acknowledged or an action handled.
	if !w.state.CloseAt.IsZero() {
		sel.AddFuture(workflow.NewTimer(timerCtx, positive(w.state.CloseAt.Add(closeGrace).Sub(now))), func(workflow.Future) {
			handle = func() error { return w.onCloseTimer(ctx) }
		})
	}
	sel.Select(ctx)
	return handle()
}

func (w *submissionWorkflow) onSubmission(sig SubmissionSignal) {
	if sig.Version <= w.latest.Version {
		return // a repeated hand-off from the outbox
	}
	w.latest, w.received = sig, false
}

func (w *submissionWorkflow) onReview(ctx workflow.Context, sig ReviewSignal) error {
	if sig.Version < w.latest.Version {
		return nil // decision on an older version: the API refuses these; ignore a stray one
	}
	if sig.Version > w.latest.Version {
		// The review overtook its submission's hand-off: adopt the version.
		w.latest = SubmissionSignal{SubmissionID: sig.SubmissionID, Version: sig.Version}
		w.received = true
	}
	var a *activities.Activities
	in := activities.ReviewInput{ReviewID: sig.ReviewID}
	if err := workflow.ExecuteActivity(notifyOptions(ctx), a.ReviewDecided, in).Get(ctx, nil); err != nil {
		return fmt.Errorf("notify review %d: %w", sig.ReviewID, err)
	}
	switch sig.Decision {
	case reporting.DecisionAccepted:
		w.outcome = string(reporting.DecisionAccepted)
	case reporting.DecisionReturned:
		w.returned = true
	}
	return nil
}

// actionsVersion marks the histories in which the loop handles actions on
// its obligation (reopen, nil report, extension requests); no earlier
// history has an action signal, so the marker only guards the new path.
const actionsVersion = "agency-actions"

// onAction tells the people concerned of an action on the obligation and
// follows it: a reopen makes the loop wait for a new version again, a nil
// report ends it like an acceptance.
func (w *submissionWorkflow) onAction(ctx workflow.Context, sig ActionSignal) error {
	if workflow.GetVersion(ctx, actionsVersion, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return nil
	}
	var a *activities.Activities
	var st activities.ActionState
	in := activities.ActionInput{ActionID: sig.ActionID, Event: sig.Event}
	if err := workflow.ExecuteActivity(notifyOptions(ctx), a.ActionTaken, in).Get(ctx, &st); err != nil {
		return fmt.Errorf("tell of action %d (%s): %w", sig.ActionID, sig.Event, err)
	}
	w.state.CloseAt, w.state.Closed = st.CloseAt, st.Closed
	switch {
	case st.Closed:
		w.outcome = "closed"
	case sig.Event == reporting.EventReopened:
		w.outcome, w.returned = "", true
		if sig.Version > w.latest.Version {
			w.latest = SubmissionSignal{Version: sig.Version}
		}
		w.received = true // nothing to acknowledge: the reopened version was
	case sig.Event == reporting.EventNilReported:
		w.outcome = string(reporting.ObligationNilReport)
	}
	return nil
}

// closeRecheckVersion marks the histories in which the loop, when the close
// it knew of has passed by closeGrace without the cycle-closed signal,
// reads the obligation's close again before it ends: an extension (rcm
// cycle extend) may have moved it, and a loop that ended would leave a
// later version without its receipt.
const closeRecheckVersion = "loop-close-recheck"

// onCloseTimer ends the loop once its obligation's close has passed, unless
// the close has moved since the loop last read it.
func (w *submissionWorkflow) onCloseTimer(ctx workflow.Context) error {
	if workflow.GetVersion(ctx, closeRecheckVersion, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		w.outcome = "closed"
		return nil
	}
	var a *activities.Activities
	var st activities.ActionState
	in := activities.ObligationInput{CycleID: w.input.CycleID, AgencyCode: w.input.AgencyCode}
	if err := workflow.ExecuteActivity(notifyOptions(ctx), a.ObligationClose, in).Get(ctx, &st); err != nil {
		return fmt.Errorf("read the close of %s: %w", w.input.AgencyCode, err)
	}
	if st.Closed || !workflow.Now(ctx).Before(st.CloseAt.Add(closeGrace)) {
		w.outcome = "closed"
		return nil
	}
	w.state.CloseAt = st.CloseAt
	return nil
}

func (w *submissionWorkflow) onReviewOverdue(ctx workflow.Context, version int) error {
	w.overdueSent[version] = true
	var a *activities.Activities
	in := activities.SubmissionInput{SubmissionID: w.latest.SubmissionID}
	if err := workflow.ExecuteActivity(notifyOptions(ctx), a.ReviewOverdue, in).Get(ctx, nil); err != nil {
		return fmt.Errorf("escalate review of submission %d: %w", w.latest.SubmissionID, err)
	}
	return nil
}

func positive(d time.Duration) time.Duration {
	if d <= 0 {
		return time.Millisecond
	}
	return d
}
