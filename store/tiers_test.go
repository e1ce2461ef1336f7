package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"rcm/reporting"
	"rcm/store"
)

// tierStore is a store with the sample tree and template.
func tierStore(t *testing.T) *store.Store {
	t.Helper()
	s := crudStore(t)
	seedTree(t, s)
	require.NoError(t, s.CreateTemplate(context.Background(), sampleTemplate(), testAudit))
	return s
}

// daysRule is the deadline rule "N calendar days after the cut-off".
func daysRule(n int) reporting.DeadlineRule {
	return reporting.DeadlineRule{Kind: reporting.RuleCalendarDays, N: n}
}

// TestTieredCycleOpensEachAgencyWithItsLevelsDeadlines: a two-tier cycle
// gives HNI's department its level's due and close, the cities theirs (the
// cycle's), records each obligation's level, and yields one deadline group
// per level; a single-tier cycle's obligations have no level.
func TestTieredCycleOpensEachAgencyWithItsLevelsDeadlines(t *testing.T) {
	ctx := context.Background()
	s := tierStore(t)
	c, lower, expected := openTwoTierCycle(t, s)
	due := c.Due
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

// TestLevelsWithLaddersOfTheirOwnAreGroupedAndChasedByLevel: a level's own
// reminders and escalation ladder are stored with the regime and frozen with
// the cycle; the cycle's deadline groups then name their level, and a wave
// of one level selects only its agencies, where a wave of the whole group
// would also reach the other level's (a department's 5-day reminder window
// covers the cities' due; a cities' escalation finds the overdue
// departments too).
func TestLevelsWithLaddersOfTheirOwnAreGroupedAndChasedByLevel(t *testing.T) {
	ctx := context.Background()
	s := tierStore(t)
	day := daysRule
	head := []reporting.Recipient{reporting.RecipientHead}
	departments := &reporting.Policy{ReminderOffsets: []time.Duration{5 * 24 * time.Hour},
		Escalations: []reporting.EscalationStep{{After: time.Hour, Recipients: head, Times: 1}}}
	r := reporting.Regime{Code: "LADDERS", NameVI: "Hai cấp", TemplateCode: "KTXH", Cadence: reporting.Monthly, DeadlineRule: day(3),
		Policy: reporting.Policy{ReminderOffsets: []time.Duration{24 * time.Hour}, CloseAfter: 96 * time.Hour,
			Escalations: []reporting.EscalationStep{{After: 2 * time.Hour, Recipients: head, Times: 1}}},
		Tiers: []reporting.Tier{
			{NameVI: "Sở", Depth: 4, DeadlineRule: day(1), Chase: departments},
			{NameVI: "Tỉnh", Depth: 3},
		},
		Assignments: []reporting.Assignment{{AgencyCode: "HNI"}, {AgencyCode: "HNI-SYT"}, {AgencyCode: "HPG"}}}
	require.NoError(t, s.CreateRegime(ctx, r, testAudit))
	got, err := s.RegimeRules(ctx, r.Code)
	require.NoError(t, err)
	require.Equal(t, departments, got.Tiers[0].Chase, "the departments' own ladder")
	require.Nil(t, got.Tiers[1].Chase, "the cities follow the regime's")

	due := time.Date(2026, 10, 20, 17, 0, 0, 0, time.UTC)
	lower := due.Add(-48 * time.Hour)
	c := reporting.Cycle{ID: "LADDERS-2026-10", RegimeCode: r.Code, Period: "2026-10",
		WindowStart: reporting.MustParseDate("2026-09-15"), WindowEnd: reporting.MustParseDate("2026-10-14"),
		TimeZone: reporting.DefaultZone, CutOff: due.Add(-6 * 24 * time.Hour), Due: due, Close: due.Add(96 * time.Hour), Policy: r.Policy,
		Tiers: []reporting.CycleTier{
			{Tier: got.Tiers[0], Due: lower, Close: lower.Add(96 * time.Hour)},
			{Tier: got.Tiers[1], Due: due, Close: due.Add(96 * time.Hour)},
		}}
	require.NoError(t, s.InsertCycle(ctx, c, testAudit))
	_, err = s.OpenCycle(ctx, c.ID)
	require.NoError(t, err)
	stored, err := s.Cycle(ctx, c.ID)
	require.NoError(t, err)
	require.Equal(t, departments, stored.Tiers[0].Chase, "frozen with the cycle")
	require.True(t, reporting.ChasedByLevel(stored.Tiers))

	_, groups, err := s.OpenDeadlines(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, groups, 2)
	require.Equal(t, []int{1, 2}, []int{groups[0].Tier, groups[1].Tier}, "each group names its level")

	targets := func(sel store.WaveSelection) []string {
		t.Helper()
		sel.CycleID, sel.Limit = c.ID, 100
		ts, err := s.WaveTargets(ctx, sel)
		require.NoError(t, err)
		var out []string
		for _, x := range ts {
			out = append(out, x.AgencyCode)
		}
		return out
	}
	remind := store.WaveSelection{Kind: store.TargetNotSubmitted, At: lower.Add(-time.Hour), Offset: 5 * 24 * time.Hour}
	require.Equal(t, []string{"HNI", "HNI-SYT", "HPG"}, targets(remind), "without its level, the 5-day window reaches the cities too")
	remind.Tier = 1
	require.Equal(t, []string{"HNI-SYT"}, targets(remind), "the departments' reminder reaches the departments only")

	_, err = s.MarkOverdue(ctx, c.ID, due.Add(2*time.Hour))
	require.NoError(t, err)
	escalate := store.WaveSelection{Kind: store.TargetEscalation, At: due.Add(2 * time.Hour), Offset: 2 * time.Hour}
	require.Equal(t, []string{"HNI", "HNI-SYT", "HPG"}, targets(escalate), "without its level, the cities' step finds the overdue department too")
	escalate.Tier = 2
	require.Equal(t, []string{"HNI", "HPG"}, targets(escalate), "the cities' step reaches the cities only")
}

// TestALevelsLadderIsCheckedLikeTheRegimes: a level's own escalation steps
// out of order, or past the regime's close, are refused under the level's
// name, and nothing is written.
func TestALevelsLadderIsCheckedLikeTheRegimes(t *testing.T) {
	ctx := context.Background()
	s := tierStore(t)
	head := []reporting.Recipient{reporting.RecipientHead}
	r := reporting.Regime{Code: "BAD_LADDER", NameVI: "Hai cấp", TemplateCode: "KTXH", Cadence: reporting.Monthly,
		DeadlineRule: daysRule(3),
		Policy:       reporting.Policy{CloseAfter: 96 * time.Hour},
		Tiers: []reporting.Tier{
			{NameVI: "Sở", Depth: 4, DeadlineRule: daysRule(1),
				Chase: &reporting.Policy{ReminderOffsets: []time.Duration{-time.Hour}, Escalations: []reporting.EscalationStep{
					{After: 48 * time.Hour, Recipients: head, Times: 1}, {After: 24 * time.Hour, Recipients: head, Times: 1}}}},
			{NameVI: "Tỉnh", Depth: 3, Chase: &reporting.Policy{Escalations: []reporting.EscalationStep{
				{After: 120 * time.Hour, Recipients: head, Times: 1}}}},
		},
		Assignments: []reporting.Assignment{{AgencyCode: "HNI"}, {AgencyCode: "HNI-SYT"}}}
	err := s.CreateRegime(ctx, r, testAudit)
	require.Error(t, err)
	for _, want := range []string{"tiers[0].reminder_offsets[0]", "tiers[0].escalations[1].after", "tiers[1].escalations[0].after"} {
		require.Contains(t, err.Error(), want)
	}
	_, err = s.RegimeRules(ctx, r.Code)
	require.ErrorIs(t, err, store.ErrNotFound, "nothing written")
}

// openTwoTierCycle opens the cycle TWO_TIER-2026-10 of HNI's department
// (level 1, depth 4, due two days before the rest) under the cities HNI and
// HPG (level 2), and returns it with the lower level's due and how many
// obligations it opened.
func openTwoTierCycle(t *testing.T, s *store.Store) (reporting.Cycle, time.Time, int) {
	t.Helper()
	ctx := context.Background()
	day := daysRule
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
	return c, lower, expected
}
