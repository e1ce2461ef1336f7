package crashtest

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/api/workflowservice/v1"

	"rcm/api"
	"rcm/reporting"
	"rcm/store"
	"rcm/systemtest"
	"rcm/testenv"
	"rcm/workflows"
)

// outcome is what one run left behind: what the checks found, and what the
// comparison of the two runs and the report need.
type outcome struct {
	name                 string
	launched, due, close time.Time
	closedAt             time.Time // the CycleWorkflow completed
	runningAfterClose    int       // workflows still running 30 s after the cycle closed
	compliance           []api.ComplianceRow
	finalStates          map[string]string // by agency
	kinds                map[string]int    // notifications by kind
	waves                []waveTiming
	faults               []fault
	receipts             []receipt

	messages       int // at the SMTP server
	duplicates     int // messages beyond the first of a Message-ID
	unknown        int // notifications recorded as of unknown outcome
	unknownByKind  map[string]int
	unknownArrived int // of which the SMTP server has the message
	lost           int // receipts the client got that are not stored
	replayed       int // receipts answered to a retry with the first one's Idempotency-Key
	selfExits      int // times serve or worker exited without being asked and the test restarted it

	slowestSubmission time.Duration // from the first attempt to the receipt
	mostAttempts      int
	receiptLag        time.Duration // the longest wait from a stored version to its receipt message
	slowestHandOff    time.Duration
}

// collect waits for the cycle to close and every workflow to end, then
// checks what the run left behind and returns it.
func (r *run) collect(ctx context.Context) *outcome {
	t := r.t
	o := &outcome{name: t.Name(), launched: r.launched, due: r.due, close: r.close}
	var res workflows.CycleResult
	if err := r.st.tc.GetWorkflow(ctx, workflows.CycleWorkflowID(r.cycleID), "").Get(ctx, &res); err != nil {
		t.Fatalf("cycle %s: %v", r.cycleID, err)
	}
	r.background.Wait() // the last fault is in the closing summary
	o.faults, o.receipts = r.faults, r.receipts
	o.selfExits = r.st.serve.exitedByItself() + r.st.worker.exitedByItself()
	if res.Status != reporting.CycleClosed {
		t.Fatalf("cycle %s ended %s", r.cycleID, res.Status)
	}
	d, err := r.st.tc.DescribeWorkflow(ctx, workflows.CycleWorkflowID(r.cycleID), "")
	if err != nil {
		t.Fatal(err)
	}
	o.closedAt = d.RawResponse.GetWorkflowExecutionInfo().GetCloseTime().AsTime()
	r.checkNoWorkflowRuns(ctx, o)
	r.checkOutboxDelivered(ctx, o)
	r.checkReceipts(ctx, o)
	r.checkMessages(ctx, o)
	r.checkFinalStates(ctx, o)
	if o.waves, err = waveTimings(ctx, r.st.tc, r.cycleID); err != nil {
		t.Fatal(err)
	}
	var comp api.Compliance
	if _, err := r.api.json(ctx, http.MethodGet, "/api/v1/cycles/"+r.cycleID+"/compliance", r.tok.staff, nil, &comp, http.StatusOK); err != nil {
		t.Fatal(err)
	}
	if !comp.Final {
		t.Errorf("compliance of the closed cycle is not final")
	}
	o.compliance = comp.Items
	for _, w := range o.waves {
		t.Logf("wave %s planned %s, scheduled %s, done %s, attempts %d", w.key, offset(w.planned, r.launched),
			offset(w.scheduled, r.launched), offset(w.completed, r.launched), w.attempts)
	}
	for _, f := range r.faults {
		t.Logf("fault at %s, back %s: %s %s", offset(f.at, r.launched), offset(f.back, r.launched), f.what, f.note)
	}
	slices.SortFunc(o.compliance, func(a, b api.ComplianceRow) int { return strings.Compare(a.Agency, b.Agency) })
	return o
}

