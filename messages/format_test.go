package messages

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestFormatsOfEachLanguage(t *testing.T) {
	hanoi := time.FixedZone("ICT", 7*3600)
	midnight := time.Date(2026, 10, 16, 0, 0, 0, 0, hanoi)
	assert.Equal(t, "hết ngày 15/10/2026", Deadline(Vietnamese, midnight, hanoi))
	assert.Equal(t, "end of 15/10/2026", Deadline(English, midnight, hanoi))
	assert.Equal(t, "16/10/2026 14:30", Deadline(English, midnight.Add(14*time.Hour+30*time.Minute), hanoi))
	assert.Equal(t, "end of 15/10/2026", Deadline(English, midnight.In(time.UTC), hanoi), "shown in the given zone")
	_, ok := DayEndingAt(midnight, time.UTC)
	assert.False(t, ok, "17:00 UTC is no midnight there")

	assert.Equal(t, "10.000", Integer(Vietnamese, 10000))
	assert.Equal(t, "1,234,567", Integer(English, 1234567))
	assert.Equal(t, "-1.000", Integer(Vietnamese, -1000))
	assert.Equal(t, "999", Integer(English, 999))
	assert.Equal(t, "87,5%", Percent(Vietnamese, 87.5))
	assert.Equal(t, "70.8%", Percent(English, 70.83))
}
