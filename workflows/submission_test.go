package workflows_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/suite"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"rcm/activities"
	"rcm/reporting"
	rcmworker "rcm/worker"
	"rcm/workflows"
)

// fakeLoop records what one agency's submission loop asked for.
type fakeLoop struct {
	mu         sync.Mutex
	reviewTime time.Duration
	closeAt    time.Time
	calls      []string
	now        func() time.Time
	// final: the obligation got its final state (close came; a late filing).
	final bool
}

func (f *fakeLoop) record(s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, s)
}

func (f *fakeLoop) SubmissionReceived(_ context.Context, in activities.SubmissionInput) (activities.SubmissionState, error) {
	f.record(fmt.Sprintf("received %d", in.SubmissionID))
	return activities.SubmissionState{Latest: true, ReviewDue: f.now().Add(f.reviewTime), CloseAt: f.closeAt}, nil
}

func (f *fakeLoop) ReviewOverdue(_ context.Context, in activities.SubmissionInput) error {
	f.record(fmt.Sprintf("review overdue %d", in.SubmissionID))
	return nil
}

func (f *fakeLoop) ReviewDecided(_ context.Context, in activities.ReviewInput) error {
	f.record(fmt.Sprintf("decided %d", in.ReviewID))
	return nil
}

// ActionTaken records the action; a grant moves the close by grantedDays.
func (f *fakeLoop) ActionTaken(_ context.Context, in activities.ActionInput) (activities.ActionState, error) {
	f.record(fmt.Sprintf("action %d %s", in.ActionID, in.Event))
	if in.Event == reporting.EventExtensionGranted {
		f.mu.Lock()
		f.closeAt = f.closeAt.Add(grantedDays)
		f.mu.Unlock()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return activities.ActionState{CloseAt: f.closeAt, Closed: f.final}, nil
}

// ObligationClose answers the close as it stands, and whether it is final.
func (f *fakeLoop) ObligationClose(_ context.Context, in activities.ObligationInput) (activities.ActionState, error) {
	f.record("close of " + in.AgencyCode)
	f.mu.Lock()
	defer f.mu.Unlock()
	return activities.ActionState{CloseAt: f.closeAt, Closed: f.final}, nil
}

// extend moves the close by d, as rcm cycle extend does behind the loop's back.
func (f *fakeLoop) extend(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closeAt = f.closeAt.Add(d)
}

const grantedDays = 5 * day

type SubmissionWorkflowSuite struct {
	suite.Suite
	testsuite.WorkflowTestSuite
	env  *testsuite.TestWorkflowEnvironment
	fake *fakeLoop
	t0   time.Time
}

func TestSubmissionWorkflow(t *testing.T) { suite.Run(t, new(SubmissionWorkflowSuite)) }

func (s *SubmissionWorkflowSuite) SetupTest() {
	s.env = s.NewTestWorkflowEnvironment()
	s.t0 = time.Date(2026, 10, 10, 3, 0, 0, 0, time.UTC)
	s.env.SetStartTime(s.t0)
	s.fake = &fakeLoop{reviewTime: 2 * day, closeAt: s.t0.Add(20 * day), now: s.env.Now}
	rcmworker.RegisterWorkflows(s.env)
	var a *activities.Activities
	s.env.RegisterActivity(a)
	s.env.OnActivity(a.SubmissionReceived, mock.Anything, mock.Anything).Return(s.fake.SubmissionReceived).Maybe()
	s.env.OnActivity(a.ReviewOverdue, mock.Anything, mock.Anything).Return(s.fake.ReviewOverdue).Maybe()
	s.env.OnActivity(a.ReviewDecided, mock.Anything, mock.Anything).Return(s.fake.ReviewDecided).Maybe()
	s.env.OnActivity(a.ActionTaken, mock.Anything, mock.Anything).Return(s.fake.ActionTaken).Maybe()
	s.env.OnActivity(a.ObligationClose, mock.Anything, mock.Anything).Return(s.fake.ObligationClose).Maybe()
}

// at schedules a signal after d of workflow time.
func (s *SubmissionWorkflowSuite) at(d time.Duration, name string, arg any) {
	s.env.RegisterDelayedCallback(func() { s.env.SignalWorkflow(name, arg) }, d)
}

func (s *SubmissionWorkflowSuite) run() workflows.SubmissionResult {
	s.env.ExecuteWorkflow(workflows.SubmissionWorkflow, workflows.SubmissionInput{CycleID: "SEI-2026-10", AgencyCode: "HNI"})
	s.Require().True(s.env.IsWorkflowCompleted())
	s.Require().NoError(s.env.GetWorkflowError())
	var res workflows.SubmissionResult
	s.Require().NoError(s.env.GetWorkflowResult(&res))
	return res
}

func (s *SubmissionWorkflowSuite) Test_ReturnedThenResubmittedThenAccepted() {
	s.at(0, workflows.SignalSubmission, workflows.SubmissionSignal{SubmissionID: 11, Version: 1})
	s.at(time.Hour, workflows.SignalReview, workflows.ReviewSignal{ReviewID: 5, SubmissionID: 11, Version: 1, Decision: reporting.DecisionReturned})
	s.at(3*day, workflows.SignalSubmission, workflows.SubmissionSignal{SubmissionID: 12, Version: 2})
	s.at(3*day+time.Hour, workflows.SignalReview, workflows.ReviewSignal{ReviewID: 6, SubmissionID: 12, Version: 2, Decision: reporting.DecisionAccepted})

	res := s.run()

	s.Equal(workflows.SubmissionResult{Outcome: string(reporting.DecisionAccepted), Version: 2}, res)
	// No review-overdue while the agency held a returned version for 3 days.
	s.Equal([]string{"received 11", "decided 5", "received 12", "decided 6"}, s.fake.calls)
}

func (s *SubmissionWorkflowSuite) Test_TheLoopSetsItsCyclesSearchAttributes() {
	got := map[string]string{}
	s.env.OnUpsertTypedSearchAttributes(mock.Anything).Run(func(args mock.Arguments) {
		sa := args.Get(0).(temporal.SearchAttributes)
		for _, name := range []string{workflows.SearchAttributeCycle, workflows.SearchAttributeRegime, workflows.SearchAttributePeriod} {
			if v, ok := sa.GetKeyword(temporal.NewSearchAttributeKeyKeyword(name)); ok {
				got[name] = v
			}
		}
	}).Return(nil)
	s.at(0, workflows.SignalSubmission, workflows.SubmissionSignal{SubmissionID: 11, Version: 1})
	s.at(time.Hour, workflows.SignalReview, workflows.ReviewSignal{ReviewID: 5, SubmissionID: 11, Version: 1, Decision: reporting.DecisionAccepted})

	s.run()

	// The hand-off starts the loop without them (a shorter request); Temporal's
	// UI still finds a cycle's loops by RcmCycle.
	s.Equal(map[string]string{workflows.SearchAttributeCycle: "SEI-2026-10", workflows.SearchAttributeRegime: "SEI",
		workflows.SearchAttributePeriod: "2026-10"}, got)
}

func (s *SubmissionWorkflowSuite) Test_ReviewNotDoneInTimeIsEscalatedOnce() {
	s.at(0, workflows.SignalSubmission, workflows.SubmissionSignal{SubmissionID: 11, Version: 1})
	s.at(5*day, workflows.SignalReview, workflows.ReviewSignal{ReviewID: 5, SubmissionID: 11, Version: 1, Decision: reporting.DecisionAccepted})

	res := s.run()

	s.Equal(string(reporting.DecisionAccepted), res.Outcome)
	s.Equal([]string{"received 11", "review overdue 11", "decided 5"}, s.fake.calls)
}

func (s *SubmissionWorkflowSuite) Test_ANewVersionBeforeTheReviewRestartsTheReviewClock() {
	s.at(0, workflows.SignalSubmission, workflows.SubmissionSignal{SubmissionID: 11, Version: 1})
	s.at(day+12*time.Hour, workflows.SignalSubmission, workflows.SubmissionSignal{SubmissionID: 12, Version: 2})
	s.at(3*day, workflows.SignalReview, workflows.ReviewSignal{ReviewID: 5, SubmissionID: 12, Version: 2, Decision: reporting.DecisionAccepted})

	s.run()

	// v1's review was due at 2d but v2 arrived at 1.5d; v2's is due at 3.5d.
	s.Equal([]string{"received 11", "received 12", "decided 5"}, s.fake.calls)
}

func (s *SubmissionWorkflowSuite) Test_ARepeatedHandOffIsHarmless() {
	sig := workflows.SubmissionSignal{SubmissionID: 11, Version: 1}
	s.at(0, workflows.SignalSubmission, sig)
	s.at(time.Minute, workflows.SignalSubmission, sig)
	s.at(time.Hour, workflows.SignalReview, workflows.ReviewSignal{ReviewID: 5, SubmissionID: 11, Version: 1, Decision: reporting.DecisionAccepted})
	s.at(2*time.Hour, workflows.SignalReview, workflows.ReviewSignal{ReviewID: 5, SubmissionID: 11, Version: 1, Decision: reporting.DecisionAccepted})

	s.run()

	s.Equal([]string{"received 11", "decided 5"}, s.fake.calls)
}

func (s *SubmissionWorkflowSuite) Test_CycleClosedEndsAReturnedLoop() {
	s.at(0, workflows.SignalSubmission, workflows.SubmissionSignal{SubmissionID: 11, Version: 1})
	s.at(time.Hour, workflows.SignalReview, workflows.ReviewSignal{ReviewID: 5, SubmissionID: 11, Version: 1, Decision: reporting.DecisionReturned})
	s.at(4*day, workflows.SignalCycleClosed, workflows.CycleClosedSignal{})

	res := s.run()

	s.Equal(workflows.SubmissionResult{Outcome: "closed", Version: 1}, res)
	s.Equal([]string{"received 11", "decided 5"}, s.fake.calls)
}

func (s *SubmissionWorkflowSuite) Test_WithoutTheClosedSignalTheLoopEndsAfterClose() {
	s.at(0, workflows.SignalSubmission, workflows.SubmissionSignal{SubmissionID: 11, Version: 1})
	s.at(time.Hour, workflows.SignalReview, workflows.ReviewSignal{ReviewID: 5, SubmissionID: 11, Version: 1, Decision: reporting.DecisionReturned})

	res := s.run()

	s.Equal("closed", res.Outcome)
	s.True(s.env.Now().After(s.fake.closeAt), "ended at %s, close is %s", s.env.Now(), s.fake.closeAt)
}

func (s *SubmissionWorkflowSuite) Test_AReviewThatOvertakesItsSubmissionIsApplied() {
	s.at(0, workflows.SignalSubmission, workflows.SubmissionSignal{SubmissionID: 11, Version: 1})
	s.at(time.Hour, workflows.SignalReview, workflows.ReviewSignal{ReviewID: 9, SubmissionID: 12, Version: 2, Decision: reporting.DecisionAccepted})

	res := s.run()

	s.Equal(workflows.SubmissionResult{Outcome: string(reporting.DecisionAccepted), Version: 2}, res)
}

func (s *SubmissionWorkflowSuite) Test_AReopenStartsAnEndedLoopThatWaitsForANewVersion() {
	// The loop ended with v1 accepted; the reopen starts a new run.
	s.at(0, workflows.SignalAction, workflows.ActionSignal{ActionID: 7, Event: reporting.EventReopened, Version: 1})
	s.at(2*day, workflows.SignalSubmission, workflows.SubmissionSignal{SubmissionID: 12, Version: 2})
	s.at(2*day+time.Hour, workflows.SignalReview, workflows.ReviewSignal{ReviewID: 6, SubmissionID: 12, Version: 2, Decision: reporting.DecisionAccepted})

	res := s.run()

	s.Equal(workflows.SubmissionResult{Outcome: string(reporting.DecisionAccepted), Version: 2}, res)
	// No review-overdue for the reopened version: it awaits the agency.
	s.Equal([]string{"action 7 reopened", "received 12", "decided 6"}, s.fake.calls)
}

func (s *SubmissionWorkflowSuite) Test_AReopenThatCameWithTheAcceptanceIsNotLost() {
	s.at(0, workflows.SignalSubmission, workflows.SubmissionSignal{SubmissionID: 11, Version: 1})
	s.env.RegisterDelayedCallback(func() {
		s.env.SignalWorkflow(workflows.SignalReview, workflows.ReviewSignal{ReviewID: 5, SubmissionID: 11, Version: 1, Decision: reporting.DecisionAccepted})
		s.env.SignalWorkflow(workflows.SignalAction, workflows.ActionSignal{ActionID: 7, Event: reporting.EventReopened, Version: 1})
	}, time.Hour)
	s.at(day, workflows.SignalSubmission, workflows.SubmissionSignal{SubmissionID: 12, Version: 2})
	s.at(day+time.Hour, workflows.SignalReview, workflows.ReviewSignal{ReviewID: 6, SubmissionID: 12, Version: 2, Decision: reporting.DecisionAccepted})

	res := s.run()

	s.Equal(workflows.SubmissionResult{Outcome: string(reporting.DecisionAccepted), Version: 2}, res)
	s.Equal([]string{"received 11", "decided 5", "action 7 reopened", "received 12", "decided 6"}, s.fake.calls)
}

func (s *SubmissionWorkflowSuite) Test_ANilReportIsToldAndEndsTheLoop() {
	s.at(0, workflows.SignalAction, workflows.ActionSignal{ActionID: 3, Event: reporting.EventNilReported})

	res := s.run()

	s.Equal(string(reporting.ObligationNilReport), res.Outcome)
	s.Equal([]string{"action 3 nil_reported"}, s.fake.calls)
}

func (s *SubmissionWorkflowSuite) Test_ARequestAndItsRefusalAreToldAndTheLoopEndsAfterClose() {
	s.at(0, workflows.SignalAction, workflows.ActionSignal{ActionID: 4, Event: reporting.EventExtensionRequested})
	s.at(day, workflows.SignalAction, workflows.ActionSignal{ActionID: 4, Event: reporting.EventExtensionRefused})

	res := s.run()

	s.Equal("closed", res.Outcome)
	s.Equal([]string{"action 4 extension_requested", "action 4 extension_refused", "close of HNI"}, s.fake.calls)
	s.True(s.env.Now().After(s.fake.closeAt), "a loop started by a request ends after close, not before")
}

func (s *SubmissionWorkflowSuite) Test_AGrantMovesTheCloseTheLoopWaitsFor() {
	oldClose := s.fake.closeAt
	s.at(0, workflows.SignalAction, workflows.ActionSignal{ActionID: 4, Event: reporting.EventExtensionRequested})
	s.at(day, workflows.SignalAction, workflows.ActionSignal{ActionID: 4, Event: reporting.EventExtensionGranted})
	// After the old close, before the new one: the loop still takes it.
	s.at(oldClose.Sub(s.t0)+2*day, workflows.SignalSubmission, workflows.SubmissionSignal{SubmissionID: 12, Version: 1})
	s.at(oldClose.Sub(s.t0)+2*day+time.Hour, workflows.SignalReview, workflows.ReviewSignal{ReviewID: 6, SubmissionID: 12, Version: 1, Decision: reporting.DecisionAccepted})

	res := s.run()

	s.Equal(workflows.SubmissionResult{Outcome: string(reporting.DecisionAccepted), Version: 1}, res)
	s.Equal([]string{"action 4 extension_requested", "action 4 extension_granted", "received 12", "decided 6"}, s.fake.calls)
}

func (s *SubmissionWorkflowSuite) Test_AnExtensionBehindTheLoopsBackKeepsItForALaterVersion() {
	// v1 returned; the cycle is extended by 10 days without the loop being
	// told; a version after the old close still gets its receipt.
	oldClose := s.fake.closeAt
	s.at(0, workflows.SignalSubmission, workflows.SubmissionSignal{SubmissionID: 11, Version: 1})
	s.at(time.Hour, workflows.SignalReview, workflows.ReviewSignal{ReviewID: 5, SubmissionID: 11, Version: 1, Decision: reporting.DecisionReturned})
	s.env.RegisterDelayedCallback(func() { s.fake.extend(10 * day) }, 2*day)
	late := oldClose.Sub(s.t0) + 3*day
	s.at(late, workflows.SignalSubmission, workflows.SubmissionSignal{SubmissionID: 12, Version: 2})
	s.at(late+time.Hour, workflows.SignalReview, workflows.ReviewSignal{ReviewID: 6, SubmissionID: 12, Version: 2, Decision: reporting.DecisionAccepted})

	res := s.run()

	s.Equal(workflows.SubmissionResult{Outcome: string(reporting.DecisionAccepted), Version: 2}, res)
	s.Equal([]string{"received 11", "decided 5", "close of HNI", "received 12", "decided 6"}, s.fake.calls)
}

func (s *SubmissionWorkflowSuite) Test_TheLoopStillEndsAfterAnUnmovedClose() {
	s.at(0, workflows.SignalSubmission, workflows.SubmissionSignal{SubmissionID: 11, Version: 1})
	s.at(time.Hour, workflows.SignalReview, workflows.ReviewSignal{ReviewID: 5, SubmissionID: 11, Version: 1, Decision: reporting.DecisionReturned})

	res := s.run()

	s.Equal("closed", res.Outcome)
	s.Equal([]string{"received 11", "decided 5", "close of HNI"}, s.fake.calls)
}

func (s *SubmissionWorkflowSuite) Test_ALateFilingAndItsAdmissionAreToldAndTheLoopEnds() {
	// After close the loop has ended; the late filing starts a run, which
	// tells the reviewers and ends at once (the obligation is final); so
	// does the admission.
	s.fake.final = true
	s.env.RegisterDelayedCallback(func() {
		s.env.SignalWorkflow(workflows.SignalAction, workflows.ActionSignal{ActionID: 8, Event: reporting.EventLateFiled, Version: 2})
		s.env.SignalWorkflow(workflows.SignalAction, workflows.ActionSignal{ActionID: 8, Event: reporting.EventLateFilingAdmitted, Version: 2})
	}, 0)

	res := s.run()

	s.Equal("closed", res.Outcome)
	s.Equal([]string{"action 8 late_filed", "action 8 late_filing_admitted"}, s.fake.calls)
}

func (s *SubmissionWorkflowSuite) Test_ALateFilingRefusedIsToldAndTheLoopEnds() {
	s.fake.final = true
	s.at(0, workflows.SignalAction, workflows.ActionSignal{ActionID: 9, Event: reporting.EventLateFilingRefused, Version: 1})

	res := s.run()

	s.Equal("closed", res.Outcome)
	s.Equal([]string{"action 9 late_filing_refused"}, s.fake.calls)
}
