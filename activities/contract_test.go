package activities

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcm/reporting"
)

// TestWaveInputReadsTheShapeOlderWorkersScheduled: a wave scheduled before
// waves carried their moment still runs after an upgrade, under today's
// event names.
func TestWaveInputReadsTheShapeOlderWorkersScheduled(t *testing.T) {
	at := time.Date(2026, 11, 20, 17, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		old       string
		kind      reporting.Event
		step      int
		extension int64
	}{
		{`{"CycleID":"SEI-2026-11","Kind":"due","Step":1,"At":"2026-11-20T17:00:00Z"}`, reporting.EventOverdue, 1, 0},
		{`{"CycleID":"SEI-2026-11","Kind":"notice","Step":0,"At":"2026-11-20T17:00:00Z"}`, reporting.EventDeadlineNotice, 0, 0},
		{`{"CycleID":"SEI-2026-11","Kind":"escalation","Step":2,"At":"2026-11-20T17:00:00Z"}`, reporting.EventEscalation, 2, 0},
		{`{"CycleID":"SEI-2026-11","Kind":"extension","Step":42,"At":"2026-11-20T17:00:00Z"}`, reporting.EventDeadlineExtended, 0, 42},
	} {
		var in WaveInput
		require.NoError(t, json.Unmarshal([]byte(tc.old), &in))
		assert.True(t, in.legacy, tc.old)
		assert.Equal(t, "SEI-2026-11", in.CycleID)
		assert.Equal(t, reporting.Moment{Kind: tc.kind, Step: tc.step, At: at}, in.Moment, tc.old)
		assert.Equal(t, tc.extension, in.ExtensionID, tc.old)
	}

	// Today's shape round-trips and is not taken for the old one.
	now := WaveInput{CycleID: "SEI-2026-11", Moment: reporting.Moment{Kind: reporting.EventReminder, Step: 2, Of: 2, At: at,
		Offset: -24 * time.Hour, Recipients: []reporting.Recipient{reporting.RecipientOfficer}}}
	b, err := json.Marshal(now)
	require.NoError(t, err)
	var back WaveInput
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, now, back)
}

// TestAnOldWaveTakesItsOffsetAndRecipientsFromThePolicy.
func TestAnOldWaveTakesItsOffsetAndRecipientsFromThePolicy(t *testing.T) {
	p := reporting.Policy{ReminderOffsets: []time.Duration{72 * time.Hour, 24 * time.Hour},
		Escalations: []reporting.EscalationStep{{After: 48 * time.Hour, Recipients: []reporting.Recipient{reporting.RecipientHead}, Times: 1}},
		CloseAfter:  96 * time.Hour}
	at := time.Date(2026, 11, 20, 17, 0, 0, 0, time.UTC)
	m, err := plannedMoment(p, reporting.Moment{Kind: reporting.EventEscalation, Step: 1, At: at})
	require.NoError(t, err)
	assert.Equal(t, reporting.Moment{Kind: reporting.EventEscalation, Step: 1, Of: 1, At: at, Offset: 48 * time.Hour,
		Recipients: []reporting.Recipient{reporting.RecipientHead}}, m)
	m, err = plannedMoment(p, reporting.Moment{Kind: reporting.EventReminder, Step: 2, At: at})
	require.NoError(t, err)
	assert.Equal(t, -24*time.Hour, m.Offset)
	_, err = plannedMoment(p, reporting.Moment{Kind: reporting.EventReminder, Step: 3, At: at})
	assert.ErrorContains(t, err, "no reminder step 3")
}
