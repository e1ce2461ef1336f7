package reporting

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ladder is a typical policy: reminders 3 and 1 days before due, the head
// told a day after due, then head and supervisor told three times a day apart
// from the third day, closing ten days after due.
func ladder() Policy {
	return Policy{
		ReminderOffsets: []time.Duration{3 * day, 1 * day},
		Escalations: []EscalationStep{
			{After: 1 * day, Recipients: []Recipient{RecipientHead}, Times: 1},
			{After: 3 * day, Recipients: []Recipient{RecipientHead, RecipientSupervisor}, Repeat: day, Times: 3},
		},
		ReviewTime: 2 * day,
		CloseAfter: 10 * day,
	}
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// moment writes a moment compactly for comparisons.
type moment struct {
	At         string
	Kind       Event
	Step, Of   int
	Recipients []Recipient
}

func compact(ms []Moment) []moment {
	out := make([]moment, len(ms))
	for i, m := range ms {
		out[i] = moment{m.At.In(vn).Format(time.RFC3339), m.Kind, m.Step, m.Of, m.Recipients}
	}
	return out
}

var (
	officer    = []Recipient{RecipientOfficer}
	head       = []Recipient{RecipientHead}
	headAndSup = []Recipient{RecipientHead, RecipientSupervisor}
)

func TestTimelineOfATypicalLadder(t *testing.T) {
	due := at("2026-03-17T00:00:00+07:00")
	got := ladder().Timeline(due, due.Add(10*day))
	assert.Equal(t, []moment{
		{"2026-03-14T00:00:00+07:00", EventReminder, 1, 2, officer},
		{"2026-03-16T00:00:00+07:00", EventReminder, 2, 2, officer},
		{"2026-03-17T00:00:00+07:00", EventOverdue, 1, 1, nil},
		{"2026-03-18T00:00:00+07:00", EventEscalation, 1, 4, head},
		{"2026-03-20T00:00:00+07:00", EventEscalation, 2, 4, headAndSup},
		{"2026-03-21T00:00:00+07:00", EventEscalation, 3, 4, headAndSup},
		{"2026-03-22T00:00:00+07:00", EventEscalation, 4, 4, headAndSup},
		{"2026-03-27T00:00:00+07:00", EventClose, 1, 1, nil},
	}, compact(got))
}

func TestTimelineDropsEscalationsAtOrAfterClose(t *testing.T) {
	due := at("2026-03-17T00:00:00+07:00")
	got := ladder().Timeline(due, at("2026-03-21T00:00:00+07:00"))
	assert.Equal(t, []moment{
		{"2026-03-14T00:00:00+07:00", EventReminder, 1, 2, officer},
		{"2026-03-16T00:00:00+07:00", EventReminder, 2, 2, officer},
		{"2026-03-17T00:00:00+07:00", EventOverdue, 1, 1, nil},
		{"2026-03-18T00:00:00+07:00", EventEscalation, 1, 2, head},
		{"2026-03-20T00:00:00+07:00", EventEscalation, 2, 2, headAndSup},
		{"2026-03-21T00:00:00+07:00", EventClose, 1, 1, nil},
	}, compact(got))
}

func TestTimelineNumbersRemindersInTimeOrder(t *testing.T) {
	p := Policy{ReminderOffsets: []time.Duration{time.Hour, 2 * day, 30 * time.Minute}}
	due := at("2026-03-17T00:00:00+07:00")
	got := p.Timeline(due, due)
	assert.Equal(t, []moment{
		{"2026-03-15T00:00:00+07:00", EventReminder, 1, 3, officer},
		{"2026-03-16T23:00:00+07:00", EventReminder, 2, 3, officer},
		{"2026-03-16T23:30:00+07:00", EventReminder, 3, 3, officer},
		{"2026-03-17T00:00:00+07:00", EventOverdue, 1, 1, nil},
		{"2026-03-17T00:00:00+07:00", EventClose, 1, 1, nil},
	}, compact(got))
}

func TestTimelineOrdersMomentsAtOneInstantByKind(t *testing.T) {
	p := Policy{
		Escalations: []EscalationStep{{After: 0, Recipients: head, Times: 1}},
		CloseAfter:  time.Minute,
	}
	due := at("2026-03-17T00:00:00+07:00")
	got := p.Timeline(due, due.Add(time.Minute))
	assert.Equal(t, []moment{
		{"2026-03-17T00:00:00+07:00", EventOverdue, 1, 1, nil},
		{"2026-03-17T00:00:00+07:00", EventEscalation, 1, 1, head},
		{"2026-03-17T00:01:00+07:00", EventClose, 1, 1, nil},
	}, compact(got))
}

func TestTimelineInSecondsForADemo(t *testing.T) {
	p := Policy{
		ReminderOffsets: []time.Duration{60 * time.Second, 30 * time.Second},
		Escalations: []EscalationStep{
			{After: 10 * time.Second, Recipients: head, Repeat: 10 * time.Second, Times: 5},
		},
		CloseAfter: 45 * time.Second,
	}
	require.NoError(t, p.Validate())
	due := at("2026-03-17T10:02:00+07:00")
	got := p.Timeline(due, due.Add(p.CloseAfter))
	assert.Equal(t, []moment{
		{"2026-03-17T10:01:00+07:00", EventReminder, 1, 2, officer},
		{"2026-03-17T10:01:30+07:00", EventReminder, 2, 2, officer},
		{"2026-03-17T10:02:00+07:00", EventOverdue, 1, 1, nil},
		{"2026-03-17T10:02:10+07:00", EventEscalation, 1, 4, head},
		{"2026-03-17T10:02:20+07:00", EventEscalation, 2, 4, head},
		{"2026-03-17T10:02:30+07:00", EventEscalation, 3, 4, head},
		{"2026-03-17T10:02:40+07:00", EventEscalation, 4, 4, head},
		{"2026-03-17T10:02:45+07:00", EventClose, 1, 1, nil},
	}, compact(got))
}

func TestTimelineWithCloseMovedBeforeDueEndsAtClose(t *testing.T) {
	due := at("2026-03-17T00:00:00+07:00")
	got := ladder().Timeline(due, at("2026-03-15T00:00:00+07:00"))
	assert.Equal(t, []moment{
		{"2026-03-14T00:00:00+07:00", EventReminder, 1, 1, officer},
		{"2026-03-15T00:00:00+07:00", EventClose, 1, 1, nil},
	}, compact(got))
}

func TestTimelineIsDeterministicAndDoesNotShareRecipients(t *testing.T) {
	p := ladder()
	due := at("2026-03-17T00:00:00+07:00")
	first := p.Timeline(due, due.Add(p.CloseAfter))
	assert.Equal(t, first, p.Timeline(due, due.Add(p.CloseAfter)))

	first[3].Recipients[0] = RecipientSupervisor
	assert.Equal(t, RecipientHead, p.Escalations[0].Recipients[0], "policy untouched")
}

func TestTimelineOfAnEmptyPolicyIsDueAndClose(t *testing.T) {
	due := at("2026-03-17T00:00:00+07:00")
	got := Policy{}.Timeline(due, due.Add(day))
	assert.Equal(t, []moment{
		{"2026-03-17T00:00:00+07:00", EventOverdue, 1, 1, nil},
		{"2026-03-18T00:00:00+07:00", EventClose, 1, 1, nil},
	}, compact(got))
}

func TestValidateAcceptsSensiblePolicies(t *testing.T) {
	assert.NoError(t, ladder().Validate())
	assert.NoError(t, Policy{}.Validate(), "no reminders, no escalation, close at due")
}

func TestValidateNamesTheField(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Policy)
		want   string
	}{
		{"negative reminder", func(p *Policy) { p.ReminderOffsets[1] = -day },
			"reminder_offsets[1]: -1d is not before due; write how long before due the reminder goes out, for example 1d"},
		{"zero reminder", func(p *Policy) { p.ReminderOffsets[0] = 0 },
			"reminder_offsets[0]: 0s is not before due; write how long before due the reminder goes out, for example 1d"},
		{"repeated reminder", func(p *Policy) { p.ReminderOffsets = append(p.ReminderOffsets, 3*day) },
			"reminder_offsets[2]: 3d repeats reminder_offsets[0]; drop one of them"},
		{"steps out of order", func(p *Policy) { p.Escalations[1].After = day },
			"escalations[1].after: 1d must be after the previous step (1d)"},
		{"negative step", func(p *Policy) { p.Escalations[0].After = -time.Hour },
			"escalations[0].after: -1h is negative; escalations come at or after due"},
		{"no recipients", func(p *Policy) { p.Escalations[0].Recipients = nil },
			"escalations[0].recipients: empty; name at least one of officer, head or supervisor"},
		{"unknown recipient", func(p *Policy) { p.Escalations[1].Recipients = []Recipient{"head", "boss"} },
			`escalations[1].recipients[1]: "boss" is unknown; use officer, head or supervisor`},
		{"repeated recipient", func(p *Policy) { p.Escalations[1].Recipients = []Recipient{"head", "head"} },
			`escalations[1].recipients[1]: "head" is listed twice`},
		{"zero times", func(p *Policy) { p.Escalations[0].Times = 0 },
			"escalations[0].times: 0 is not between 1 and 50; it counts every notice of the step, the first included"},
		{"too many times", func(p *Policy) { p.Escalations[1].Times = 51 },
			"escalations[1].times: 51 is not between 1 and 50; it counts every notice of the step, the first included"},
		{"times without repeat", func(p *Policy) { p.Escalations[1].Repeat = 0 },
			"escalations[1].repeat: missing: times is 3, so say how long apart the notices go out, for example 1d"},
		{"negative repeat", func(p *Policy) { p.Escalations[1].Repeat = -day },
			"escalations[1].repeat: -1d is negative; use 0 to send once"},
		{"negative review time", func(p *Policy) { p.ReviewTime = -time.Hour },
			"review_time: -1h is negative; use 0 for no review deadline"},
		{"negative close", func(p *Policy) { p.CloseAfter = -time.Hour },
			"close_after: -1h is negative; the cycle closes at or after due"},
		{"close before the last escalation", func(p *Policy) { p.CloseAfter = 2 * day },
			"close_after: 2d is not after the last escalation step (escalations[1].after is 3d); close later or drop the step"},
		{"close at the last escalation", func(p *Policy) { p.CloseAfter = 3 * day },
			"close_after: 3d is not after the last escalation step (escalations[1].after is 3d); close later or drop the step"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ladder()
			tt.change(&p)
			assert.EqualError(t, p.Validate(), tt.want)
		})
	}
}

