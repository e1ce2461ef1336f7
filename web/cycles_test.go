package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"rcm/api"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
)

func TestLaunchExtendAndCancelThroughTheAPI(t *testing.T) {
	f := newFixture(t)
	regime := f.freshRegime("HNI", "HPG", "HCM")
	period := pastPeriod(t)

	resp := f.do("staff", "POST", "/api/v1/cycles", map[string]any{"regime": regime, "period": period, "due": "tomorrow",
		"reminder_offsets": []string{"1h", "soon"}, "escalations": []map[string]any{{"recipients": []string{"officer"}}}})
	require.Equal(t, http.StatusUnprocessableEntity, resp.status, "%s", resp.body)
	var fields []string
	for _, fp := range resp.problem(t).Errors {
		fields = append(fields, fp.Field)
	}
	require.ElementsMatch(t, []string{"due", "reminder_offsets[1]", "escalations[0].after"}, fields)
	resp = f.do("staff", "POST", "/api/v1/cycles", map[string]any{"regime": "NOPE", "period": period})
	require.Equal(t, http.StatusUnprocessableEntity, resp.status)
	require.Equal(t, "regime", resp.problem(t).Errors[0].Field)

	// By the regime's own rule, a period whose due has passed would open
	// overdue, escalate everyone and close at once: refused, nothing made.
	last, err := reporting.ParsePeriod(period)
	require.NoError(t, err)
	lastStart, _ := last.Window()
	older, ok := reporting.PeriodContaining(reporting.Monthly, lastStart.AddDays(-1))
	require.True(t, ok)
	resp = f.do("staff", "POST", "/api/v1/cycles", map[string]any{"regime": regime, "period": older.ID})
	require.Equal(t, http.StatusUnprocessableEntity, resp.status, "%s", resp.body)
	require.Equal(t, "due", resp.problem(t).Errors[0].Field)
	require.Contains(t, resp.problem(t).Errors[0].Reason, "already past")
	_, err = f.store.Cycle(context.Background(), regime+"-"+older.ID)
	require.ErrorIs(t, err, store.ErrNotFound, "no cycle recorded")

	resp = f.do("staff", "POST", "/api/v1/cycles", map[string]any{"regime": regime, "period": period, "due": "+1h",
		"reminder_offsets": []string{"20m"}, "escalations": []map[string]any{{"after": "10m", "recipients": []string{"officer", "head"}}},
		"close_after": "3h"})
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	var c api.Cycle
	resp.decode(t, &c)
	require.Equal(t, regime+"-"+period, c.ID)
	require.Equal(t, []string{"20m"}, c.Policy.ReminderOffsets)
	require.Equal(t, "3h", c.Policy.CloseAfter)
	require.WithinDuration(t, time.Now().Add(time.Hour), c.Due, time.Minute)
	require.Equal(t, "/api/v1/cycles/"+c.ID, resp.header.Get("Location"))

	f.waitStatus(c.ID, reporting.CycleOpen)
	resp = f.do("staff", "POST", "/api/v1/cycles", map[string]any{"regime": regime, "period": period, "due": "+1h"})
	require.Equal(t, http.StatusConflict, resp.status)
	require.Contains(t, resp.problem(t).Detail, "cycle "+c.ID+" was already launched")

	// Counts are within the caller's scope.
	var seen api.Cycle
	f.do("staff", "GET", "/api/v1/cycles/"+c.ID, nil).decode(t, &seen)
	require.Equal(t, 3, seen.Expected)
	f.do("supervisor", "GET", "/api/v1/cycles/"+c.ID, nil).decode(t, &seen)
	require.Equal(t, 2, seen.Expected, "the region's HNI and HPG, not HCM")
	require.Equal(t, 2, *seen.InScope, "HNI and HPG, not HCM")
	var listed api.Page[api.Cycle]
	f.do("supervisor", "GET", "/api/v1/cycles?regime="+regime, nil).decode(t, &listed)
	require.Len(t, listed.Items, 1)
	require.Equal(t, 2, listed.Items[0].Expected, "the list is scoped as the detail")
	f.do("officer", "GET", "/api/v1/cycles/"+c.ID, nil).decode(t, &seen)
	require.Equal(t, 1, *seen.InScope)
	require.Equal(t, 1, seen.Expected)
	require.Equal(t, 404, f.do("officer", "GET", "/api/v1/cycles/NOPE-2026-01", nil).status)

	// An extension to a date ends that day in the cycle's zone.
	loc, err := reporting.LoadLocation("Asia/Ho_Chi_Minh")
	require.NoError(t, err)
	day := reporting.DateOf(time.Now().Add(72*time.Hour), loc)
	resp = f.do("staff", "POST", "/api/v1/cycles/"+c.ID+"/extensions", map[string]string{"agency": "HNI", "due": day.String(), "reason": "bão"})
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	var ext api.Extension
	resp.decode(t, &ext)
	require.True(t, ext.Due.Equal(day.End(loc)), "due %s, want the end of %s in Vietnam", ext.Due, day)
	require.Equal(t, 1, ext.Affected)
	var ob api.AgencyObligation
	f.do("officer", "GET", "/api/v1/cycles/"+c.ID+"/agencies/HNI", nil).decode(t, &ob)
	require.True(t, ob.Obligation.Due.Equal(day.End(loc)))
	resp = f.do("staff", "POST", "/api/v1/cycles/"+c.ID+"/extensions", map[string]string{"due": "2020-01-01", "reason": "x"})
	require.Equal(t, http.StatusUnprocessableEntity, resp.status, "%s", resp.body)
	resp = f.do("staff", "POST", "/api/v1/cycles/"+c.ID+"/extensions", map[string]string{"due": day.String()})
	require.Equal(t, http.StatusUnprocessableEntity, resp.status)
	require.Equal(t, "reason", resp.problem(t).Errors[0].Field)

	// The timeline comes from the workflow.
	require.Eventually(t, func() bool {
		var tl api.Timeline
		resp := f.do("supervisor", "GET", "/api/v1/cycles/"+c.ID+"/timeline", nil)
		if resp.status != 200 {
			return false
		}
		resp.decode(t, &tl)
		return len(tl.Moments) > 0 && tl.Moments[0].Kind == "deadline_notice" && tl.Moments[0].Done
	}, 30*time.Second, 100*time.Millisecond)
	// Its figures are the caller's part of the tree: the supervisor's are
	// those of the notices about R-DBSH's agencies, office staff's the
	// cycle's.
	var whole, region api.Timeline
	f.do("staff", "GET", "/api/v1/cycles/"+c.ID+"/timeline", nil).decode(t, &whole)
	f.do("supervisor", "GET", "/api/v1/cycles/"+c.ID+"/timeline", nil).decode(t, &region)
	require.Equal(t, 3, whole.Expected)
	require.Equal(t, 2, region.Expected)
	notices, err := f.store.ListNotifications(context.Background(), store.NotificationFilter{CycleID: c.ID, Kind: reporting.EventDeadlineNotice})
	require.NoError(t, err)
	want := api.WaveResult{}
	for _, n := range notices {
		agency, _, _ := strings.Cut(n.Key.Subject, "/")
		if agency != "HNI" && agency != "HPG" {
			continue
		}
		want.Selected++
		switch n.Status {
		case reporting.NotificationSent:
			want.Sent++
		case reporting.NotificationFailed:
			want.Failed++
		case reporting.NotificationSkipped:
			want.Skipped++
		}
	}
	require.Equal(t, 2, want.Selected, "one notice each to HNI and HPG: %+v", notices)
	require.Equal(t, 3, whole.Moments[0].Result.Selected)
	require.Equal(t, want, *region.Moments[0].Result)

	require.Equal(t, http.StatusUnprocessableEntity, f.do("staff", "POST", "/api/v1/cycles/"+c.ID+"/cancel", map[string]string{}).status)
	resp = f.do("staff", "POST", "/api/v1/cycles/"+c.ID+"/cancel", map[string]string{"reason": "phát hành nhầm"})
	require.Equal(t, http.StatusOK, resp.status, "%s", resp.body)
	resp.decode(t, &seen)
	require.Equal(t, "cancelled", seen.Status)
	resp = f.do("staff", "POST", "/api/v1/cycles/"+c.ID+"/close", map[string]string{"reason": "x"})
	require.Equal(t, http.StatusConflict, resp.status)
	require.Contains(t, resp.problem(t).Detail, c.ID)
}

