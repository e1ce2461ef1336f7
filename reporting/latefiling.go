package reporting

import (
	"fmt"
	"time"
)

// Late filing (nộp muộn sau khóa sổ): after an obligation's close (khóa
// sổ), nothing is taken through the ordinary path, and its final state
// stands. An agency whose report was missing or not accepted at close may
// still file a version late, with a reason, within its regime's late
// filing window; the office admits it (the version is accepted as the
// agency's report and the obligation counts late, never on time, whatever
// the regime's timeliness rule) or refuses it with a reason (the version is
// kept, returned, and the final state stands).

// ActionLateFiling: the agency filed a version after its obligation closed,
// with a reason; office staff admit it or refuse it.
const ActionLateFiling ActionKind = "late_filing"

// ActionAdmitted: office staff admitted a late filing.
const ActionAdmitted ActionStatus = "admitted"

// DefaultLateFilingDays is the late filing window of a regime that sets
// none: a version may be filed late until 30 days after the obligation's
// close.
const DefaultLateFilingDays = 30

// MaxLateFilingDays bounds a regime's late filing window.
const MaxLateFilingDays = 366

// LateFilingDaysOrDefault is the regime's late filing window in days (0:
// no late filing), DefaultLateFilingDays when it sets none.
func (r Regime) LateFilingDaysOrDefault() int {
	if r.LateFilingDays == nil {
		return DefaultLateFilingDays
	}
	return *r.LateFilingDays
}

// LateFilingEnd is the end of the late filing window of an obligation that
// closes at close: windowDays days (of 24 hours) after it.
func LateFilingEnd(close time.Time, windowDays int) time.Time {
	return close.Add(time.Duration(windowDays) * 24 * time.Hour)
}

// The refusals of a late filing and of a reopen after close.
const (
	// RefusedNotClosed: the obligation is still open; submit normally.
	RefusedNotClosed Refusal = iota + 200
	// RefusedNothingToFile: the obligation ended with a report the office
	// has (on time, late, not reviewed or a nil report).
	RefusedNothingToFile
	// RefusedLateWindowOver: the regime's late filing window has ended (or
	// the regime takes no late filing).
	RefusedLateWindowOver
	// RefusedReopenClosed: a reopen after the obligation's close.
	RefusedReopenClosed
	// RefusedLatePending: a late filing of the obligation awaits the
	// office's answer.
	RefusedLatePending
)

// MayFileLate returns nil when the agency may file a version late at now:
// its obligation got its final state at close, missing or not accepted,
// and now is within windowDays after its close. Otherwise a *RefusedError
// says why.
func (o Obligation) MayFileLate(cycle CycleStatus, now time.Time, windowDays int) error {
	switch cycle {
	case CycleLaunching:
		return &RefusedError{Refusal: RefusedLaunching, Obligation: o}
	case CycleCancelled:
		return &RefusedError{Refusal: RefusedCancelled, Obligation: o}
	}
	if !o.Status.IsFinal() || o.FinalizedAt == nil {
		return &RefusedError{Refusal: RefusedNotClosed, Obligation: o}
	}
	if o.Status != ObligationMissing && o.Status != ObligationNotAccepted {
		return &RefusedError{Refusal: RefusedNothingToFile, Obligation: o}
	}
	if windowDays <= 0 || !now.Before(LateFilingEnd(o.Close, windowDays)) {
		return &RefusedError{Refusal: RefusedLateWindowOver, Obligation: o, WindowDays: windowDays}
	}
	return nil
}

// MayAdmitLateFiling returns nil when office staff may admit a late filing
// of the obligation: it still stands missing or not accepted (nothing else
// was admitted since). Admission is not bound to the window: the agency
// filed within it.
func (o Obligation) MayAdmitLateFiling() error {
	if !o.Status.IsFinal() || o.FinalizedAt == nil {
		return &RefusedError{Refusal: RefusedNotClosed, Obligation: o}
	}
	if o.Status != ObligationMissing && o.Status != ObligationNotAccepted {
		return &RefusedError{Refusal: RefusedNothingToFile, Obligation: o}
	}
	return nil
}

func (e *RefusedError) lateFilingError() (string, bool) {
	o := e.Obligation
	switch e.Refusal {
	case RefusedNotClosed:
		return fmt.Sprintf("the obligation of %s in cycle %s has not closed (khóa sổ) yet; submit normally (rcm submit)", o.AgencyCode, o.CycleID), true
	case RefusedNothingToFile:
		return fmt.Sprintf("the obligation of %s in cycle %s ended %s: only a report missing or not accepted at close may be filed late", o.AgencyCode, o.CycleID, o.Status), true
	case RefusedLateWindowOver:
		if e.WindowDays <= 0 {
			return fmt.Sprintf("the regime of cycle %s takes no late filing; ask the office", o.CycleID), true
		}
		return fmt.Sprintf("the late filing window of %s in cycle %s ended at %s (%d days after its close)", o.AgencyCode, o.CycleID,
			LateFilingEnd(o.Close, e.WindowDays).UTC().Format(time.RFC3339), e.WindowDays), true
	case RefusedReopenClosed:
		return fmt.Sprintf("cycle %s closed (khóa sổ) for %s at %s: a report is reopened only before its close, and its final state (%s) stands; "+
			"after close a report missing or not accepted is filed late instead (rcm late-file --cycle %s --agency %s --reason ...), which the office admits or refuses",
			o.CycleID, o.AgencyCode, o.Close.UTC().Format(time.RFC3339), o.FinalState(), o.CycleID, o.AgencyCode), true
	case RefusedLatePending:
		return fmt.Sprintf("a late filing of %s in cycle %s still waits for the office's answer", o.AgencyCode, o.CycleID), true
	}
	return "", false
}
