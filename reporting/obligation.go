package reporting

import (
	"fmt"
	"slices"
	"time"
)

// Obligation is one agency's duty to report in one cycle, with its own due
// and close (office staff may extend them for one agency).
type Obligation struct {
	CycleID    string
	AgencyCode string
	// AgencyNameVI, AgencyNameEN and AgencyPath are the agency's, for
	// showing the obligation and placing it in the tree.
	AgencyNameVI string
	AgencyNameEN string
	AgencyPath   string
	// Due is the deadline on-time is judged against, an exclusive end.
	Due time.Time
	// Close is when the obligation stops taking versions and gets its final state.
	Close  time.Time
	Status ObligationStatus
	// NotifiedAt is when the deadline notice went out.
	NotifiedAt       *time.Time
	FirstSubmittedAt *time.Time
	LastSubmittedAt  *time.Time
	// Versions counts the versions submitted.
	Versions int
	// AcceptedSubmission is the id of the version accepted, if one was;
	// AcceptedVersion its number and AcceptedSubmittedAt when it was stored.
	AcceptedSubmission  *int64
	AcceptedVersion     int
	AcceptedSubmittedAt *time.Time
	// Timeliness is the rule of the cycle's regime that judges on time; ""
	// is TimelinessFirstVersion, the rule of regimes made before there was a
	// choice.
	Timeliness Timeliness
	// NilReport: the agency declared it has nothing to report this period;
	// its declaration counts as a version (LastSubmittedAt).
	NilReport bool
	// FinalizedAt is when the obligation got its final state.
	FinalizedAt *time.Time
}

// ObligationStatus is where an obligation stands: one of the open states
// while its cycle runs, one of the final states after its close.
type ObligationStatus string

// The open states of an obligation.
const (
	// ObligationPending: opened; the deadline notice has not gone out yet.
	ObligationPending ObligationStatus = "pending"
	// ObligationNotified: the deadline notice went out; nothing submitted.
	ObligationNotified ObligationStatus = "notified"
	// ObligationOverdue: due passed with nothing submitted.
	ObligationOverdue ObligationStatus = "overdue"
	// ObligationSubmitted: a version is stored; its loop has not notified the
	// reviewers yet.
	ObligationSubmitted ObligationStatus = "submitted"
	// ObligationUnderReview: the reviewers were told of the latest version.
	ObligationUnderReview ObligationStatus = "under_review"
	// ObligationReturned: the latest version was returned with a reason; the
	// agency is to submit again.
	ObligationReturned ObligationStatus = "returned"
	// ObligationAccepted: a version was accepted; it is the agency's report.
	ObligationAccepted ObligationStatus = "accepted"
)

// The final states of an obligation, in the vocabulary of DOMAIN.md, aligned
// with DHIS2's.
const (
	// ObligationOnTime: a version was accepted, and the version the regime's
	// Timeliness times came before due.
	ObligationOnTime ObligationStatus = "on_time"
	// ObligationLate: a version was accepted, and the version the regime's
	// Timeliness times came at or after due (and, since nothing is taken
	// after it, before close).
	ObligationLate ObligationStatus = "late"
	// ObligationMissing: nothing submitted by close.
	ObligationMissing ObligationStatus = "missing"
	// ObligationNotAccepted: the latest version was returned and not
	// replaced by close.
	ObligationNotAccepted ObligationStatus = "not_accepted"
	// ObligationNotReviewed: the latest version was never decided on by
	// close. It counts as submitted, timed by its submission: the office's
	// backlog, not the agency's fault.
	ObligationNotReviewed ObligationStatus = "submitted_not_reviewed"
	// ObligationNilReport: the agency declared it had nothing to report.
	ObligationNilReport ObligationStatus = "nil_report"
)

var (
	openStates  = []ObligationStatus{ObligationPending, ObligationNotified, ObligationOverdue, ObligationSubmitted, ObligationUnderReview, ObligationReturned, ObligationAccepted}
	finalStates = []ObligationStatus{ObligationOnTime, ObligationLate, ObligationMissing, ObligationNotAccepted, ObligationNotReviewed, ObligationNilReport}
)

// obligationFrom is the life of an obligation: each state and the states it
// may follow. The deadline notice moves it from pending to notified; due,
// with nothing submitted, to overdue; every version to submitted (except
// after one was accepted); its loop's notice to the reviewers to under
// review; a decision to accepted or returned; a nil report (NilReport set)
// to accepted from any state with nothing awaiting review; a reopen from
// accepted back to returned; close to a final state; an admitted late
// filing from missing or not accepted to late. An extension whose due is
// still ahead takes an overdue obligation back to notified (or pending,
// before its notice): the one edge back, written in store's extension. A review decides only
// an unreviewed latest version, so the wider edges serve the actions alone.
var obligationFrom = life[ObligationStatus]{
	ObligationPending:     nil,
	ObligationNotified:    {ObligationPending},
	ObligationOverdue:     {ObligationPending, ObligationNotified},
	ObligationSubmitted:   {ObligationPending, ObligationNotified, ObligationOverdue, ObligationSubmitted, ObligationUnderReview, ObligationReturned},
	ObligationUnderReview: {ObligationSubmitted},
	ObligationReturned:    {ObligationSubmitted, ObligationUnderReview, ObligationAccepted},
	ObligationAccepted:    {ObligationPending, ObligationNotified, ObligationOverdue, ObligationSubmitted, ObligationUnderReview, ObligationReturned},
	ObligationOnTime:      openStates,
	ObligationLate:        append(slices.Clone(openStates), ObligationMissing, ObligationNotAccepted),
	ObligationMissing:     openStates,
	ObligationNotAccepted: openStates,
	ObligationNotReviewed: openStates,
	ObligationNilReport:   openStates,
}

