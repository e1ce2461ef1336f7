package operations

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"rcm/reporting"
	"rcm/store"
	"rcm/workflows"
)

// SubmitRequest is an agency's report for a cycle.
type SubmitRequest struct {
	CycleID    string
	AgencyCode string
	Values     reporting.Values
	Narrative  string
	// Source says how it came: json, csv, xlsx, form, cli.
	Source string
	// IdempotencyKey lets a connected system retry safely: the same key with
	// the same content returns the first receipt.
	IdempotencyKey string
}

// Receipt proves that a version is stored.
type Receipt struct {
	Number       string
	SubmissionID int64
	CycleID      string
	AgencyCode   string
	Version      int
	SubmittedAt  time.Time
	// Estimates says the figures are estimates (số liệu ước tính,
	// reporting.Cycle.ReportsEstimates): the receipt says so.
	Estimates bool
	// ContentHash is the SHA-256 of the stored report (contentHash), which
	// rcm receipt verify recomputes from a file.
	ContentHash []byte
	// Replayed is true when an earlier request with the same idempotency key
	// stored this version.
	Replayed bool
}

const maxNarrative = 20000

// Submit validates an agency's values against the cycle's template and
// stores them as a new version; the receipt comes from that commit. The
// SubmissionWorkflow hears of it afterwards, through the outbox.
func (e *Engine) Submit(ctx context.Context, c Caller, req SubmitRequest) (Receipt, error) {
	if err := e.Authorize(c, OpSubmit); err != nil {
		return Receipt{}, err
	}
	if !c.CanSubmitFor(req.AgencyCode) {
		return Receipt{}, fmt.Errorf("submit for %s: only that agency's reporting officer may submit: %w", req.AgencyCode, ErrForbidden)
	}
	if len(req.IdempotencyKey) > 200 {
		return Receipt{}, invalid("Idempotency-Key", "at most 200 characters")
	}
	if len(req.Narrative) > maxNarrative {
		return Receipt{}, invalidKey("narrative", "reason.narrative_too_long", maxNarrative)
	}
	cyc, err := e.store.Cycle(ctx, req.CycleID)
	if err != nil {
		return Receipt{}, err
	}
	tmpl, err := e.store.CycleTemplate(ctx, cyc.ID)
	if err != nil {
		return Receipt{}, err
	}
	values, problems := tmpl.ValidateValues(req.Values)
	if len(problems) > 0 {
		return Receipt{}, &reporting.InputError{Fields: problems}
	}
	source := req.Source
	if source == "" {
		source = "json"
	}
	n := store.NewSubmission{
		CycleID: req.CycleID, AgencyCode: req.AgencyCode, Values: values, Narrative: req.Narrative,
		Source: source, IdempotencyKey: req.IdempotencyKey, ContentHash: contentHash(values, req.Narrative),
		SubmittedAt: e.now(), Actor: c.actor(),
	}
	sub, replayed, err := e.store.StoreSubmission(ctx, n, func(s reporting.Submission) (store.OutboxMessage, error) {
		return store.NewOutboxMessage(workflows.SubmissionWorkflowID(s.CycleID, s.AgencyCode), workflows.SignalSubmission,
			workflows.SubmissionSignal{SubmissionID: s.ID, Version: s.Version},
			workflows.SubmissionWorkflowName, workflows.SubmissionInput{CycleID: s.CycleID, AgencyCode: s.AgencyCode})
	})
	if err != nil {
		return Receipt{}, err
	}
	if !replayed {
		e.handOff(ctx, workflows.SubmissionWorkflowID(sub.CycleID, sub.AgencyCode))
	}
	return Receipt{Number: sub.ReceiptNumber, SubmissionID: sub.ID, CycleID: sub.CycleID, AgencyCode: sub.AgencyCode,
		Version: sub.Version, SubmittedAt: sub.SubmittedAt, Estimates: cyc.ReportsEstimates(), ContentHash: sub.ContentHash, Replayed: replayed}, nil
}

// CycleTemplate returns the template a cycle's agencies fill in.
func (e *Engine) CycleTemplate(ctx context.Context, c Caller, cycleID string) (reporting.Template, error) {
	if err := e.Authorize(c, OpReadCycles); err != nil {
		return reporting.Template{}, err
	}
	return e.store.CycleTemplate(ctx, cycleID)
}