func TestReviewQueueAndDecisions(t *testing.T) {
	f := newFixture(t)
	w := f.cycles()
	hni := w.subs["HNI"]

	var queue api.Page[api.Submission]
	f.do("staff", "GET", "/api/v1/reviews?cycle="+w.cycleID, nil).decode(t, &queue)
	require.Len(t, queue.Items, 2)
	require.Equal(t, hni.SubmissionID, queue.Items[0].ID, "oldest first")

	path := fmt.Sprintf("/api/v1/submissions/%d/review", hni.SubmissionID)
	resp := f.do("staff", "POST", path, map[string]string{"decision": "returned"})
	require.Equal(t, http.StatusUnprocessableEntity, resp.status)
	require.Equal(t, "reason", resp.problem(t).Errors[0].Field)
	require.Equal(t, http.StatusUnprocessableEntity, f.do("staff", "POST", path, map[string]string{"decision": "maybe"}).status)
	resp = f.do("staff", "POST", path, map[string]string{"decision": "returned", "reason": "GRDP thiếu số liệu quý"})
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	resp = f.do("staff", "POST", path, map[string]string{"decision": "accepted"})
	require.Equal(t, http.StatusConflict, resp.status)
	require.Contains(t, resp.problem(t).Detail, "was already returned")

	var detail api.AgencyObligation
	f.do("officer", "GET", "/api/v1/cycles/"+w.cycleID+"/agencies/HNI", nil).decode(t, &detail)
	require.Equal(t, "returned", detail.Obligation.Status)
	require.Equal(t, "GRDP thiếu số liệu quý", detail.Versions[0].Review.Reason)

	second := f.submitFor(w.cycleID, "HNI", "110")
	require.Equal(t, http.StatusConflict, f.do("staff", "POST", path, map[string]string{"decision": "accepted"}).status)
	resp = f.do("staff", "POST", fmt.Sprintf("/api/v1/submissions/%d/review", second.SubmissionID), map[string]string{"decision": "accepted"})
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	f.do("officer", "GET", "/api/v1/cycles/"+w.cycleID+"/agencies/HNI", nil).decode(t, &detail)
	require.Equal(t, "accepted", detail.Obligation.Status)
	require.Equal(t, 404, f.do("staff", "POST", "/api/v1/submissions/999999/review", map[string]string{"decision": "accepted"}).status)

	metrics := string(f.do("staff", "GET", "/metrics", nil).body)
	require.Contains(t, metrics, `rcm_reviews_total{decision="accepted"} 1`)
	require.Contains(t, metrics, `rcm_reviews_total{decision="returned"} 1`)
}

