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
		return Obligation{Due: due, FirstSubmittedAt: first, LastSubmittedAt: first, Status: status, Timeliness: TimelinessFirstVersion}
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
		{"submitted on time but never reviewed", open(ptr("2026-03-10T09:00:00+07:00"), ObligationUnderReview), ObligationNotReviewed},
		{"submitted on time, not yet acknowledged", open(ptr("2026-03-10T09:00:00+07:00"), ObligationSubmitted), ObligationNotReviewed},
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

// final and live build classifications as Classify makes them.
func final(state ObligationStatus, onTime bool) Classification {
	return Classification{Final: true, State: state, OnTime: onTime, Submitted: state != ObligationMissing,
		SubmittedOnTime: onTime, AwaitingReview: state == ObligationNotReviewed}
}

func live(state LiveState, onTime bool) Classification {
	submitted := state != LiveNotYetDue && state != LiveOverdue
	return Classification{Live: state, OnTime: onTime, Submitted: submitted, SubmittedOnTime: onTime, AwaitingReview: state == LiveAwaitingReview}
}

func TestComputeRatesCountsOverExpected(t *testing.T) {
	onTime, late := final(ObligationOnTime, true), final(ObligationLate, false)
	missing, notAccepted := final(ObligationMissing, false), final(ObligationNotAccepted, false)
	tests := []struct {
		name string
		cs   []Classification
		want Rates
	}{
		{"nothing expected", nil, Rates{OnTimeRateBasis: BasisExpected}},
		{"all on time", []Classification{onTime, onTime},
			Rates{Expected: 2, Submitted: 2, OnTime: 2, Timely: 2, SubmittedOnTime: 2, ReportingRate: 100, OnTimeRate: 100, SubmittedOnTimeRate: 100, OnTimeRateBasis: BasisExpected}},
		{"one of each", []Classification{onTime, late, missing, notAccepted},
			Rates{Expected: 4, Submitted: 3, OnTime: 1, Late: 1, Missing: 1, NotAccepted: 1, Timely: 1, SubmittedOnTime: 1,
				ReportingRate: 75, OnTimeRate: 25, SubmittedOnTimeRate: 25, OnTimeRateBasis: BasisExpected}},
		{"thirds round to two decimals", []Classification{onTime, late, missing},
			Rates{Expected: 3, Submitted: 2, OnTime: 1, Late: 1, Missing: 1, Timely: 1, SubmittedOnTime: 1,
				ReportingRate: 66.67, OnTimeRate: 33.33, SubmittedOnTimeRate: 33.33, OnTimeRateBasis: BasisExpected}},
		{"all missing", []Classification{missing, missing},
			Rates{Expected: 2, Missing: 2, OnTimeRateBasis: BasisExpected}},
		{"not reviewed on time: submitted, timely, the office's backlog", []Classification{final(ObligationNotReviewed, true), missing},
			Rates{Expected: 2, Submitted: 1, NotReviewed: 1, Missing: 1, Timely: 1, SubmittedOnTime: 1, ReviewBacklog: 1,
				ReportingRate: 50, OnTimeRate: 50, SubmittedOnTimeRate: 50, OnTimeRateBasis: BasisExpected}},
		// Issue 10: six of 24 submitted, four of them on time, six minutes
		// before due: nobody is missing and the rate is over what came in.
		{"open: 18 not yet due, 4 on time of 6 submitted", append(append(append(
			repeat(live(LiveNotYetDue, false), 18), repeat(live(LiveAccepted, true), 2)...),
			repeat(live(LiveAwaitingReview, true), 2)...), live(LiveAwaitingReview, false), live(LiveReturned, false)),
			Rates{Expected: 24, Submitted: 6, NotYetDue: 18, Accepted: 2, AwaitingReview: 3, Returned: 1, Timely: 4,
				SubmittedOnTime: 4, ReviewBacklog: 3, ReportingRate: 25, OnTimeRate: 66.67, SubmittedOnTimeRate: 16.67,
				OnTimeRateBasis: BasisSubmitted}},
		{"open after due: overdue, not missing", []Classification{live(LiveOverdue, false), live(LiveNilReport, true)},
			Rates{Expected: 2, Submitted: 1, Overdue: 1, NilReport: 1, Timely: 1, SubmittedOnTime: 1,
				ReportingRate: 50, OnTimeRate: 100, SubmittedOnTimeRate: 50, OnTimeRateBasis: BasisSubmitted}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ComputeRates(tt.cs), tt.name)
	}
}

