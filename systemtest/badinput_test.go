package systemtest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
	"rcm/workflows"
)

// recordCounts counts the rows a bad request must not touch.
func (w *World) recordCounts() map[string]int {
	w.t.Helper()
	out := map[string]int{}
	for _, table := range []string{"cycles", "obligations", "submissions", "reviews", "extensions", "outbox", "audit_log"} {
		var n int
		require.NoError(w.t, w.Store.Pool().QueryRow(w.Ctx, "SELECT count(*) FROM "+table).Scan(&n))
		out[table] = n
	}
	return out
}

// fieldsOf returns the fields a validation error names.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	var ie *reporting.InputError
	require.True(t, errors.As(err, &ie), "want a validation error, got %v", err)
	var out []string
	for _, f := range ie.Fields {
		if f.Indicator != "" {
			out = append(out, "values."+f.Indicator+":"+f.Code)
			continue
		}
		out = append(out, f.Field)
	}
	return out
}

// TestBadInputIsRefusedAndChangesNothing: every refused command says what is
// wrong and leaves every record as it was.
func TestBadInputIsRefusedAndChangesNothing(t *testing.T) {
	w := newWorld(t, 50)
	w.SeedTree(map[string][]string{"NORTH": {"P01", "P02"}, "SOUTH": {"P03"}})
	w.SeedRegime("BADIN", []string{"P01", "P02", "P03"}, reporting.Policy{ReviewTime: time.Hour, CloseAfter: time.Hour})
	due := time.Now().Add(30 * time.Minute).Truncate(time.Second)
	cyc, err := w.Engine.Launch(w.Ctx, w.Staff, operations.LaunchRequest{RegimeCode: "BADIN", Period: "2026-10", Due: &due})
	require.NoError(t, err)
	w.WaitOpen(cyc.ID)
	first := w.Submit(cyc.ID, "P01", Values(1))
	_, err = w.Engine.Submit(w.Ctx, w.Officers["P03"], operations.SubmitRequest{CycleID: cyc.ID, AgencyCode: "P03", Values: Values(3), IdempotencyKey: "k-1"})
	require.NoError(t, err)

	// A cycle whose cut-off is still ahead, of a regime of actual figures.
	vn, err := reporting.DefaultLocation()
	require.NoError(t, err)
	ahead, _ := reporting.PeriodContaining(reporting.Monthly, reporting.DateOf(time.Now().AddDate(0, 6, 0), vn))
	_, aheadEnd := ahead.Window()
	aheadDue := aheadEnd.AddDays(5).End(vn)
	later, err := w.Engine.Launch(w.Ctx, w.Staff, operations.LaunchRequest{RegimeCode: "BADIN", Period: ahead.ID, Due: &aheadDue})
	require.NoError(t, err)
	w.WaitOpen(later.ID)

	past := time.Now().Add(-time.Hour)
	beforeCutOff := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		do    func() error
		check func(t *testing.T, err error)
	}{
		{"unknown regime", func() error {
			_, err := w.Engine.Launch(w.Ctx, w.Staff, operations.LaunchRequest{RegimeCode: "NOPE", Period: "2026-10"})
			return err
		}, func(t *testing.T, err error) { assert.Equal(t, []string{"regime"}, fieldsOf(t, err)) }},
		{"malformed period", func() error {
			_, err := w.Engine.Launch(w.Ctx, w.Staff, operations.LaunchRequest{RegimeCode: "BADIN", Period: "2026-13"})
			return err
		}, func(t *testing.T, err error) {
			assert.Equal(t, []string{"period"}, fieldsOf(t, err))
			assert.ErrorContains(t, err, "month 13")
		}},
		{"period outside the regime's cadence", func() error {
			_, err := w.Engine.Launch(w.Ctx, w.Staff, operations.LaunchRequest{RegimeCode: "BADIN", Period: "2026-Q4"})
			return err
		}, func(t *testing.T, err error) {
			assert.Equal(t, []string{"period"}, fieldsOf(t, err))
			assert.ErrorContains(t, err, "quarterly")
		}},
		{"due before the cut-off", func() error {
			_, err := w.Engine.Launch(w.Ctx, w.Staff, operations.LaunchRequest{RegimeCode: "BADIN", Period: "2026-12", Due: &beforeCutOff})
			return err
		}, func(t *testing.T, err error) { assert.Contains(t, fieldsOf(t, err), "due") }},
		{"launch by an officer", func() error {
			_, err := w.Engine.Launch(w.Ctx, w.Officers["P01"], operations.LaunchRequest{RegimeCode: "BADIN", Period: "2026-11"})
			return err
		}, func(t *testing.T, err error) { assert.ErrorIs(t, err, operations.ErrForbidden) }},
		{"extension to a date before now", func() error {
			_, err := w.Engine.Extend(w.Ctx, w.Staff, operations.ExtendRequest{CycleID: cyc.ID, Due: past, Reason: "late data"})
			return err
		}, func(t *testing.T, err error) { assert.Equal(t, []string{"due"}, fieldsOf(t, err)) }},
		{"extension to a due before the cut-off of actual figures", func() error {
			_, err := w.Engine.Extend(w.Ctx, w.Staff, operations.ExtendRequest{CycleID: later.ID, Due: aheadEnd.AddDays(-3).End(vn), Reason: "sớm hơn"})
			return err
		}, func(t *testing.T, err error) {
			assert.Equal(t, []string{"due"}, fieldsOf(t, err))
			assert.ErrorContains(t, err, "before the data cut-off")
		}},
		{"extension without a reason", func() error {
			_, err := w.Engine.Extend(w.Ctx, w.Staff, operations.ExtendRequest{CycleID: cyc.ID, Due: due.Add(time.Hour)})
			return err
		}, func(t *testing.T, err error) { assert.Equal(t, []string{"reason"}, fieldsOf(t, err)) }},
		{"extension for an unknown agency", func() error {
			_, err := w.Engine.Extend(w.Ctx, w.Staff, operations.ExtendRequest{CycleID: cyc.ID, AgencyCode: "ZZZ", Due: due.Add(time.Hour), Reason: "x"})
			return err
		}, func(t *testing.T, err error) { assert.ErrorIs(t, err, operations.ErrNotFound) }},
		{"extension of an unknown cycle", func() error {
			_, err := w.Engine.Extend(w.Ctx, w.Staff, operations.ExtendRequest{CycleID: "BADIN-2020-01", Due: due.Add(time.Hour), Reason: "x"})
			return err
		}, func(t *testing.T, err error) { assert.ErrorIs(t, err, operations.ErrNotFound) }},
		{"submission by another agency's officer", func() error {
			_, err := w.Engine.Submit(w.Ctx, w.Officers["P02"], operations.SubmitRequest{CycleID: cyc.ID, AgencyCode: "P01", Values: Values(1)})
			return err
		}, func(t *testing.T, err error) { assert.ErrorIs(t, err, operations.ErrForbidden) }},
		{"submission by office staff", func() error {
			_, err := w.Engine.Submit(w.Ctx, w.Staff, operations.SubmitRequest{CycleID: cyc.ID, AgencyCode: "P01", Values: Values(1)})
			return err
		}, func(t *testing.T, err error) { assert.ErrorIs(t, err, operations.ErrForbidden) }},
		{"values with every kind of problem", func() error {
			_, err := w.Engine.Submit(w.Ctx, w.Officers["P02"], operations.SubmitRequest{CycleID: cyc.ID, AgencyCode: "P02",
				Values: reporting.Values{"GRDP": "12,5", "EMP": "3.5", "CPI": "250", "XYZ": "1"}})
			return err
		}, func(t *testing.T, err error) {
			assert.ElementsMatch(t, []string{"values.GRDP:decimal_comma", "values.EMP:not_an_integer", "values.CPI:above_max",
				"values.XYZ:unknown_indicator"}, fieldsOf(t, err))
		}},
		{"a repeated idempotency key with other content", func() error {
			_, err := w.Engine.Submit(w.Ctx, w.Officers["P03"], operations.SubmitRequest{CycleID: cyc.ID, AgencyCode: "P03", Values: Values(4), IdempotencyKey: "k-1"})
			return err
		}, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, operations.ErrConflict)
			assert.ErrorContains(t, err, "k-1")
		}},
		{"a return without a reason", func() error {
			_, err := w.Engine.Review(w.Ctx, w.Staff, operations.ReviewRequest{SubmissionID: first.SubmissionID, Decision: reporting.DecisionReturned, Reason: "  "})
			return err
		}, func(t *testing.T, err error) { assert.Equal(t, []string{"reason"}, fieldsOf(t, err)) }},
		{"an unknown decision", func() error {
			_, err := w.Engine.Review(w.Ctx, w.Staff, operations.ReviewRequest{SubmissionID: first.SubmissionID, Decision: "maybe"})
			return err
		}, func(t *testing.T, err error) { assert.Equal(t, []string{"decision"}, fieldsOf(t, err)) }},
		{"a review by an officer", func() error {
			_, err := w.Engine.Review(w.Ctx, w.Officers["P01"], operations.ReviewRequest{SubmissionID: first.SubmissionID, Decision: reporting.DecisionAccepted})
			return err
		}, func(t *testing.T, err error) { assert.ErrorIs(t, err, operations.ErrForbidden) }},
		{"a review of an unknown submission", func() error {
			_, err := w.Engine.Review(w.Ctx, w.Staff, operations.ReviewRequest{SubmissionID: 999999, Decision: reporting.DecisionAccepted})
			return err
		}, func(t *testing.T, err error) { assert.ErrorIs(t, err, operations.ErrNotFound) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := w.recordCounts()
			err := tc.do()
			require.Error(t, err)
			tc.check(t, err)
			assert.Equal(t, before, w.recordCounts(), "records changed")
		})
	}

	t.Run("the same idempotency key with the same content returns the first receipt", func(t *testing.T) {
		before := w.recordCounts()
		again, err := w.Engine.Submit(w.Ctx, w.Officers["P03"], operations.SubmitRequest{CycleID: cyc.ID, AgencyCode: "P03", Values: Values(3), IdempotencyKey: "k-1"})
		require.NoError(t, err)
		assert.True(t, again.Replayed)
		assert.Equal(t, 1, again.Version)
		assert.Equal(t, before, w.recordCounts())
	})
}

