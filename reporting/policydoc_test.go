package reporting

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestPolicyDocRoundTrips(t *testing.T) {
	p := Policy{
		ReminderOffsets: []time.Duration{3 * 24 * time.Hour, 90 * time.Second},
		Escalations: []EscalationStep{
			{After: 24 * time.Hour, Recipients: []Recipient{RecipientOfficer, RecipientHead}, Times: 1},
			{After: 3 * 24 * time.Hour, Recipients: []Recipient{RecipientSupervisor}, Repeat: 2 * 24 * time.Hour, Times: 3},
		},
		ReviewTime: 36 * time.Hour,
		CloseAfter: 10 * 24 * time.Hour,
	}
	doc := DocOf(p)
	assert.Equal(t, []string{"3d", "1m30s"}, doc.ReminderOffsets)
	assert.Equal(t, EscalationDoc{After: "3d", Recipients: []string{"supervisor"}, Repeat: "2d", Times: 3}, doc.Escalations[1])
	back, problems := doc.Parse(0, 0)
	assert.Empty(t, problems)
	assert.Equal(t, p, back)
}

func TestPolicyDocParseNamesEveryBadField(t *testing.T) {
	doc := PolicyDoc{
		ReminderOffsets: []string{"3d", "", "soon"},
		Escalations:     []EscalationDoc{{Recipients: []string{"officer"}}, {After: "1d", Repeat: "x"}},
		CloseAfter:      "ten days",
	}
	p, problems := doc.Parse(48*time.Hour, 0)
	var fields []string
	for _, pr := range problems {
		fields = append(fields, pr.Field)
	}
	assert.Equal(t, []string{"reminder_offsets[1]", "reminder_offsets[2]", "escalations[0].after", "escalations[1].repeat", "close_after"}, fields)
	assert.Equal(t, 48*time.Hour, p.ReviewTime, "an empty review_time takes the default")
	assert.Equal(t, 1, p.Escalations[0].Times, "times 0 means once")
}