func TestValidateReportsEveryProblemAtOnce(t *testing.T) {
	p := ladder()
	p.ReminderOffsets[0] = -day
	p.Escalations[0].Recipients = nil
	p.CloseAfter = -day
	assert.EqualError(t, p.Validate(), "reminder_offsets[0]: -1d is not before due; write how long before due the reminder goes out, for example 1d\n"+
		"escalations[0].recipients: empty; name at least one of officer, head or supervisor\n"+
		"close_after: -1d is negative; the cycle closes at or after due")
}

func TestParseRecipient(t *testing.T) {
	r, err := ParseRecipient(" Head")
	require.NoError(t, err)
	assert.Equal(t, RecipientHead, r)
	_, err = ParseRecipient("boss")
	assert.EqualError(t, err, `recipient "boss" is unknown; use officer, head or supervisor`)
}

func TestMomentKindOrder(t *testing.T) {
	kinds := []Event{EventReminder, EventOverdue, EventEscalation, EventClose, "other"}
	for i, k := range kinds {
		assert.Equal(t, i, k.Order(), k)
	}
}

// TestTimelineMomentsCarryTheirOffsetFromDue: a wave is told its moment,
// offset and recipients included, so it recomputes nothing.
func TestTimelineMomentsCarryTheirOffsetFromDue(t *testing.T) {
	due := at("2026-03-17T00:00:00+07:00")
	for _, m := range ladder().Timeline(due, due.Add(10*day)) {
		assert.Equal(t, m.At.Sub(due), m.Offset, "%s %d", m.Kind, m.Step)
	}
	first := ladder().Timeline(due, due.Add(10*day))[0]
	assert.Equal(t, EventReminder, first.Kind)
	assert.Equal(t, -3*day, first.Offset, "a reminder's offset is negative: before due")
}

func TestMessageEventsParse(t *testing.T) {
	for _, e := range MessageEvents() {
		got, err := ParseMessageEvent(" " + strings.ToUpper(strings.ReplaceAll(string(e), "_", "-")) + " ")
		require.NoError(t, err)
		assert.Equal(t, e, got)
	}
	_, err := ParseMessageEvent("close")
	assert.ErrorContains(t, err, "unknown notification kind \"close\"", "close sends no message of its own")
}
