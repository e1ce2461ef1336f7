package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"rcm/reporting"
	"rcm/store"
)

func TestLiveObligationsAndAgenciesByPath(t *testing.T) {
	ctx := context.Background()
	s := crudStore(t)
	seedTree(t, s)
	require.NoError(t, s.CreateTemplate(ctx, sampleTemplate()))
	require.NoError(t, s.CreateRegime(ctx, store.Regime{Code: "KTXH_THANG", NameVI: "Tháng", TemplateCode: "KTXH",
		Cadence: reporting.Monthly, DeadlineRule: reporting.DeadlineRule{Kind: reporting.RuleCalendarDays, N: 2},
		Policy:      reporting.Policy{ReviewTime: time.Hour, CloseAfter: 48 * time.Hour},
		Assignments: []store.Assignment{{AgencyCode: "HNI"}, {AgencyCode: "HNI-SYT"}, {AgencyCode: "HPG"}, {AgencyCode: "BYT"}}}))
	loc, err := reporting.DefaultLocation()
	require.NoError(t, err)
	period, err := reporting.ParsePeriod("2026-10")
	require.NoError(t, err)
	start, end := period.Window()
	due := end.End(loc).Add(48 * time.Hour)
	require.NoError(t, s.InsertCycle(ctx, store.Cycle{ID: "KTXH_THANG-2026-10", RegimeCode: "KTXH_THANG", Period: "2026-10",
		WindowStart: start, WindowEnd: end, TimeZone: reporting.DefaultZone, CutOff: end.End(loc), Due: due, Close: due.Add(48 * time.Hour),
		Policy: reporting.Policy{ReviewTime: time.Hour, CloseAfter: 48 * time.Hour}}))
	expected, err := s.OpenCycle(ctx, "KTXH_THANG-2026-10")
	require.NoError(t, err)
	require.Equal(t, 4, expected)

	all, err := s.LiveObligations(ctx, "KTXH_THANG-2026-10", "")
	require.NoError(t, err)
	var paths []string
	for _, o := range all {
		paths = append(paths, o.Path)
		require.Equal(t, "pending", o.Status)
		require.Nil(t, o.FirstSubmittedAt)
		require.False(t, o.Final)
		require.True(t, o.Due.Equal(due))
	}
	require.Equal(t, []string{"/VN/BYT/", "/VN/R-DBSH/HNI/", "/VN/R-DBSH/HNI/HNI-SYT/", "/VN/R-DBSH/HPG/"}, paths, "by tree path")
	under, err := s.LiveObligations(ctx, "KTXH_THANG-2026-10", "/VN/R-DBSH/HNI/")
	require.NoError(t, err)
	require.Len(t, under, 2, "the subtree: HNI and its department")
	none, err := s.LiveObligations(ctx, "NOPE", "")
	require.NoError(t, err)
	require.Empty(t, none)

	agencies, err := s.AgenciesByPath(ctx, []string{"/VN/R-DBSH/HPG/", "/VN/", "/VN/NOWHERE/", "/VN/R-DBSH/"})
	require.NoError(t, err)
	require.Equal(t, []string{"VN", "R-DBSH", "HPG"}, codes(agencies), "by path; unknown paths left out")
	require.Equal(t, "Đồng bằng sông Hồng", agencies[1].NameVI)
}
