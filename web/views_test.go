package web

import (
	"io/fs"
	"rcm/messages"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcm/api"
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

// TestEveryWordOfThePagesIsInBothLanguages finds every literal key the
// templates translate, and the launch form's inputs, in the table of page
// words: a missing key would show its code ("owed") on the page.
func TestEveryWordOfThePagesIsInBothLanguages(t *testing.T) {
	files, err := fs.Glob(viewFiles, "views/*.html")
	require.NoError(t, err)
	keyRe := regexp.MustCompile(`\bt \$?\.?(?:Lang|\$\.Lang|\.Lang) "([a-z0-9_]+)"`)
	var keys []string
	for _, name := range files {
		b, err := fs.ReadFile(viewFiles, name)
		require.NoError(t, err)
		for _, m := range keyRe.FindAllStringSubmatch(string(b), -1) {
			keys = append(keys, m[1])
		}
	}
	require.Contains(t, keys, "owed")
	for _, in := range launchInputs {
		if in.key != "" {
			keys = append(keys, in.key, in.key+"_help")
		}
	}
	for _, k := range keys {
		if assert.True(t, messages.Has(k), "%q has no words", k) {
			assert.NotEmpty(t, translate(messages.Vietnamese, k), "%s in Vietnamese", k)
			assert.NotEmpty(t, translate(messages.English, k), "%s in English", k)
		}
	}
	for _, code := range []string{"deadline_notice", "reminder", "overdue", "escalation", "close", "officer", "head", "supervisor",
		"in_hours", "off_hours", "off_day"} {
		assert.NotEqual(t, code, messages.EventName(messages.Vietnamese, code), "%s in Vietnamese", code)
	}
}

func TestProblemLinesNameTheFieldInThePagesLanguage(t *testing.T) {
	p := api.FieldProblemOf("vi", reporting.Keyed("reason", "reason.request_refusal_needs_reason"))
	require.Equal(t, "Lý do: Nhập lý do từ chối yêu cầu gia hạn; đơn vị sẽ nhận được lý do này.", problemLine("vi", p))
	p = api.FieldProblemOf("en", reporting.Keyed("reason", "reason.request_refusal_needs_reason"))
	require.Equal(t, "Reason: say why the request is refused; the agency is told", problemLine("en", p))
	require.Equal(t, "Tệp đính kèm: x", problemLine("vi", api.FieldProblem{Field: "file", Reason: "x"}))
}

// TestAShortHistoryIsDrawnAtTheScaleOfAFullOne: one period's bars are as
// wide as in a chart of twelve, not stretched across the page.
func TestAShortHistoryIsDrawnAtTheScaleOfAFullOne(t *testing.T) {
	series := []rateSeries{{Name: "a", Values: []float64{50}}, {Name: "b", Values: []float64{60}}}
	one := historyChart("h", "t", []string{"11/2026"}, series)
	twelve := historyChart("h", "t", make([]string, reporting.MatrixPeriods), []rateSeries{
		{Name: "a", Values: make([]float64, reporting.MatrixPeriods)}, {Name: "b", Values: make([]float64, reporting.MatrixPeriods)}})
	require.Equal(t, twelve.Width, one.Width)
}
