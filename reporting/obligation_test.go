package reporting

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestObligationLifeFollowsDomainMd(t *testing.T) {
	open := slices.DeleteFunc(ObligationStatuses(), ObligationStatus.IsFinal)
	tests := []struct {
		to   ObligationStatus
		from []ObligationStatus
	}{
		{ObligationPending, nil},
		{ObligationNotified, []ObligationStatus{ObligationPending}},
		{ObligationOverdue, []ObligationStatus{ObligationPending, ObligationNotified}},
		{ObligationSubmitted, []ObligationStatus{ObligationPending, ObligationNotified, ObligationOverdue, ObligationSubmitted, ObligationUnderReview, ObligationReturned}},
		{ObligationUnderReview, []ObligationStatus{ObligationSubmitted}},
		// A nil report accepts from any state with nothing awaiting review.
		{ObligationAccepted, []ObligationStatus{ObligationPending, ObligationNotified, ObligationOverdue, ObligationSubmitted, ObligationUnderReview, ObligationReturned}},
		// A reopen returns an accepted report.
		{ObligationReturned, []ObligationStatus{ObligationSubmitted, ObligationUnderReview, ObligationAccepted}},
		{ObligationOnTime, open},
		// An admitted late filing makes a missing or not accepted report late.
		{ObligationLate, append(slices.Clone(open), ObligationMissing, ObligationNotAccepted)},
		{ObligationMissing, open},
		{ObligationNotAccepted, open},
		{ObligationNotReviewed, open},
		{ObligationNilReport, open},
	}
	for _, tt := range tests {
		assert.ElementsMatch(t, tt.from, tt.to.From(), "%s from", tt.to)
		for _, s := range ObligationStatuses() {
			assert.Equal(t, contains(tt.from, s), tt.to.Follows(s), "%s follows %s", tt.to, s)
		}
	}
	assert.False(t, ObligationSubmitted.Follows(ObligationAccepted), "nothing is submitted after an accepted version")
	for _, s := range ObligationStatuses() {
		for _, f := range ObligationStatuses() {
			lateFiling := s == ObligationLate && (f == ObligationMissing || f == ObligationNotAccepted)
			if f.IsFinal() && !lateFiling {
				assert.False(t, s.Follows(f), "a final state is final but for an admitted late filing: %s does not follow %s", s, f)
			}
		}
	}
	assert.Len(t, ObligationStatuses(), 13)
	assert.False(t, ObligationStatus("lost").IsValid())
	got := ObligationSubmitted.From()
	got[0] = "changed"
	assert.Equal(t, ObligationPending, ObligationSubmitted.From()[0], "From returns a copy")
}

func contains[T comparable](list []T, x T) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

func TestLiveStateNeverSaysMissingBeforeClose(t *testing.T) {
	due := at("2026-03-17T00:00:00+07:00")
	before, after := due.Add(-time.Second), due
	ob := func(s ObligationStatus) Obligation {
		return Obligation{Due: due, Close: due.AddDate(0, 0, 1), Status: s}
	}
	tests := []struct {
		o    Obligation
		now  time.Time
		want LiveState
	}{
		{ob(ObligationPending), before, LiveNotYetDue},
		{ob(ObligationNotified), before, LiveNotYetDue},
		{ob(ObligationNotified), after, LiveOverdue},
		{ob(ObligationPending), after, LiveOverdue},
		{ob(ObligationOverdue), after, LiveOverdue},
		{ob(ObligationOverdue), before, LiveNotYetDue}, // extended after it fell overdue
		{ob(ObligationSubmitted), after, LiveAwaitingReview},
		{ob(ObligationUnderReview), before, LiveAwaitingReview},
		{ob(ObligationReturned), after, LiveReturned},
		{ob(ObligationAccepted), after, LiveAccepted},
	}
	for _, tt := range tests {
		got, ok := tt.o.LiveState(tt.now)
		assert.True(t, ok, "%s", tt.o.Status)
		assert.Equal(t, tt.want, got, "%s at due%+v", tt.o.Status, tt.now.Sub(due))
	}
	for _, s := range []ObligationStatus{ObligationOnTime, ObligationLate, ObligationMissing, ObligationNotAccepted, ObligationNotReviewed, ObligationNilReport} {
		_, ok := ob(s).LiveState(after)
		assert.False(t, ok, "%s is final", s)
	}
}

func TestMissedDueMeansNothingCameByDue(t *testing.T) {
	due := at("2026-03-17T00:00:00+07:00")
	ptr := func(t time.Time) *time.Time { return &t }
	tests := []struct {
		name  string
		first *time.Time
		now   time.Time
		want  bool
	}{
		{"nothing yet, due to come", nil, due.Add(-time.Second), false},
		{"nothing at due", nil, due, true},
		{"first version on time", ptr(due.Add(-time.Second)), due.Add(time.Hour), false},
		{"first version late", ptr(due.Add(time.Minute)), due.Add(time.Hour), true},
		{"first version late, long after close", ptr(due.Add(time.Minute)), due.AddDate(1, 0, 0), true},
	}
	for _, tt := range tests {
		o := Obligation{Due: due, FirstSubmittedAt: tt.first, Status: ObligationSubmitted}
		assert.Equal(t, tt.want, o.MissedDue(tt.now), tt.name)
	}
}