// contentHash is a SHA-256 over the normalised values (in code order) and the
// narrative: the same report always hashes the same.
func contentHash(v reporting.Values, narrative string) []byte {
	codes := make([]string, 0, len(v))
	for code := range v {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	h := sha256.New()
	for _, code := range codes {
		fmt.Fprintf(h, "%s\x1f%s\x1e", code, v[code])
	}
	fmt.Fprintf(h, "\x1d%s", narrative)
	return h.Sum(nil)
}

// ReviewRequest is office staff's decision on a version.
type ReviewRequest struct {
	SubmissionID int64
	Decision     reporting.Decision
	Reason       string
	// Reopen names agencies of the level below whose accepted reports a
	// return of a consolidated report reopens with it (office staff only).
	Reopen []string
}

// Review records a decision on the latest version of an obligation; a
// returned version needs a reason, which the agency is told.
func (e *Engine) Review(ctx context.Context, c Caller, req ReviewRequest) (reporting.Review, error) {
	if err := e.Authorize(c, OpReview); err != nil {
		return reporting.Review{}, err
	}
	req.Reason = strings.TrimSpace(req.Reason)
	switch req.Decision {
	case reporting.DecisionAccepted:
	case reporting.DecisionReturned:
		if req.Reason == "" {
			return reporting.Review{}, invalidKey("reason", "reason.return_needs_reason")
		}
	default:
		return reporting.Review{}, invalidKey("decision", "reason.not_a_review_decision", req.Decision)
	}
	if len(req.Reason) > 4000 {
		return reporting.Review{}, &reporting.InputError{Fields: []reporting.FieldError{reasonTooLong(4000)}}
	}
	if err := e.requireReviewer(ctx, c, req.SubmissionID); err != nil {
		return reporting.Review{}, err
	}
	if err := e.checkReopenBelow(ctx, c, req); err != nil {
		return reporting.Review{}, err
	}
	n := store.NewReview{SubmissionID: req.SubmissionID, Decision: req.Decision, Reason: req.Reason, DecidedAt: e.now(), Actor: c.actor(),
		Reopen: req.Reopen, ReopenHandoff: func(a reporting.Action) (store.OutboxMessage, error) {
			return actionMessage(a, reporting.EventReopened)
		}}
	var workflowID, cycleID string
	rv, err := e.store.StoreReview(ctx, n, func(rv reporting.Review, s reporting.Submission) (store.OutboxMessage, error) {
		workflowID, cycleID = workflows.SubmissionWorkflowID(s.CycleID, s.AgencyCode), s.CycleID
		return store.NewOutboxMessage(workflowID, workflows.SignalReview,
			workflows.ReviewSignal{ReviewID: rv.ID, SubmissionID: s.ID, Version: s.Version, Decision: rv.Decision},
			workflows.SubmissionWorkflowName, workflows.SubmissionInput{CycleID: s.CycleID, AgencyCode: s.AgencyCode})
	})
	if err != nil {
		return reporting.Review{}, err
	}
	e.handOff(ctx, workflowID)
	for _, code := range req.Reopen {
		e.handOff(ctx, workflows.SubmissionWorkflowID(cycleID, code))
	}
	return rv, nil
}

// checkReopenBelow checks the agencies a return reopens with it: only a
// return reopens, only office staff reopen (as they reopen one report),
// and each must be an agency of the level just below the submission's
// agency in a tiered cycle, under it; each refusal names reopen[i].
func (e *Engine) checkReopenBelow(ctx context.Context, c Caller, req ReviewRequest) error {
	if len(req.Reopen) == 0 {
		return nil
	}
	if err := e.Authorize(c, OpReopen); err != nil {
		return err
	}
	if req.Decision != reporting.DecisionReturned {
		return invalid("reopen", "only a return reopens the reports below; accept without reopen, or return")
	}
	sub, err := e.Submission(ctx, c, req.SubmissionID)
	if err != nil {
		return err
	}
	cyc, err := e.cycle(ctx, sub.CycleID)
	if err != nil {
		return err
	}
	parent, err := e.store.Agency(ctx, sub.AgencyCode)
	if err != nil {
		return err
	}
	below := 0
	for i, t := range cyc.Tiers {
		if t.Depth == reporting.PathDepth(parent.Path) && i > 0 {
			below = cyc.Tiers[i-1].Depth
		}
	}
	var problems reporting.FieldErrors
	seen := map[string]bool{}
	for i, code := range req.Reopen {
		field := fmt.Sprintf("reopen[%d]", i)
		if seen[code] {
			problems.Add(field, "%s is named twice; name it once", code)
			continue
		}
		seen[code] = true
		a, err := e.store.Agency(ctx, code)
		switch {
		case errors.Is(err, store.ErrNotFound):
			problems.Add(field, "agency %s does not exist", code)
		case err != nil:
			return err
		case below == 0:
			problems.Add(field, "%s's report consolidates nothing in cycle %s, so there is no report below it to reopen", parent.Code, cyc.ID)
		case !strings.HasPrefix(a.Path, parent.Path) || reporting.PathDepth(a.Path) != below:
			problems.Add(field, "%s is not an agency of the level below %s; name the agencies whose reports %s consolidated", code, parent.Code, parent.Code)
		}
	}
	return problems.Err()
}

// requireReviewer checks that the caller may decide on the submission:
// office staff any; a reviewer one of an agency below their own (one
// outside their subtree is not found, their own agency's is forbidden: the
// level above reviews it).
func (e *Engine) requireReviewer(ctx context.Context, c Caller, submissionID int64) error {
	if c.IsStaff() {
		return nil
	}
	sub, err := e.Submission(ctx, c, submissionID)
	if err != nil {
		return err
	}
	a, err := e.visibleAgency(ctx, c, sub.AgencyCode)
	if err != nil {
		return notFoundID("submission", submissionID)
	}
	if !c.CanReview(a.Path) {
		return &ForbiddenError{Op: OpReview, Need: reviewers, Given: c.Role,
			Reason: fmt.Sprintf("%s is your own agency: its report is reviewed by the level above", a.Code)}
	}
	return nil
}

// Submission returns one version if the caller may see its agency; one
// hidden or absent is the same NotFoundError.
func (e *Engine) Submission(ctx context.Context, c Caller, id int64) (reporting.Submission, error) {
	if err := e.Authorize(c, OpReadCycles); err != nil {
		return reporting.Submission{}, err
	}
	sub, err := e.store.Submission(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return reporting.Submission{}, notFoundID("submission", id)
	}
	if err != nil {
		return reporting.Submission{}, err
	}
	if err := e.requireVisible(ctx, c, sub.AgencyCode); err != nil {
		return reporting.Submission{}, notFoundID("submission", id)
	}
	return sub, nil
}

// requireVisible answers ErrNotFound — not ErrForbidden — for an agency
// outside the caller's scope, so nothing hints that it exists.
func (e *Engine) requireVisible(ctx context.Context, c Caller, agencyCode string) error {
	if c.IsStaff() {
		return nil
	}
	_, err := e.visibleAgency(ctx, c, agencyCode)
	return err
}