// checkNoWorkflowRuns asks Temporal for the workflows still running once the
// cycle has closed: every submission loop must end with it, moments later,
// not at its one-hour grace timer.
func (r *run) checkNoWorkflowRuns(ctx context.Context, o *outcome) {
	query := "ExecutionStatus = 'Running'"
	deadline := o.closedAt.Add(30 * time.Second)
	for {
		resp, err := r.st.tc.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Namespace: testenv.TemporalNamespace, Query: query})
		if err != nil {
			r.t.Fatalf("count running workflows: %v", err)
		}
		if resp.GetCount() == 0 {
			return
		}
		if time.Now().After(deadline) {
			o.runningAfterClose = int(resp.GetCount())
			list, err := r.st.tc.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Namespace: testenv.TemporalNamespace, Query: query})
			var ids []string
			for _, w := range list.GetExecutions() {
				ids = append(ids, w.GetExecution().GetWorkflowId())
			}
			r.t.Errorf("%d workflows still run %s after the cycle closed (%v): %s", resp.GetCount(),
				time.Since(o.closedAt).Round(time.Second), err, strings.Join(ids, ", "))
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// checkOutboxDelivered requires every hand-off to Temporal delivered, and
// measures those the sweeper had to deliver.
func (r *run) checkOutboxDelivered(ctx context.Context, o *outcome) {
	var pending int
	var slowest float64
	if err := r.st.store.Pool().QueryRow(ctx, `SELECT count(*) FILTER (WHERE delivered_at IS NULL),
		       coalesce(max(extract(epoch FROM delivered_at - created_at)), 0)
		  FROM outbox`).Scan(&pending, &slowest); err != nil {
		r.t.Fatal(err)
	}
	o.slowestHandOff = time.Duration(slowest * float64(time.Second))
	if pending > 0 {
		r.t.Errorf("%d hand-offs to Temporal still in the outbox after close", pending)
	}
}

