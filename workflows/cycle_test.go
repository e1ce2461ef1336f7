package workflows_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"github.com/stretchr/testify/suite"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"rcm/activities"
	"rcm/reporting"
	rcmworker "rcm/worker"
	"rcm/workflows"
)

// fakeCycle stands in for PostgreSQL behind the cycle's activities: it
// records every wave and answers with the deadlines a test sets.
type fakeCycle struct {
	mu        sync.Mutex
	groups    []activities.DeadlineGroup
	status    reporting.CycleStatus
	expected  int
	waves     []activities.WaveInput
	finalized int
	cancelled int
	// agencies are the agencies of each level, for reachLog.
	agencies map[int][]string
}

func (f *fakeCycle) setGroups(g ...activities.DeadlineGroup) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.groups = g
}

func (f *fakeCycle) OpenCycle(_ context.Context, _ string) (activities.OpenCycleResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status = reporting.CycleOpen
	return activities.OpenCycleResult{Expected: f.expected, Groups: append([]activities.DeadlineGroup(nil), f.groups...)}, nil
}

func (f *fakeCycle) LoadDeadlines(_ context.Context, _ string) (activities.DeadlinesResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return activities.DeadlinesResult{Status: f.status, Groups: append([]activities.DeadlineGroup(nil), f.groups...)}, nil
}

// RunWave records the wave; a close wave closes the groups whose close has
// come, like the real one finalizes obligations.
func (f *fakeCycle) RunWave(_ context.Context, in activities.WaveInput) (activities.WaveResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.waves = append(f.waves, in)
	if in.Moment.Kind != reporting.EventClose {
		return activities.WaveResult{Selected: f.expected, Sent: f.expected}, nil
	}
	var open []activities.DeadlineGroup
	for _, g := range f.groups {
		if g.Close.After(in.Moment.At) {
			open = append(open, g)
		}
	}
	f.groups = open
	return activities.WaveResult{Remaining: len(open)}, nil
}

func (f *fakeCycle) FinalizeCycle(_ context.Context, _ string) (activities.FinalizeResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.finalized++
	return activities.FinalizeResult{Rates: reporting.Rates{Expected: f.expected}}, nil
}

func (f *fakeCycle) CancelCycle(_ context.Context, _ string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cancelled++
	return nil
}

// register makes the fake answer for the real activities: each is mocked
// through the method value the workflows call, and Temporal's test
// environment refuses a fake whose signature differs from the activity's.
func (f *fakeCycle) register(env *testsuite.TestWorkflowEnvironment) {
	var a *activities.Activities
	env.RegisterActivity(a)
	env.OnActivity(a.OpenCycle, mock.Anything, mock.Anything).Return(f.OpenCycle).Maybe()
	env.OnActivity(a.LoadDeadlines, mock.Anything, mock.Anything).Return(f.LoadDeadlines).Maybe()
	env.OnActivity(a.RunWave, mock.Anything, mock.Anything).Return(f.RunWave).Maybe()
	env.OnActivity(a.FinalizeCycle, mock.Anything, mock.Anything).Return(f.FinalizeCycle).Maybe()
	env.OnActivity(a.CancelCycle, mock.Anything, mock.Anything).Return(f.CancelCycle).Maybe()
}

// waveLog renders the recorded waves as "kind/step@offset-from-t0" lines.
func (f *fakeCycle) waveLog(t0 time.Time) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, len(f.waves))
	for i, w := range f.waves {
		out[i] = fmt.Sprintf("%s/%d@%s", w.Moment.Kind, w.Moment.Step, w.Moment.At.Sub(t0))
	}
	return out
}

// reachLog renders the recorded waves as "kind/step@offset [agencies]":
// the agencies of the wave's level, or every level's when it names none.
func (f *fakeCycle) reachLog(t0 time.Time) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, len(f.waves))
	for i, w := range f.waves {
		var reached []string
		for tier, codes := range f.agencies {
			if w.Moment.Tier == 0 || w.Moment.Tier == tier {
				reached = append(reached, codes...)
			}
		}
		sort.Strings(reached)
		out[i] = fmt.Sprintf("%s/%d@%s %v", w.Moment.Kind, w.Moment.Step, w.Moment.At.Sub(t0), reached)
	}
	return out
}

