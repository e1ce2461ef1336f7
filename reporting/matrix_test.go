package reporting

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestCellOf(t *testing.T) {
	due := time.Date(2026, 11, 17, 17, 0, 0, 0, time.UTC)
	closeAt := due.Add(48 * time.Hour)
	at := func(d time.Duration) *time.Time { x := due.Add(d); return &x }
	final := closeAt.Add(time.Hour)
	cases := []struct {
		name     string
		o        Obligation
		now      time.Time
		state    string
		daysLate int
		final    bool
	}{
		{"on time", Obligation{Status: ObligationOnTime, FirstSubmittedAt: at(-time.Hour), FinalizedAt: &final, Versions: 1}, final, "on_time", 0, true},
		{"late by a started day", Obligation{Status: ObligationLate, FirstSubmittedAt: at(time.Minute), FinalizedAt: &final, Versions: 1}, final, "late", 1, true},
		{"late by three days", Obligation{Status: ObligationLate, FirstSubmittedAt: at(72 * time.Hour), FinalizedAt: &final, Versions: 2}, final, "late", 3, true},
		{"missing once final", Obligation{Status: ObligationMissing, FinalizedAt: &final}, final, "missing", 0, true},
		{"overdue, not missing, before close", Obligation{Status: ObligationOverdue}, due.Add(time.Hour), "overdue", 0, false},
		{"returned, not 'not accepted', before close", Obligation{Status: ObligationReturned, FirstSubmittedAt: at(-time.Hour), Versions: 1}, due.Add(time.Hour), "returned", 0, false},
		{"not yet due", Obligation{Status: ObligationNotified}, due.Add(-time.Hour), "not_yet_due", 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.o.Due, c.o.Close, c.o.Timeliness = due, closeAt, TimelinessFirstVersion
			cell := CellOf(c.o, true, c.now)
			require.Equal(t, c.state, cell.State)
			require.Equal(t, c.daysLate, cell.DaysLate)
			require.Equal(t, c.final, cell.Final)
			require.True(t, cell.Extended)
			require.Equal(t, c.o.Versions, cell.Versions)
		})
	}
}

func TestIsChronic(t *testing.T) {
	require.True(t, IsChronic(3, 3))
	require.True(t, IsChronic(12, 12))
	require.False(t, IsChronic(12, 11), "on time once is not late every month")
	require.False(t, IsChronic(2, 2), "two periods are too few to call")
}

func TestRollUpLevels(t *testing.T) {
	due := time.Date(2026, 11, 17, 17, 0, 0, 0, time.UTC)
	now := due.Add(-time.Hour)
	sent := due.Add(-2 * time.Hour)
	ob := func(code, path string, submitted bool) Obligation {
		o := Obligation{AgencyCode: code, AgencyPath: path, Due: due, Close: due.Add(48 * time.Hour), Status: ObligationNotified}
		if submitted {
			o.Status, o.FirstSubmittedAt, o.LastSubmittedAt, o.Versions = ObligationSubmitted, &sent, &sent, 1
		}
		return o
	}
	got := RollUpLevels("R", "/VN/R/", 2, []Obligation{
		ob("R", "/VN/R/", true),
		ob("P1", "/VN/R/P1/", true),
		ob("D1", "/VN/R/P1/D1/", false),
		ob("X", "/VN/R/P1/D1/X/", true),
		ob("P2", "/VN/R/P2/", false),
		ob("Q", "/VN/Q/", true), // outside the subtree
	}, now)
	require.Equal(t, 5, got["R"].Expected)
	require.Equal(t, 3, got["R"].Submitted)
	require.Equal(t, 3, got["P1"].Expected)
	require.Equal(t, 2, got["P1"].Submitted)
	require.Equal(t, 2, got["D1"].Expected, "the second level counts its whole subtree")
	require.NotContains(t, got, "X", "three levels down is not rolled up")
	require.NotContains(t, got, "Q")
	require.Equal(t, 0, got["P2"].Submitted)
	require.Equal(t, 1, got["P2"].NotYetDue)
}
