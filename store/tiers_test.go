package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"rcm/reporting"
)

// TestTieredCycleOpensEachAgencyWithItsLevelsDeadlines: a two-tier cycle
// gives HNI's department its level's due and close, the cities theirs (the
// cycle's), records each obligation's level, and yields one deadline group
// per level; a single-tier cycle's obligations have no level.
func TestTieredCycleOpensEachAgencyWithItsLevelsDeadlines(t *testing.T) {
	ctx := context.Background()
	s := crudStore(t)
	seedTree(t, s)
	require.NoError(t, s.CreateTemplate(ctx, sampleTemplate(), testAudit))
	day := func(d int) reporting.DeadlineRule {
		return reporting.DeadlineRule{Kind: reporting.RuleCalendarDays, N: d}
	}
	r := reporting.Regime{Code: "TWO_TIER", NameVI: "Hai cấp", TemplateCode: "KTXH", Cadence: reporting.Monthly, DeadlineRule: day(3),
		Policy: reporting.Policy{CloseAfter: 48 * time.Hour},
		Tiers: []reporting.Tier{
			{NameVI: "Sở", Depth: 4, DeadlineRule: day(1)},
			{NameVI: "Tỉnh", Depth: 3},
		},
		Assignments: []reporting.Assignment{{AgencyCode: "HNI"}, {AgencyCode: "HNI-SYT"}, {AgencyCode: "HPG"}}}
	require.NoError(t, s.CreateRegime(ctx, r, testAudit))
	got, err := s.RegimeRules(ctx, r.Code)
	require.NoError(t, err)
	require.Len(t, got.Tiers, 2)
	require.Equal(t, day(3), got.Tiers[1].DeadlineRule, "the top level is due by the regime's rule")

	due := time.Date(2026, 10, 20, 17, 0, 0, 0, time.UTC)
	lower := due.Add(-48 * time.Hour)
	c := reporting.Cycle{ID: "TWO_TIER-2026-10", RegimeCode: r.Code, Period: "2026-10",
		WindowStart: reporting.MustParseDate("2026-09-15"), WindowEnd: reporting.MustParseDate("2026-10-14"),
		TimeZone: reporting.DefaultZone, CutOff: due.Add(-6 * 24 * time.Hour), Due: due, Close: due.Add(48 * time.Hour),
		Tiers: []reporting.CycleTier{
			{Tier: reporting.Tier{Level: 1, NameVI: "Sở", Depth: 4}, Due: lower, Close: lower.Add(48 * time.Hour)},
			{Tier: reporting.Tier{Level: 2, NameVI: "Tỉnh", Depth: 3}, Due: due, Close: due.Add(48 * time.Hour)},
		}}
	require.NoError(t, s.InsertCycle(ctx, c, testAudit))
	expected, err := s.OpenCycle(ctx, c.ID)
	require.NoError(t, err)
	require.Equal(t, 3, expected)

	stored, err := s.Cycle(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, stored.Tiers, 2)
	_, groups, err := s.OpenDeadlines(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, groups, 2, "one deadline group per level")
	require.True(t, groups[0].Due.Equal(lower))
	require.True(t, groups[1].Due.Equal(due))

	facts, err := s.CycleFacts(ctx, c.ID)
	require.NoError(t, err)
	dues := map[string]time.Time{}
	for _, o := range facts.Obligations {
		dues[o.AgencyCode] = o.Due
	}
	require.True(t, dues["HNI-SYT"].Equal(lower), "%v", dues)
	require.True(t, dues["HNI"].Equal(due), "%v", dues)
	require.True(t, dues["HPG"].Equal(due), "%v", dues)
}
