package reporting

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestDeadlineRulesOfRealRegimes computes each rule's due date and its exact
// end-of-day instant in Vietnam, Circular 02/2023/TT-BTTTT's regimes among
// them (quarterly by the 6th of the quarter's last month, six-monthly by 6
// June, annual by 25 November, all before the Decree 09 cut-off, so their
// figures are estimates).
func TestDeadlineRulesOfRealRegimes(t *testing.T) {
	vn, err := DefaultLocation()
	require.NoError(t, err)
	tet := Calendar{Location: vn, Holidays: []Date{MustParseDate("2027-02-12")}, WorkingWeekends: []Date{MustParseDate("2027-02-20")}}
	tests := []struct {
		name      string
		period    string
		windows   Windows
		rule      string
		estimates bool
		wantStart string
		wantDue   string
		wantErr   string
	}{
		{"Circular 02/2023 quarterly: the 6th of the quarter's last month", "2026-Q1", "", "day:6", true, "2025-12-15", "2026-03-06", ""},
		{"the same without estimates is refused", "2026-Q1", "", "day:6", false, "", "", "before the cut-off 14/03/2026"},
		{"Circular 02/2023 six-monthly: 6 June", "2026-H1", "", "date:06-06", true, "2025-12-15", "2026-06-06", ""},
		{"Circular 02/2023 annual: 25 November", "2026", "", "date:11-25", true, "2025-12-15", "2026-11-25", ""},
		{"day:25 on an annual regime is 25 December", "2026", "", "day:25", false, "2025-12-15", "2026-12-25", ""},
		{"Circular 02/2023 tier 2 annual: 27 November", "2026", "", "date:11-27", true, "2025-12-15", "2026-11-27", ""},
		{"an annual report due in January of the year after", "2026", "", "date:+1y:01-20", false, "2025-12-15", "2027-01-20", ""},
		{"monthly by the 15th", "2026-10", "", "day:15", false, "2026-09-15", "2026-10-15", ""},
		{"Khánh Hòa: 2 working days after the cut-off", "2026-10", "", "workdays:2", false, "2026-09-15", "2026-10-16", ""},
		{"working days count the make-up Saturday and skip the bridge", "2027-02", "", "workdays:2", false, "2027-01-15", "2027-02-16", ""},
		{"statistical H1 on calendar windows, due before 10/7", "2026-H1", CalendarWindows, "date:07-09", false, "2026-01-01", "2026-07-09", ""},
		{"calendar month, 10 days after", "2026-02", CalendarWindows, "days:10", false, "2026-02-01", "2026-03-10", ""},
		{"calendar quarter", "2026-Q3", CalendarWindows, "days:15", false, "2026-07-01", "2026-10-15", ""},
		{"calendar year", "2026", CalendarWindows, "date:+1y:03-31", false, "2026-01-01", "2027-03-31", ""},
		{"estimates still need the window open", "2026-Q3", "", "date:03-01", true, "", "", "before the window opens on 15/06/2026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rule, err := ParseDeadlineRule(tt.rule)
			require.NoError(t, err)
			cal := Calendar{Location: vn}
			if tt.period == "2027-02" {
				cal = tet
			}
			d, err := ComputeDeadlines(MustParsePeriod(tt.period).On(tt.windows), rule, cal, 10*day, tt.estimates)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.wantStart, d.WindowStart.String())
			require.Equal(t, tt.wantDue, d.DueDate.String())
			// The exact end of the due day in Vietnam: 23:59:59 is on time, 00:00:01 the next day is late.
			last := MustParseDate(tt.wantDue)
			require.Equal(t, time.Date(last.Year, last.Month, last.Day, 0, 0, 0, 0, vn).AddDate(0, 0, 1), d.Due)
			require.True(t, time.Date(last.Year, last.Month, last.Day, 23, 59, 59, 0, vn).Before(d.Due))
			require.False(t, time.Date(last.Year, last.Month, last.Day+1, 0, 0, 1, 0, vn).Before(d.Due))
			require.Equal(t, rule.String(), tt.rule, "the rule writes back as read")
		})
	}
}

func TestDateRulesRefuseWhatIsNotADate(t *testing.T) {
	for text, want := range map[string]string{
		"date:13-01":     "month 13",
		"date:02-29":     "leap years",
		"date:04-31":     "day 31 does not exist in April",
		"date:6-6":       "write date:MM-DD",
		"date:+2y:01-01": "write date:MM-DD",
	} {
		_, err := ParseDeadlineRule(text)
		require.ErrorContains(t, err, want, text)
	}
}