// compliancePaths returns the agencies of a compliance answer, by code.
func complianceByAgency(t *testing.T, f *fixture, role, query string) (api.Compliance, map[string]api.ComplianceRow) {
	t.Helper()
	var c api.Compliance
	resp := f.do(role, "GET", "/api/v1/cycles/"+f.cycles().cycleID+"/compliance"+query, nil)
	require.Equal(t, 200, resp.status, "%s", resp.body)
	resp.decode(t, &c)
	out := map[string]api.ComplianceRow{}
	for _, it := range c.Items {
		out[it.Agency] = it
	}
	return c, out
}

func codesOf[T any](m map[string]T) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestResultsAreScopedLiveThenFinal(t *testing.T) {
	f := newFixture(t)
	w := f.cycles()
	// HNI is accepted (on time), HCM waits for review, HPG never submits.
	require.Equal(t, 201, f.do("staff", "POST", fmt.Sprintf("/api/v1/submissions/%d/review", w.subs["HNI"].SubmissionID),
		map[string]string{"decision": "accepted"}).status)

	c, rows := complianceByAgency(t, f, "staff", "")
	require.False(t, c.Final)
	require.ElementsMatch(t, []string{"VN", "R-DBSH", "R-DNB", "HNI", "HPG", "HCM"}, codesOf(rows))
	// Live states while the cycle runs, before due (issue 10): HPG is not yet
	// due, not missing; HCM awaits review, it is not "not accepted"; the
	// on-time rate is over the two submitted so far.
	require.Equal(t, reporting.Rates{Expected: 3, Submitted: 2, NotYetDue: 1, Accepted: 1, AwaitingReview: 1, Timely: 2,
		SubmittedOnTime: 2, ReviewBacklog: 1, ReportingRate: 66.67, OnTimeRate: 100, SubmittedOnTimeRate: 66.67,
		OnTimeRateBasis: reporting.BasisSubmitted}, rows["VN"].Rates)

	_, rows = complianceByAgency(t, f, "supervisor", "")
	require.ElementsMatch(t, []string{"R-DBSH", "HNI", "HPG"}, codesOf(rows), "a region's supervisor sees nothing of another region")
	require.Equal(t, reporting.Rates{Expected: 2, Submitted: 1, NotYetDue: 1, Accepted: 1, Timely: 1, SubmittedOnTime: 1,
		ReportingRate: 50, OnTimeRate: 100, SubmittedOnTimeRate: 50, OnTimeRateBasis: reporting.BasisSubmitted}, rows["R-DBSH"].Rates)
	_, rows = complianceByAgency(t, f, "officer", "")
	require.ElementsMatch(t, []string{"HNI"}, codesOf(rows))
	require.Equal(t, 404, f.do("supervisor", "GET", "/api/v1/cycles/"+w.cycleID+"/compliance?under=HCM", nil).status)
	require.Equal(t, 404, f.do("supervisor", "GET", "/api/v1/cycles/"+w.cycleID+"/aggregates?under=VN", nil).status)

	var agg api.Aggregates
	f.do("supervisor", "GET", "/api/v1/cycles/"+w.cycleID+"/aggregates", nil).decode(t, &agg)
	require.False(t, agg.Final)
	require.Equal(t, []api.AggregateRow{
		{Agency: "R-DBSH", NameVI: "Đồng bằng sông Hồng", Path: "/VN/R-DBSH/", Indicator: "GRDP", Value: "100", Contributors: 1, Expected: 2},
		{Agency: "HNI", NameVI: "Thành phố Hà Nội", Path: "/VN/R-DBSH/HNI/", Indicator: "GRDP", Value: "100", Contributors: 1, Expected: 1},
	}, agg.Items, "coverage: one of the region's two agencies")

	// After close the figures are the stored final ones, scoped the same way.
	require.Equal(t, 202, f.do("staff", "POST", "/api/v1/cycles/"+w.cycleID+"/close", map[string]string{"reason": "đủ"}).status)
	f.waitStatus(w.cycleID, reporting.CycleClosed)
	c, rows = complianceByAgency(t, f, "supervisor", "")
	require.True(t, c.Final)
	require.ElementsMatch(t, []string{"R-DBSH", "HNI", "HPG"}, codesOf(rows))
	require.Equal(t, reporting.Rates{Expected: 2, Submitted: 1, OnTime: 1, Missing: 1, Timely: 1, SubmittedOnTime: 1,
		ReportingRate: 50, OnTimeRate: 50, SubmittedOnTimeRate: 50, OnTimeRateBasis: reporting.BasisExpected}, rows["R-DBSH"].Rates)
	_, rows = complianceByAgency(t, f, "staff", "?under=HCM")
	require.Equal(t, 1, rows["HCM"].NotReviewed, "never reviewed by close: its own state, not 'not accepted'")
	require.Zero(t, rows["HCM"].NotAccepted)
	agg = api.Aggregates{}
	f.do("staff", "GET", "/api/v1/cycles/"+w.cycleID+"/aggregates?under=R-DBSH", nil).decode(t, &agg)
	require.True(t, agg.Final)
	require.Len(t, agg.Items, 2)
	require.Equal(t, "100", agg.Items[0].Value)

	// The spreadsheet holds the same rows.
	resp := f.do("supervisor", "GET", "/api/v1/cycles/"+w.cycleID+"/compliance?format=xlsx&lang=en", nil)
	require.Equal(t, 200, resp.status)
	require.Equal(t, contentTypeXLSX, resp.header.Get("Content-Type"))
	x, err := excelize.OpenReader(bytes.NewReader(resp.body))
	require.NoError(t, err)
	sheetRows, err := x.GetRows("Compliance")
	require.NoError(t, err)
	require.Contains(t, sheetRows[0][0], "Final figures")
	require.Equal(t, "Agency", sheetRows[1][0])
	var agencies []string
	for _, r := range sheetRows[2:] {
		agencies = append(agencies, r[0])
	}
	require.ElementsMatch(t, []string{"R-DBSH", "HNI", "HPG"}, agencies)
	require.Equal(t, 400, f.do("staff", "GET", "/api/v1/cycles/"+w.cycleID+"/aggregates?format=pdf", nil).status)
	resp = f.do("staff", "GET", "/api/v1/cycles/"+w.cycleID+"/aggregates?format=xlsx", nil)
	require.Equal(t, 200, resp.status)
}

