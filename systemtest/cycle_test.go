package systemtest

import (
	"context"
	"fmt"
	"math/big"
	"mime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/workflowservice/v1"

	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
	"rcm/workflows"
)

// TestTwentyAgencyCycle runs a whole cycle of 20 provinces in two regions on
// a timeline of seconds: launch, notice, a reminder, due, two escalation
// steps, close. Provinces 1-8 submit on time and are accepted; 9-12 submit
// after due and are accepted (late); 13-15 are returned, resubmit before due
// and are accepted (on time); 16 is returned and chased like a missing one
// (reminded, overdue notice, escalation step 1, each quoting the reason)
// until it resubmits after step 1 and is accepted (late); 17 is never
// reviewed (submitted, not reviewed); 18-20 send nothing (missing). It
// checks the final states, rates, aggregates and every message, row by row.
func TestTwentyAgencyCycle(t *testing.T) {
	w := newWorld(t, 7) // small batches: waves page through the agencies
	north, south := []string{}, []string{}
	for i := 1; i <= 20; i++ {
		if i <= 10 {
			north = append(north, Province(i))
		} else {
			south = append(south, Province(i))
		}
	}
	w.SeedTree(map[string][]string{"NORTH": north, "SOUTH": south})
	sec := time.Second
	policy := reporting.Policy{
		ReminderOffsets: []time.Duration{6 * sec},
		Escalations: []reporting.EscalationStep{
			{After: 3 * sec, Recipients: []reporting.Recipient{reporting.RecipientOfficer, reporting.RecipientHead}, Times: 1},
			{After: 6 * sec, Recipients: []reporting.Recipient{reporting.RecipientSupervisor}, Times: 1},
		},
		ReviewTime: time.Hour,
		CloseAfter: 10 * sec,
	}
	w.SeedRegime("SEIM", append(append([]string{}, north...), south...), policy)

	due := time.Now().Add(14 * sec).Truncate(time.Second)
	cyc, err := w.Engine.Launch(w.Ctx, w.Staff, operations.LaunchRequest{RegimeCode: "SEIM", Period: "2026-10", Due: &due})
	require.NoError(t, err)
	require.Equal(t, "SEIM-2026-10", cyc.ID)

	_, err = w.Engine.Launch(w.Ctx, w.Staff, operations.LaunchRequest{RegimeCode: "SEIM", Period: "2026-10", Due: &due})
	require.ErrorIs(t, err, operations.ErrConflict, "a second launch of the same cycle is refused")

	w.WaitOpen(cyc.ID)
	receipts := map[int]operations.Receipt{}
	for i := 1; i <= 17; i++ {
		if i >= 9 && i <= 12 {
			continue // late
		}
		receipts[i] = w.Submit(cyc.ID, Province(i), Values(i))
	}
	for i := 1; i <= 8; i++ {
		w.Review(receipts[i], reporting.DecisionAccepted, "")
	}
	for i := 13; i <= 16; i++ {
		w.Review(receipts[i], reporting.DecisionReturned, fmt.Sprintf("Thiếu số liệu quý <%d>", i))
	}
	// A review of a version that is not the latest is refused.
	for i := 13; i <= 15; i++ {
		r2 := w.Submit(cyc.ID, Province(i), Values(i))
		require.Equal(t, 2, r2.Version)
		_, err := w.Engine.Review(w.Ctx, w.Staff, operations.ReviewRequest{SubmissionID: receipts[i].SubmissionID, Decision: reporting.DecisionAccepted})
		require.ErrorIs(t, err, operations.ErrConflict)
		w.Review(r2, reporting.DecisionAccepted, "")
	}
	require.Less(t, time.Now(), due.Add(-6*sec), "every first version and review came before the reminder")
	// The late ones submit after due, before the first escalation.
	time.Sleep(time.Until(due.Add(500 * time.Millisecond)))
	for i := 9; i <= 12; i++ {
		w.Review(w.Submit(cyc.ID, Province(i), Values(i)), reporting.DecisionAccepted, "")
	}
	// The returned one is escalated at step 1, then resubmits: step 2's
	// digest no longer names it.
	require.Eventually(t, func() bool {
		notes, err := w.Store.ListNotifications(w.Ctx, store.NotificationFilter{CycleID: cyc.ID, Limit: 1000})
		require.NoError(t, err)
		for _, n := range notes {
			if n.Key.Kind == reporting.EventEscalation && n.Key.Step == 1 && n.Key.Subject == Province(16) && n.Status == reporting.NotificationSent {
				return true
			}
		}
		return false
	}, 20*time.Second, 50*time.Millisecond, "the returned province is escalated")
	require.Less(t, time.Now(), due.Add(6*time.Second), "the resubmission comes before escalation step 2")
	resubmitted := w.Submit(cyc.ID, Province(16), Values(16))
	require.Equal(t, 2, resubmitted.Version)
	w.Review(resubmitted, reporting.DecisionAccepted, "")

	var result workflows.CycleResult
	ctx, cancel := context.WithTimeout(w.Ctx, 90*time.Second)
	defer cancel()
	require.NoError(t, temporal.Client().GetWorkflow(ctx, workflows.CycleWorkflowID(cyc.ID), "").Get(ctx, &result))
	require.Equal(t, reporting.CycleClosed, result.Status)

	// A submission after close is refused.
	_, err = w.Engine.Submit(w.Ctx, w.Officers[Province(18)], operations.SubmitRequest{CycleID: cyc.ID, AgencyCode: Province(18), Values: Values(18)})
	require.ErrorIs(t, err, store.ErrClosed)

	t.Run("final states", func(t *testing.T) {
		obs, err := w.Store.Obligations(w.Ctx, store.ObligationFilter{CycleID: cyc.ID})
		require.NoError(t, err)
		got := map[string]string{}
		for _, o := range obs {
			got[o.AgencyCode] = string(o.Status)
		}
		want := map[string]string{}
		for i := 1; i <= 20; i++ {
			switch {
			case i <= 8 || (i >= 13 && i <= 15):
				want[Province(i)] = "on_time"
			case i <= 12 || i == 16:
				want[Province(i)] = "late"
			case i == 17:
				want[Province(i)] = "submitted_not_reviewed"
			default:
				want[Province(i)] = "missing"
			}
		}
		assert.Equal(t, want, got)
	})

	t.Run("rates", func(t *testing.T) {
		rows, err := w.Store.CycleCompliance(w.Ctx, cyc.ID, "")
		require.NoError(t, err)
		got := map[string]reporting.Rates{}
		for _, r := range rows {
			got[r.AgencyCode] = r.Rates
		}
		e := reporting.BasisExpected
		// 17, never reviewed, was submitted before due: timely, in the
		// office's backlog. 16's first version came before due (DHIS2's
		// measure counts it), its accepted one after (the regime judges by
		// the accepted version: late).
		assert.Equal(t, reporting.Rates{Expected: 20, Submitted: 17, OnTime: 11, Late: 5, Missing: 3, NotReviewed: 1,
			Timely: 12, SubmittedOnTime: 13, ReviewBacklog: 1, VersionsBeforeAcceptance: 4,
			ReportingRate: 85, OnTimeRate: 60, SubmittedOnTimeRate: 65, OnTimeRateBasis: e}, got["VN"])
		assert.Equal(t, reporting.Rates{Expected: 10, Submitted: 10, OnTime: 8, Late: 2, Timely: 8, SubmittedOnTime: 8,
			ReportingRate: 100, OnTimeRate: 80, SubmittedOnTimeRate: 80, OnTimeRateBasis: e}, got["NORTH"])
		assert.Equal(t, reporting.Rates{Expected: 10, Submitted: 7, OnTime: 3, Late: 3, Missing: 3, NotReviewed: 1,
			Timely: 4, SubmittedOnTime: 5, ReviewBacklog: 1, VersionsBeforeAcceptance: 4,
			ReportingRate: 70, OnTimeRate: 40, SubmittedOnTimeRate: 50, OnTimeRateBasis: e}, got["SOUTH"])
		assert.Equal(t, reporting.Rates{Expected: 1, Missing: 1, OnTimeRateBasis: e}, got[Province(20)])
		assert.Equal(t, result.Rates, got["VN"], "the workflow's result is the stored national figure")
	})

	t.Run("aggregates", func(t *testing.T) {
		rows, err := w.Store.CycleAggregates(w.Ctx, cyc.ID, "")
		require.NoError(t, err)
		got := map[string]string{}
		for _, r := range rows {
			got[r.AgencyCode+"/"+r.IndicatorCode] = fmt.Sprintf("%s (%d)", r.Value, r.Contributors)
			require.Equal(t, map[string]int{"VN": 20, "NORTH": 10, "SOUTH": 10}[r.AgencyCode]+
				map[bool]int{true: 1}[strings.HasPrefix(r.AgencyCode, "P")], r.Expected, "coverage of %s", r.AgencyCode)
		}
		accepted := func(from, to int) []int {
			var out []int
			for i := from; i <= to; i++ {
				if i <= 16 {
					out = append(out, i)
				}
			}
			return out
		}
		expect := func(node string, agencies []int) {
			grdp, emp, cpi := new(big.Rat), new(big.Rat), new(big.Rat)
			for _, i := range agencies {
				grdp.Add(grdp, big.NewRat(int64(2*(100+i)+1), 2))
				emp.Add(emp, big.NewRat(int64(1000*i), 1))
				cpi.Add(cpi, big.NewRat(int64(i), 10))
			}
			n := len(agencies)
			avg := new(big.Rat).Quo(cpi, big.NewRat(int64(n), 1))
			assert.Equal(t, fmt.Sprintf("%s (%d)", trimZeros(grdp.FloatString(1)), n), got[node+"/GRDP"], node+" GRDP")
			assert.Equal(t, fmt.Sprintf("%s (%d)", emp.FloatString(0), n), got[node+"/EMP"], node+" EMP")
			assert.Equal(t, fmt.Sprintf("%s (%d)", trimZeros(avg.FloatString(4)), n), got[node+"/CPI"], node+" CPI")
			assert.NotContains(t, got, node+"/NOTE", "text is not aggregated")
		}
		expect("VN", accepted(1, 20))
		expect("NORTH", accepted(1, 10))
		expect("SOUTH", accepted(11, 20))
		expect(Province(3), []int{3})
		assert.NotContains(t, got, Province(17)+"/GRDP", "an unreviewed version is not counted")
	})

	t.Run("messages", func(t *testing.T) {
		msgs := w.SMTP.Messages()
		ids := map[string]bool{}
		byKind := map[string][]string{}
		for _, m := range msgs {
			id := m.Header.Get("Message-Id")
			require.False(t, ids[id], "message %s sent twice", id)
			ids[id] = true
		}
		notes, err := w.Store.ListNotifications(w.Ctx, store.NotificationFilter{CycleID: cyc.ID, Limit: 1000})
		require.NoError(t, err)
		for _, n := range notes {
			require.Equal(t, reporting.NotificationSent, n.Status, "%+v", n)
			byKind[fmt.Sprintf("%s/%d", n.Key.Kind, n.Key.Step)] = append(byKind[fmt.Sprintf("%s/%d", n.Key.Kind, n.Key.Step)], n.Key.Subject)
		}
		assert.Equal(t, len(notes), len(msgs), "one SMTP message per notification row")
		for k := range byKind {
			sort.Strings(byKind[k])
		}
		all := provinces(1, 20)
		assert.Equal(t, all, byKind["deadline_notice/0"])
		// At the reminder (due-6s) the late and missing ones had sent
		// nothing, and 16's report was returned: it is chased alike.
		chased := append(append(provinces(9, 12), Province(16)), provinces(18, 20)...)
		assert.Equal(t, chased, byKind["reminder/1"])
		assert.Equal(t, chased, byKind["overdue/0"])
		// The late ones had submitted by the first escalation step; 16 had not
		// resubmitted.
		assert.Equal(t, append([]string{Province(16)}, provinces(18, 20)...), byKind["escalation/1"])
		sup := w.Supervisors["SOUTH"]
		assert.Equal(t, []string{fmt.Sprintf("SOUTH/u%d", sup.ID)}, byKind["escalation_digest/2"])
		assert.Len(t, byKind["returned/1"], 4)
		assert.Len(t, byKind["accepted/1"], 12)
		assert.Len(t, byKind["accepted/2"], 4)
		assert.Len(t, byKind["receipt/1"], 17)
		assert.Len(t, byKind["receipt/2"], 4)

		// The messages chasing 16 say its report was returned; step 2's digest,
		// after 16 resubmitted, names only the three that sent nothing.
		var dec mime.WordDecoder
		subjects := map[string][]string{}
		for _, m := range msgs {
			subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
			require.NoError(t, err)
			for _, to := range m.To {
				subjects[to] = append(subjects[to], subject)
			}
		}
		returnedSubjects := 0
		for _, s := range subjects["officer.P16@agency.test"] {
			if strings.Contains(s, "bị trả lại") || strings.Contains(s, "Quá hạn nộp lại") || strings.Contains(s, "returned") {
				returnedSubjects++
			}
		}
		assert.GreaterOrEqual(t, returnedSubjects, 3, "returned notice, reminder and overdue notice name the return: %q", subjects["officer.P16@agency.test"])
		var digest string
		for _, s := range subjects[sup.Email] {
			if strings.Contains(s, "quá hạn") || strings.Contains(s, "Overdue agencies") {
				digest = s
			}
		}
		assert.Contains(t, digest, "3 chưa nộp, 0 bị trả lại chờ nộp lại")
		assert.Len(t, byKind["cycle_summary/0"], 3, "two supervisors and the office")

		// Escalation step 1 goes to the officer with the head in copy.
		for _, m := range msgs {
			if strings.Contains(strings.Join(m.To, ","), "officer.P18@") && len(m.To) == 2 {
				assert.Contains(t, m.To, "head.P18@agency.test")
			}
		}
	})

	t.Run("history stays small", func(t *testing.T) {
		d, err := temporal.Client().DescribeWorkflow(w.Ctx, workflows.CycleWorkflowID(cyc.ID), "")
		require.NoError(t, err)
		assert.Less(t, d.RawResponse.GetWorkflowExecutionInfo().GetHistoryLength(), int64(200))
		recordHistories(t, w, cyc.ID, Province(13))
	})

	t.Run("the audit log's chain is whole", func(t *testing.T) {
		v, err := w.Store.VerifyAudit(w.Ctx)
		require.NoError(t, err)
		assert.True(t, v.Whole(), "%+v", v.Breaks)
		recs, err := w.Store.AuditLog(w.Ctx, store.AuditFilter{Stream: "cycle/" + cyc.ID, Limit: 1000})
		require.NoError(t, err)
		assert.NotEmpty(t, recs, "the cycle's submissions and reviews are chained in its own stream")
	})
	_ = workflowservice.GetWorkflowExecutionHistoryRequest{}
}

func provinces(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, Province(i))
	}
	return out
}

func trimZeros(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
