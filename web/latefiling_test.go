package web

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcm/api"
	"rcm/operations"
	"rcm/reporting"
)

// closedCycle opens a cycle for the agencies, lets prepare act on it, closes
// it early and waits until its results are stored.
func (f *fixture) closedCycle(prepare func(cycleID string), agencies ...string) string {
	f.t.Helper()
	cycleID := f.openCycle(agencies...)
	if prepare != nil {
		prepare(cycleID)
	}
	require.NoError(f.t, f.engine.Close(context.Background(), f.caller("staff"), cycleID, "khóa sổ sớm để kiểm thử"))
	f.waitStatus(cycleID, reporting.CycleClosed)
	return cycleID
}

// lateFiling files a late version of the agency in a closed cycle.
func (f *fixture) lateFiling(cycleID, agency string) operations.LateFiling {
	f.t.Helper()
	lf, err := f.engine.FileLate(context.Background(), f.caller(officerOf[agency]), operations.LateFilingRequest{
		SubmitRequest: operations.SubmitRequest{CycleID: cycleID, AgencyCode: agency, Values: reporting.Values{"GRDP": "777"}, Source: "json"},
		Reason:        "mất điện diện rộng"})
	require.NoError(f.t, err)
	return lf
}

// lateCounts counts what a late filing or its decision writes: actions,
// versions, reviews, hand-offs, audit rows, and the stored compliance's
// late count of the cycle's root.
func (f *fixture) lateCounts(cycleID string) [6]int {
	f.t.Helper()
	var out [6]int
	a := f.actionCounts(cycleID)
	out[0], out[3], out[4] = a[0], a[1], a[2]
	ctx := context.Background()
	pool := f.store.Pool()
	require.NoError(f.t, pool.QueryRow(ctx, `SELECT count(*) FROM submissions WHERE cycle_id = $1`, cycleID).Scan(&out[1]))
	require.NoError(f.t, pool.QueryRow(ctx, `SELECT count(*) FROM reviews r JOIN submissions s ON s.id = r.submission_id WHERE s.cycle_id = $1`, cycleID).Scan(&out[2]))
	require.NoError(f.t, pool.QueryRow(ctx, `SELECT coalesce(sum(late), 0) FROM cycle_compliance WHERE cycle_id = $1`, cycleID).Scan(&out[5]))
	return out
}

// TestLateFilingRefusesBadInputNamingTheFieldAndChangesNothing: the late
// filing routes refuse bad input with a problem naming the field (422), the
// state of things (409) or the media type (415), and write nothing.
func TestLateFilingRefusesBadInputNamingTheFieldAndChangesNothing(t *testing.T) {
	f := newFixture(t)
	f.cycles()
	open := f.openCycle("HNI")
	closed := f.closedCycle(nil, "HNI")
	accepted := f.closedCycle(func(id string) {
		r := f.submitFor(id, "HNI", "5")
		_, err := f.engine.Review(context.Background(), f.caller("staff"), operations.ReviewRequest{SubmissionID: r.SubmissionID, Decision: reporting.DecisionAccepted})
		require.NoError(t, err)
	}, "HNI")
	pending := f.closedCycle(nil, "HNI")
	lf := f.lateFiling(pending, "HNI")
	path := func(cycleID string) string { return "/api/v1/cycles/" + cycleID + "/agencies/HNI/late-filings" }
	decision := fmt.Sprintf("/api/v1/late-filings/%d/decision", lf.Action.ID)
	good := map[string]any{"values": map[string]any{"GRDP": 10}, "reason": "mất điện"}
	for _, tt := range []struct {
		name, role, cycle, path string
		body                    any
		status                  int
		field                   string
	}{
		{"without a reason", "officer", closed, path(closed), map[string]any{"values": map[string]any{"GRDP": 10}, "reason": " "}, 422, "reason"},
		{"a reason too long", "officer", closed, path(closed), map[string]any{"values": map[string]any{"GRDP": 10}, "reason": string(make([]byte, 4001))}, 400, "reason"},
		{"a bad value", "officer", closed, path(closed), map[string]any{"values": map[string]any{"GRDP": "12,5"}, "reason": "x"}, 422, "values.GRDP"},
		{"an unknown field", "officer", closed, path(closed), map[string]any{"values": map[string]any{"GRDP": 1}, "reason": "x", "late": true}, 400, ""},
		{"before close", "officer", open, path(open), good, 409, ""},
		{"after an accepted report", "officer", accepted, path(accepted), good, 409, ""},
		{"a second pending late filing", "officer", pending, path(pending), good, 409, ""},
		{"a decision that is neither", "staff", pending, decision, map[string]string{"decision": "maybe"}, 422, "decision"},
		{"a refusal without a reason", "staff", pending, decision, map[string]string{"decision": "refused"}, 422, "reason"},
		{"a decision on nothing", "staff", pending, "/api/v1/late-filings/999999/decision", map[string]string{"decision": "admitted"}, 404, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := f.lateCounts(tt.cycle)
			resp := f.do(tt.role, "POST", tt.path, tt.body)
			require.Equal(t, tt.status, resp.status, "%s", resp.body)
			if tt.field != "" {
				var p api.Problem
				resp.decode(t, &p)
				require.NotEmpty(t, p.Errors, "%s", resp.body)
				assert.Equal(t, tt.field, p.Errors[0].Field, "%s", resp.body)
			}
			assert.Equal(t, before, f.lateCounts(tt.cycle), "a refused late filing or decision writes nothing")
		})
	}
	// A bare CSV body has no room for the reason.
	before := f.lateCounts(closed)
	resp := f.do("officer", "POST", path(closed), "indicator,value\nGRDP,1\n", "Content-Type", "text/csv")
	require.Equal(t, http.StatusUnsupportedMediaType, resp.status, "%s", resp.body)
	// Staff cannot file for an agency; an officer cannot decide; the list
	// refuses an unknown state.
	resp = f.do("staff", "POST", path(closed), good)
	require.Equal(t, http.StatusForbidden, resp.status, "%s", resp.body)
	resp = f.do("officer", "POST", decision, map[string]string{"decision": "admitted"})
	require.Equal(t, http.StatusForbidden, resp.status, "%s", resp.body)
	resp = f.do("supervisor", "POST", decision, map[string]string{"decision": "admitted"})
	require.Equal(t, http.StatusForbidden, resp.status, "%s", resp.body)
	resp = f.do("staff", "GET", "/api/v1/late-filings?status=maybe", nil)
	require.Equal(t, http.StatusBadRequest, resp.status, "%s", resp.body)
	assert.Equal(t, before, f.lateCounts(closed))
}

