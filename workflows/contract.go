package workflows

import (
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"

	"rcm/activities"
	"rcm/reporting"
)

// TaskQueue is the Temporal task queue rcm's workers poll.
const TaskQueue = "rcm"

// Workflow type names, as registered with the worker.
const (
	CycleWorkflowName           = "CycleWorkflow"
	SubmissionWorkflowName      = "SubmissionWorkflow"
	ScheduledLaunchWorkflowName = "ScheduledLaunchWorkflow"
)

// Signal and query names.
const (
	// SignalDeadlinesChanged tells a CycleWorkflow that due or close moved for
	// one agency or all (extension, early close), or that the holiday
	// calendar changed; it reloads its timeline.
	SignalDeadlinesChanged = "deadlines-changed"
	// SignalCancel tells a CycleWorkflow the cycle was cancelled.
	SignalCancel = "cancel"
	// SignalSubmission hands a stored submission version to its SubmissionWorkflow.
	SignalSubmission = "submission"
	// SignalReview hands a stored review decision to its SubmissionWorkflow.
	SignalReview = "review"
	// SignalAction hands a recorded action on the obligation (a reopen, a
	// nil report, an extension request or its answer) to its
	// SubmissionWorkflow, which tells the people concerned. It starts a
	// loop that has ended, so that a reopened report is chased again.
	SignalAction = "action"
	// SignalCycleClosed ends a SubmissionWorkflow when its obligation closed.
	SignalCycleClosed = "cycle-closed"
	// QueryTimeline answers with a CycleWorkflow's timeline and counts.
	QueryTimeline = "timeline"
)

// Search attributes rcm sets on its workflows so Temporal's UI finds a
// cycle's workflows and filters cycles by state (all of type Keyword).
const (
	SearchAttributeCycle  = "RcmCycle"
	SearchAttributeRegime = "RcmRegime"
	SearchAttributePeriod = "RcmPeriod"
	// SearchAttributeStatus is a CycleWorkflow's CycleStatus, kept up to
	// date as the cycle opens, closes or is cancelled.
	SearchAttributeStatus = "RcmStatus"
)

// SearchAttributeNames lists rcm's custom search attributes.
func SearchAttributeNames() []string {
	return []string{SearchAttributeCycle, SearchAttributeRegime, SearchAttributePeriod, SearchAttributeStatus}
}

// CycleSearchAttributes sets the search attributes of a cycle's workflows:
// RcmCycle, and RcmRegime and RcmPeriod taken from the cycle's ID
// ("<regime>-<period>"). temporal.NewSearchAttributes makes them a start's.
func CycleSearchAttributes(cycleID string) []temporal.SearchAttributeUpdate {
	regime, period, _ := strings.Cut(cycleID, "-")
	return []temporal.SearchAttributeUpdate{
		temporal.NewSearchAttributeKeyKeyword(SearchAttributeCycle).ValueSet(cycleID),
		temporal.NewSearchAttributeKeyKeyword(SearchAttributeRegime).ValueSet(regime),
		temporal.NewSearchAttributeKeyKeyword(SearchAttributePeriod).ValueSet(period),
	}
}

// CycleWorkflowID is the workflow ID of a cycle's CycleWorkflow.
func CycleWorkflowID(cycleID string) string { return "cycle/" + cycleID }

// SubmissionWorkflowID is the workflow ID of one agency's SubmissionWorkflow
// in a cycle.
func SubmissionWorkflowID(cycleID, agencyCode string) string {
	return "cycle/" + cycleID + "/agency/" + agencyCode
}

// ScheduleID is the ID of the Temporal Schedule that launches a regime's cycles.
func ScheduleID(regimeCode string) string { return "regime/" + regimeCode }

// CycleInput starts a CycleWorkflow. Only ids, times and offsets: workflow
// histories never carry indicator values or personal data.
type CycleInput struct {
	CycleID string
	Policy  reporting.Policy
	// Carried across continue-as-new.
	Resume *CycleResume `json:",omitempty"`
}

// CycleResume is the state a CycleWorkflow carries into its next run.
type CycleResume struct {
	OpenedAt time.Time
	Expected int
	Done     []WaveRecord
}

// WaveRecord is a wave that ran, kept in the workflow's state and timeline.
type WaveRecord struct {
	Kind reporting.Event
	Step int
	At   time.Time
	// Tier is the level the wave reached, when levels have ladders of
	// their own (reporting.Moment.Tier).
	Tier   int `json:",omitempty"`
	Result activities.WaveResult
}

// CycleResult is what a CycleWorkflow returns.
type CycleResult struct {
	Status reporting.CycleStatus
	Rates  reporting.Rates
}

// TimelineView answers QueryTimeline.
type TimelineView struct {
	CycleID  string
	Status   reporting.CycleStatus
	Expected int
	Moments  []MomentView
}

// MomentView is one moment of the timeline, done or still ahead.
type MomentView struct {
	At   time.Time
	Kind reporting.Event
	Step int
	Of   int
	// Tier is the level whose agencies the moment reaches, when levels
	// have ladders of their own; 0 otherwise.
	Tier   int `json:",omitempty"`
	Done   bool
	Result *activities.WaveResult `json:",omitempty"`
}

// SubmissionInput starts a SubmissionWorkflow.
type SubmissionInput struct {
	CycleID    string
	AgencyCode string
}

// SubmissionSignal announces a stored submission version.
type SubmissionSignal struct {
	SubmissionID int64
	Version      int
}

// ReviewSignal announces a stored review decision.
type ReviewSignal struct {
	ReviewID     int64
	SubmissionID int64
	Version      int
	Decision     reporting.Decision
}

// ActionSignal announces a recorded action on the obligation and the event
// it is (reporting.EventReopened, EventNilReported, ...); for a reopen,
// Version is the version reopened (0 for a nil report).
type ActionSignal struct {
	ActionID int64
	Event    reporting.Event
	Version  int
}

// DeadlinesChangedSignal says which extension (or early close) moved the
// deadlines; ExtensionID 0 means an early close or a calendar change, with
// no notice to send. CalendarYear names the year of a changed holiday
// calendar.
type DeadlinesChangedSignal struct {
	ExtensionID  int64
	CalendarYear int `json:",omitempty"`
}

// CancelSignal says the cycle was cancelled.
type CancelSignal struct{}

// CycleClosedSignal ends a SubmissionWorkflow.
type CycleClosedSignal struct{}

// SubmissionResult is what a SubmissionWorkflow returns.
type SubmissionResult struct {
	Outcome string // accepted, nil_report, closed
	Version int
}

// ScheduledLaunchInput starts a ScheduledLaunchWorkflow.
type ScheduledLaunchInput struct {
	RegimeCode string
}
