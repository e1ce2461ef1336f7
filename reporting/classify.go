package reporting

import "time"

// Timeliness is a regime's rule for judging an accepted report on time.
type Timeliness string

// The timeliness rules.
const (
	// TimelinessFirstVersion: on time when the first version came before
	// due, whatever version was accepted. A placeholder sent on time and
	// corrected after due counts as on time. The rule of every regime made
	// before regimes chose.
	TimelinessFirstVersion Timeliness = "first_version"
	// TimelinessAcceptedVersion: on time when the version finally accepted
	// came before due; the default for new regimes, since a placeholder
	// cannot inflate it.
	TimelinessAcceptedVersion Timeliness = "accepted_version"
)

// DefaultTimeliness is the rule of a new regime that names none.
const DefaultTimeliness = TimelinessAcceptedVersion

// IsValid reports whether t is one of the rules.
func (t Timeliness) IsValid() bool {
	return t == TimelinessFirstVersion || t == TimelinessAcceptedVersion
}

// Timelinesses lists the rules.
func Timelinesses() []Timeliness {
	return []Timeliness{TimelinessFirstVersion, TimelinessAcceptedVersion}
}

// LiveState is how an obligation stands while its cycle runs, in the
// vocabulary of DOMAIN.md. "Missing" and "not accepted" are not among them:
// an obligation is those only once final.
type LiveState string

// The live states of an obligation.
const (
	// LiveNotYetDue: nothing submitted, and due has not come.
	LiveNotYetDue LiveState = "not_yet_due"
	// LiveOverdue: nothing submitted, and due has passed.
	LiveOverdue LiveState = "overdue"
	// LiveAwaitingReview: the latest version waits for the office's decision.
	LiveAwaitingReview LiveState = "awaiting_review"
	// LiveReturned: the latest version was returned; a new one is awaited
	// (and chased like a missing one).
	LiveReturned LiveState = "returned"
	// LiveAccepted: a version was accepted.
	LiveAccepted LiveState = "accepted"
	// LiveNilReport: the agency declared it has nothing to report.
	LiveNilReport LiveState = "nil_report"
)

// LiveStates lists the live states.
func LiveStates() []LiveState {
	return []LiveState{LiveNotYetDue, LiveAwaitingReview, LiveReturned, LiveOverdue, LiveAccepted, LiveNilReport}
}

// Classification is the one classification of an obligation at an instant:
// its live state while its close has not come, its final state after.
// Every count of compliance (API, pages, CLI, mail, stored results) comes
// from it.
type Classification struct {
	// Final is true once the obligation's close has come (or it was
	// finalized); then State holds the final state and Live is empty.
	Final bool
	// Live is the live state while not Final.
	Live LiveState
	// State is the final state when Final.
	State ObligationStatus
	// Submitted: a version (or a nil report) is in; what the reporting rate
	// counts. While open, returned versions count (as not-accepted ones do
	// at close).
	Submitted bool
	// OnTime: submitted and on time by the regime's Timeliness, as far as
	// is known: an accepted version, an unreviewed one, or a nil report
	// timed before due (under first_version, any first version before due).
	// Once final: on time, or not reviewed or a nil report timed before due.
	OnTime bool
	// SubmittedOnTime: the first version came before due, whatever became of
	// it (DHIS2's "reporting rate on time" counts this).
	SubmittedOnTime bool
	// VersionsBeforeAcceptance is the number of versions before the accepted
	// one (Eurostat's measure); 0 when none was accepted.
	VersionsBeforeAcceptance int
	// AwaitingReview: the latest version waits for a decision (the office's
	// review backlog): live awaiting review, or final not reviewed.
	AwaitingReview bool
}

// Classify classifies the obligation at now. An obligation is final once it
// was finalized or its close has come; before that it is live, and never
// "missing" or "not accepted".
func (o Obligation) Classify(now time.Time) Classification {
	c := Classification{
		Submitted:       o.FirstSubmittedAt != nil || o.NilReport,
		SubmittedOnTime: o.FirstSubmittedAt != nil && OnTime(*o.FirstSubmittedAt, o.Due),
	}
	if o.AcceptedVersion > 0 {
		c.VersionsBeforeAcceptance = o.AcceptedVersion - 1
	}
	if at := o.timedAt(); at != nil {
		c.OnTime = OnTime(*at, o.Due)
	}
	if o.Status.IsFinal() || o.FinalizedAt != nil || !now.Before(o.Close) {
		c.Final = true
		c.State = o.FinalState()
		c.AwaitingReview = c.State == ObligationNotReviewed
		switch c.State {
		case ObligationOnTime:
			c.OnTime = true
		case ObligationNotReviewed, ObligationNilReport:
		default:
			c.OnTime = false
		}
		return c
	}
	switch {
	case o.NilReport:
		c.Live = LiveNilReport
	case o.Status == ObligationAccepted:
		c.Live = LiveAccepted
	case o.Status == ObligationReturned:
		c.Live = LiveReturned
	case o.Status == ObligationSubmitted || o.Status == ObligationUnderReview:
		c.Live = LiveAwaitingReview
		c.AwaitingReview = true
	case now.Before(o.Due):
		c.Live = LiveNotYetDue
	default:
		c.Live = LiveOverdue
	}
	return c
}

// finalState is the final state the obligation gets at close, as it stands.
func (o Obligation) finalState() ObligationStatus {
	switch {
	case o.NilReport:
		return ObligationNilReport
	case o.FirstSubmittedAt == nil:
		return ObligationMissing
	case o.Status == ObligationReturned:
		return ObligationNotAccepted
	case o.Status != ObligationAccepted:
		return ObligationNotReviewed
	case o.timedAt() != nil && OnTime(*o.timedAt(), o.Due):
		return ObligationOnTime
	default:
		return ObligationLate
	}
}

// timedAt is the instant the regime's Timeliness judges the obligation by,
// as it stands, or nil when nothing times it (no version; under
// accepted_version, a returned one). A version never reviewed is timed by
// its own submission; a nil report by its declaration.
func (o Obligation) timedAt() *time.Time {
	switch {
	case o.NilReport:
		return o.LastSubmittedAt
	case o.FirstSubmittedAt == nil:
		return nil
	case o.Timeliness != TimelinessAcceptedVersion:
		return o.FirstSubmittedAt
	case o.AcceptedSubmittedAt != nil:
		return o.AcceptedSubmittedAt
	case o.Status == ObligationReturned, o.Status == ObligationNotAccepted, o.Status == ObligationAccepted:
		return nil
	case o.LastSubmittedAt != nil:
		return o.LastSubmittedAt
	}
	return o.FirstSubmittedAt
}
