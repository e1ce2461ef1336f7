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

// Test_EachLevelIsChasedByItsOwnLadderAndReachesOnlyItsAgencies: the
// departments are reminded two days and one day before their due (the 6th)
// and escalated to their head a day after; the provinces, due on the 8th,
// are reminded once, four days before, and escalated twice (two and four
// days after). The activity lays each level's timeline out by its own
// ladder and names the level on every moment; the workflow runs each as a
// wave of its own, even where the two ladders plan the same step at the same
// instant (both first reminders fall on the 4th), and every wave reaches
// only the agencies of its level.
func (s *CycleWorkflowSuite) Test_EachLevelIsChasedByItsOwnLadderAndReachesOnlyItsAgencies() {
	regime := reporting.Policy{
		ReminderOffsets: []time.Duration{4 * day},
		Escalations: []reporting.EscalationStep{
			{After: 2 * day, Recipients: []reporting.Recipient{reporting.RecipientHead}, Times: 1},
			{After: 4 * day, Recipients: []reporting.Recipient{reporting.RecipientSupervisor}, Times: 1},
		},
		ReviewTime: day,
		CloseAfter: 10 * day,
	}
	departmentsLevel := reporting.Tier{Level: 1, Chase: &reporting.Policy{
		ReminderOffsets: []time.Duration{2 * day, day},
		Escalations:     []reporting.EscalationStep{{After: day, Recipients: []reporting.Recipient{reporting.RecipientHead}, Times: 1}},
	}}
	group := func(tier int, p reporting.Policy, due time.Time) activities.DeadlineGroup {
		moments := p.Timeline(due, due.Add(10*day))
		for i := range moments {
			moments[i].Tier = tier
		}
		return activities.DeadlineGroup{Due: due, Close: due.Add(10 * day), Tier: tier, Moments: moments}
	}
	departments := s.t0.Add(5 * day)
	province := s.t0.Add(7 * day)
	s.fake.setGroups(group(1, departmentsLevel.PolicyUnder(regime), departments), group(2, regime, province))
	s.fake.agencies = map[int][]string{1: {"HNI-STC", "HNI-SXD", "HPG-STC"}, 2: {"HNI", "HPG"}}

	res := s.run(regime)

	s.Equal(reporting.CycleClosed, res.Status)
	s.Equal([]string{
		"deadline_notice/0@0s [HNI HNI-STC HNI-SXD HPG HPG-STC]",
		"reminder/1@72h0m0s [HNI-STC HNI-SXD HPG-STC]",    // departments: due - 2d
		"reminder/1@72h0m0s [HNI HPG]",                    // provinces: due - 4d, the same step at the same instant
		"reminder/2@96h0m0s [HNI-STC HNI-SXD HPG-STC]",    // departments: due - 1d
		"overdue/1@120h0m0s [HNI-STC HNI-SXD HPG-STC]",    // departments' due
		"escalation/1@144h0m0s [HNI-STC HNI-SXD HPG-STC]", // departments: due + 1d, their head
		"overdue/1@168h0m0s [HNI HPG]",                    // provinces' due
		"escalation/1@216h0m0s [HNI HPG]",                 // provinces: due + 2d, the head
		"escalation/2@264h0m0s [HNI HPG]",                 // provinces: due + 4d, the supervisor
		"close/1@360h0m0s [HNI-STC HNI-SXD HPG-STC]",
		"close/1@408h0m0s [HNI HPG]",
		"cycle_summary/0@408h0m0s [HNI HNI-STC HNI-SXD HPG HPG-STC]",
	}, s.fake.reachLog(s.t0))
	s.Equal(1, s.fake.finalized)
}
