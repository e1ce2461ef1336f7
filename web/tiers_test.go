package web

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"rcm/api"
	"rcm/operations"
	"rcm/reporting"
)

// tieredRegimeJSON is a two-tier regime of the KTXH template: HNI's
// departments (depth 4) due 1 day after the cut-off, the cities (depth 3)
// 3 days after, with the tiers given.
func tieredRegimeJSON(code string, tiers []api.Tier, agencies ...string) api.Regime {
	r := api.Regime{Code: code, NameVI: "Báo cáo hai cấp", Template: "KTXH", Cadence: "monthly", DeadlineRule: "days:3",
		Policy: reporting.PolicyDoc{ReminderOffsets: []string{"30m"}, ReviewTime: "1h", CloseAfter: "2h"}, Tiers: tiers}
	for _, a := range agencies {
		r.Assignments = append(r.Assignments, api.Assignment{Agency: a})
	}
	return r
}

var twoTiers = []api.Tier{
	{NameVI: "Sở, ngành", NameEN: "Departments", Depth: 4, DeadlineRule: "days:1"},
	{NameVI: "Tỉnh, thành phố", NameEN: "Provinces", Depth: 3},
}

func TestTieredRegimeRefusesBadLevelsAndWritesNothing(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name     string
		tiers    []api.Tier
		agencies []string
		field    string
	}{
		{"overlapping levels", []api.Tier{{NameVI: "Sở", Depth: 3, DeadlineRule: "days:1"}, {NameVI: "Tỉnh", Depth: 3}},
			[]string{"HNI"}, "tiers[1].depth"},
		{"levels in a cycle (a level above the one it consolidates)", []api.Tier{{NameVI: "Tỉnh", Depth: 3, DeadlineRule: "days:1"}, {NameVI: "Sở", Depth: 4}},
			[]string{"HNI", "HNI-SYT"}, "tiers[1].depth"},
		{"a level without agencies", twoTiers, []string{"HNI", "HCM"}, "tiers[0]"},
		{"a department without its province", twoTiers, []string{"HNI-SYT", "HCM"}, "assignments[0].agency"},
		{"an agency of no level", twoTiers, []string{"HNI", "HNI-SYT", "R-DNB"}, "assignments[2].agency"},
		{"a lower level without its own rule", []api.Tier{{NameVI: "Sở", Depth: 4}, {NameVI: "Tỉnh", Depth: 3}},
			[]string{"HNI", "HNI-SYT"}, "tiers[0].deadline_rule"},
		{"a rule that does not parse", []api.Tier{{NameVI: "Sở", Depth: 4, DeadlineRule: "soon"}, {NameVI: "Tỉnh", Depth: 3}},
			[]string{"HNI", "HNI-SYT"}, "tiers[0].deadline_rule"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code := fmt.Sprintf("BAD_TIERS_%d", i)
			resp := f.do("staff", "POST", "/api/v1/regimes", tieredRegimeJSON(code, c.tiers, c.agencies...))
			require.Equal(t, http.StatusUnprocessableEntity, resp.status, "%s", resp.body)
			var fields []string
			for _, e := range resp.problem(t).Errors {
				fields = append(fields, e.Field)
			}
			require.Contains(t, fields, c.field, "%s", resp.body)
			require.Equal(t, http.StatusNotFound, f.do("staff", "GET", "/api/v1/regimes/"+code, nil).status, "nothing is written")
		})
	}

	// Assignments that break the levels of a tiered regime are refused too,
	// and the regime keeps the ones it had.
	resp := f.do("staff", "POST", "/api/v1/regimes", tieredRegimeJSON("GOOD_TIERS", twoTiers, "HNI", "HNI-SYT"))
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	resp = f.do("staff", "PUT", "/api/v1/regimes/GOOD_TIERS/assignments", []api.Assignment{{Agency: "HNI"}})
	require.Equal(t, http.StatusUnprocessableEntity, resp.status, "%s", resp.body)
	require.Equal(t, "tiers[0]", resp.problem(t).Errors[0].Field)
	var stored api.Regime
	f.do("staff", "GET", "/api/v1/regimes/GOOD_TIERS", nil).decode(t, &stored)
	require.Len(t, stored.Assignments, 2)
	require.Len(t, stored.Tiers, 2)
	require.Equal(t, "days:1", stored.Tiers[0].DeadlineRule)
	require.Equal(t, "days:3", stored.Tiers[1].DeadlineRule, "the top level is due by the regime's rule")
}

