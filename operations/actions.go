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

// ActionRequest is a reopen, a nil report or an extension request on one
// agency's obligation in a cycle.
type ActionRequest struct {
	CycleID    string
	AgencyCode string
	Reason     string
	// RequestedDue is the due date an extension request asks for (a date
	// in the regime's zone, yyyy-mm-dd).
	RequestedDue string
}

// Reopen reopens the accepted version (or nil report) of an agency's
// obligation with a reason: the obligation is returned, awaiting a new
// version, chased like any returned report until its close; the agency is
// told. Office staff only.
func (e *Engine) Reopen(ctx context.Context, c Caller, req ActionRequest) (reporting.Action, error) {
	if err := e.Authorize(c, OpReopen); err != nil {
		return reporting.Action{}, err
	}
	return e.recordAction(ctx, c, req, reporting.ActionReopen, reporting.EventReopened,
		reporting.Keyed("reason", "reason.reopen_needs_reason"))
}

// DeclareNil records the agency's declaration that it has nothing to report
// this period, with a reason: it counts as submitted (nil report), timed
// now, and the reviewers are told. The agency's reporting officer only.
func (e *Engine) DeclareNil(ctx context.Context, c Caller, req ActionRequest) (reporting.Action, error) {
	if err := e.Authorize(c, OpDeclareNil); err != nil {
		return reporting.Action{}, err
	}
	if !c.CanSubmitFor(req.AgencyCode) {
		return reporting.Action{}, fmt.Errorf("nil report for %s: only that agency's reporting officer may declare it: %w", req.AgencyCode, ErrForbidden)
	}
	return e.recordAction(ctx, c, req, reporting.ActionNilReport, reporting.EventNilReported,
		reporting.Keyed("reason", "reason.nil_report_needs_reason"))
}

// RequestExtension records the agency's request for a later due date, with
// a reason; the reviewers are told and answer with DecideRequest. The
// agency's reporting officer only.
func (e *Engine) RequestExtension(ctx context.Context, c Caller, req ActionRequest) (reporting.Action, error) {
	if err := e.Authorize(c, OpRequestExtension); err != nil {
		return reporting.Action{}, err
	}
	if !c.CanSubmitFor(req.AgencyCode) {
		return reporting.Action{}, fmt.Errorf("extension request for %s: only that agency's reporting officer may ask: %w", req.AgencyCode, ErrForbidden)
	}
	return e.recordAction(ctx, c, req, reporting.ActionExtensionRequest, reporting.EventExtensionRequested,
		reporting.Keyed("reason", "reason.extension_needs_reason"))
}

// recordAction checks the reason (and the due date asked for), records the
// action with its hand-off to the agency's SubmissionWorkflow, and hands it
// over.
func (e *Engine) recordAction(ctx context.Context, c Caller, req ActionRequest, kind reporting.ActionKind, event reporting.Event, needReason reporting.FieldError) (reporting.Action, error) {
	var problems reporting.FieldErrors
	reason := strings.TrimSpace(req.Reason)
	switch {
	case reason == "":
		problems = append(problems, needReason)
	case len(reason) > reporting.MaxActionReason:
		problems = append(problems, reasonTooLong(reporting.MaxActionReason))
	}
	var due *reporting.Date
	if kind == reporting.ActionExtensionRequest {
		due = e.requestedDue(ctx, req, &problems)
	} else if req.RequestedDue != "" {
		problems.AddKey("due", "reason.due_only_for_extension")
	}
	if err := problems.Err(); err != nil {
		return reporting.Action{}, err
	}
	n := store.NewAction{CycleID: req.CycleID, AgencyCode: req.AgencyCode, Kind: kind, Reason: reason,
		RequestedDue: due, Now: e.now(), Actor: c.actor()}
	workflowID := workflows.SubmissionWorkflowID(req.CycleID, req.AgencyCode)
	a, err := e.store.RecordAction(ctx, n, func(a reporting.Action) (store.OutboxMessage, error) {
		return actionMessage(a, event)
	})
	if err != nil {
		return reporting.Action{}, err
	}
	e.handOff(ctx, workflowID)
	return a, nil
}

// requestedDue reads the due date an extension request asks for: a date
// after the obligation's due (in the regime's zone) and not in the past.
func (e *Engine) requestedDue(ctx context.Context, req ActionRequest, problems *reporting.FieldErrors) *reporting.Date {
	if strings.TrimSpace(req.RequestedDue) == "" {
		problems.AddKey("due", "reason.due_required")
		return nil
	}
	d, err := reporting.ParseDate(strings.TrimSpace(req.RequestedDue))
	if err != nil {
		problems.AddKey("due", "reason.due_not_a_date", req.RequestedDue)
		return nil
	}
	cyc, err := e.store.Cycle(ctx, req.CycleID)
	if err != nil {
		return &d // the store reports the missing cycle
	}
	loc, err := reporting.LoadLocation(cyc.TimeZone)
	if err != nil {
		return &d
	}
	ob, err := e.store.Obligation(ctx, req.CycleID, req.AgencyCode)
	if err != nil {
		return &d
	}
	switch {
	case !d.End(loc).After(ob.Due):
		current := reporting.DateOf(ob.Due.Add(-time.Nanosecond), loc)
		problems.AddKey("due", "reason.due_not_later", d.Format("vi"), current.Format("vi"))
	case !d.End(loc).After(e.now()):
		problems.AddKey("due", "reason.due_passed", d.Format("vi"))
	}
	return &d
}