func TestObligationsAndNotifications(t *testing.T) {
	f := newFixture(t)
	w := f.cycles()
	var p api.Page[api.Obligation]
	f.do("supervisor", "GET", "/api/v1/cycles/"+w.cycleID+"/obligations", nil).decode(t, &p)
	var codes []string
	for _, o := range p.Items {
		codes = append(codes, o.Agency)
	}
	require.Equal(t, []string{"HNI", "HPG"}, codes)
	// The submission loops put both versions under review.
	require.Eventually(t, func() bool {
		p = api.Page[api.Obligation]{}
		f.do("staff", "GET", "/api/v1/cycles/"+w.cycleID+"/obligations?status=under_review", nil).decode(t, &p)
		return len(p.Items) == 2
	}, 30*time.Second, 100*time.Millisecond)
	p = api.Page[api.Obligation]{}
	f.do("staff", "GET", "/api/v1/cycles/"+w.cycleID+"/obligations?status=under_review&limit=1", nil).decode(t, &p)
	require.Len(t, p.Items, 1)
	require.Equal(t, "HCM", p.Next)
	p = api.Page[api.Obligation]{}
	f.do("staff", "GET", "/api/v1/cycles/"+w.cycleID+"/obligations?status=under_review&after=HCM", nil).decode(t, &p)
	require.Equal(t, "HNI", p.Items[0].Agency)

	var n api.Page[api.Notification]
	f.do("staff", "GET", "/api/v1/notifications?cycle="+w.cycleID, nil).decode(t, &n)
	require.NotNil(t, n.Items)
	require.Equal(t, 400, f.do("staff", "GET", "/api/v1/notifications?status=lost", nil).status)
}

func TestCycleRoutesWithoutTheEngineAreUnavailable(t *testing.T) {
	f := newFixture(t)
	s := NewServer(Config{}, Deps{Operations: operations.New(f.store, nil, nil)})
	req := mustRequest(t, "GET", "/api/v1/schedules")
	req.Header.Set("Authorization", "Bearer "+f.tokens["staff"])
	rec := serve(t, s.Handler(), req)
	require.Equal(t, http.StatusServiceUnavailable, rec.status)
	require.Contains(t, rec.body.String(), "engine is not configured")
}

func TestFormatTime(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	require.Equal(t, "14/11/2026 24:00", FormatTime(time.Date(2026, 11, 15, 0, 0, 0, 0, ict)), "the end of a day")
	require.Equal(t, "14/11/2026 23:59", FormatTime(time.Date(2026, 11, 14, 16, 59, 0, 0, time.UTC)))
	require.Equal(t, "15/11/2026 00:01", FormatTime(time.Date(2026, 11, 15, 0, 1, 0, 0, ict)))
	require.Equal(t, "", FormatTime(time.Time{}))
}