type CycleWorkflowSuite struct {
	suite.Suite
	testsuite.WorkflowTestSuite
	env  *testsuite.TestWorkflowEnvironment
	fake *fakeCycle
	t0   time.Time
}

func TestCycleWorkflow(t *testing.T) { suite.Run(t, new(CycleWorkflowSuite)) }

func (s *CycleWorkflowSuite) SetupTest() {
	s.env = s.NewTestWorkflowEnvironment()
	s.t0 = time.Date(2026, 10, 1, 1, 0, 0, 0, time.UTC) // 08:00 in Hanoi
	s.env.SetStartTime(s.t0)
	s.fake = &fakeCycle{expected: 20}
	rcmworker.RegisterWorkflows(s.env)
	s.fake.register(s.env)
}

func (s *CycleWorkflowSuite) AfterTest(_, _ string) { s.env.AssertExpectations(s.T()) }

const day = 24 * time.Hour

// monthPolicy is a realistic regime: reminders 3 days and 1 day before due,
// the officer and head told a day after due, the supervisor three days
// after (twice, two days apart), closing ten days after due.
func monthPolicy() reporting.Policy {
	return reporting.Policy{
		ReminderOffsets: []time.Duration{3 * day, 1 * day},
		Escalations: []reporting.EscalationStep{
			{After: 1 * day, Recipients: []reporting.Recipient{reporting.RecipientOfficer, reporting.RecipientHead}, Times: 1},
			{After: 3 * day, Recipients: []reporting.Recipient{reporting.RecipientSupervisor}, Repeat: 2 * day, Times: 2},
		},
		ReviewTime: 2 * day,
		CloseAfter: 10 * day,
	}
}

func (s *CycleWorkflowSuite) run(policy reporting.Policy) workflows.CycleResult {
	s.env.ExecuteWorkflow(workflows.CycleWorkflow, workflows.CycleInput{CycleID: "SEI-2026-10", Policy: policy})
	s.Require().True(s.env.IsWorkflowCompleted())
	s.Require().NoError(s.env.GetWorkflowError())
	var res workflows.CycleResult
	s.Require().NoError(s.env.GetWorkflowResult(&res))
	return res
}

func (s *CycleWorkflowSuite) Test_MonthLongTimelineRunsEveryWaveAtItsMoment() {
	due := s.t0.Add(20 * day)
	s.fake.setGroups(activities.DeadlineGroup{Due: due, Close: due.Add(10 * day)})

	res := s.run(monthPolicy())

	s.Equal(reporting.CycleClosed, res.Status)
	s.Equal([]string{
		"deadline_notice/0@0s",
		"reminder/1@408h0m0s", // due - 3d
		"reminder/2@456h0m0s", // due - 1d
		"overdue/1@480h0m0s",
		"escalation/1@504h0m0s", // due + 1d
		"escalation/2@552h0m0s", // due + 3d
		"escalation/3@600h0m0s", // due + 5d (repeat)
		"close/1@720h0m0s",      // due + 10d
		"cycle_summary/0@720h0m0s",
	}, s.fake.waveLog(s.t0))
	s.Equal(1, s.fake.finalized)
}

func (s *CycleWorkflowSuite) Test_ExtensionForAllMovesTheRemainingTimeline() {
	due := s.t0.Add(20 * day)
	newDue := due.Add(5 * day)
	s.fake.setGroups(activities.DeadlineGroup{Due: due, Close: due.Add(10 * day)})
	// Two days before due (after the first reminder), office staff extend by five days.
	s.env.RegisterDelayedCallback(func() {
		s.fake.setGroups(activities.DeadlineGroup{Due: newDue, Close: newDue.Add(10 * day)})
		s.env.SignalWorkflow(workflows.SignalDeadlinesChanged, workflows.DeadlinesChangedSignal{ExtensionID: 7})
	}, 18*day)

	s.run(monthPolicy())

	s.Equal([]string{
		"deadline_notice/0@0s",
		"reminder/1@408h0m0s",          // old due - 3d: sent before the extension
		"deadline_extended/7@432h0m0s", // the notice of the new due, at once
		"reminder/1@528h0m0s",          // new due - 3d: the wave skips who already had it
		"reminder/2@576h0m0s",          // new due - 1d; nothing at old due - 1d
		"overdue/1@600h0m0s",
		"escalation/1@624h0m0s",
		"escalation/2@672h0m0s",
		"escalation/3@720h0m0s",
		"close/1@840h0m0s",
		"cycle_summary/0@840h0m0s",
	}, s.fake.waveLog(s.t0))
}

