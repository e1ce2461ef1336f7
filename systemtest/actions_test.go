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

// sentTo waits until a notification of the kind about the subject (an
// agency, or "AGENCY/u<id>" for a user) was sent.
func (w *World) sentTo(t *testing.T, cycleID string, kind reporting.Event, subject string) reporting.Notification {
	t.Helper()
	var found reporting.Notification
	require.Eventually(t, func() bool {
		notes, err := w.Store.ListNotifications(w.Ctx, store.NotificationFilter{CycleID: cycleID, Kind: kind, Subject: subject, Limit: 10})
		require.NoError(t, err)
		for _, n := range notes {
			if n.Status == reporting.NotificationSent {
				found = n
				return true
			}
		}
		return false
	}, 30*time.Second, 50*time.Millisecond, "no %s sent about %s", kind, subject)
	return found
}

// kindsAbout lists the kinds of the notifications about an agency.
func (w *World) kindsAbout(t *testing.T, cycleID, subject string) []reporting.Event {
	t.Helper()
	notes, err := w.Store.ListNotifications(w.Ctx, store.NotificationFilter{CycleID: cycleID, Subject: subject, Limit: 100})
	require.NoError(t, err)
	var out []reporting.Event
	for _, n := range notes {
		out = append(out, n.Key.Kind)
	}
	return out
}