// TestALateFilingAdmittedCountsLateAndRecomputesTheClosedCycle: a report
// missing at close, filed late and admitted, is the agency's accepted
// report counted late; the stored compliance and aggregates of the closed
// cycle say so at once. A refused one leaves the state at close.
func TestALateFilingAdmittedCountsLateAndRecomputesTheClosedCycle(t *testing.T) {
	f := newFixture(t)
	f.cycles()
	cycleID := f.closedCycle(nil, "HNI", "HCM")
	compliance := func() reporting.Rates {
		var page api.Compliance
		resp := f.do("staff", "GET", "/api/v1/cycles/"+cycleID+"/compliance", nil)
		require.Equal(t, 200, resp.status, "%s", resp.body)
		resp.decode(t, &page)
		require.True(t, page.Final)
		for _, row := range page.Items {
			if row.Agency == "HNI" {
				return row.Rates
			}
		}
		t.Fatalf("no compliance of HNI: %s", resp.body)
		return reporting.Rates{}
	}
	before := compliance()
	require.Equal(t, 1, before.Missing, "%+v", before)

	resp := f.do("officer", "POST", "/api/v1/cycles/"+cycleID+"/agencies/HNI/late-filings",
		map[string]any{"values": map[string]any{"GRDP": "777"}, "narrative": "nộp muộn", "reason": "mất điện diện rộng"})
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	var lf api.LateFiling
	resp.decode(t, &lf)
	assert.Equal(t, "late_filing", lf.LateFiling.Kind)
	assert.Equal(t, "pending", lf.LateFiling.Status)
	assert.Equal(t, 1, lf.Receipt.Version)
	assert.Equal(t, before, compliance(), "a late filing counts only once admitted")

	resp = f.do("staff", "GET", "/api/v1/late-filings?status=pending&cycle="+cycleID, nil)
	require.Equal(t, 200, resp.status, "%s", resp.body)
	var list api.Page[api.Action]
	resp.decode(t, &list)
	require.Len(t, list.Items, 1)

	resp = f.do("staff", "POST", fmt.Sprintf("/api/v1/late-filings/%d/decision", lf.LateFiling.ID), map[string]string{"decision": "admitted"})
	require.Equal(t, 200, resp.status, "%s", resp.body)
	after := compliance()
	assert.Equal(t, 0, after.Missing, "%+v", after)
	assert.Equal(t, 1, after.Late, "%+v", after)
	assert.Equal(t, 0, after.OnTime, "%+v", after)
	assert.Equal(t, 1, after.Submitted, "%+v", after)

	ob, err := f.store.Obligation(context.Background(), cycleID, "HNI")
	require.NoError(t, err)
	assert.Equal(t, reporting.ObligationLate, ob.Status)
	aggs, err := f.store.CycleAggregates(context.Background(), cycleID, "")
	require.NoError(t, err)
	found := false
	for _, g := range aggs {
		if g.AgencyCode == "HNI" && g.IndicatorCode == "GRDP" {
			found = true
			assert.Equal(t, "777", g.Value)
			assert.Equal(t, 1, g.Contributors)
		}
	}
	assert.True(t, found, "the admitted figure is in the stored aggregates: %+v", aggs)

	// HCM files late and is refused: the state at close stands.
	refused := f.lateFiling(cycleID, "HCM")
	resp = f.do("staff", "POST", fmt.Sprintf("/api/v1/late-filings/%d/decision", refused.Action.ID), map[string]string{"decision": "refused", "reason": "quá hạn"})
	require.Equal(t, 200, resp.status, "%s", resp.body)
	hcm, err := f.store.Obligation(context.Background(), cycleID, "HCM")
	require.NoError(t, err)
	assert.Equal(t, reporting.ObligationMissing, hcm.Status)
	// A reopen after close is refused, pointing to late filing.
	resp = f.do("staff", "POST", "/api/v1/cycles/"+cycleID+"/agencies/HNI/reopen", map[string]string{"reason": "sửa số"})
	require.Equal(t, http.StatusConflict, resp.status, "%s", resp.body)
	assert.Contains(t, string(resp.body), "rcm late-file")
}