func repeat[T any](x T, n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = x
	}
	return out
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
	got, err := RollUpCompliance(country, obligations, due.AddDate(0, 1, 0))
	require.NoError(t, err)
	e := BasisExpected
	assert.Equal(t, Rates{Expected: 5, Submitted: 4, OnTime: 2, Late: 1, Missing: 1, NotAccepted: 1, Timely: 2, SubmittedOnTime: 3,
		ReportingRate: 80, OnTimeRate: 40, SubmittedOnTimeRate: 60, OnTimeRateBasis: e}, got.Overall)
	assert.Equal(t, map[string]Rates{
		"VN": {Expected: 4, Submitted: 3, OnTime: 1, Late: 1, Missing: 1, NotAccepted: 1, Timely: 1, SubmittedOnTime: 2,
			ReportingRate: 75, OnTimeRate: 25, SubmittedOnTimeRate: 50, OnTimeRateBasis: e},
		"R_NORTH": {Expected: 3, Submitted: 2, OnTime: 1, Late: 1, Missing: 1, Timely: 1, SubmittedOnTime: 1,
			ReportingRate: 66.67, OnTimeRate: 33.33, SubmittedOnTimeRate: 33.33, OnTimeRateBasis: e},
		"HN":         {Expected: 2, Submitted: 1, OnTime: 1, Missing: 1, Timely: 1, SubmittedOnTime: 1, ReportingRate: 50, OnTimeRate: 50, SubmittedOnTimeRate: 50, OnTimeRateBasis: e},
		"HN_BA_DINH": {Expected: 1, Missing: 1, OnTimeRateBasis: e},
		"HP":         {Expected: 1, Submitted: 1, Late: 1, ReportingRate: 100, OnTimeRateBasis: e},
		"R_SOUTH":    {Expected: 1, Submitted: 1, NotAccepted: 1, SubmittedOnTime: 1, ReportingRate: 100, SubmittedOnTimeRate: 100, OnTimeRateBasis: e},
		"HCM":        {Expected: 1, Submitted: 1, NotAccepted: 1, SubmittedOnTime: 1, ReportingRate: 100, SubmittedOnTimeRate: 100, OnTimeRateBasis: e},
		"MINISTRIES": {Expected: 1, Submitted: 1, OnTime: 1, Timely: 1, SubmittedOnTime: 1, ReportingRate: 100, OnTimeRate: 100, SubmittedOnTimeRate: 100, OnTimeRateBasis: e},
		"MOF":        {Expected: 1, Submitted: 1, OnTime: 1, Timely: 1, SubmittedOnTime: 1, ReportingRate: 100, OnTimeRate: 100, SubmittedOnTimeRate: 100, OnTimeRateBasis: e},
	}, got.ByNode, "CT has no obligation, so no row")
}

func TestRollUpComplianceOfARunningCycleCountsLiveStates(t *testing.T) {
	due := at("2026-03-17T00:00:00+07:00")
	closeAt := due.AddDate(0, 0, 10)
	early := due.Add(-time.Hour)
	obligations := []Obligation{
		{AgencyCode: "HN", Status: ObligationAccepted, Due: due, Close: closeAt, FirstSubmittedAt: &early, LastSubmittedAt: &early, AcceptedSubmittedAt: &early, AcceptedVersion: 1},
		{AgencyCode: "HP", Status: ObligationUnderReview, Due: due, Close: closeAt, FirstSubmittedAt: &early, LastSubmittedAt: &early},
		{AgencyCode: "HCM", Status: ObligationNotified, Due: due, Close: closeAt},
	}
	got, err := RollUpCompliance(country, obligations, due.Add(-6*time.Minute))
	require.NoError(t, err)
	assert.Equal(t, Rates{Expected: 3, Submitted: 2, NotYetDue: 1, Accepted: 1, AwaitingReview: 1, Timely: 2, SubmittedOnTime: 2,
		ReviewBacklog: 1, ReportingRate: 66.67, OnTimeRate: 100, SubmittedOnTimeRate: 66.67, OnTimeRateBasis: BasisSubmitted}, got.ByNode["VN"],
		"before due: nobody missing, nothing 'not accepted', on time over what was submitted")

	got, err = RollUpCompliance(country, obligations, due)
	require.NoError(t, err)
	assert.Equal(t, 1, got.ByNode["VN"].Overdue, "at due the silent one is overdue, still not missing")
	assert.Zero(t, got.ByNode["VN"].Missing)

	got, err = RollUpCompliance(country, obligations, closeAt)
	require.NoError(t, err)
	assert.Equal(t, Rates{Expected: 3, Submitted: 2, OnTime: 1, NotReviewed: 1, Missing: 1, Timely: 2, SubmittedOnTime: 2,
		ReviewBacklog: 1, ReportingRate: 66.67, OnTimeRate: 66.67, SubmittedOnTimeRate: 66.67, OnTimeRateBasis: BasisExpected}, got.ByNode["VN"],
		"at close: missing exists, the unreviewed version is its own state, timed by its submission")
}

func TestRollUpComplianceRefusesABrokenTree(t *testing.T) {
	now := time.Now()
	_, err := RollUpCompliance([]Node{{Code: "A", Parent: "B"}, {Code: "B", Parent: "A"}}, nil, now)
	assert.ErrorContains(t, err, "cycle")
	_, err = RollUpCompliance(country, []Obligation{{AgencyCode: "XX", Status: ObligationMissing}}, now)
	assert.ErrorContains(t, err, `agency "XX"`)
	got, err := RollUpCompliance(country, nil, now)
	require.NoError(t, err)
	assert.Empty(t, got.ByNode)
	assert.Equal(t, Rates{OnTimeRateBasis: BasisExpected}, got.Overall)
}