func (s *CycleWorkflowSuite) Test_OneAgencyExtendedKeepsItsOwnDeadlinesAndTheCycleClosesAfterIt() {
	due := s.t0.Add(20 * day)
	base := activities.DeadlineGroup{Due: due, Close: due.Add(2 * day)}
	s.fake.setGroups(base)
	s.env.RegisterDelayedCallback(func() {
		s.fake.setGroups(base, activities.DeadlineGroup{Due: due.Add(day), Close: due.Add(3 * day)})
		s.env.SignalWorkflow(workflows.SignalDeadlinesChanged, workflows.DeadlinesChangedSignal{ExtensionID: 3})
	}, 10*day)
	policy := reporting.Policy{ReminderOffsets: []time.Duration{day}, ReviewTime: day, CloseAfter: 2 * day}

	s.run(policy)

	s.Equal([]string{
		"deadline_notice/0@0s",
		"deadline_extended/3@240h0m0s",
		"reminder/1@456h0m0s", // due - 1d for everyone else
		"reminder/1@480h0m0s", // the extended agency's reminder, a day later (before due at the same instant)
		"overdue/1@480h0m0s",
		"overdue/1@504h0m0s",
		"close/1@528h0m0s",
		"close/1@552h0m0s", // the extended agency closes last
		"cycle_summary/0@552h0m0s",
	}, s.fake.waveLog(s.t0))
	s.Equal(1, s.fake.finalized)
}

func (s *CycleWorkflowSuite) Test_EarlyCloseClassifiesNowAndSkipsTheRest() {
	due := s.t0.Add(20 * day)
	s.fake.setGroups(activities.DeadlineGroup{Due: due, Close: due.Add(10 * day)})
	s.env.RegisterDelayedCallback(func() {
		now := s.t0.Add(22 * day)
		s.fake.setGroups(activities.DeadlineGroup{Due: due, Close: now})
		s.env.SignalWorkflow(workflows.SignalDeadlinesChanged, workflows.DeadlinesChangedSignal{})
	}, 22*day)

	res := s.run(monthPolicy())

	s.Equal(reporting.CycleClosed, res.Status)
	log := s.fake.waveLog(s.t0)
	s.Equal([]string{"close/1@528h0m0s", "cycle_summary/0@528h0m0s"}, log[len(log)-2:])
	s.NotContains(log, "escalation/2@552h0m0s")
}

func (s *CycleWorkflowSuite) Test_CancelStopsEverything() {
	due := s.t0.Add(20 * day)
	s.fake.setGroups(activities.DeadlineGroup{Due: due, Close: due.Add(10 * day)})
	s.env.RegisterDelayedCallback(func() {
		s.env.SignalWorkflow(workflows.SignalCancel, workflows.CancelSignal{})
	}, 5*day)

	res := s.run(monthPolicy())

	s.Equal(reporting.CycleCancelled, res.Status)
	s.Equal([]string{"deadline_notice/0@0s"}, s.fake.waveLog(s.t0))
	s.Equal(1, s.fake.cancelled)
	s.Equal(0, s.fake.finalized)
}

func (s *CycleWorkflowSuite) Test_RemindersPlannedBeforeLaunchAreNotSent() {
	due := s.t0.Add(2 * day) // launched late: the 3-day reminder has passed
	s.fake.setGroups(activities.DeadlineGroup{Due: due, Close: due.Add(day)})
	policy := reporting.Policy{ReminderOffsets: []time.Duration{3 * day, day}, ReviewTime: day, CloseAfter: day}

	s.run(policy)

	s.Equal([]string{"deadline_notice/0@0s", "reminder/2@24h0m0s", "overdue/1@48h0m0s", "close/1@72h0m0s", "cycle_summary/0@72h0m0s"},
		s.fake.waveLog(s.t0))
}