// TestAnExtendedOverdueObligationIsNoLongerOverdue: an obligation overdue
// under its old due is notified again once its due moves past now, and
// becomes overdue again only at the new due.
func TestAnExtendedOverdueObligationIsNoLongerOverdue(t *testing.T) {
	f := newFixture(t)
	f.cycles()
	due := time.Now().Add(3 * time.Second)
	c, err := f.engine.Launch(context.Background(), f.caller("staff"), operations.LaunchRequest{
		RegimeCode: f.freshRegime("HNI", "HCM"), Period: pastPeriod(t), Due: &due})
	require.NoError(t, err)
	f.waitStatus(c.ID, reporting.CycleOpen)
	status := func(agency string) reporting.ObligationStatus {
		ob, err := f.store.Obligation(context.Background(), c.ID, agency)
		require.NoError(t, err)
		return ob.Status
	}
	require.Eventually(t, func() bool { return status("HNI") == reporting.ObligationOverdue }, 30*time.Second, 100*time.Millisecond)
	_, err = f.engine.Extend(context.Background(), f.caller("staff"), operations.ExtendRequest{CycleID: c.ID, AgencyCode: "HNI",
		Due: time.Now().Add(time.Hour), Reason: "bão số 10"})
	require.NoError(t, err)
	assert.Equal(t, reporting.ObligationNotified, status("HNI"), "the extension takes it out of overdue")
	assert.Equal(t, reporting.ObligationOverdue, status("HCM"), "the others keep their state")
}

// TestAdmissionsAtOnceEachCountInTheStoredResults: two late filings of one
// closed cycle admitted at the same moment both count in its recomputed
// results (each recomputation sees the other's admission).
func TestAdmissionsAtOnceEachCountInTheStoredResults(t *testing.T) {
	f := newFixture(t)
	f.cycles()
	cycleID := f.closedCycle(nil, "HNI", "HCM")
	ids := []int64{f.lateFiling(cycleID, "HNI").Action.ID, f.lateFiling(cycleID, "HCM").Action.ID}
	errs := make(chan error, len(ids))
	for _, id := range ids {
		go func() {
			_, err := f.engine.DecideLateFiling(context.Background(), f.caller("staff"),
				operations.LateFilingDecisionRequest{ActionID: id, Decision: reporting.ActionAdmitted})
			errs <- err
		}()
	}
	for range ids {
		require.NoError(t, <-errs)
	}
	var late int
	require.NoError(t, f.store.Pool().QueryRow(context.Background(), `
		SELECT c.late FROM cycle_compliance c JOIN agencies a ON a.code = c.agency_code
		 WHERE c.cycle_id = $1 AND a.parent_code IS NULL`, cycleID).Scan(&late))
	assert.Equal(t, 2, late, "the root's stored compliance counts both admissions")
}
