package operations

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"rcm/reporting"
	"rcm/store"
	"rcm/workflows"
)

// LateFilingRequest is a version an agency files after its obligation's
// close (khóa sổ), with the reason it gives.
type LateFilingRequest struct {
	SubmitRequest
	Reason string
}

// LateFiling is a recorded late filing and the receipt of its version.
type LateFiling struct {
	Action  reporting.Action
	Receipt Receipt
}

// FileLate validates a version as Submit does and stores it as a late
// filing of an obligation that closed missing or not accepted, within its
// regime's late filing window: the version gets a receipt, marked
// late-filed, and waits for the office to admit or refuse it; the reviewers
// are told. The agency's reporting officer only.
func (e *Engine) FileLate(ctx context.Context, c Caller, req LateFilingRequest) (LateFiling, error) {
	if err := e.Authorize(c, OpFileLate); err != nil {
		return LateFiling{}, err
	}
	if !c.CanSubmitFor(req.AgencyCode) {
		return LateFiling{}, fmt.Errorf("late filing for %s: only that agency's reporting officer may file it: %w", req.AgencyCode, ErrForbidden)
	}
	var problems reporting.FieldErrors
	reason := strings.TrimSpace(req.Reason)
	switch {
	case reason == "":
		problems.Add("reason", "say why the report comes after close; the office reads it before admitting it")
	case len(reason) > reporting.MaxActionReason:
		problems.Add("reason", "at most %d characters", reporting.MaxActionReason)
	}
	if len(req.Narrative) > maxNarrative {
		problems.Add("narrative", "at most %d characters", maxNarrative)
	}
	cyc, err := e.store.Cycle(ctx, req.CycleID)
	if err != nil {
		return LateFiling{}, err
	}
	tmpl, err := e.store.CycleTemplate(ctx, cyc.ID)
	if err != nil {
		return LateFiling{}, err
	}
	values, invalidValues := tmpl.ValidateValues(req.Values)
	fields := append([]reporting.FieldError(problems), invalidValues...)
	if len(fields) > 0 {
		return LateFiling{}, &reporting.InputError{Fields: fields}
	}
	source := req.Source
	if source == "" {
		source = "json"
	}
	n := store.NewLateFiling{NewSubmission: store.NewSubmission{
		CycleID: req.CycleID, AgencyCode: req.AgencyCode, Values: values, Narrative: req.Narrative,
		Source: source, ContentHash: contentHash(values, req.Narrative), SubmittedAt: e.now(), Actor: c.actor(),
	}, Reason: reason}
	a, sub, err := e.store.StoreLateFiling(ctx, n, func(a reporting.Action) (store.OutboxMessage, error) {
		return actionMessage(a, reporting.EventLateFiled)
	})
	if err != nil {
		return LateFiling{}, err
	}
	e.handOff(ctx, workflows.SubmissionWorkflowID(a.CycleID, a.AgencyCode))
	return LateFiling{Action: a, Receipt: Receipt{Number: sub.ReceiptNumber, SubmissionID: sub.ID, CycleID: sub.CycleID,
		AgencyCode: sub.AgencyCode, Version: sub.Version, SubmittedAt: sub.SubmittedAt, Estimates: cyc.ReportsEstimates(),
		ContentHash: sub.ContentHash}}, nil
}

// LateFilingDecisionRequest is office staff's answer to a pending late
// filing.
type LateFilingDecisionRequest struct {
	ActionID int64
	// Decision is "admitted" or "refused".
	Decision reporting.ActionStatus
	// Reason is required for a refusal (the agency is told); a note for an
	// admission.
	Reason string
}

// DecideLateFiling admits a pending late filing — its version becomes the
// agency's accepted report, the obligation counts late, and a closed
// cycle's stored compliance and aggregates are recomputed in the same
// transaction — or refuses it with a reason, leaving the state at close.
// The agency is told either way. Office staff only.
func (e *Engine) DecideLateFiling(ctx context.Context, c Caller, req LateFilingDecisionRequest) (reporting.Action, error) {
	if err := e.Authorize(c, OpDecideLateFiling); err != nil {
		return reporting.Action{}, err
	}
	reason, problems := decisionProblems(req.Reason, req.Decision, reporting.ActionAdmitted, "reason.late_filing_refusal_needs_reason")
	if err := problems.Err(); err != nil {
		return reporting.Action{}, err
	}
	d := store.LateFilingDecision{ActionID: req.ActionID, Admit: req.Decision == reporting.ActionAdmitted, Reason: reason,
		Now: e.now(), Actor: c.actor()}
	a, err := e.store.DecideLateFiling(ctx, d, func(x reporting.Action) (store.OutboxMessage, error) {
		event := reporting.EventLateFilingRefused
		if x.Status == reporting.ActionAdmitted {
			event = reporting.EventLateFilingAdmitted
		}
		return actionMessage(x, event)
	})
	if errors.Is(err, store.ErrNotFound) {
		return reporting.Action{}, notFoundID("late filing", req.ActionID)
	}
	if err != nil {
		return reporting.Action{}, err
	}
	e.handOff(ctx, workflows.SubmissionWorkflowID(a.CycleID, a.AgencyCode))
	return a, nil
}

// LateFilings lists late filings (?cycle, ?status), newest first; office
// staff only.
func (e *Engine) LateFilings(ctx context.Context, c Caller, f store.ActionFilter) ([]reporting.Action, error) {
	if err := e.Authorize(c, OpReadLateFilings); err != nil {
		return nil, err
	}
	switch f.Status {
	case "", reporting.ActionPending, reporting.ActionAdmitted, reporting.ActionRefused:
	default:
		return nil, invalid("status", fmt.Sprintf("%q is not a state of a late filing; use pending, admitted or refused", f.Status))
	}
	f.Kind = reporting.ActionLateFiling
	return e.store.Actions(ctx, f)
}