// launchTiered launches a two-tier cycle of a fresh regime for HNI and its
// department, the department due in an hour and HNI in two, and waits until
// it is open.
func (f *fixture) launchTiered() reporting.Cycle {
	f.t.Helper()
	code := fmt.Sprintf("%s_T%d", f.cycles().prefix, f.next())
	resp := f.do("staff", "POST", "/api/v1/regimes", tieredRegimeJSON(code, twoTiers, "HNI", "HNI-SYT"))
	require.Equal(f.t, http.StatusCreated, resp.status, "%s", resp.body)
	resp = f.do("staff", "POST", "/api/v1/cycles", api.Launch{Regime: code, Period: pastPeriod(f.t), Due: "+2h",
		TierDue: []api.TierDue{{Level: 1, Due: "+1h"}}})
	require.Equal(f.t, http.StatusCreated, resp.status, "%s", resp.body)
	var launched api.Cycle
	resp.decode(f.t, &launched)
	f.waitStatus(launched.ID, reporting.CycleOpen)
	c, err := f.store.Cycle(context.Background(), launched.ID)
	require.NoError(f.t, err)
	return c
}

func TestTieredCycleOpensEachLevelWithItsDue(t *testing.T) {
	f := newFixture(t)
	c := f.launchTiered()
	require.Len(t, c.Tiers, 2)
	lo, hi := c.Tiers[0], c.Tiers[1]
	require.Equal(t, 4, lo.Depth)
	require.True(t, hi.Due.Equal(c.Due), "the top level is due with the cycle")
	require.WithinDuration(t, time.Now().Add(time.Hour), lo.Due, time.Minute)
	require.WithinDuration(t, time.Now().Add(2*time.Hour), hi.Due, time.Minute)

	var obligations api.Page[api.Obligation]
	f.do("staff", "GET", "/api/v1/cycles/"+c.ID+"/obligations", nil).decode(t, &obligations)
	dues := map[string]time.Time{}
	for _, o := range obligations.Items {
		dues[o.Agency] = o.Due
	}
	require.Len(t, dues, 2)
	require.True(t, dues["HNI-SYT"].Equal(lo.Due), "the department is due with its level: %v", dues)
	require.True(t, dues["HNI"].Equal(hi.Due), "the city is due with its level: %v", dues)

	// The workflow runs both levels' timelines: two deadline groups.
	_, groups, err := f.store.OpenDeadlines(context.Background(), c.ID)
	require.NoError(t, err)
	require.Len(t, groups, 2)

	var shown api.Cycle
	f.do("staff", "GET", "/api/v1/cycles/"+c.ID, nil).decode(t, &shown)
	require.Len(t, shown.Tiers, 2)
	require.Equal(t, "Sở, ngành", shown.Tiers[0].NameVI)
}

func TestTieredLaunchRefusesALowerLevelDueAfterTheLevelAbove(t *testing.T) {
	f := newFixture(t)
	code := fmt.Sprintf("%s_T%d", f.cycles().prefix, f.next())
	require.Equal(t, http.StatusCreated, f.do("staff", "POST", "/api/v1/regimes", tieredRegimeJSON(code, twoTiers, "HNI", "HNI-SYT")).status)
	resp := f.do("staff", "POST", "/api/v1/cycles", api.Launch{Regime: code, Period: pastPeriod(t), Due: "+1h",
		TierDue: []api.TierDue{{Level: 1, Due: "+2h"}}})
	require.Equal(t, http.StatusUnprocessableEntity, resp.status, "%s", resp.body)
	require.Equal(t, "tiers[0].due", resp.problem(t).Errors[0].Field)
	resp = f.do("staff", "POST", "/api/v1/cycles", api.Launch{Regime: code, Period: pastPeriod(t), Due: "+1h",
		TierDue: []api.TierDue{{Level: 2, Due: "+30m"}}})
	require.Equal(t, http.StatusUnprocessableEntity, resp.status, "%s", resp.body)
	require.Equal(t, "tier_due", resp.problem(t).Errors[0].Field)
	require.Equal(t, http.StatusNotFound, f.do("staff", "GET", "/api/v1/cycles/"+operations.CycleID(code, pastPeriod(t)), nil).status)
}
