package systemtest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
	"rcm/workflows"
)

// TestLateFilingAfterClose runs, on the real stack, a cycle that closes with
// P01 on time, P02 returned (not accepted) and P03, P04 missing. After
// close: a reopen is refused pointing to late filing; bad late filings are
// refused naming the field and change nothing; P02 files late and is
// admitted — counted late, the closed cycle's stored compliance, aggregates
// and matrix recomputed, the agency mailed; P03 files late and is refused —
// the state at close stands, the agency mailed why.
func TestLateFilingAfterClose(t *testing.T) {
	w := newWorld(t, 50)
	agencies := []string{"P01", "P02", "P03", "P04"}
	w.SeedTree(map[string][]string{"NORTH": agencies})
	sec := time.Second
	w.SeedRegime("LATE", agencies, reporting.Policy{ReviewTime: time.Hour, CloseAfter: 3 * sec})
	due := time.Now().Add(8 * sec).Truncate(time.Second)
	cyc, err := w.Engine.Launch(w.Ctx, w.Staff, operations.LaunchRequest{RegimeCode: "LATE", Period: "2026-10", Due: &due})
	require.NoError(t, err)
	w.WaitOpen(cyc.ID)
	w.Review(w.Submit(cyc.ID, "P01", Values(1)), reporting.DecisionAccepted, "")
	w.Review(w.Submit(cyc.ID, "P02", Values(2)), reporting.DecisionReturned, "Thiếu số liệu lao động")
	var res workflows.CycleResult
	ctx, cancel := context.WithTimeout(w.Ctx, 60*time.Second)
	defer cancel()
	require.NoError(t, temporal.Client().GetWorkflow(ctx, workflows.CycleWorkflowID(cyc.ID), "").Get(ctx, &res))
	require.Equal(t, reporting.CycleClosed, res.Status)

	national := func() store.ComplianceResult {
		rows, err := w.Store.CycleCompliance(w.Ctx, cyc.ID, "")
		require.NoError(t, err)
		for _, r := range rows {
			if r.AgencyCode == "VN" {
				return r
			}
		}
		t.Fatal("no national compliance")
		return store.ComplianceResult{}
	}
	grdp := func() store.AggregateResult {
		rows, err := w.Store.CycleAggregates(w.Ctx, cyc.ID, "")
		require.NoError(t, err)
		for _, g := range rows {
			if g.AgencyCode == "VN" && g.IndicatorCode == "GRDP" {
				return g
			}
		}
		t.Fatal("no national GRDP")
		return store.AggregateResult{}
	}
	obligation := func(agency string) reporting.Obligation {
		o, err := w.Store.Obligation(w.Ctx, cyc.ID, agency)
		require.NoError(t, err)
		return o
	}
	atClose := national().Rates
	assert.Equal(t, 1, atClose.OnTime)
	assert.Equal(t, 1, atClose.NotAccepted)
	assert.Equal(t, 2, atClose.Missing)
	assert.Equal(t, "101.5", grdp().Value)
	assert.Equal(t, 1, grdp().Contributors)

	// A reopen after close is refused and points to late filing.
	_, err = w.Engine.Reopen(w.Ctx, w.Staff, operations.ActionRequest{CycleID: cyc.ID, AgencyCode: "P01", Reason: "điều chỉnh"})
	require.ErrorIs(t, err, store.ErrClosed)
	assert.ErrorContains(t, err, "rcm late-file --cycle "+cyc.ID+" --agency P01")

	// Bad late filings: the field named, nothing changed.
	before := w.recordCounts()
	_, err = w.Engine.FileLate(w.Ctx, w.Officers["P02"], operations.LateFilingRequest{
		SubmitRequest: operations.SubmitRequest{CycleID: cyc.ID, AgencyCode: "P02", Values: Values(2)}, Reason: "  "})
	assert.Equal(t, []string{"reason"}, fieldsOf(t, err))
	bad := Values(2)
	bad["GRDP"] = "12,5"
	_, err = w.Engine.FileLate(w.Ctx, w.Officers["P02"], operations.LateFilingRequest{
		SubmitRequest: operations.SubmitRequest{CycleID: cyc.ID, AgencyCode: "P02", Values: bad}, Reason: "mất điện"})
	assert.Contains(t, fieldsOf(t, err)[0], "values.GRDP")
	_, err = w.Engine.FileLate(w.Ctx, w.Officers["P01"], operations.LateFilingRequest{
		SubmitRequest: operations.SubmitRequest{CycleID: cyc.ID, AgencyCode: "P01", Values: Values(1)}, Reason: "sửa số"})
	require.ErrorIs(t, err, operations.ErrConflict, "an accepted report is not filed late")
	_, err = w.Engine.FileLate(w.Ctx, w.Officers["P01"], operations.LateFilingRequest{
		SubmitRequest: operations.SubmitRequest{CycleID: cyc.ID, AgencyCode: "P02", Values: Values(2)}, Reason: "hộ"})
	require.ErrorIs(t, err, operations.ErrForbidden, "an agency cannot file for another")
	_, err = w.Engine.DecideLateFiling(w.Ctx, w.Officers["P01"], operations.LateFilingDecisionRequest{ActionID: 1, Decision: reporting.ActionAdmitted})
	require.ErrorIs(t, err, operations.ErrForbidden, "an agency does not admit")
	assert.Equal(t, before, w.recordCounts())

	// P02 files late; the office admits it.
	lf, err := w.Engine.FileLate(w.Ctx, w.Officers["P02"], operations.LateFilingRequest{
		SubmitRequest: operations.SubmitRequest{CycleID: cyc.ID, AgencyCode: "P02", Values: Values(2), Source: "json"},
		Reason:        "Mất điện diện rộng, chưa kịp nộp lại"})
	require.NoError(t, err)
	assert.Equal(t, 2, lf.Receipt.Version)
	assert.Equal(t, reporting.ActionPending, lf.Action.Status)
	w.sentTo(t, cyc.ID, reporting.EventLateFiled, "P02")
	w.sentTo(t, cyc.ID, reporting.EventLateFiled, staffSubjectOf(w, "P02"))
	assert.Equal(t, atClose, national().Rates, "a late filing counts only once admitted")
	_, err = w.Engine.DecideLateFiling(w.Ctx, w.Staff, operations.LateFilingDecisionRequest{ActionID: lf.Action.ID, Decision: "maybe"})
	assert.Equal(t, []string{"decision"}, fieldsOf(t, err))
	admitted, err := w.Engine.DecideLateFiling(w.Ctx, w.Staff, operations.LateFilingDecisionRequest{ActionID: lf.Action.ID, Decision: reporting.ActionAdmitted})
	require.NoError(t, err)
	assert.Equal(t, reporting.ActionAdmitted, admitted.Status)
	p02 := obligation("P02")
	assert.Equal(t, reporting.ObligationLate, p02.Status)
	assert.Equal(t, 2, p02.AcceptedVersion)
	after := national().Rates
	assert.Equal(t, 1, after.OnTime)
	assert.Equal(t, 1, after.Late, "admitted late filings count late")
	assert.Equal(t, 0, after.NotAccepted)
	assert.Equal(t, 2, after.Missing)
	assert.Equal(t, 2, after.Submitted)
	assert.InDelta(t, 50.0, after.ReportingRate, 0.001)
	assert.InDelta(t, 25.0, after.OnTimeRate, 0.001, "never on time")
	assert.Equal(t, "204", trimZeros(grdp().Value), "P02's figure is in the national aggregate")
	assert.Equal(t, 2, grdp().Contributors)
	m, err := w.Engine.Matrix(w.Ctx, w.Staff, cyc.ID, "", "", 50)
	require.NoError(t, err)
	for _, row := range m.Rows {
		if row.Agency.Code == "P02" {
			cell := row.Cells[len(row.Cells)-1]
			require.NotNil(t, cell)
			assert.Equal(t, string(reporting.ObligationLate), cell.State, "the matrix tells the truth")
		}
	}
	w.sentTo(t, cyc.ID, reporting.EventLateFilingAdmitted, "P02")
	_, err = w.Engine.DecideLateFiling(w.Ctx, w.Staff, operations.LateFilingDecisionRequest{ActionID: lf.Action.ID, Decision: reporting.ActionRefused, Reason: "x"})
	require.ErrorIs(t, err, operations.ErrConflict, "a late filing is answered once")

	// P03 files late; the office refuses it.
	lf3, err := w.Engine.FileLate(w.Ctx, w.Officers["P03"], operations.LateFilingRequest{
		SubmitRequest: operations.SubmitRequest{CycleID: cyc.ID, AgencyCode: "P03", Values: Values(3)}, Reason: "Quên nộp"})
	require.NoError(t, err)
	_, err = w.Engine.DecideLateFiling(w.Ctx, w.Staff, operations.LateFilingDecisionRequest{ActionID: lf3.Action.ID, Decision: reporting.ActionRefused,
		Reason: "Đã tổng hợp báo cáo Chính phủ"})
	require.NoError(t, err)
	assert.Equal(t, reporting.ObligationMissing, obligation("P03").Status)
	assert.Equal(t, after, national().Rates, "a refusal changes nothing of the results")
	w.sentTo(t, cyc.ID, reporting.EventLateFilingRefused, "P03")
	versions, err := w.Store.Submissions(w.Ctx, cyc.ID, "P03")
	require.NoError(t, err)
	require.Len(t, versions, 1)
	assert.True(t, versions[0].LateFiled)
	require.NotNil(t, versions[0].Review)
	assert.Equal(t, reporting.DecisionReturned, versions[0].Review.Decision)

	for action, n := range map[string]int{"obligation.late_filing": 2, "late_filing.admitted": 1, "late_filing.refused": 1} {
		log, err := w.Store.AuditLog(w.Ctx, store.AuditFilter{Action: action, Limit: 10})
		require.NoError(t, err)
		assert.Len(t, log, n, action)
	}
	recordHistory(t, w, "submission-late-filing.json", workflows.SubmissionWorkflowID(cyc.ID, "P02"))
}

// staffSubjectOf is the subject of a message to the world's office staff
// about an agency.
func staffSubjectOf(w *World, agency string) string {
	return fmt.Sprintf("%s/u%d", agency, w.Staff.UserID)
}
