package workflows

import (
	"time"

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
	// one agency or all (extension, early close); it reloads its timeline.
	SignalDeadlinesChanged = "deadlines-changed"
	// SignalCancel tells a CycleWorkflow the cycle was cancelled.
	SignalCancel = "cancel"
	// SignalSubmission hands a stored submission version to its SubmissionWorkflow.
	SignalSubmission = "submission"
	// SignalReview hands a stored review decision to its SubmissionWorkflow.
	SignalReview = "review"
	// SignalCycleClosed ends a SubmissionWorkflow when its obligation closed.
	SignalCycleClosed = "cycle-closed"
	// QueryTimeline answers with a CycleWorkflow's timeline and counts.
	QueryTimeline = "timeline"
)

// Activity names, as registered with the worker. The activities package
// implements them; workflows refer to them by name only, so workflow code
// never links database or network code.
const (
	ActivityOpenCycle            = "OpenCycle"
	ActivityLoadDeadlines        = "LoadDeadlines"
	ActivityRunWave              = "RunWave"
	ActivityFinalizeCycle        = "FinalizeCycle"
	ActivityCancelCycle          = "CancelCycle"
	ActivitySubmissionReceived   = "SubmissionReceived"
	ActivityReviewOverdue        = "ReviewOverdue"
	ActivityReviewDecided        = "ReviewDecided"
	ActivityLaunchScheduledCycle = "LaunchScheduledCycle"
)

// Search attributes rcm sets on its workflows so Temporal's UI finds a
// cycle's workflows (all of type Keyword).
const (
	SearchAttributeCycle  = "RcmCycle"
	SearchAttributeRegime = "RcmRegime"
	SearchAttributePeriod = "RcmPeriod"
)

// SearchAttributeNames lists rcm's custom search attributes.
func SearchAttributeNames() []string {
	return []string{SearchAttributeCycle, SearchAttributeRegime, SearchAttributePeriod}
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

// DeadlineGroup is one distinct (due, close) pair among a cycle's open
// obligations; extensions for single agencies create further groups.
type DeadlineGroup struct {
	Due   time.Time
	Close time.Time
}

// OpenCycleResult is what opening a cycle produced.
type OpenCycleResult struct {
	Expected int
	Groups   []DeadlineGroup
}

// DeadlinesResult is the cycle's state as LoadDeadlines found it.
type DeadlinesResult struct {
	Status reporting.CycleStatus
	Groups []DeadlineGroup
}

// WaveKind names a wave: a moment of the timeline, or the launch notice,
// an extension notice and the closing summary.
type WaveKind string

// Wave kinds.
const (
	WaveNotice     WaveKind = "notice"
	WaveReminder   WaveKind = "reminder"
	WaveDue        WaveKind = "due"
	WaveEscalation WaveKind = "escalation"
	WaveClose      WaveKind = "close"
	WaveExtension  WaveKind = "extension"
	WaveSummary    WaveKind = "summary"
)

// WaveInput asks for one wave: all agencies the step applies to at At.
type WaveInput struct {
	CycleID string
	Kind    WaveKind
	Step    int
	At      time.Time
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

// WaveRecord is a wave that ran, kept in the workflow's state and timeline.
type WaveRecord struct {
	Kind   WaveKind
	Step   int
	At     time.Time
	Result WaveResult
}

// FinalizeResult is the cycle's outcome at close.
type FinalizeResult struct {
	Rates reporting.Rates
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
	At     time.Time
	Kind   WaveKind
	Step   int
	Of     int
	Done   bool
	Result *WaveResult `json:",omitempty"`
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

// DeadlinesChangedSignal says which extension (or early close) moved the
// deadlines; ExtensionID 0 means an early close with no notice to send.
type DeadlinesChangedSignal struct {
	ExtensionID int64
}

// CancelSignal says the cycle was cancelled.
type CancelSignal struct{}

// CycleClosedSignal ends a SubmissionWorkflow.
type CycleClosedSignal struct{}

// SubmissionState is what SubmissionReceived found: whether the version is
// still the latest, when its review is due and when the obligation closes.
type SubmissionState struct {
	Latest    bool
	ReviewDue time.Time
	CloseAt   time.Time
	Closed    bool
}

// SubmissionActivityInput names a submission.
type SubmissionActivityInput struct {
	SubmissionID int64
}

// ReviewActivityInput names a review.
type ReviewActivityInput struct {
	ReviewID int64
}

// SubmissionResult is what a SubmissionWorkflow returns.
type SubmissionResult struct {
	Outcome string // accepted, closed
	Version int
}

// ScheduledLaunchInput starts a ScheduledLaunchWorkflow.
type ScheduledLaunchInput struct {
	RegimeCode string
}

// LaunchScheduledInput asks the activity to launch the regime's cycle for the
// period that starts at At.
type LaunchScheduledInput struct {
	RegimeCode string
	At         time.Time
}

// LaunchScheduledResult names the cycle launched (or found already launched).
type LaunchScheduledResult struct {
	CycleID         string
	AlreadyLaunched bool
}