// TestExtensionAndCancel: extending one agency moves only its deadlines and
// tells it; cancelling stops the cycle and refuses submissions.
func TestExtensionAndCancel(t *testing.T) {
	w := newWorld(t, 50)
	w.SeedTree(map[string][]string{"NORTH": {"P01", "P02"}})
	w.SeedRegime("EXT", []string{"P01", "P02"}, reporting.Policy{ReviewTime: time.Hour, CloseAfter: time.Hour})
	due := time.Now().Add(time.Hour).Truncate(time.Second)
	cyc, err := w.Engine.Launch(w.Ctx, w.Staff, operations.LaunchRequest{RegimeCode: "EXT", Period: "2026-10", Due: &due})
	require.NoError(t, err)
	w.WaitOpen(cyc.ID)

	newDue := due.Add(48 * time.Hour)
	ext, err := w.Engine.Extend(w.Ctx, w.Staff, operations.ExtendRequest{CycleID: cyc.ID, AgencyCode: "P02", Due: newDue, Reason: "Lũ lụt"})
	require.NoError(t, err)
	assert.Equal(t, 1, ext.Affected)
	p1, err := w.Store.Obligation(w.Ctx, cyc.ID, "P01")
	require.NoError(t, err)
	p2, err := w.Store.Obligation(w.Ctx, cyc.ID, "P02")
	require.NoError(t, err)
	assert.True(t, p1.Due.Equal(due), "P01 keeps its due")
	assert.True(t, p2.Due.Equal(newDue), "P02's due moved")
	assert.True(t, p2.Close.Equal(newDue.Add(time.Hour)), "close follows due by the cycle's close-after")
	w.SMTP.WaitFor(t, 3, 30*time.Second) // two notices and the extension notice
	require.Eventually(t, func() bool {
		n, err := w.Store.ListNotifications(w.Ctx, store.NotificationFilter{CycleID: cyc.ID, Kind: "deadline_extended", Status: reporting.NotificationSent})
		return err == nil && len(n) == 1 && n[0].Key.Subject == "P02"
	}, 30*time.Second, 100*time.Millisecond, "P02 is told of its new due")

	require.NoError(t, w.Engine.Cancel(w.Ctx, w.Staff, cyc.ID, "Chế độ báo cáo bị bãi bỏ"))
	var res workflows.CycleResult
	ctx, cancel := context.WithTimeout(w.Ctx, 30*time.Second)
	defer cancel()
	require.NoError(t, temporal.Client().GetWorkflow(ctx, workflows.CycleWorkflowID(cyc.ID), "").Get(ctx, &res))
	assert.Equal(t, reporting.CycleCancelled, res.Status)
	_, err = w.Engine.Submit(w.Ctx, w.Officers["P01"], operations.SubmitRequest{CycleID: cyc.ID, AgencyCode: "P01", Values: Values(1)})
	assert.ErrorIs(t, err, operations.ErrConflict)
	assert.ErrorContains(t, err, "cancelled")
	assert.ErrorIs(t, w.Engine.Cancel(w.Ctx, w.Staff, cyc.ID, "again"), operations.ErrConflict)
}