// TestTheAgencysSideOfTheConversation runs, on the real stack, a cycle in
// which office staff reopen an accepted report (P01: told, chased by the
// reminder like a returned report, resubmits), an agency declares a nil
// report (P02: counted as submitted, never chased, final nil_report), one
// asks for an extension that is granted (P03: its due moves, told by the
// extension notice, not reminded of the old due) and one whose request is
// refused (P04: told why, still reminded).
func TestTheAgencysSideOfTheConversation(t *testing.T) {
	w := newWorld(t, 50)
	agencies := []string{"P01", "P02", "P03", "P04", "P05"}
	w.SeedTree(map[string][]string{"NORTH": agencies})
	sec := time.Second
	w.SeedRegime("ACT", agencies, reporting.Policy{ReminderOffsets: []time.Duration{12 * sec}, ReviewTime: time.Hour, CloseAfter: 15 * sec})
	due := time.Now().Add(30 * sec).Truncate(time.Second)
	cyc, err := w.Engine.Launch(w.Ctx, w.Staff, operations.LaunchRequest{RegimeCode: "ACT", Period: "2026-10", Due: &due})
	require.NoError(t, err)
	w.WaitOpen(cyc.ID)
	loc, err := reporting.LoadLocation("Asia/Ho_Chi_Minh")
	require.NoError(t, err)
	obligation := func(agency string) reporting.Obligation {
		o, err := w.Store.Obligation(w.Ctx, cyc.ID, agency)
		require.NoError(t, err)
		return o
	}
	staffSubject := func(agency string) string { return fmt.Sprintf("%s/u%d", agency, w.Staff.UserID) }

	// P01: accepted, then reopened with a reason.
	v1 := w.Submit(cyc.ID, "P01", Values(1))
	w.Review(v1, reporting.DecisionAccepted, "")
	_, err = w.Engine.Submit(w.Ctx, w.Officers["P01"], operations.SubmitRequest{CycleID: cyc.ID, AgencyCode: "P01", Values: Values(1)})
	require.ErrorContains(t, err, "rcm review reopen --cycle "+cyc.ID+" --agency P01", "the refusal names the command")
	reopen, err := w.Engine.Reopen(w.Ctx, w.Staff, operations.ActionRequest{CycleID: cyc.ID, AgencyCode: "P01", Reason: "Cục Thống kê điều chỉnh GRDP"})
	require.NoError(t, err)
	assert.Equal(t, 1, reopen.Version)
	p01 := obligation("P01")
	assert.Equal(t, reporting.ObligationReturned, p01.Status)
	assert.Nil(t, p01.AcceptedSubmission)
	w.sentTo(t, cyc.ID, reporting.EventReopened, "P01")
	targets, err := w.Store.WaveTargets(w.Ctx, store.WaveSelection{CycleID: cyc.ID, Kind: store.TargetAgency, Agency: "P01", Limit: 1})
	require.NoError(t, err)
	require.Len(t, targets, 1)
	assert.Equal(t, 1, targets[0].ReturnedVersion, "chased as a returned report")
	assert.Equal(t, "Cục Thống kê điều chỉnh GRDP", targets[0].ReturnedReason, "its messages quote the office's reason")

	// P02: nothing to report.
	nilReport, err := w.Engine.DeclareNil(w.Ctx, w.Officers["P02"], operations.ActionRequest{CycleID: cyc.ID, AgencyCode: "P02", Reason: "Không phát sinh số liệu"})
	require.NoError(t, err)
	assert.Equal(t, reporting.ActionDone, nilReport.Status)
	p02 := obligation("P02")
	assert.True(t, p02.NilReport)
	live, _ := p02.LiveState(time.Now())
	assert.Equal(t, reporting.LiveNilReport, live)
	w.sentTo(t, cyc.ID, reporting.EventNilReported, "P02")
	w.sentTo(t, cyc.ID, reporting.EventNilReported, staffSubject("P02"))
	compliance, err := w.Engine.Compliance(w.Ctx, w.Staff, cyc.ID, "")
	require.NoError(t, err)
	for _, row := range compliance.Rows {
		if row.Agency.Code == "VN" {
			assert.Equal(t, 1, row.Value.NilReport, "live compliance shows the nil report")
		}
	}

	// P03: asks for two more days; granted.
	asked := reporting.DateOf(time.Now(), loc).AddDays(2)
	req3, err := w.Engine.RequestExtension(w.Ctx, w.Officers["P03"], operations.ActionRequest{CycleID: cyc.ID, AgencyCode: "P03",
		Reason: "Bão số 10", RequestedDue: asked.String()})
	require.NoError(t, err)
	assert.Equal(t, reporting.ActionPending, req3.Status)
	w.sentTo(t, cyc.ID, reporting.EventExtensionRequested, staffSubject("P03"))
	granted, err := w.Engine.DecideRequest(w.Ctx, w.Staff, operations.RequestDecision{ActionID: req3.ID, Decision: reporting.ActionGranted})
	require.NoError(t, err)
	assert.Equal(t, reporting.ActionGranted, granted.Status)
	require.NotNil(t, granted.ExtensionID)
	assert.True(t, obligation("P03").Due.Equal(asked.End(loc)), "P03 is due at the end of the day it asked for")
	w.sentTo(t, cyc.ID, reporting.EventDeadlineExtended, "P03")
	_, err = w.Engine.DecideRequest(w.Ctx, w.Staff, operations.RequestDecision{ActionID: req3.ID, Decision: reporting.ActionRefused, Reason: "x"})
	require.ErrorIs(t, err, operations.ErrConflict, "a request is answered once")

	// P04: asks; refused with a reason.
	req4, err := w.Engine.RequestExtension(w.Ctx, w.Officers["P04"], operations.ActionRequest{CycleID: cyc.ID, AgencyCode: "P04",
		Reason: "Thiếu nhân sự", RequestedDue: asked.String()})
	require.NoError(t, err)
	refused, err := w.Engine.DecideRequest(w.Ctx, w.Staff, operations.RequestDecision{ActionID: req4.ID, Decision: reporting.ActionRefused,
		Reason: "Các tỉnh khác đã nộp đúng hạn"})
	require.NoError(t, err)
	assert.Equal(t, reporting.ActionRefused, refused.Status)
	w.sentTo(t, cyc.ID, reporting.EventExtensionRefused, "P04")
	assert.True(t, obligation("P04").Due.Equal(due), "a refusal moves nothing")
	require.Less(t, time.Now(), due.Add(-12*sec), "every action came before the reminder")

	// The reminder chases the reopened P01 and the refused P04, not the
	// nil report nor the extended P03.
	w.sentTo(t, cyc.ID, reporting.EventReminder, "P01")
	w.sentTo(t, cyc.ID, reporting.EventReminder, "P04")
	w.sentTo(t, cyc.ID, reporting.EventReminder, "P05")
	assert.NotContains(t, w.kindsAbout(t, cyc.ID, "P02"), reporting.EventReminder)
	assert.NotContains(t, w.kindsAbout(t, cyc.ID, "P03"), reporting.EventReminder)
	require.Less(t, time.Now(), due, "P01 resubmits before due")
	w.Review(w.Submit(cyc.ID, "P01", Values(1)), reporting.DecisionAccepted, "")

	// The obligations that kept the cycle's close get their final states.
	require.Eventually(t, func() bool {
		for _, a := range []string{"P01", "P02", "P04", "P05"} {
			if obligation(a).FinalizedAt == nil {
				return false
			}
		}
		return true
	}, 60*time.Second, 100*time.Millisecond, "the cycle's close finalized the obligations it holds")
	assert.Equal(t, reporting.ObligationOnTime, obligation("P01").Status)
	assert.Equal(t, reporting.ObligationNilReport, obligation("P02").Status)
	assert.Equal(t, reporting.ObligationMissing, obligation("P04").Status)
	assert.Nil(t, obligation("P03").FinalizedAt, "P03 is open until its own close")
	_, err = w.Engine.Reopen(w.Ctx, w.Staff, operations.ActionRequest{CycleID: cyc.ID, AgencyCode: "P01", Reason: "trễ"})
	require.ErrorIs(t, err, store.ErrClosed, "a closed obligation is not reopened")
	recordHistory(t, w, "submission-actions.json", workflows.SubmissionWorkflowID(cyc.ID, "P01"))

	// Closing now ends P03 too; the nil report counts as submitted.
	require.NoError(t, w.Engine.Close(w.Ctx, w.Staff, cyc.ID, "đủ số liệu"))
	var res workflows.CycleResult
	ctx, cancel := context.WithTimeout(w.Ctx, 60*time.Second)
	defer cancel()
	require.NoError(t, temporal.Client().GetWorkflow(ctx, workflows.CycleWorkflowID(cyc.ID), "").Get(ctx, &res))
	assert.Equal(t, 5, res.Rates.Expected)
	assert.Equal(t, 1, res.Rates.NilReport)
	assert.Equal(t, 2, res.Rates.Submitted, "P01 and the nil report of P02")
	assert.Equal(t, 3, res.Rates.Missing)

	// Every action left its audit row.
	for action, n := range map[string]int{"obligation.reopen": 1, "obligation.nil_report": 1, "obligation.extension_request": 2,
		"extension_request.granted": 1, "extension_request.refused": 1} {
		log, err := w.Store.AuditLog(w.Ctx, store.AuditFilter{Action: action, Limit: 10})
		require.NoError(t, err)
		assert.Len(t, log, n, action)
	}
}
