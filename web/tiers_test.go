package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"rcm/access"
	"rcm/api"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
)

// tieredRegimeJSON is a two-tier regime of the KTXH template: HNI's
// departments (depth 4) due 1 day after the cut-off, the cities (depth 3)
// 3 days after, with the tiers given.
func tieredRegimeJSON(code string, tiers []api.Tier, agencies ...string) api.Regime {
	r := api.Regime{Code: code, NameVI: "Báo cáo hai cấp", Template: "KTXH", Cadence: "monthly", DeadlineRule: "days:3",
		Policy: reporting.PolicyDoc{ReminderOffsets: []string{"30m"}, Escalations: []reporting.EscalationDoc{}, ReviewTime: "1h", CloseAfter: "2h"}, Tiers: tiers}
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
		{"a level's reminder that does not parse", []api.Tier{{NameVI: "Sở", Depth: 4, DeadlineRule: "days:1", ReminderOffsets: &[]string{"soon"}},
			{NameVI: "Tỉnh", Depth: 3}}, []string{"HNI", "HNI-SYT"}, "tiers[0].reminder_offsets[0]"},
		{"a level's escalation steps out of order", []api.Tier{{NameVI: "Sở", Depth: 4, DeadlineRule: "days:1"},
			{NameVI: "Tỉnh", Depth: 3, Escalations: &[]reporting.EscalationDoc{{After: "1h", Recipients: []string{"head"}}, {After: "30m", Recipients: []string{"head"}}}}},
			[]string{"HNI", "HNI-SYT"}, "tiers[1].escalations[1].after"},
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

// tieredCycle is the fixture's two-tier cycle of HNI, its department and
// HCM, made on first use.
func (f *fixture) tieredCycle() reporting.Cycle {
	f.t.Helper()
	if w := f.cycles(); w.tiered == nil {
		c := f.launchTiered("HNI", "HNI-SYT", "HCM")
		w.tiered = &c
	}
	return *f.cyc.tiered
}

// launchTiered launches a two-tier cycle of a fresh regime for the agencies
// (cities and their departments), the departments due in an hour and the
// cities in two, and waits until it is open.
func (f *fixture) launchTiered(agencies ...string) reporting.Cycle {
	f.t.Helper()
	code := fmt.Sprintf("%s_T%d", f.cycles().prefix, f.next())
	resp := f.do("staff", "POST", "/api/v1/regimes", tieredRegimeJSON(code, twoTiers, agencies...))
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
	c := f.launchTiered("HNI", "HNI-SYT")
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

// TestALevelWithItsOwnLadderIsChasedByIt: the departments are reminded
// 20 minutes before their due and escalated to their head 10 minutes after
// it, the cities by the regime's policy (reminded 30 minutes before); the
// regime shows the departments' ladder, and the running cycle's timeline
// plans each level's moments by its own ladder, each naming its level.
func TestALevelWithItsOwnLadderIsChasedByIt(t *testing.T) {
	f := newFixture(t)
	code := fmt.Sprintf("%s_T%d", f.cycles().prefix, f.next())
	tiers := []api.Tier{
		{NameVI: "Sở, ngành", Depth: 4, DeadlineRule: "days:1", ReminderOffsets: &[]string{"20m"},
			Escalations: &[]reporting.EscalationDoc{{After: "10m", Recipients: []string{"head"}}}},
		{NameVI: "Tỉnh, thành phố", Depth: 3},
	}
	resp := f.do("staff", "POST", "/api/v1/regimes", tieredRegimeJSON(code, tiers, "HNI", "HNI-SYT"))
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	var regime api.Regime
	f.do("staff", "GET", "/api/v1/regimes/"+code, nil).decode(t, &regime)
	require.Equal(t, []string{"20m"}, *regime.Tiers[0].ReminderOffsets)
	require.Equal(t, "10m", (*regime.Tiers[0].Escalations)[0].After)
	require.Nil(t, regime.Tiers[1].ReminderOffsets, "the cities follow the regime's policy")

	resp = f.do("staff", "POST", "/api/v1/cycles", api.Launch{Regime: code, Period: pastPeriod(t), Due: "+2h",
		TierDue: []api.TierDue{{Level: 1, Due: "+1h"}}})
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	var launched api.Cycle
	resp.decode(t, &launched)
	f.waitStatus(launched.ID, reporting.CycleOpen)
	c, err := f.store.Cycle(context.Background(), launched.ID)
	require.NoError(t, err)
	lo, hi := c.Tiers[0], c.Tiers[1]

	var timeline api.Timeline
	f.do("staff", "GET", "/api/v1/cycles/"+c.ID+"/timeline", nil).decode(t, &timeline)
	planned := map[string]bool{}
	for _, m := range timeline.Moments {
		if m.Kind == "reminder" || m.Kind == "escalation" {
			planned[fmt.Sprintf("%s level %d at %s", m.Kind, m.Tier, m.At.UTC().Format(time.RFC3339))] = true
		}
	}
	at := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	require.Equal(t, map[string]bool{
		"reminder level 1 at " + at(lo.Due.Add(-20*time.Minute)):  true,
		"escalation level 1 at " + at(lo.Due.Add(10*time.Minute)): true,
		"reminder level 2 at " + at(hi.Due.Add(-30*time.Minute)):  true,
	}, planned, "%+v", timeline.Moments)
}

// addTierPeople adds to the fixture a second department of HNI, a
// department of HCM, an officer of each department and a reviewer of HNI
// (keys "officer:CODE" and "reviewer:HNI").
func (f *fixture) addTierPeople() {
	f.t.Helper()
	ctx := context.Background()
	_, _, err := f.engine.ImportAgencies(ctx, seeder, []reporting.Agency{
		{Code: "HNI-SXD", ParentCode: "HNI", NameVI: "Sở Xây dựng Hà Nội", Kind: "department"},
		{Code: "HCM-SYT", ParentCode: "HCM", NameVI: "Sở Y tế TP. Hồ Chí Minh", Kind: "department"},
	})
	require.NoError(f.t, err)
	for _, u := range []struct {
		key, email string
		role       access.Role
		agency     string
	}{
		{"officer:HNI-SYT", "syt@hanoi.gov.vn", access.Officer, "HNI-SYT"},
		{"officer:HNI-SXD", "sxd@hanoi.gov.vn", access.Officer, "HNI-SXD"},
		{"officer:HCM-SYT", "syt@hcm.gov.vn", access.Officer, "HCM-SYT"},
		{"reviewer:HNI", "thamdinh@hanoi.gov.vn", access.Reviewer, "HNI"},
	} {
		created, err := f.engine.CreateUser(ctx, seeder, store.User{Email: u.email, Role: u.role, AgencyCode: u.agency}, "")
		require.NoError(f.t, err)
		f.users[u.key] = created
		token, _, err := f.engine.CreateToken(ctx, seeder, created.ID, "test", nil)
		require.NoError(f.t, err)
		f.tokens[u.key] = token
	}
}

// submitAs submits GRDP for the agency through the API as the user key.
func (f *fixture) submitAs(key, cycleID, agency, grdp string) api.Receipt {
	f.t.Helper()
	resp := f.do(key, "POST", "/api/v1/cycles/"+cycleID+"/agencies/"+agency+"/submissions", map[string]any{"values": map[string]string{"GRDP": grdp}})
	require.Equal(f.t, http.StatusCreated, resp.status, "%s", resp.body)
	var r api.Receipt
	resp.decode(f.t, &r)
	return r
}

// TestTheLevelAboveReviewsAndConsolidates: HNI's reviewer sees and decides
// on HNI's departments only (not HCM's, not HNI's own report); the review
// notice goes to them; the progress per level says what HNI waits for; the
// consolidation pre-fills HNI's report from its accepted department.
func TestTheLevelAboveReviewsAndConsolidates(t *testing.T) {
	f := newFixture(t)
	f.addTierPeople()
	c := f.launchTiered("HNI", "HNI-SYT", "HNI-SXD", "HCM", "HCM-SYT")
	syt := f.submitAs("officer:HNI-SYT", c.ID, "HNI-SYT", "100.5")
	sxd := f.submitAs("officer:HNI-SXD", c.ID, "HNI-SXD", "50")
	hcm := f.submitAs("officer:HCM-SYT", c.ID, "HCM-SYT", "70")
	own := f.submitAs("officer", c.ID, "HNI", "1")

	// The queue holds HNI's departments, not HCM's nor HNI's own report.
	var queue api.Page[api.Submission]
	f.do("reviewer:HNI", "GET", "/api/v1/reviews?cycle="+c.ID, nil).decode(t, &queue)
	var queued []string
	for _, s := range queue.Items {
		queued = append(queued, s.Agency)
	}
	require.ElementsMatch(t, []string{"HNI-SYT", "HNI-SXD"}, queued)

	decide := func(id int64, decision, reason string) response {
		return f.do("reviewer:HNI", "POST", fmt.Sprintf("/api/v1/submissions/%d/review", id), map[string]string{"decision": decision, "reason": reason})
	}
	require.Equal(t, http.StatusCreated, decide(syt.SubmissionID, "accepted", "").status)
	require.Equal(t, http.StatusCreated, decide(sxd.SubmissionID, "returned", "thiếu vốn đầu tư").status)
	require.Equal(t, http.StatusNotFound, decide(hcm.SubmissionID, "accepted", "").status, "outside the subtree")
	resp := decide(own.SubmissionID, "accepted", "")
	require.Equal(t, http.StatusForbidden, resp.status, "its own agency's report goes to the level above: %s", resp.body)
	require.Equal(t, http.StatusNotFound, f.do("reviewer:HNI", "GET", fmt.Sprintf("/api/v1/submissions/%d", hcm.SubmissionID), nil).status)

	// The review notice of HNI's department went to HNI's reviewer.
	require.Eventually(t, func() bool {
		ns, err := f.store.ListNotifications(context.Background(), store.NotificationFilter{CycleID: c.ID, Kind: reporting.EventReviewWaiting})
		require.NoError(t, err)
		for _, n := range ns {
			if n.Key.Subject == fmt.Sprintf("HNI-SYT/user:%d", f.users["reviewer:HNI"].ID) || slices.Contains(n.Recipients, "thamdinh@hanoi.gov.vn") {
				return true
			}
		}
		return false
	}, 30*time.Second, 100*time.Millisecond, "no review notice to HNI's reviewer")

	// Progress per level, as HNI's reviewer sees it: HNI waits for one of two.
	var progress api.TierProgress
	f.do("reviewer:HNI", "GET", "/api/v1/cycles/"+c.ID+"/tiers", nil).decode(t, &progress)
	require.Len(t, progress.Levels, 2)
	require.Equal(t, 2, progress.Levels[0].Rates.Expected, "HNI's two departments, not HCM's")
	require.Equal(t, 1, progress.Levels[0].ByState["accepted"])
	require.Equal(t, 1, progress.Levels[0].ByState["returned"])
	require.Len(t, progress.Parents, 1)
	hni := progress.Parents[0]
	require.Equal(t, "HNI", hni.Agency)
	require.Equal(t, 2, hni.Children)
	require.Equal(t, 1, hni.Settled)
	require.Equal(t, []string{"HNI-SXD"}, hni.WaitingFor)

	// Office staff see both cities, and each level's own figures: the
	// departments' accepted one, no city's yet.
	f.do("staff", "GET", "/api/v1/cycles/"+c.ID+"/tiers", nil).decode(t, &progress)
	require.Len(t, progress.Parents, 2)
	require.Equal(t, 3, progress.Levels[0].Rates.Expected)
	require.Equal(t, []api.ConsolidatedValue{{Indicator: "GRDP", Aggregation: "sum", Value: "100.5", Contributors: 1, Expected: 3}},
		progress.Levels[0].Figures)
	require.Empty(t, progress.Levels[1].Figures)

	// HNI's officer reads its report pre-filled from the accepted department.
	var cons api.Consolidation
	resp = f.do("officer", "GET", "/api/v1/cycles/"+c.ID+"/agencies/HNI/consolidation", nil)
	require.Equal(t, http.StatusOK, resp.status, "%s", resp.body)
	resp.decode(t, &cons)
	require.Equal(t, []api.ConsolidatedValue{{Indicator: "GRDP", Aggregation: "sum", Value: "100.5", Contributors: 1, Expected: 2}}, cons.Values)
	require.Equal(t, []string{"HNI-SXD"}, cons.WaitingFor)
	require.Len(t, cons.Children, 2)

	// A department has nothing to consolidate.
	resp = f.do("staff", "GET", "/api/v1/cycles/"+c.ID+"/agencies/HNI-SYT/consolidation", nil)
	require.Equal(t, http.StatusUnprocessableEntity, resp.status, "%s", resp.body)
	require.Equal(t, "agency", resp.problem(t).Errors[0].Field)
}

func TestTheDashboardShowsProgressPerLevel(t *testing.T) {
	f := newFixture(t)
	f.addTierPeople()
	c := f.launchTiered("HNI", "HNI-SYT", "HNI-SXD")
	f.submitAs("officer:HNI-SYT", c.ID, "HNI-SYT", "10")
	resp := f.page("supervisor", "GET", "/cycles/"+c.ID, nil)
	require.Equal(t, http.StatusOK, resp.status)
	html := string(resp.body)
	require.Contains(t, html, `id="tier-levels"`)
	require.Contains(t, html, "Sở, ngành")
	require.Regexp(t, `data-agency="HNI">[^<]*còn chờ 2 / 2 \(HNI-SXD, HNI-SYT\)`, html)
	require.NotContains(t, html, `id="tier-figures"`, "no level has a figure yet")

	// Accepted, the department's figure shows at its level, with coverage.
	r := f.submitAs("officer:HNI-SXD", c.ID, "HNI-SXD", "1234.5")
	require.Equal(t, http.StatusCreated, f.do("reviewer:HNI", "POST", fmt.Sprintf("/api/v1/submissions/%d/review", r.SubmissionID),
		map[string]string{"decision": "accepted"}).status)
	html = string(f.page("supervisor", "GET", "/cycles/"+c.ID, nil).body)
	require.Contains(t, html, `id="tier-figures"`)
	require.Regexp(t, `<td class="n">1\.234,5 · 1/2[^<]*</td><td class="n"></td>`, html)
	require.NotContains(t, string(f.page("supervisor", "GET", "/cycles/"+f.cycles().cycleID, nil).body), `id="tier-levels"`,
		"a single-tier cycle has no levels")
}

func TestTheProvincesFormIsPrefilledFromItsAcceptedDepartments(t *testing.T) {
	f := newFixture(t)
	f.addTierPeople()
	c := f.launchTiered("HNI", "HNI-SYT", "HNI-SXD")
	r := f.submitAs("officer:HNI-SYT", c.ID, "HNI-SYT", "1234.5")
	require.Equal(t, http.StatusCreated, f.do("reviewer:HNI", "POST", fmt.Sprintf("/api/v1/submissions/%d/review", r.SubmissionID),
		map[string]string{"decision": "accepted"}).status)

	resp := f.page("officer", "GET", "/cycles/"+c.ID+"/agencies/HNI", nil)
	require.Equal(t, http.StatusOK, resp.status)
	html := string(resp.body)
	require.Contains(t, html, `id="prefilled"`)
	require.Contains(t, html, `name="v_GRDP" value="1.234,5"`, "the department's figure, as Vietnamese write it")
	require.Contains(t, html, "Tổng hợp từ 1/2 báo cáo đã được chấp nhận của cấp dưới. Còn thiếu: HNI-SXD.")

	// A department's own form is not pre-filled.
	html = string(f.page("officer:HNI-SXD", "GET", "/cycles/"+c.ID+"/agencies/HNI-SXD", nil).body)
	require.NotContains(t, html, `id="prefilled"`)
}

// TestReturningAConsolidatedReportReopensChosenDepartments: office staff
// return HNI's consolidated report and reopen one of its departments with
// it, in one transaction; a department of another city, one named twice, a
// reopen with an acceptance, or a reviewer reopening are refused, and
// nothing is written.
func TestReturningAConsolidatedReportReopensChosenDepartments(t *testing.T) {
	f := newFixture(t)
	f.addTierPeople()
	c := f.launchTiered("HNI", "HNI-SYT", "HNI-SXD", "HCM", "HCM-SYT")
	for _, d := range []string{"HNI-SYT", "HNI-SXD"} {
		r := f.submitAs("officer:"+d, c.ID, d, "10")
		require.Equal(t, http.StatusCreated, f.do("reviewer:HNI", "POST", fmt.Sprintf("/api/v1/submissions/%d/review", r.SubmissionID),
			map[string]string{"decision": "accepted"}).status)
	}
	hni := f.submitAs("officer", c.ID, "HNI", "20")
	status := func(agency string) string {
		var o api.AgencyObligation
		f.do("staff", "GET", "/api/v1/cycles/"+c.ID+"/agencies/"+agency, nil).decode(t, &o)
		return o.Obligation.Status
	}
	review := func(role string, body map[string]any) response {
		return f.do(role, "POST", fmt.Sprintf("/api/v1/submissions/%d/review", hni.SubmissionID), body)
	}
	for _, bad := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"decision": "returned", "reason": "lệch số liệu", "reopen": []string{"HCM-SYT"}}, "reopen[0]"},
		{map[string]any{"decision": "returned", "reason": "lệch số liệu", "reopen": []string{"HNI-SYT", "HNI-SYT"}}, "reopen[1]"},
		{map[string]any{"decision": "returned", "reason": "lệch số liệu", "reopen": []string{"NOWHERE"}}, "reopen[0]"},
		{map[string]any{"decision": "accepted", "reopen": []string{"HNI-SYT"}}, "reopen"},
	} {
		resp := review("staff", bad.body)
		require.Equal(t, http.StatusUnprocessableEntity, resp.status, "%s", resp.body)
		require.Equal(t, bad.field, resp.problem(t).Errors[0].Field)
	}
	// R-DBSH's reviewer reviews HNI's report, but only office staff reopen.
	resp := f.do("reviewer", "POST", fmt.Sprintf("/api/v1/submissions/%d/review", hni.SubmissionID),
		map[string]any{"decision": "returned", "reason": "x", "reopen": []string{"HNI-SYT"}})
	require.Equal(t, http.StatusForbidden, resp.status, "%s", resp.body)
	require.Equal(t, "accepted", status("HNI-SYT"), "nothing written")
	require.NotEqual(t, "returned", status("HNI"), "nothing written")

	resp = review("staff", map[string]any{"decision": "returned", "reason": "Sở Tài chính chưa khớp", "reopen": []string{"HNI-SYT"}})
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	require.Equal(t, "returned", status("HNI"))
	require.Equal(t, "returned", status("HNI-SYT"), "reopened with the return")
	require.Equal(t, "accepted", status("HNI-SXD"), "not chosen, kept")

	var progress api.TierProgress
	f.do("reviewer:HNI", "GET", "/api/v1/cycles/"+c.ID+"/tiers", nil).decode(t, &progress)
	require.Equal(t, []string{"HNI-SYT"}, progress.Parents[0].WaitingFor)
}

