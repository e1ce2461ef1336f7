package reporting

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseOffsetReadsDaysWeeksAndGoDurations(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"3d", 72 * time.Hour},
		{"36h", 36 * time.Hour},
		{"90s", 90 * time.Second},
		{"2d12h", 60 * time.Hour},
		{"1w", 168 * time.Hour},
		{"1w2d", 216 * time.Hour},
		{"1h30m", 90 * time.Minute},
		{"500ms", 500 * time.Millisecond},
		{"1.5d", 36 * time.Hour},
		{"0.5h", 30 * time.Minute},
		{"1.1d", 26*time.Hour + 24*time.Minute},
		{"2m", 2 * time.Minute},
		{"+2m", 2 * time.Minute},
		{"-1d", -24 * time.Hour},
		{"0", 0},
		{"0s", 0},
		{" 3d ", 72 * time.Hour},
		{"1µs", time.Microsecond},
		{"7ns", 7},
	}
	for _, tt := range tests {
		got, err := ParseOffset(tt.in)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
}

func TestParseOffsetSaysWhatToWrite(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `offset "": empty; ` + offsetForms},
		{"3", `offset "3": 3 has no unit; ` + offsetForms},
		{"3x", `offset "3x": unknown unit "x"; ` + offsetForms},
		{"3 days", `offset "3 days": unknown unit " days"; ` + offsetForms},
		{"d", `offset "d": expected a number at "d"; ` + offsetForms},
		{"1..5d", `offset "1..5d": expected a number at "1..5d"; ` + offsetForms},
		{"3d-1h", `offset "3d-1h": expected a number at "-1h"; ` + offsetForms},
		{"100000w", `offset "100000w": too long; offsets go up to about 290 years`},
		{"99999999999999999999s", `offset "99999999999999999999s": too long; offsets go up to about 290 years`},
	}
	for _, tt := range tests {
		_, err := ParseOffset(tt.in)
		assert.EqualError(t, err, tt.want, tt.in)
	}
}

func TestFormatOffsetWritesLargestUnitsFirst(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "0s"},
		{72 * time.Hour, "3d"},
		{36 * time.Hour, "1d12h"},
		{90 * time.Second, "1m30s"},
		{168 * time.Hour, "7d"},
		{14 * 24 * time.Hour, "14d"},
		{time.Hour + time.Second, "1h1s"},
		{1500 * time.Millisecond, "1.5s"},
		{time.Nanosecond, "0.000000001s"},
		{-24 * time.Hour, "-1d"},
		{2*day + 3*time.Hour + 4*time.Minute + 5*time.Second, "2d3h4m5s"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, FormatOffset(tt.in), tt.in.String())
	}
}

func TestFormatOffsetRoundTripsThroughParseOffset(t *testing.T) {
	for _, x := range []time.Duration{0, 1, 999, time.Second, 90 * time.Second, 36 * time.Hour, 10 * day,
		-3 * day, 123456789 * time.Millisecond, math.MaxInt64, -math.MaxInt64} {
		back, err := ParseOffset(FormatOffset(x))
		require.NoError(t, err, FormatOffset(x))
		assert.Equal(t, x, back, FormatOffset(x))
	}
}
