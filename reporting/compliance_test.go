package reporting

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFinalStateJudgesTheFirstVersionAgainstDue(t *testing.T) {
	due := at("2026-03-17T00:00:00+07:00")
	ptr := func(s string) *time.Time { x := at(s); return &x }
	open := func(first *time.Time, status ObligationStatus) Obligation {
		return Obligation{Due: due, FirstSubmittedAt: first, Status: status}
	}
	tests := []struct {
		name string
		in   Obligation
		want ObligationStatus
	}{
		{"accepted, first submitted the last second", open(ptr("2026-03-16T23:59:59+07:00"), ObligationAccepted), ObligationOnTime},
		{"accepted, first submitted at due", open(ptr("2026-03-17T00:00:00+07:00"), ObligationAccepted), ObligationLate},
		{"accepted, first submitted a second after", open(ptr("2026-03-17T00:00:01+07:00"), ObligationAccepted), ObligationLate},
		{"accepted, written in UTC, on time", open(ptr("2026-03-16T16:59:59Z"), ObligationAccepted), ObligationOnTime},
		{"submitted on time but never reviewed", open(ptr("2026-03-10T09:00:00+07:00"), ObligationUnderReview), ObligationNotAccepted},
		{"submitted on time, not yet acknowledged", open(ptr("2026-03-10T09:00:00+07:00"), ObligationSubmitted), ObligationNotAccepted},
		{"submitted late and returned", open(ptr("2026-03-20T09:00:00+07:00"), ObligationReturned), ObligationNotAccepted},
		{"nothing submitted", open(nil, ObligationNotified), ObligationMissing},
		{"nothing submitted, overdue", open(nil, ObligationOverdue), ObligationMissing},
		{"nothing submitted, accepted status set by mistake", open(nil, ObligationAccepted), ObligationMissing},
		{"final already: kept as stored", open(ptr("2026-03-10T09:00:00+07:00"), ObligationLate), ObligationLate},
		{"final missing kept", open(nil, ObligationMissing), ObligationMissing},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.in.FinalState(), tt.name)
	}
}

func TestComputeRatesCountsOverExpected(t *testing.T) {
	tests := []struct {
		name   string
		states []ObligationStatus
		want   Rates
	}{
		{"nothing expected", nil, Rates{}},
		{"all on time", []ObligationStatus{ObligationOnTime, ObligationOnTime},
			Rates{Expected: 2, Submitted: 2, OnTime: 2, ReportingRate: 100, OnTimeRate: 100}},
		{"one of each", []ObligationStatus{ObligationOnTime, ObligationLate, ObligationMissing, ObligationNotAccepted},
			Rates{Expected: 4, Submitted: 3, OnTime: 1, Late: 1, Missing: 1, NotAccepted: 1, ReportingRate: 75, OnTimeRate: 25}},
		{"thirds round to two decimals", []ObligationStatus{ObligationOnTime, ObligationLate, ObligationMissing},
			Rates{Expected: 3, Submitted: 2, OnTime: 1, Late: 1, Missing: 1, ReportingRate: 66.67, OnTimeRate: 33.33}},
		{"halves round up", []ObligationStatus{ObligationOnTime, ObligationMissing, ObligationMissing, ObligationMissing, ObligationMissing, ObligationMissing, ObligationMissing, ObligationMissing},
			Rates{Expected: 8, Submitted: 1, OnTime: 1, Missing: 7, ReportingRate: 12.5, OnTimeRate: 12.5}},
		{"all missing", []ObligationStatus{ObligationMissing, ObligationMissing},
			Rates{Expected: 2, Missing: 2}},
		{"an open state counts as expected only", []ObligationStatus{ObligationOnTime, "pending"},
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

func TestRollUpComplianceCountsEachObligationUpItsAncestors(t *testing.T) {
	due := at("2026-03-17T00:00:00+07:00")
	onTime := due.Add(-time.Hour)
	late := due.Add(time.Hour)
	obligations := []Obligation{
		{AgencyCode: "HN", Status: ObligationOnTime, Due: due, FirstSubmittedAt: &onTime},
		{AgencyCode: "HN_BA_DINH", Status: ObligationMissing, Due: due},
		{AgencyCode: "HP", Status: ObligationLate, Due: due, FirstSubmittedAt: &late},
		{AgencyCode: "HCM", Status: ObligationNotAccepted, Due: due, FirstSubmittedAt: &onTime},
		{AgencyCode: "MOF", Status: ObligationOnTime, Due: due, FirstSubmittedAt: &onTime},
	}
	got, err := RollUpCompliance(country, obligations)
	require.NoError(t, err)
	assert.Equal(t, Rates{Expected: 5, Submitted: 4, OnTime: 2, Late: 1, Missing: 1, NotAccepted: 1, ReportingRate: 80, OnTimeRate: 40}, got.Overall)
	assert.Equal(t, map[string]Rates{
		"VN":         {Expected: 4, Submitted: 3, OnTime: 1, Late: 1, Missing: 1, NotAccepted: 1, ReportingRate: 75, OnTimeRate: 25},
		"R_NORTH":    {Expected: 3, Submitted: 2, OnTime: 1, Late: 1, Missing: 1, ReportingRate: 66.67, OnTimeRate: 33.33},
		"HN":         {Expected: 2, Submitted: 1, OnTime: 1, Missing: 1, ReportingRate: 50, OnTimeRate: 50},
		"HN_BA_DINH": {Expected: 1, Missing: 1},
		"HP":         {Expected: 1, Submitted: 1, Late: 1, ReportingRate: 100},
		"R_SOUTH":    {Expected: 1, Submitted: 1, NotAccepted: 1, ReportingRate: 100},
		"HCM":        {Expected: 1, Submitted: 1, NotAccepted: 1, ReportingRate: 100},
		"MINISTRIES": {Expected: 1, Submitted: 1, OnTime: 1, ReportingRate: 100, OnTimeRate: 100},
		"MOF":        {Expected: 1, Submitted: 1, OnTime: 1, ReportingRate: 100, OnTimeRate: 100},
	}, got.ByNode, "CT has no obligation, so no row")
}

func TestRollUpComplianceOfARunningCycleIsAsIfClosedNow(t *testing.T) {
	due := at("2026-03-17T00:00:00+07:00")
	early := due.Add(-time.Hour)
	got, err := RollUpCompliance(country, []Obligation{
		{AgencyCode: "HN", Status: ObligationAccepted, Due: due, FirstSubmittedAt: &early},
		{AgencyCode: "HP", Status: ObligationUnderReview, Due: due, FirstSubmittedAt: &early},
		{AgencyCode: "HCM", Status: ObligationNotified, Due: due},
	})
	require.NoError(t, err)
	assert.Equal(t, Rates{Expected: 3, Submitted: 2, OnTime: 1, Missing: 1, NotAccepted: 1, ReportingRate: 66.67, OnTimeRate: 33.33}, got.ByNode["VN"])
}

func TestRollUpComplianceRefusesABrokenTree(t *testing.T) {
	_, err := RollUpCompliance([]Node{{Code: "A", Parent: "B"}, {Code: "B", Parent: "A"}}, nil)
	assert.ErrorContains(t, err, "cycle")
	_, err = RollUpCompliance(country, []Obligation{{AgencyCode: "XX", Status: ObligationMissing}})
	assert.ErrorContains(t, err, `agency "XX"`)
	got, err := RollUpCompliance(country, nil)
	require.NoError(t, err)
	assert.Empty(t, got.ByNode)
	assert.Equal(t, Rates{}, got.Overall)
}