// TestAReportSentBeforeItsDepartmentsAreInRecordsThemMissing: HNI sends
// its report while HNI-SXD's is not in; the version records HNI-SXD as
// missing, as data: in the API, on the review page and in the
// consolidation. A department's version consolidates nothing and records
// none; HNI's next version, once HNI-SXD is accepted, records none either.
func TestAReportSentBeforeItsDepartmentsAreInRecordsThemMissing(t *testing.T) {
	f := newFixture(t)
	f.addTierPeople()
	c := f.launchTiered("HNI", "HNI-SYT", "HNI-SXD")
	accept := func(r api.Receipt) {
		require.Equal(t, http.StatusCreated, f.do("reviewer:HNI", "POST", fmt.Sprintf("/api/v1/submissions/%d/review", r.SubmissionID),
			map[string]string{"decision": "accepted"}).status)
	}
	syt := f.submitAs("officer:HNI-SYT", c.ID, "HNI-SYT", "10")
	accept(syt)
	early := f.submitAs("officer", c.ID, "HNI", "10")
	version := func(r api.Receipt) api.Submission {
		var sub api.Submission
		f.do("staff", "GET", fmt.Sprintf("/api/v1/submissions/%d", r.SubmissionID), nil).decode(t, &sub)
		return sub
	}
	require.Equal(t, []string{"HNI-SXD"}, version(early).MissingChildren)
	require.Empty(t, version(syt).MissingChildren, "a department consolidates nothing")

	html := string(f.page("staff", "GET", fmt.Sprintf("/review/%d", early.SubmissionID), nil).body)
	require.Regexp(t, `gửi khi còn thiếu báo cáo của</dt><dd id="missing-children" class="warn">HNI-SXD</dd>`, html)
	var cons api.Consolidation
	f.do("officer", "GET", "/api/v1/cycles/"+c.ID+"/agencies/HNI/consolidation", nil).decode(t, &cons)
	require.Equal(t, 1, cons.LatestVersion)
	require.Equal(t, []string{"HNI-SXD"}, cons.SentWithout)

	accept(f.submitAs("officer:HNI-SXD", c.ID, "HNI-SXD", "5"))
	complete := f.submitAs("officer", c.ID, "HNI", "15")
	require.Empty(t, version(complete).MissingChildren, "every department is in")
	require.NotContains(t, string(f.page("staff", "GET", fmt.Sprintf("/review/%d", complete.SubmissionID), nil).body), `id="missing-children"`)
	cons = api.Consolidation{}
	f.do("officer", "GET", "/api/v1/cycles/"+c.ID+"/agencies/HNI/consolidation", nil).decode(t, &cons)
	require.Equal(t, 2, cons.LatestVersion)
	require.Empty(t, cons.SentWithout)
}
