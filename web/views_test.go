package web

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"rcm/reporting"
)

func TestObligationClassColoursTheStateAtTheMoment(t *testing.T) {
	due := time.Date(2026, 3, 16, 17, 0, 0, 0, time.UTC)
	before, after := due.Add(-time.Minute), due.Add(time.Minute)
	ob := func(s reporting.ObligationStatus, first *time.Time) reporting.Obligation {
		return reporting.Obligation{Status: s, Due: due, Close: due.AddDate(0, 0, 10), FirstSubmittedAt: first}
	}
	tests := []struct {
		o    reporting.Obligation
		now  time.Time
		want string
	}{
		{ob(reporting.ObligationNotified, nil), before, ""},
		{ob(reporting.ObligationOverdue, nil), after, "warn"},
		{ob(reporting.ObligationSubmitted, &before), after, ""},
		{ob(reporting.ObligationUnderReview, &after), after, "warn"},
		{ob(reporting.ObligationReturned, &before), after, "bad"},
		{ob(reporting.ObligationAccepted, &before), after, "ok"},
		{ob(reporting.ObligationOnTime, &before), after, "ok"},
		{ob(reporting.ObligationLate, &after), after, "warn"},
		{ob(reporting.ObligationMissing, nil), after, "bad"},
		{ob(reporting.ObligationNotAccepted, &before), after, "bad"},
		{ob(reporting.ObligationNotReviewed, &before), after, "warn"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, obligationClass(tt.o, tt.now), "%s", tt.o.Status)
	}
	row := toObligationRow(ob(reporting.ObligationUnderReview, &after), after)
	assert.True(t, row.Overdue, "a version that came after due is marked overdue while open")
	final := time.Now()
	closed := ob(reporting.ObligationLate, &after)
	closed.FinalizedAt = &final
	assert.False(t, toObligationRow(closed, after).Overdue, "a final obligation says late, not overdue")
}