// actionMessage is the hand-off of an action to the agency's
// SubmissionWorkflow, which it starts if needed.
func actionMessage(a reporting.Action, event reporting.Event) (store.OutboxMessage, error) {
	return store.NewOutboxMessage(workflows.SubmissionWorkflowID(a.CycleID, a.AgencyCode), workflows.SignalAction,
		workflows.ActionSignal{ActionID: a.ID, Event: event, Version: a.Version},
		workflows.SubmissionWorkflowName, workflows.SubmissionInput{CycleID: a.CycleID, AgencyCode: a.AgencyCode})
}

// RequestDecision is office staff's answer to a pending extension request.
type RequestDecision struct {
	ActionID int64
	// Decision is "granted" or "refused".
	Decision reporting.ActionStatus
	// Reason is required for a refusal (the agency is told); for a grant it
	// becomes the extension's reason (the request's reason when empty).
	Reason string
	// Due is the granted due date (yyyy-mm-dd, in the regime's zone);
	// empty grants the date asked for.
	Due string
}

// DecideRequest grants a pending extension request — an extension for that
// agency, through the same machinery as Extend: the timeline moves and the
// agency is told the new due date — or refuses it with a reason the agency
// is told. Office staff only.
func (e *Engine) DecideRequest(ctx context.Context, c Caller, req RequestDecision) (reporting.Action, error) {
	if err := e.Authorize(c, OpDecideRequest); err != nil {
		return reporting.Action{}, err
	}
	reason, problems := decisionProblems(req.Reason, req.Decision, reporting.ActionGranted, "reason.request_refusal_needs_reason")
	if req.Decision == reporting.ActionRefused && req.Due != "" {
		problems.AddKey("due", "reason.refusal_no_due")
	}
	if err := problems.Err(); err != nil {
		return reporting.Action{}, err
	}
	a, err := e.store.Action(ctx, req.ActionID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && a.Kind != reporting.ActionExtensionRequest) {
		return reporting.Action{}, notFoundID("extension request", req.ActionID)
	}
	if err != nil {
		return reporting.Action{}, err
	}
	d := store.ActionDecision{ActionID: a.ID, Grant: req.Decision == reporting.ActionGranted, Reason: reason, Now: e.now(), Actor: c.actor()}
	if d.Grant {
		cyc, err := e.store.Cycle(ctx, a.CycleID)
		if err != nil {
			return reporting.Action{}, err
		}
		loc, err := reporting.LoadLocation(cyc.TimeZone)
		if err != nil {
			return reporting.Action{}, fmt.Errorf("cycle %s: %w", cyc.ID, err)
		}
		due := *a.RequestedDue
		if strings.TrimSpace(req.Due) != "" {
			if due, err = reporting.ParseDate(strings.TrimSpace(req.Due)); err != nil {
				return reporting.Action{}, invalidKey("due", "reason.due_not_a_date", req.Due)
			}
		}
		d.Due = due.End(loc)
		if !d.Due.After(e.now()) {
			return reporting.Action{}, invalidKey("due", "reason.grant_passed", due.Format("vi"))
		}
		d.Close = d.Due.Add(cyc.Policy.CloseAfter)
	}
	out, err := e.store.DecideRequest(ctx, d, func(x reporting.Extension) (store.OutboxMessage, error) {
		return store.NewOutboxMessage(workflows.CycleWorkflowID(x.CycleID), workflows.SignalDeadlinesChanged,
			workflows.DeadlinesChangedSignal{ExtensionID: x.ID}, "", nil)
	}, func(x reporting.Action) (store.OutboxMessage, error) {
		event := reporting.EventExtensionRefused
		if x.Status == reporting.ActionGranted {
			event = reporting.EventExtensionGranted
		}
		return actionMessage(x, event)
	})
	if errors.Is(err, store.ErrInvalid) {
		return reporting.Action{}, invalid("due", err.Error())
	}
	if err != nil {
		return reporting.Action{}, err
	}
	if d.Grant {
		e.handOff(ctx, workflows.CycleWorkflowID(out.CycleID))
	}
	e.handOff(ctx, workflows.SubmissionWorkflowID(out.CycleID, out.AgencyCode))
	return out, nil
}

// ExtensionRequests lists extension requests (?cycle, ?status), newest
// first; office staff only.
func (e *Engine) ExtensionRequests(ctx context.Context, c Caller, f store.ActionFilter) ([]reporting.Action, error) {
	if err := e.Authorize(c, OpReadRequests); err != nil {
		return nil, err
	}
	if f.Status != "" && f.Status != reporting.ActionPending && f.Status != reporting.ActionGranted && f.Status != reporting.ActionRefused {
		return nil, invalid("status", fmt.Sprintf("%q is not a state of a request; use pending, granted or refused", f.Status))
	}
	f.Kind = reporting.ActionExtensionRequest
	return e.store.Actions(ctx, f)
}

// decisionProblems checks office staff's answer to an agency's request or
// late filing: the decision is yes (granted, admitted) or refused, and a
// refusal says why (needReason is the catalogue's key of the reason asked
// for). It returns the reason trimmed and the problems found.
func decisionProblems(reason string, decision, yes reporting.ActionStatus, needReason string) (string, reporting.FieldErrors) {
	var problems reporting.FieldErrors
	reason = strings.TrimSpace(reason)
	if len(reason) > reporting.MaxActionReason {
		problems = append(problems, reasonTooLong(reporting.MaxActionReason))
	}
	switch decision {
	case yes:
	case reporting.ActionRefused:
		if reason == "" {
			problems.AddKey("reason", needReason)
		}
	default:
		problems.AddKey("decision", "reason.not_a_decision", decision, yes)
	}
	return reason, problems
}

// reasonTooLong refuses a reason longer than max bytes.
func reasonTooLong(max int) reporting.FieldError {
	return reporting.Keyed("reason", "reason.too_long", max)
}