func TestCalendarWindowsScheduleOnTheFirstOfTheirMonth(t *testing.T) {
	months, day := CalendarWindows.ScheduleDays(Quarterly)
	require.Equal(t, []time.Month{time.January, time.April, time.July, time.October}, months)
	require.Equal(t, 1, day)
	p, ok := CalendarWindows.PeriodStartingOn(Monthly, MustParseDate("2027-03-01"))
	require.True(t, ok)
	require.Equal(t, "2027-03", p.ID)
	start, end := p.Window()
	require.Equal(t, "2027-03-01..2027-03-31", start.String()+".."+end.String())
	require.Equal(t, "2027-04", p.Next().ID)
	nextStart, _ := p.Next().Window()
	require.Equal(t, "2027-04-01", nextStart.String(), "the next period keeps calendar windows")
	_, ok = CalendarWindows.PeriodStartingOn(SixMonthly, MustParseDate("2027-04-01"))
	require.False(t, ok)
	h2, ok := CalendarWindows.PeriodContaining(SixMonthly, MustParseDate("2027-12-31"))
	require.True(t, ok)
	require.Equal(t, "2027-H2", h2.ID)
}

func TestOfficeHoursMoveWholeDaysOnlyAndDropCollisions(t *testing.T) {
	vn, err := DefaultLocation()
	require.NoError(t, err)
	hours := OfficeHours{Calendar: Calendar{Location: vn}, SendTime: DefaultSendTime}
	due := MustParseDate("2026-10-19").End(vn) // Monday
	require.Equal(t, time.Date(2026, 10, 16, 8, 0, 0, 0, vn), hours.ReminderAt(due, day), "Sunday 18/10 goes back to Friday")
	require.Equal(t, due.Add(-30*time.Second), hours.ReminderAt(due, 30*time.Second), "below a day: exact")
	require.Equal(t, due.Add(36*time.Hour), hours.EscalationAt(due, 36*time.Hour), "hours in it: exact")
	require.Equal(t, due, hours.EscalationAt(due, 0))
	p := Policy{ReminderOffsets: []time.Duration{day, 2 * day}, CloseAfter: 10 * day} // Sunday and Saturday before due
	ms := p.TimelineIn(due, due.Add(10*day), hours)
	require.Equal(t, EventReminder, ms[0].Kind)
	require.Equal(t, 1, ms[0].Of, "both land on Friday 08:00: one reminder")
	require.Equal(t, ms[0].At.Sub(due), ms[0].Offset)
	require.Len(t, p.Timeline(due, due.Add(10*day)), 4, "without office hours both stay")
}

// TestOverdueNoticeWaitsForTheNextWorkingMorning: a due date's end is
// midnight; the overdue notice goes at the send time of the next working day
// (past a holiday and a weekend), and never after close, while a due at an
// exact instant (a demo's minutes, 17:00) keeps its instant.
func TestOverdueNoticeWaitsForTheNextWorkingMorning(t *testing.T) {
	vn, err := DefaultLocation()
	require.NoError(t, err)
	hours := OfficeHours{Calendar: Calendar{Location: vn, Holidays: []Date{MustParseDate("2027-01-01")}}, SendTime: DefaultSendTime}
	due := MustParseDate("2026-12-31").End(vn) // Thursday; Friday 01/01 is a holiday
	require.Equal(t, time.Date(2027, 1, 4, 8, 0, 0, 0, vn), hours.OverdueAt(due), "past the holiday and the weekend")
	monday := MustParseDate("2026-10-19").End(vn)
	require.Equal(t, time.Date(2026, 10, 20, 8, 0, 0, 0, vn), hours.OverdueAt(monday), "the next morning")
	exact := time.Date(2026, 10, 19, 17, 0, 0, 0, vn)
	require.Equal(t, exact, hours.OverdueAt(exact), "an exact instant stays")
	require.Equal(t, due, OfficeHours{}.OverdueAt(due), "no office hours: at due")

	p := Policy{ReminderOffsets: []time.Duration{day}, Escalations: []EscalationStep{{After: day, Recipients: []Recipient{RecipientHead}}}, CloseAfter: 10 * day}
	ms := p.TimelineIn(due, due.Add(10*day), hours)
	var kinds []Event
	for _, m := range ms {
		kinds = append(kinds, m.Kind)
		if m.Kind == EventOverdue {
			require.Equal(t, time.Date(2027, 1, 4, 8, 0, 0, 0, vn), m.At)
			require.Equal(t, m.At.Sub(due), m.Offset)
		}
	}
	require.Equal(t, []Event{EventReminder, EventOverdue, EventEscalation, EventClose}, kinds, "the notice comes before the escalation of the same morning")
	short := p.TimelineIn(due, due.Add(2*time.Hour), hours)
	require.Equal(t, due, short[1].At, "a close before the next working morning keeps the notice at due")
	require.Equal(t, EventOverdue, short[1].Kind)
}

