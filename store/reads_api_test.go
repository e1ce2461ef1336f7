package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"rcm/reporting"
	"rcm/store"
)

func TestCycleFactsAgenciesByCodeAndCycleTemplate(t *testing.T) {
	ctx := context.Background()
	s := crudStore(t)
	seedTree(t, s)
	due := insertOctoberCycle(t, s, []reporting.Assignment{{AgencyCode: "HNI"}, {AgencyCode: "HNI-SYT"}, {AgencyCode: "HPG"}, {AgencyCode: "BYT"}})
	expected, err := s.OpenCycle(ctx, "KTXH_THANG-2026-10")
	require.NoError(t, err)
	require.Equal(t, 4, expected)

	facts, err := s.CycleFacts(ctx, "KTXH_THANG-2026-10")
	require.NoError(t, err)
	var paths []string
	for _, o := range facts.Obligations {
		paths = append(paths, o.AgencyPath)
		require.Equal(t, reporting.ObligationPending, o.Status)
		require.Nil(t, o.FirstSubmittedAt)
		require.Nil(t, o.FinalizedAt)
		require.True(t, o.Due.Equal(due))
	}
	require.Equal(t, []string{"/VN/BYT/", "/VN/R-DBSH/HNI/", "/VN/R-DBSH/HNI/HNI-SYT/", "/VN/R-DBSH/HPG/"}, paths, "by agency code")
	require.Len(t, facts.Tree, 6, "the whole tree")
	require.Equal(t, "/VN/R-DBSH/", facts.Paths["R-DBSH"])
	require.Empty(t, facts.Accepted)
	require.Equal(t, "KTXH", facts.Template.Code)
	_, err = s.CycleFacts(ctx, "NOPE")
	require.ErrorIs(t, err, store.ErrNotFound)

	agencies, err := s.AgenciesByCode(ctx, []string{"HPG", "VN", "NOWHERE", "R-DBSH"})
	require.NoError(t, err)
	require.Equal(t, []string{"VN", "R-DBSH", "HPG"}, codes(agencies), "by path; unknown codes left out")
	require.Equal(t, "Đồng bằng sông Hồng", agencies[1].NameVI)

	// The template of a cycle is read once: it cannot change under the cycle,
	// so not even a change behind the store's back shows.
	other := sampleTemplate()
	other.Code = "OTHER"
	require.NoError(t, s.CreateTemplate(ctx, other, testAudit))
	_, err = s.Pool().Exec(ctx, `UPDATE regimes SET template_code = 'OTHER' WHERE code = 'KTXH_THANG'`)
	require.NoError(t, err)
	tmpl, err := s.CycleTemplate(ctx, "KTXH_THANG-2026-10")
	require.NoError(t, err)
	require.Equal(t, "KTXH", tmpl.Code)
	tmpl.Indicators[0].Code = "CHANGED"
	again, err := s.CycleTemplate(ctx, "KTXH_THANG-2026-10")
	require.NoError(t, err)
	require.NotEqual(t, "CHANGED", again.Indicators[0].Code, "callers cannot change the cached template")
	_, err = s.CycleTemplate(ctx, "NOPE")
	require.ErrorIs(t, err, store.ErrNotFound)
}

// insertOctoberCycle creates the template KTXH, the monthly regime
// KTXH_THANG with the assignments, and its cycle of 2026-10 (not opened),
// and returns the cycle's due.
func insertOctoberCycle(t *testing.T, s *store.Store, assignments []reporting.Assignment) time.Time {
	t.Helper()
	ctx := context.Background()
	require.NoError(t, s.CreateTemplate(ctx, sampleTemplate(), testAudit))
	require.NoError(t, s.CreateRegime(ctx, reporting.Regime{Code: "KTXH_THANG", NameVI: "Tháng", TemplateCode: "KTXH",
		Cadence: reporting.Monthly, DeadlineRule: reporting.DeadlineRule{Kind: reporting.RuleCalendarDays, N: 2},
		Policy:      reporting.Policy{ReviewTime: time.Hour, CloseAfter: 48 * time.Hour},
		Assignments: assignments}, testAudit))
	loc, err := reporting.DefaultLocation()
	require.NoError(t, err)
	period, err := reporting.ParsePeriod("2026-10")
	require.NoError(t, err)
	start, end := period.Window()
	due := end.End(loc).Add(48 * time.Hour)
	require.NoError(t, s.InsertCycle(ctx, reporting.Cycle{ID: "KTXH_THANG-2026-10", RegimeCode: "KTXH_THANG", Period: "2026-10",
		WindowStart: start, WindowEnd: end, TimeZone: reporting.DefaultZone, CutOff: end.End(loc), Due: due, Close: due.Add(48 * time.Hour),
		Policy: reporting.Policy{ReviewTime: time.Hour, CloseAfter: 48 * time.Hour}}, testAudit))
	return due
}