// ObligationStatuses lists every state of an obligation: the open ones, then
// the final ones.
func ObligationStatuses() []ObligationStatus {
	return append(slices.Clone(openStates), finalStates...)
}

// IsValid reports whether s is one of the states of an obligation.
func (s ObligationStatus) IsValid() bool { return obligationFrom.valid(s) }

// IsFinal reports whether s is a final state, given at close.
func (s ObligationStatus) IsFinal() bool { return slices.Contains(finalStates, s) }

// From returns the states an obligation may be in to become s.
func (s ObligationStatus) From() []ObligationStatus { return obligationFrom.from(s) }

// Follows reports whether an obligation in state prev may become s.
func (s ObligationStatus) Follows(prev ObligationStatus) bool {
	return obligationFrom.follows(s, prev)
}

// OnTime reports whether a submission made at submittedAt meets the deadline
// due, an exclusive end: 23:59:59+07:00 on the due date is on time,
// 00:00:00+07:00 the next day is late, whatever zone either instant is
// written in.
func OnTime(submittedAt, due time.Time) bool {
	return submittedAt.Before(due)
}

// FinalState is how the obligation ends: its final state once it has one;
// before that, the state it would get were it closed now (Classify's rule).
func (o Obligation) FinalState() ObligationStatus {
	if o.Status.IsFinal() {
		return o.Status
	}
	return o.finalState()
}

// LiveState returns how the obligation stands at now while its cycle runs;
// ok is false once it is final (its close has come), when FinalState says
// how it ended.
func (o Obligation) LiveState(now time.Time) (state LiveState, ok bool) {
	c := o.Classify(now)
	return c.Live, !c.Final
}

// MissedDue reports whether, as of now, due has passed with nothing
// submitted by it: the obligation is overdue, or was before its first
// version came. It stays so after close.
func (o Obligation) MissedDue(now time.Time) bool {
	if now.Before(o.Due) {
		return false
	}
	return o.FirstSubmittedAt == nil || !OnTime(*o.FirstSubmittedAt, o.Due)
}

// Refusal is why an obligation takes no version or review decision now.
type Refusal int

// The refusals.
const (
	// RefusedLaunching: the cycle's obligations are not open yet.
	RefusedLaunching Refusal = iota + 1
	// RefusedCancelled: the cycle was cancelled.
	RefusedCancelled
	// RefusedClosed: the obligation (or its whole cycle) has closed.
	RefusedClosed
	// RefusedAccepted: a version was accepted, so no other is taken.
	RefusedAccepted
)

// RefusedError is a change an obligation refuses, and why.
type RefusedError struct {
	Refusal Refusal
	// Obligation is the obligation that refuses.
	Obligation Obligation
	// WindowDays is the regime's late filing window, for
	// RefusedLateWindowOver.
	WindowDays int
}

// Error says why, and what to do where something can be done.
func (e *RefusedError) Error() string {
	o := e.Obligation
	switch e.Refusal {
	case RefusedLaunching:
		return fmt.Sprintf("cycle %s is still being launched; try again in a minute", o.CycleID)
	case RefusedCancelled:
		return fmt.Sprintf("cycle %s was cancelled", o.CycleID)
	case RefusedClosed:
		return fmt.Sprintf("cycle %s closed for this agency at %s", o.CycleID, o.Close.UTC().Format(time.RFC3339))
	case RefusedAccepted:
		return fmt.Sprintf("version %d of %s in cycle %s was accepted; if the figures must change, ask the office to reopen it "+
			"(rcm review reopen --cycle %s --agency %s --reason ...)", o.Versions, o.AgencyCode, o.CycleID, o.CycleID, o.AgencyCode)
	}
	if msg, ok := e.actionError(); ok {
		return msg
	}
	if msg, ok := e.lateFilingError(); ok {
		return msg
	}
	return fmt.Sprintf("the obligation of %s in cycle %s refuses the change", o.AgencyCode, o.CycleID)
}

// TakesChanges returns nil when the obligation, in a cycle of status cycle,
// takes a new version or a review decision at now — its cycle open, itself
// not final and its close not come — and otherwise a *RefusedError saying
// why.
func (o Obligation) TakesChanges(cycle CycleStatus, now time.Time) error {
	switch {
	case cycle == CycleLaunching:
		return &RefusedError{Refusal: RefusedLaunching, Obligation: o}
	case cycle == CycleCancelled:
		return &RefusedError{Refusal: RefusedCancelled, Obligation: o}
	case o.Status.IsFinal() || o.FinalizedAt != nil || cycle == CycleClosed || cycle == CycleClosing || !now.Before(o.Close):
		return &RefusedError{Refusal: RefusedClosed, Obligation: o}
	}
	return nil
}

// MaySubmit returns nil when the agency may submit a new version of the
// obligation at now, in a cycle of status cycle: the obligation takes
// changes and no version was accepted. Otherwise it is a *RefusedError
// saying why.
func (o Obligation) MaySubmit(cycle CycleStatus, now time.Time) error {
	if err := o.TakesChanges(cycle, now); err != nil {
		return err
	}
	if !ObligationSubmitted.Follows(o.Status) {
		return &RefusedError{Refusal: RefusedAccepted, Obligation: o}
	}
	return nil
}