func TestMaySubmitAndTakesChanges(t *testing.T) {
	closeAt := at("2026-03-27T00:00:00+07:00")
	now := closeAt.Add(-time.Hour)
	final := now.Add(-time.Minute)
	ob := func(s ObligationStatus) Obligation {
		return Obligation{CycleID: "C-2026-03", AgencyCode: "HNI", Close: closeAt, Status: s, Versions: 2}
	}
	tests := []struct {
		name    string
		o       Obligation
		cycle   CycleStatus
		now     time.Time
		submit  Refusal // 0: may submit
		changes Refusal // 0: takes a decision
		message string
	}{
		{"open, nothing yet", ob(ObligationNotified), CycleOpen, now, 0, 0, ""},
		{"overdue may still submit", ob(ObligationOverdue), CycleOpen, now, 0, 0, ""},
		{"returned resubmits", ob(ObligationReturned), CycleOpen, now, 0, 0, ""},
		{"a new version before review", ob(ObligationUnderReview), CycleOpen, now, 0, 0, ""},
		{"accepted takes no version", ob(ObligationAccepted), CycleOpen, now, RefusedAccepted, 0,
			"version 2 of HNI in cycle C-2026-03 was accepted; if the figures must change, ask the office to reopen it (rcm review reopen --cycle C-2026-03 --agency HNI --reason ...)"},
		{"launching", ob(ObligationPending), CycleLaunching, now, RefusedLaunching, RefusedLaunching,
			"cycle C-2026-03 is still being launched; try again in a minute"},
		{"cancelled", ob(ObligationNotified), CycleCancelled, now, RefusedCancelled, RefusedCancelled, "cycle C-2026-03 was cancelled"},
		{"at close", ob(ObligationNotified), CycleOpen, closeAt, RefusedClosed, RefusedClosed,
			"cycle C-2026-03 closed for this agency at 2026-03-26T17:00:00Z"},
		{"cycle closing", ob(ObligationNotified), CycleClosing, now, RefusedClosed, RefusedClosed, ""},
		{"cycle closed", ob(ObligationNotified), CycleClosed, now, RefusedClosed, RefusedClosed, ""},
		{"final", Obligation{CycleID: "C", Close: closeAt, Status: ObligationMissing, FinalizedAt: &final}, CycleOpen, now, RefusedClosed, RefusedClosed, ""},
	}
	refusal := func(err error) Refusal {
		var r *RefusedError
		if errors.As(err, &r) {
			return r.Refusal
		}
		require.NoError(t, err)
		return 0
	}
	for _, tt := range tests {
		err := tt.o.MaySubmit(tt.cycle, tt.now)
		assert.Equal(t, tt.submit, refusal(err), "%s: may submit", tt.name)
		assert.Equal(t, tt.changes, refusal(tt.o.TakesChanges(tt.cycle, tt.now)), "%s: takes changes", tt.name)
		if tt.message != "" {
			assert.EqualError(t, err, tt.message, tt.name)
		}
	}
}

func TestCycleAndNotificationLives(t *testing.T) {
	assert.Equal(t, []CycleStatus{CycleLaunching}, CycleOpen.From())
	assert.ElementsMatch(t, []CycleStatus{CycleLaunching, CycleOpen}, CycleCancelled.From())
	assert.True(t, CycleClosed.Follows(CycleClosed), "closing again recomputes")
	assert.False(t, CycleCancelled.Follows(CycleClosed))
	assert.False(t, CycleOpen.Follows(CycleCancelled))
	for _, s := range CycleStatuses() {
		assert.True(t, s.IsValid())
	}
	assert.False(t, CycleStatus("paused").IsValid())

	assert.Equal(t, []NotificationStatus{NotificationClaimed}, NotificationSending.From())
	assert.Equal(t, []NotificationStatus{NotificationClaimed}, NotificationSkipped.From())
	assert.True(t, NotificationFailed.Follows(NotificationSending), "an attempt left mid-send is recorded failed")
	assert.True(t, NotificationClaimed.Follows(NotificationSending), "a temporary failure leaves it for the next attempt")
	assert.False(t, NotificationSending.Follows(NotificationSent), "a sent message is never sent again")
	assert.False(t, NotificationSending.Follows(NotificationFailed))
	for _, s := range NotificationStatuses() {
		assert.True(t, s.IsValid())
	}

	assert.Equal(t, ObligationAccepted, DecisionAccepted.ObligationStatus())
	assert.Equal(t, ObligationReturned, DecisionReturned.ObligationStatus())
	for _, d := range Decisions() {
		assert.True(t, d.ObligationStatus().Follows(ObligationUnderReview), "%s decides a version under review", d)
	}
	assert.False(t, Decision("maybe").IsValid())
	assert.Equal(t, "C-2026-03-HNI-v2-ABCDEFGHIJ", ReceiptNumber("C-2026-03", "HNI", 2, "ABCDEFGHIJ"))
}

func TestReceiptCodesCannotBeGuessed(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		code, err := NewReceiptCode()
		require.NoError(t, err)
		require.Regexp(t, `^[A-Z2-7]{10}$`, code)
		require.False(t, seen[code], "code %s twice in 1000", code)
		seen[code] = true
	}
}
