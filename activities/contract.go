package activities

import (
	"encoding/json"
	"time"

	"rcm/reporting"
)

// The types below are the contract between rcm's workflows and these
// activities: workflows call the methods of *Activities as method values
// (workflow.ExecuteActivity(ctx, a.RunWave, in)), so an activity's name is
// its method's name and its signature is checked by the compiler at the call
// and by Temporal's test environment against every fake. Inputs and results
// carry ids, states, times and counts only: workflow histories never hold an
// address or a figure.

// DeadlineGroup is one distinct (due, close) pair among a cycle's open
// obligations (and level, when levels have ladders of their own);
// extensions for single agencies create further groups.
// Moments is the group's timeline under the regime's office hours and
// working-day calendar (reporting.Policy.TimelineIn), laid out by the
// activity that read the calendar; results recorded before office hours
// have none.
type DeadlineGroup struct {
	Due   time.Time
	Close time.Time
	// Tier is the level of the group's obligations in a cycle whose levels
	// are chased by ladders of their own (its moments name it too); 0
	// otherwise.
	Tier    int                `json:",omitempty"`
	Moments []reporting.Moment `json:",omitempty"`
}

// OpenCycleResult is what opening a cycle produced.
type OpenCycleResult struct {
	Expected int
	Groups   []DeadlineGroup
}

// DeadlinesResult is the cycle as LoadDeadlines found it: the status of its
// record and the deadline groups of its open obligations.
type DeadlinesResult struct {
	Status reporting.CycleStatus
	Groups []DeadlineGroup
}

// Cancelled reports whether the cycle's record says it was cancelled.
func (r DeadlinesResult) Cancelled() bool { return r.Status == reporting.CycleCancelled }

// WaveInput asks for one wave of a cycle: the moment of its timeline the
// workflow planned (what happens, step n of m, at what instant and offset
// from due, to whom), so the activity recomputes nothing. The deadline
// notice, an extension notice and the closing summary are moments of their
// own, outside the policy's timeline; ExtensionID names the extension whose
// notice a deadline_extended wave sends.
type WaveInput struct {
	CycleID     string
	Moment      reporting.Moment
	ExtensionID int64 `json:",omitempty"`

	// legacy marks an input decoded from the older shape.
	legacy bool
}

// UnmarshalJSON also reads the input of a wave scheduled before waves
// carried their moment ({"CycleID","Kind","Step","At"}, with the older event
// names), so that a worker upgraded while such a task is pending runs it.
// Such a moment has no offset or recipients: RunWave takes them from the
// cycle's policy.
func (in *WaveInput) UnmarshalJSON(b []byte) error {
	type current WaveInput
	var v struct {
		current
		Kind string
		Step int
		At   time.Time
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*in = WaveInput(v.current)
	if v.Kind != "" && in.Moment.Kind == "" {
		in.Moment = reporting.Moment{Kind: reporting.EventFromLegacyName(v.Kind), Step: v.Step, At: v.At}
		if in.Moment.Kind == reporting.EventDeadlineExtended {
			in.ExtensionID, in.Moment.Step = int64(v.Step), 0
		}
		in.legacy = true
	}
	return nil
}

// WaveResult counts what a wave did. Remaining (close waves) is the number of
// obligations still open after it.
type WaveResult struct {
	Selected  int
	Sent      int
	Failed    int
	Skipped   int
	Remaining int
}

// FinalizeResult is the cycle's outcome at close.
type FinalizeResult struct {
	Rates reporting.Rates
}

// SubmissionState is what SubmissionReceived found: whether the version is
// still the latest, when its review is due and when the obligation closes.
type SubmissionState struct {
	Latest    bool
	ReviewDue time.Time
	CloseAt   time.Time
	Closed    bool
}

// SubmissionInput names a submission version.
type SubmissionInput struct {
	SubmissionID int64
}

// ReviewInput names a review decision.
type ReviewInput struct {
	ReviewID int64
}

// ActionInput names a recorded action on an obligation (reporting.Action)
// and the event it announces: the action made (reopened, nil_reported,
// extension_requested) or office staff's answer to a request
// (extension_granted, extension_refused).
type ActionInput struct {
	ActionID int64
	Event    reporting.Event
}

// ActionState is what ActionTaken found of the obligation: when it closes
// and whether it is final.
type ActionState struct {
	CloseAt time.Time
	Closed  bool
}

// ObligationInput names one agency's obligation in a cycle.
type ObligationInput struct {
	CycleID    string
	AgencyCode string
}

// LaunchScheduledInput asks to launch the regime's cycle for the period that
// starts at At.
type LaunchScheduledInput struct {
	RegimeCode string
	At         time.Time
}

// LaunchScheduledResult names the cycle launched (or found already launched).
type LaunchScheduledResult struct {
	CycleID         string
	AlreadyLaunched bool
}
