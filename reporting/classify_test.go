package reporting

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestClassifyLiveAndFinal is the one classification as a table: each
// obligation at an instant before due, after due, and at close.
func TestClassifyLiveAndFinal(t *testing.T) {
	due := at("2026-11-16T00:00:00+07:00")
	closeAt := due.AddDate(0, 0, 10)
	before, after := due.Add(-6*time.Minute), due.Add(time.Hour)
	early, late := due.Add(-time.Hour), due.Add(2*time.Hour)
	ob := func(status ObligationStatus, first, last *time.Time) Obligation {
		return Obligation{Due: due, Close: closeAt, Status: status, FirstSubmittedAt: first, LastSubmittedAt: last,
			Timeliness: TimelinessAcceptedVersion}
	}
	accepted := func(o Obligation, version int, at *time.Time) Obligation {
		o.AcceptedVersion, o.AcceptedSubmittedAt = version, at
		return o
	}
	nilReport := ob(ObligationSubmitted, nil, &early)
	nilReport.NilReport = true
	tests := []struct {
		name     string
		o        Obligation
		now      time.Time
		final    bool
		live     LiveState
		state    ObligationStatus
		onTime   bool
		versions int
	}{
		{"nothing yet, before due", ob(ObligationNotified, nil, nil), before, false, LiveNotYetDue, "", false, 0},
		{"nothing, after due", ob(ObligationOverdue, nil, nil), after, false, LiveOverdue, "", false, 0},
		{"nothing by close", ob(ObligationOverdue, nil, nil), closeAt, true, "", ObligationMissing, false, 0},
		{"awaiting review, before due", ob(ObligationUnderReview, &early, &early), before, false, LiveAwaitingReview, "", true, 0},
		{"awaiting review at close", ob(ObligationUnderReview, &early, &early), closeAt, true, "", ObligationNotReviewed, true, 0},
		{"late version never reviewed", ob(ObligationSubmitted, &late, &late), closeAt, true, "", ObligationNotReviewed, false, 0},
		{"returned, after due", ob(ObligationReturned, &early, &early), after, false, LiveReturned, "", false, 0},
		{"returned at close", ob(ObligationReturned, &early, &early), closeAt, true, "", ObligationNotAccepted, false, 0},
		{"accepted on time", accepted(ob(ObligationAccepted, &early, &early), 1, &early), before, false, LiveAccepted, "", true, 0},
		{"accepted on time, closed", accepted(ob(ObligationAccepted, &early, &early), 1, &early), closeAt, true, "", ObligationOnTime, true, 0},
		{"accepted late, second version", accepted(ob(ObligationAccepted, &early, &late), 2, &late), closeAt, true, "", ObligationLate, false, 1},
		{"nil report, open", nilReport, before, false, LiveNilReport, "", true, 0},
		{"nil report, closed", nilReport, closeAt, true, "", ObligationNilReport, true, 0},
		{"finalized: stored state kept", Obligation{Due: due, Close: closeAt, Status: ObligationLate}, before, true, "", ObligationLate, false, 0},
	}
	for _, tt := range tests {
		c := tt.o.Classify(tt.now)
		assert.Equal(t, tt.final, c.Final, tt.name)
		assert.Equal(t, tt.live, c.Live, tt.name)
		assert.Equal(t, tt.state, c.State, tt.name)
		assert.Equal(t, tt.onTime, c.OnTime, tt.name+": on time")
		assert.Equal(t, tt.versions, c.VersionsBeforeAcceptance, tt.name+": versions before acceptance")
		if !c.Final {
			assert.NotEqual(t, ObligationMissing, c.State, "missing exists only after close")
			assert.NotEqual(t, ObligationNotAccepted, c.State, "not accepted exists only after close")
		}
		if live, ok := tt.o.LiveState(tt.now); ok {
			assert.Equal(t, c.Live, live, tt.name+": LiveState is Classify's")
		}
	}
}

// TestPlaceholderThenLateReportPerTimeliness: a placeholder sent before due,
// returned, and a real report sent after due and accepted. The first-version
// rule calls it on time (how rates are inflated); the accepted-version rule
// calls it late. DHIS2's "submitted on time" counts it either way.
func TestPlaceholderThenLateReportPerTimeliness(t *testing.T) {
	due := at("2026-11-16T00:00:00+07:00")
	placeholder, real := due.Add(-time.Minute), due.Add(26*time.Hour)
	for _, tt := range []struct {
		rule Timeliness
		want ObligationStatus
	}{
		{TimelinessFirstVersion, ObligationOnTime},
		{"", ObligationOnTime}, // regimes from before the choice
		{TimelinessAcceptedVersion, ObligationLate},
	} {
		o := Obligation{AgencyCode: "HN", Due: due, Close: due.AddDate(0, 0, 10), Status: ObligationAccepted, Timeliness: tt.rule,
			FirstSubmittedAt: &placeholder, LastSubmittedAt: &real, Versions: 2, AcceptedVersion: 2, AcceptedSubmittedAt: &real}
		assert.Equal(t, tt.want, o.FinalState(), "rule %q", tt.rule)
		c := o.Classify(o.Close)
		assert.True(t, c.SubmittedOnTime, "DHIS2's measure counts the placeholder")
		assert.Equal(t, 1, c.VersionsBeforeAcceptance)
		r, err := RollUpCompliance([]Node{{Code: "HN"}}, []Obligation{o}, o.Close)
		require.NoError(t, err)
		assert.Equal(t, 100.0, r.Overall.SubmittedOnTimeRate)
		assert.Equal(t, map[bool]float64{true: 100, false: 0}[tt.want == ObligationOnTime], r.Overall.OnTimeRate, "rule %q", tt.rule)

		// While open, before the real report, the accepted-version rule has
		// nothing timed on time: the placeholder was returned.
		o.Status, o.AcceptedVersion, o.AcceptedSubmittedAt, o.LastSubmittedAt = ObligationReturned, 0, nil, &placeholder
		c = o.Classify(due.Add(time.Hour))
		assert.Equal(t, LiveReturned, c.Live)
		assert.Equal(t, tt.want == ObligationOnTime, c.OnTime, "rule %q, returned placeholder", tt.rule)
	}
}

func TestTimelinessValues(t *testing.T) {
	assert.True(t, TimelinessFirstVersion.IsValid())
	assert.True(t, TimelinessAcceptedVersion.IsValid())
	assert.False(t, Timeliness("").IsValid())
	assert.False(t, Timeliness("last_version").IsValid())
	assert.Equal(t, TimelinessAcceptedVersion, DefaultTimeliness, "new regimes judge by the accepted version")
}
