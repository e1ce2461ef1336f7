package reporting

import (
	"errors"
	"fmt"
	"time"
)

// ActionKind names one of the turns of the conversation between an agency
// and the office outside the submit-and-review loop.
type ActionKind string

// The actions.
const (
	// ActionReopen: office staff reopened an accepted version (or a nil
	// report) with a reason; the obligation is returned, awaiting a new
	// version, and chased like any returned report until its close.
	ActionReopen ActionKind = "reopen"
	// ActionNilReport: the agency declared it has nothing to report this
	// period, with a reason; it counts as submitted (nil report), timed by
	// the declaration, and takes no review.
	ActionNilReport ActionKind = "nil_report"
	// ActionExtensionRequest: the agency asked for a later due date, with a
	// reason; office staff grant it (an extension for that agency) or
	// refuse it with a reason.
	ActionExtensionRequest ActionKind = "extension_request"
)

// ActionKinds lists the actions.
func ActionKinds() []ActionKind {
	return []ActionKind{ActionReopen, ActionNilReport, ActionExtensionRequest, ActionLateFiling}
}

// ActionStatus is where an action stands: a reopen or a nil report is done
// when made; a request is pending until office staff grant or refuse it, a
// late filing until they admit or refuse it.
type ActionStatus string

// The states of an action.
const (
	ActionDone    ActionStatus = "done"
	ActionPending ActionStatus = "pending"
	ActionGranted ActionStatus = "granted"
	ActionRefused ActionStatus = "refused"
)

// Action is one recorded action on an obligation.
type Action struct {
	ID         int64
	CycleID    string
	AgencyCode string
	Kind       ActionKind
	Status     ActionStatus
	// Reason is the reason of whoever took the action: why the office
	// reopens, why there is nothing to report, why more time is needed.
	Reason string
	// Version is the version a reopen reopened, or the version a late
	// filing filed (0 for a nil report).
	Version int
	// RequestedDue is the due date an extension request asks for.
	RequestedDue *Date
	CreatedByID  int64
	CreatedBy    string
	CreatedAt    time.Time
	// DecidedBy, DecidedAt and DecisionReason record office staff's answer
	// to a request; ExtensionID the extension a grant made.
	DecidedBy      string
	DecidedAt      *time.Time
	DecisionReason string
	ExtensionID    *int64
}

// MaxActionReason is the longest reason an action takes.
const MaxActionReason = 4000

// The refusals of the actions, beside those of TakesChanges.
const (
	// RefusedNotAccepted: only an accepted version (or nil report) is reopened.
	RefusedNotAccepted Refusal = iota + 100
	// RefusedAwaitingReview: a version waits for the office's decision.
	RefusedAwaitingReview
)

// MayReopen returns nil when office staff may reopen the obligation at now:
// it takes changes and a version (or a nil report) was accepted.
//
// After the obligation's close a reopen is refused (RefusedReopenClosed):
// its final state stands, and the error points to late filing.
func (o Obligation) MayReopen(cycle CycleStatus, now time.Time) error {
	if err := o.TakesChanges(cycle, now); err != nil {
		var r *RefusedError
		if errors.As(err, &r) && r.Refusal == RefusedClosed {
			r.Refusal = RefusedReopenClosed
		}
		return err
	}
	if o.Status != ObligationAccepted {
		return &RefusedError{Refusal: RefusedNotAccepted, Obligation: o}
	}
	return nil
}

// MayDeclareNil returns nil when the agency may declare that it has nothing
// to report at now: the obligation takes changes, nothing was accepted and
// no version waits for review (a returned one may be replaced by the
// declaration).
func (o Obligation) MayDeclareNil(cycle CycleStatus, now time.Time) error {
	if err := o.TakesChanges(cycle, now); err != nil {
		return err
	}
	switch o.Status {
	case ObligationAccepted:
		return &RefusedError{Refusal: RefusedAccepted, Obligation: o}
	case ObligationSubmitted, ObligationUnderReview:
		return &RefusedError{Refusal: RefusedAwaitingReview, Obligation: o}
	}
	return nil
}

// MayRequestExtension returns nil when the agency may ask for a later due
// date at now: the obligation takes changes and nothing was accepted.
func (o Obligation) MayRequestExtension(cycle CycleStatus, now time.Time) error {
	if err := o.TakesChanges(cycle, now); err != nil {
		return err
	}
	if o.Status == ObligationAccepted {
		return &RefusedError{Refusal: RefusedAccepted, Obligation: o}
	}
	return nil
}

func (e *RefusedError) actionError() (string, bool) {
	o := e.Obligation
	switch e.Refusal {
	case RefusedNotAccepted:
		return fmt.Sprintf("the obligation of %s in cycle %s is %s: only an accepted report is reopened", o.AgencyCode, o.CycleID, o.Status), true
	case RefusedAwaitingReview:
		return fmt.Sprintf("version %d of %s in cycle %s awaits the office's review; wait for its decision", o.Versions, o.AgencyCode, o.CycleID), true
	}
	return "", false
}