// checkReceipts requires every receipt a client got to be stored, once,
// under its idempotency key, and nothing stored that no client was given.
func (r *run) checkReceipts(ctx context.Context, o *outcome) {
	type stored struct {
		agency  string
		version int
		id      int64
		key     string
	}
	rows, err := r.st.store.Pool().Query(ctx, `SELECT receipt_number, agency_code, version, id, coalesce(idempotency_key, '')
		  FROM submissions WHERE cycle_id = $1`, r.cycleID)
	if err != nil {
		r.t.Fatal(err)
	}
	byNumber := map[string]stored{}
	perKey := map[string]int{}
	for rows.Next() {
		var number string
		var s stored
		if err := rows.Scan(&number, &s.agency, &s.version, &s.id, &s.key); err != nil {
			r.t.Fatal(err)
		}
		byNumber[number] = s
		perKey[s.agency+"/"+s.key]++
	}
	if err := rows.Err(); err != nil {
		r.t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, rc := range o.receipts {
		s, ok := byNumber[rc.number]
		if !ok || s.agency != rc.agency || s.version != rc.version || s.id != rc.submissionID {
			o.lost++
			r.t.Errorf("receipt %s (%s v%d) given to the client is not stored as such: %+v", rc.number, rc.agency, rc.version, s)
		}
		if n := perKey[s.agency+"/"+s.key]; n != 1 {
			r.t.Errorf("idempotency key %q of %s stored %d times", s.key, s.agency, n)
		}
		seen[rc.number] = true
		if rc.replayed {
			o.replayed++
		}
		o.slowestSubmission = max(o.slowestSubmission, rc.took)
		o.mostAttempts = max(o.mostAttempts, rc.attempts)
	}
	for number := range byNumber {
		if !seen[number] {
			r.t.Errorf("submission %s is stored but no client got its receipt", number)
		}
	}
	var lag float64
	if err := r.st.store.Pool().QueryRow(ctx, `SELECT coalesce(max(extract(epoch FROM n.sent_at - s.submitted_at)), 0)
		  FROM notifications n JOIN submissions s
		    ON s.cycle_id = n.cycle_id AND s.agency_code = n.subject_code AND s.version = n.step
		 WHERE n.cycle_id = $1 AND n.kind = 'receipt' AND n.status = 'sent'`, r.cycleID).Scan(&lag); err != nil {
		r.t.Fatal(err)
	}
	o.receiptLag = time.Duration(lag * float64(time.Second))
}

// checkMessages holds every notification against what the SMTP server
// received: a message sent is there exactly once, one of unknown outcome at
// most once, none is left undecided, and none arrived without its record.
// A notification is one per key (a unique constraint) with a Message-ID of
// its own, so counting by Message-ID counts by key too.
func (r *run) checkMessages(ctx context.Context, o *outcome) {
	arrived := map[string]int{} // by Message-ID, without angle brackets
	msgs := r.st.smtp.Messages()
	o.messages = len(msgs)
	for _, m := range msgs {
		arrived[strings.Trim(m.Header.Get("Message-ID"), "<>")]++
	}
	for id, n := range arrived {
		if n > 1 {
			o.duplicates += n - 1
			r.t.Errorf("message %s arrived %d times", id, n)
		}
	}
	rows, err := r.st.store.Pool().Query(ctx, `SELECT kind, subject_code, step, status, coalesce(last_error, ''), message_id
		  FROM notifications WHERE cycle_id = $1`, r.cycleID)
	if err != nil {
		r.t.Fatal(err)
	}
	defer rows.Close()
	o.kinds, o.unknownByKind = map[string]int{}, map[string]int{}
	recorded := map[string]bool{}
	for rows.Next() {
		var k reporting.NotificationKey
		var status reporting.NotificationStatus
		var lastError, messageID string
		if err := rows.Scan(&k.Kind, &k.Subject, &k.Step, &status, &lastError, &messageID); err != nil {
			r.t.Fatal(err)
		}
		if !chasedWhileReturned(k) {
			o.kinds[string(k.Kind)]++
		}
		id := strings.Trim(messageID, "<>")
		if recorded[id] {
			r.t.Errorf("Message-ID %s belongs to two notifications: a message per key cannot be told apart", id)
		}
		recorded[id] = true
		n := arrived[id]
		switch {
		case status == reporting.NotificationSent && n == 0:
			r.t.Errorf("%s %s step %d is recorded sent but never arrived", k.Kind, k.Subject, k.Step)
		case status == reporting.NotificationFailed && lastError == store.ErrOutcomeUnknown:
			o.unknown++
			o.unknownByKind[string(k.Kind)]++
			o.unknownArrived += min(n, 1)
		case status != reporting.NotificationSent:
			r.t.Errorf("%s %s step %d is %s (%s): neither delivered nor of unknown outcome", k.Kind, k.Subject, k.Step, status, lastError)
		}
	}
	if err := rows.Err(); err != nil {
		r.t.Fatal(err)
	}
	for id := range arrived {
		if !recorded[id] {
			r.t.Errorf("message %s arrived without a notification record", id)
		}
	}
}

// checkFinalStates holds every obligation's final state against the script.
func (r *run) checkFinalStates(ctx context.Context, o *outcome) {
	rows, err := r.st.store.Pool().Query(ctx, `SELECT agency_code, status FROM obligations WHERE cycle_id = $1`, r.cycleID)
	if err != nil {
		r.t.Fatal(err)
	}
	defer rows.Close()
	o.finalStates = map[string]string{}
	for rows.Next() {
		var agency, status string
		if err := rows.Scan(&agency, &status); err != nil {
			r.t.Fatal(err)
		}
		o.finalStates[agency] = status
	}
	if err := rows.Err(); err != nil {
		r.t.Fatal(err)
	}
	for i := 1; i <= r.sc.agencies; i++ {
		code := systemtest.Province(i)
		if want := string(roleOf(i).finalState()); o.finalStates[code] != want {
			r.t.Errorf("%s (%s) closed %q, want %q", code, roleName(roleOf(i)), o.finalStates[code], want)
		}
	}
}

func roleName(r role) string {
	return fmt.Sprint([]string{"on time, accepted", "on time, returned then accepted", "on time, unreviewed",
		"late, accepted", "late, unreviewed", "silent"}[r])
}

// chasedWhileReturned reports whether the notification chases an agency of
// the script's "returned, then accepted" role. A returned report is chased
// like a missing one until it is resubmitted, and whether a wave falls
// between the return and the resubmission depends on timing, not on the
// faults: such messages are checked for delivery but not compared between
// the two runs.
func chasedWhileReturned(k reporting.NotificationKey) bool {
	switch k.Kind {
	case reporting.EventReminder, reporting.EventOverdue, reporting.EventEscalation:
	default:
		return false
	}
	i, err := strconv.Atoi(strings.TrimPrefix(k.Subject, "P"))
	return err == nil && roleOf(i) == onTimeReturned
}