func TestHolidayCalendarNamesEveryBadDay(t *testing.T) {
	c := HolidayCalendar{Year: 2027, Days: []CalendarDay{
		{Date: MustParseDate("2026-12-31"), Kind: DayHoliday},
		{Date: MustParseDate("2027-01-01"), Kind: DayHoliday},
		{Date: MustParseDate("2027-01-01"), Kind: DayHoliday},
		{Date: MustParseDate("2027-02-17"), Kind: DayWorking},
		{Date: MustParseDate("2027-02-18"), Kind: "bridge"},
	}}
	var in *InputError
	require.ErrorAs(t, c.Validate(), &in)
	var fields []string
	for _, f := range in.Fields {
		fields = append(fields, f.Field)
	}
	require.Equal(t, []string{"days[0].date", "days[2].date", "days[3].kind", "days[4].kind"}, fields)
}

func TestACycleReportsEstimatesOnlyWhenDueBeforeItsCutOff(t *testing.T) {
	vn := time.FixedZone("ICT", 7*3600)
	cutOff := MustParseDate("2026-03-14").End(vn) // 2026-Q1
	for _, c := range []struct {
		name      string
		estimates bool
		due       string
		want      bool
	}{
		{"Circular 02/2023 quarterly, due the 6th of the last month", true, "2026-03-06", true},
		{"a regime of estimates due on its cut-off day", true, "2026-03-14", false},
		{"a regime of estimates due after its cut-off", true, "2026-03-16", false},
		{"a regime of actual figures", false, "2026-03-16", false},
	} {
		cyc := Cycle{CutOff: cutOff, Due: MustParseDate(c.due).End(vn), Estimates: c.estimates}
		require.Equal(t, c.want, cyc.ReportsEstimates(), c.name)
	}
}

// The years of calendar a timeline needs reach a month beyond its earliest
// reminder and its close: a due date early in January needs December's
// days off, a close late in December January's.
func TestCalendarYearsCoverTheTimelineAndAMonthAround(t *testing.T) {
	vn := time.FixedZone("ICT", 7*3600)
	p := Policy{ReminderOffsets: []time.Duration{24 * time.Hour, 10 * 24 * time.Hour}}
	for _, c := range []struct {
		due, close string
		from, to   int
	}{
		{"2026-06-15", "2026-06-25", 2026, 2026},
		{"2027-01-05", "2027-01-15", 2026, 2027},
		{"2026-11-20", "2026-12-20", 2026, 2027},
	} {
		from, to := p.CalendarYears(MustParseDate(c.due).End(vn), MustParseDate(c.close).End(vn), vn)
		require.Equal(t, [2]int{c.from, c.to}, [2]int{from, to}, "due %s, close %s", c.due, c.close)
	}
}

func TestOfficeHoursSayWhenAMessageGoesOutOfHours(t *testing.T) {
	vn, err := DefaultLocation()
	require.NoError(t, err)
	cal := Calendar{Location: vn, Holidays: []Date{MustParseDate("2026-09-02")}, WorkingWeekends: []Date{MustParseDate("2026-09-05")}}
	hours := OfficeHours{Calendar: cal, SendTime: DefaultSendTime}
	tests := []struct {
		at   time.Time
		want SendWhen
	}{
		{time.Date(2026, 9, 1, 8, 0, 0, 0, vn), SendInHours},       // Tuesday at the send time
		{time.Date(2026, 9, 1, 16, 59, 0, 0, vn), SendInHours},     // the office day's last minute
		{time.Date(2026, 9, 1, 17, 0, 0, 0, vn), SendOffHours},     // the office day is over
		{time.Date(2026, 9, 1, 7, 59, 0, 0, vn), SendOffHours},     // before the send time
		{time.Date(2026, 9, 2, 0, 0, 0, 0, vn), SendOffDay},        // a holiday (the midnight ending a due day)
		{time.Date(2026, 9, 6, 10, 0, 0, 0, vn), SendOffDay},       // Sunday
		{time.Date(2026, 9, 5, 10, 0, 0, 0, vn), SendInHours},      // a make-up Saturday
		{time.Date(2026, 9, 1, 3, 0, 0, 0, time.UTC), SendInHours}, // 10:00 in Vietnam
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, hours.When(tt.at), "%s", tt.at)
	}
	late := OfficeHours{Calendar: cal, SendTime: 18 * 60}
	require.Equal(t, SendInHours, late.When(time.Date(2026, 9, 1, 18, 0, 0, 0, vn)), "a late send time is its own minute")
	require.Equal(t, SendOffHours, late.When(time.Date(2026, 9, 1, 18, 1, 0, 0, vn)))
	require.Equal(t, SendInHours, OfficeHours{}.When(time.Date(2026, 9, 6, 3, 0, 0, 0, vn)), "no office hours: every instant")
}
