package reporting

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestClassifyFinalStates(t *testing.T) {
	due := at("2026-03-17T00:00:00+07:00")
	ptr := func(s string) *time.Time { x := at(s); return &x }
	tests := []struct {
		name string
		in   ObligationOutcome
		want FinalState
	}{
		{"accepted, first submitted the last second", ObligationOutcome{ptr("2026-03-16T23:59:59+07:00"), true, due}, StateOnTime},
		{"accepted, first submitted at due", ObligationOutcome{ptr("2026-03-17T00:00:00+07:00"), true, due}, StateLate},
		{"accepted, first submitted a second after", ObligationOutcome{ptr("2026-03-17T00:00:01+07:00"), true, due}, StateLate},
		{"accepted, written in UTC, on time", ObligationOutcome{ptr("2026-03-16T16:59:59Z"), true, due}, StateOnTime},
		{"submitted on time but never accepted", ObligationOutcome{ptr("2026-03-10T09:00:00+07:00"), false, due}, StateNotAccepted},
		{"submitted late and never accepted", ObligationOutcome{ptr("2026-03-20T09:00:00+07:00"), false, due}, StateNotAccepted},
		{"nothing submitted", ObligationOutcome{nil, false, due}, StateMissing},
		{"nothing submitted, accepted flag set by mistake", ObligationOutcome{nil, true, due}, StateMissing},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Classify(tt.in), tt.name)
	}
}

func TestComputeRatesCountsOverExpected(t *testing.T) {
	tests := []struct {
		name   string
		states []FinalState
		want   Rates
	}{
		{"nothing expected", nil, Rates{}},
		{"all on time", []FinalState{StateOnTime, StateOnTime},
			Rates{Expected: 2, Submitted: 2, OnTime: 2, ReportingRate: 100, OnTimeRate: 100}},
		{"one of each", []FinalState{StateOnTime, StateLate, StateMissing, StateNotAccepted},
			Rates{Expected: 4, Submitted: 3, OnTime: 1, Late: 1, Missing: 1, NotAccepted: 1, ReportingRate: 75, OnTimeRate: 25}},
		{"thirds round to two decimals", []FinalState{StateOnTime, StateLate, StateMissing},
			Rates{Expected: 3, Submitted: 2, OnTime: 1, Late: 1, Missing: 1, ReportingRate: 66.67, OnTimeRate: 33.33}},
		{"halves round up", []FinalState{StateOnTime, StateMissing, StateMissing, StateMissing, StateMissing, StateMissing, StateMissing, StateMissing},
			Rates{Expected: 8, Submitted: 1, OnTime: 1, Missing: 7, ReportingRate: 12.5, OnTimeRate: 12.5}},
		{"all missing", []FinalState{StateMissing, StateMissing},
			Rates{Expected: 2, Missing: 2}},
		{"an open state counts as expected only", []FinalState{StateOnTime, "pending"},
			Rates{Expected: 2, Submitted: 1, OnTime: 1, ReportingRate: 50, OnTimeRate: 50}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ComputeRates(tt.states), tt.name)
	}
}

func TestRatesRoundHalfUpAtTheThirdDecimal(t *testing.T) {
	// 1 of 16 is 6.25 exactly; 1 of 32 is 3.125, which rounds up to 3.13;
	// 1 of 7 is 14.2857..., which rounds to 14.29.
	assert.Equal(t, 6.25, percent(1, 16))
	assert.Equal(t, 3.13, percent(1, 32))
	assert.Equal(t, 14.29, percent(1, 7))
	assert.Equal(t, 99.99, percent(9999, 10000))
	assert.Equal(t, 100.0, percent(99999, 100000), "99.999 rounds up to 100")
	assert.Equal(t, 0.01, percent(1, 10000))
	assert.Equal(t, 0.0, percent(1, 30000))
}
