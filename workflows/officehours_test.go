package workflows_test

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"rcm/activities"
	"rcm/reporting"
	"rcm/workflows"
)

// tet2027 is the part of the 2027 working-day calendar the office-hours
// tests cross: Tết from Friday 05/02 to Thursday 11/02, the bridge Friday
// 12/02, and the Saturday 20/02 worked in exchange for it.
func tet2027(vn *time.Location) reporting.Calendar {
	cal := reporting.HolidayCalendar{Year: 2027}
	for d := reporting.MustParseDate("2027-02-05"); !d.After(reporting.MustParseDate("2027-02-12")); d = d.AddDays(1) {
		cal.Days = append(cal.Days, reporting.CalendarDay{Date: d, Kind: reporting.DayHoliday})
	}
	cal.Days = append(cal.Days, reporting.CalendarDay{Date: reporting.MustParseDate("2027-02-20"), Kind: reporting.DayWorking})
	return reporting.WorkingCalendar(vn, []reporting.HolidayCalendar{cal}, nil)
}

// officeGroup is a deadline group as the activities lay it out: its timeline
// under office hours (08:00 on working days of cal).
func officeGroup(p reporting.Policy, due, closeAt time.Time, cal reporting.Calendar) activities.DeadlineGroup {
	hours := reporting.OfficeHours{Calendar: cal, SendTime: reporting.DefaultSendTime}
	return activities.DeadlineGroup{Due: due, Close: closeAt, Moments: p.TimelineIn(due, closeAt, hours)}
}

// officePolicy reminds 10, 3 and 1 days before due, escalates a day after
// due to the officer and head, three days after to the supervisor (twice,
// two days apart), and closes ten days after due.
func officePolicy() reporting.Policy {
	p := monthPolicy()
	p.ReminderOffsets = []time.Duration{10 * day, 3 * day, 1 * day}
	return p
}

// waveTimes renders the recorded waves as "kind/step dd/mm hh:mm" in Vietnam time.
func (s *CycleWorkflowSuite) waveTimes(vn *time.Location) []string {
	s.fake.mu.Lock()
	defer s.fake.mu.Unlock()
	out := make([]string, len(s.fake.waves))
	for i, w := range s.fake.waves {
		out[i] = fmt.Sprintf("%s/%d %s", w.Moment.Kind, w.Moment.Step, w.Moment.At.In(vn).Format("Mon 02/01 15:04"))
	}
	return out
}

func (s *CycleWorkflowSuite) Test_MonthLongTimelineSendsAt0800OnWorkingDaysAroundTetAndAMakeUpSaturday() {
	vn, err := reporting.DefaultLocation()
	s.Require().NoError(err)
	t0 := time.Date(2027, 2, 1, 8, 0, 0, 0, vn)
	s.env.SetStartTime(t0)
	due := reporting.MustParseDate("2027-02-22").End(vn) // Monday 22/02, the end of the day
	s.fake.setGroups(officeGroup(officePolicy(), due, due.Add(10*day), tet2027(vn)))

	s.run(officePolicy())

	s.Equal([]string{
		"deadline_notice/0 Mon 01/02 08:00",
		"reminder/1 Thu 04/02 08:00",   // 10 days before is the bridge Friday 12/02: back over Tết
		"reminder/2 Fri 19/02 08:00",   // 3 days before
		"reminder/3 Sat 20/02 08:00",   // 1 day before is Sunday: back to the make-up Saturday
		"overdue/1 Tue 23/02 08:00",    // the due day ends at midnight; its notice waits for the morning
		"escalation/1 Tue 23/02 08:00", // 1 day after
		"escalation/2 Thu 25/02 08:00", // 3 days after
		"escalation/3 Mon 01/03 08:00", // 5 days after is Saturday 27/02: on to Monday
		"close/1 Fri 05/03 00:00",      // close is never moved
		"cycle_summary/0 Fri 05/03 00:00",
	}, s.waveTimes(vn))
}

func (s *CycleWorkflowSuite) Test_CalendarChangeMovesThePendingMoments() {
	vn, err := reporting.DefaultLocation()
	s.Require().NoError(err)
	t0 := time.Date(2027, 2, 1, 8, 0, 0, 0, vn)
	s.env.SetStartTime(t0)
	due := reporting.MustParseDate("2027-02-22").End(vn)
	s.fake.setGroups(officeGroup(officePolicy(), due, due.Add(10*day), tet2027(vn)))
	// On 15/02 office staff import a calendar that also closes Friday 19/02
	// and Thursday 25/02.
	s.env.RegisterDelayedCallback(func() {
		changed := tet2027(vn)
		changed.Holidays = append(changed.Holidays, reporting.MustParseDate("2027-02-19"), reporting.MustParseDate("2027-02-25"))
		s.fake.setGroups(officeGroup(officePolicy(), due, due.Add(10*day), changed))
		s.env.SignalWorkflow(workflows.SignalDeadlinesChanged, workflows.DeadlinesChangedSignal{CalendarYear: 2027})
	}, 14*day)

	s.run(officePolicy())

	s.Equal([]string{
		"deadline_notice/0 Mon 01/02 08:00",
		"reminder/1 Thu 04/02 08:00",
		"reminder/2 Thu 18/02 08:00", // 19/02 is now off: the day before
		"reminder/3 Sat 20/02 08:00",
		"overdue/1 Tue 23/02 08:00",
		"escalation/1 Tue 23/02 08:00",
		"escalation/2 Fri 26/02 08:00", // 25/02 is now off: the day after
		"escalation/3 Mon 01/03 08:00",
		"close/1 Fri 05/03 00:00",
		"cycle_summary/0 Fri 05/03 00:00",
	}, s.waveTimes(vn))
}

func (s *CycleWorkflowSuite) Test_ARunWithoutOfficeHoursKeepsExactInstants() {
	vn, err := reporting.DefaultLocation()
	s.Require().NoError(err)
	t0 := time.Date(2027, 2, 1, 8, 0, 0, 0, vn)
	s.env.SetStartTime(t0)
	s.env.OnGetVersion("office-hours", workflow.DefaultVersion, 1).Return(workflow.DefaultVersion) // a run started before office hours
	due := reporting.MustParseDate("2027-02-22").End(vn)
	s.fake.setGroups(officeGroup(officePolicy(), due, due.Add(10*day), tet2027(vn)))

	s.run(officePolicy())

	log := s.waveTimes(vn)
	s.Equal("reminder/1 Sat 13/02 00:00", log[1]) // due - 10d, as before
	s.Equal("escalation/1 Wed 24/02 00:00", log[5])
}
