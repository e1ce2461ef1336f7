package workflows_test

import (
	"time"

	"rcm/activities"
	"rcm/reporting"
)

// Test_TwoTierCycleRunsEachLevelsTimelineAndClosesAfterTheTop: a tiered
// cycle opens with one deadline group per level (the departments due on the
// 6th, the province on the 8th, as in Circular 02/2023); the one workflow
// reminds, marks overdue, escalates and closes each level at its own
// moments, in bulk waves, and classifies once after the top level closes.
// The workflow needs no change for levels: they arrive as deadline groups.
func (s *CycleWorkflowSuite) Test_TwoTierCycleRunsEachLevelsTimelineAndClosesAfterTheTop() {
	departments := s.t0.Add(5 * day)
	province := s.t0.Add(7 * day)
	s.fake.setGroups(
		activities.DeadlineGroup{Due: departments, Close: departments.Add(10 * day)},
		activities.DeadlineGroup{Due: province, Close: province.Add(10 * day)},
	)
	policy := reporting.Policy{
		ReminderOffsets: []time.Duration{day},
		Escalations:     []reporting.EscalationStep{{After: day, Recipients: []reporting.Recipient{reporting.RecipientHead}, Times: 1}},
		ReviewTime:      day,
		CloseAfter:      10 * day,
	}

	res := s.run(policy)

	s.Equal(reporting.CycleClosed, res.Status)
	s.Equal([]string{
		"deadline_notice/0@0s",
		"reminder/1@96h0m0s",    // departments: due - 1d
		"overdue/1@120h0m0s",    // departments' due (the 6th)
		"reminder/1@144h0m0s",   // province: due - 1d, the same hour as the departments' escalation
		"escalation/1@144h0m0s", // departments: due + 1d
		"overdue/1@168h0m0s",    // province's due (the 8th)
		"escalation/1@192h0m0s", // province: due + 1d
		"close/1@360h0m0s",      // departments close
		"close/1@408h0m0s",      // the province closes last
		"cycle_summary/0@408h0m0s",
	}, s.fake.waveLog(s.t0))
	s.Equal(1, s.fake.finalized, "classified once, after the last level closed")
}