func (s *CycleWorkflowSuite) Test_TimelineQueryShowsDoneAndPlannedMoments() {
	due := s.t0.Add(20 * day)
	s.fake.setGroups(activities.DeadlineGroup{Due: due, Close: due.Add(10 * day)})
	var view workflows.TimelineView
	s.env.RegisterDelayedCallback(func() {
		v, err := s.env.QueryWorkflow(workflows.QueryTimeline)
		s.Require().NoError(err)
		s.Require().NoError(v.Get(&view))
	}, 19*day)

	s.run(monthPolicy())

	s.Equal(reporting.CycleOpen, view.Status)
	s.Equal(20, view.Expected)
	var done, planned []string
	for _, m := range view.Moments {
		label := fmt.Sprintf("%s/%d", m.Kind, m.Step)
		if m.Done {
			done = append(done, label)
			s.NotNil(m.Result)
		} else {
			planned = append(planned, label)
		}
	}
	s.Equal([]string{"deadline_notice/0", "reminder/1"}, done)
	s.Equal([]string{"reminder/2", "overdue/1", "escalation/1", "escalation/2", "escalation/3", "close/1"}, planned)
}

func TestCycleWorkflowRejectsAnInvalidPolicy(t *testing.T) {
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestWorkflowEnvironment()
	rcmworker.RegisterWorkflows(env)
	bad := reporting.Policy{ReminderOffsets: []time.Duration{-time.Hour}, ReviewTime: day, CloseAfter: day}
	env.ExecuteWorkflow(workflows.CycleWorkflow, workflows.CycleInput{CycleID: "X-2026-10", Policy: bad})
	require.True(t, env.IsWorkflowCompleted())
	require.ErrorContains(t, env.GetWorkflowError(), "X-2026-10")
}

func (s *CycleWorkflowSuite) Test_WavesCarryTheMomentTheyRun() {
	due := s.t0.Add(20 * day)
	s.fake.setGroups(activities.DeadlineGroup{Due: due, Close: due.Add(10 * day)})

	s.run(monthPolicy())

	var escalations []reporting.Moment
	for _, w := range s.fake.waves {
		s.Equal("SEI-2026-10", w.CycleID)
		if w.Moment.Kind == reporting.EventEscalation {
			escalations = append(escalations, w.Moment)
		}
	}
	s.Require().Len(escalations, 3)
	officerAndHead := []reporting.Recipient{reporting.RecipientOfficer, reporting.RecipientHead}
	supervisor := []reporting.Recipient{reporting.RecipientSupervisor}
	s.Equal(reporting.Moment{At: due.Add(day), Kind: reporting.EventEscalation, Step: 1, Of: 3, Offset: day, Recipients: officerAndHead}, escalations[0])
	s.Equal(reporting.Moment{At: due.Add(5 * day), Kind: reporting.EventEscalation, Step: 3, Of: 3, Offset: 5 * day, Recipients: supervisor}, escalations[2])
	s.Equal(-3*day, s.fake.waves[1].Moment.Offset, "the first reminder says it is 3 days before due")
}

func (s *CycleWorkflowSuite) Test_StatusIsPublishedForTemporalsUI() {
	var statuses []string
	s.env.OnUpsertTypedSearchAttributes(mock.Anything).Run(func(args mock.Arguments) {
		sa := args.Get(0).(temporal.SearchAttributes)
		v, ok := sa.GetKeyword(temporal.NewSearchAttributeKeyKeyword(workflows.SearchAttributeStatus))
		s.True(ok)
		statuses = append(statuses, v)
	}).Return(nil)
	due := s.t0.Add(20 * day)
	s.fake.setGroups(activities.DeadlineGroup{Due: due, Close: due.Add(10 * day)})

	s.run(monthPolicy())

	s.Equal([]string{"open", "closing", "closed"}, statuses)
}

func (s *CycleWorkflowSuite) Test_CancelledStatusIsPublished() {
	var statuses []string
	s.env.OnUpsertTypedSearchAttributes(mock.Anything).Run(func(args mock.Arguments) {
		v, _ := args.Get(0).(temporal.SearchAttributes).GetKeyword(temporal.NewSearchAttributeKeyKeyword(workflows.SearchAttributeStatus))
		statuses = append(statuses, v)
	}).Return(nil)
	due := s.t0.Add(20 * day)
	s.fake.setGroups(activities.DeadlineGroup{Due: due, Close: due.Add(10 * day)})
	s.env.RegisterDelayedCallback(func() { s.env.SignalWorkflow(workflows.SignalCancel, workflows.CancelSignal{}) }, day)

	s.run(monthPolicy())

	s.Equal([]string{"open", "cancelled"}, statuses)
}
