package crashtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"rcm/api"
	"rcm/reporting"
	"rcm/systemtest"
)

// script is the cycle both runs play — who submits when, and who is
// reviewed how — and the faults of the faulted run. Instants are relative
// to the launch or to due, so that a run is the same whenever it starts.
type script struct {
	agencies, regions int
	regime, period    string
	dueIn             time.Duration // from launch to due
	reminderBefore    time.Duration
	escalations       []reporting.EscalationDoc
	closeAfter        time.Duration
	reviewTime        time.Duration // long enough that no review is overdue
	submitAt          time.Duration // from launch to the on-time submissions
	lateAt            time.Duration // from due to the late submissions (after the due wave)
	clients           int           // agencies submitting at once
	reviewers         int           // reviews at once (spread out: no wave waits for them)

	// Faults of the faulted run.
	killWorkerAtNotice    int // the worker dies as the n-th deadline notice reaches the SMTP server
	killWorkerAtReminder  int // ... the n-th reminder
	killServeAtReceipt    int // the web server dies as a client gets the n-th receipt
	serveDown             time.Duration
	killTemporalBeforeDue time.Duration // the Temporal server dies this long before due
	stopPostgresAfterDue  time.Duration
	postgresDown          time.Duration
	stopWorkerAtSummary   int // the worker is stopped (SIGTERM, as in a deploy) as the n-th closing summary arrives
}

// crashScript is the script of TestCrashes: 200 agencies in 5 regions on a
// timeline of 100 seconds, with margins wide enough for a loaded 2-core
// machine running the race detector. Each fault hits its own wave, after
// the previous wave has recovered, so that the delay it adds is its own.
func crashScript() script {
	return script{
		agencies: 200, regions: 5, regime: "CRASH", period: "2026-10",
		dueIn: 50 * time.Second, reminderBefore: 22 * time.Second,
		escalations: []reporting.EscalationDoc{
			{After: "20s", Recipients: []string{"officer", "head"}},
			{After: "28s", Recipients: []string{"supervisor"}},
		},
		closeAfter: 50 * time.Second, reviewTime: time.Hour, submitAt: 2 * time.Second, lateAt: 3 * time.Second, clients: 24, reviewers: 4,

		killWorkerAtNotice: 70, killWorkerAtReminder: 15, killServeAtReceipt: 40, serveDown: time.Second,
		killTemporalBeforeDue: time.Second, stopPostgresAfterDue: 24 * time.Second, postgresDown: 20 * time.Second,
		stopWorkerAtSummary: 3,
	}
}

// regionOf is the region of agency i: consecutive blocks.
func (sc script) regionOf(i int) int { return (i-1)*sc.regions/sc.agencies + 1 }

// agenciesWhere lists the agencies whose role satisfies keep.
func (sc script) agenciesWhere(keep func(role) bool) []int {
	var out []int
	for i := 1; i <= sc.agencies; i++ {
		if keep(roleOf(i)) {
			out = append(out, i)
		}
	}
	return out
}

// role is what an agency does in the script.
type role int

const (
	onTimeAccepted   role = iota // submits before the reminder and is accepted: on time
	onTimeReturned               // is returned, submits again and is accepted: on time
	onTimeUnreviewed             // submits on time, nobody reviews: submitted, not reviewed
	lateAccepted                 // submits after due and is accepted: late
	lateUnreviewed               // submits after due, nobody reviews: submitted, not reviewed
	silent                       // never submits: missing
)

// roleOf gives agency i its role: of every ten, two on time and accepted,
// one returned then accepted, one on time unreviewed, one late accepted, one
// late unreviewed, four silent.
func roleOf(i int) role {
	return [10]role{onTimeAccepted, onTimeAccepted, onTimeReturned, onTimeUnreviewed,
		lateAccepted, lateUnreviewed, silent, silent, silent, silent}[(i-1)%10]
}

func (r role) onTime() bool { return r <= onTimeUnreviewed }
func (r role) late() bool   { return r == lateAccepted || r == lateUnreviewed }

// finalState is the state the agency's obligation must have after close.
func (r role) finalState() reporting.ObligationStatus {
	switch r {
	case onTimeAccepted, onTimeReturned:
		return reporting.ObligationOnTime
	case lateAccepted:
		return reporting.ObligationLate
	case silent:
		return reporting.ObligationMissing
	}
	return reporting.ObligationNotReviewed
}

// run is one play of the script on a stack, with or without faults.
type run struct {
	t       *testing.T
	sc      script
	st      *stack
	tok     tokens
	api     *apiClient
	faulted bool

	cycleID              string
	launched, due, close time.Time

	background sync.WaitGroup // the fault injectors still at work
	receiptsN  atomic.Int32

	mu       sync.Mutex
	first    map[int]receipt // each agency's first version
	receipts []receipt
	faults   []fault
}

// receipt is a stored version as the client saw it.
type receipt struct {
	agency       string
	version      int
	number       string
	submissionID int64
	attempts     int
	took         time.Duration
	replayed     bool
}

// fault is one fault injected, and the wave it hit ("deadline_notice/0").
type fault struct {
	what     string
	wave     string
	at, back time.Time
	note     string
	// inWave: the fault struck while its wave ran (a worker killed or
	// stopped), rather than before it (a server down when it was due).
	inWave bool
	// bound is the longest the wave may take to be done once the fault is
	// over (from at for a fault in the wave, from back otherwise).
	bound time.Duration
}

// recovered is when the wave hit by f was done, measured from the end of f.
func (f fault) recovered(w waveTiming) time.Duration {
	if f.inWave {
		return w.completed.Sub(f.at)
	}
	return w.completed.Sub(f.back)
}

// play runs the script on a fresh stack and returns what it found; faulted
// injects the script's faults.
func play(t *testing.T, bin string, sc script, faulted bool) *outcome {
	st := newStack(t, bin)
	tok := st.seed(sc)
	st.startRCM()
	r := &run{t: t, sc: sc, st: st, tok: tok, api: newAPIClient(st.server), faulted: faulted, first: map[int]receipt{}}
	defer r.background.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	if faulted {
		r.killWorkerInWaves()
	}
	r.launch(ctx)
	if faulted {
		r.inBackground(func() { r.killTemporalBeforeDue(ctx) })
		r.inBackground(func() { r.killWorkerDuringClose(ctx) })
	}

	// Submissions come in bursts that must land between two waves, so that
	// each wave finds the same agencies in both runs: the on-time ones before
	// the reminder, the late ones after the due wave and before the first
	// escalation. Reviews, which no wave looks at, follow in the background
	// and must be done by close.
	sleepUntil(ctx, r.launched.Add(sc.submitAt))
	r.waitOpen(ctx)
	onTime, late := sc.agenciesWhere(role.onTime), sc.agenciesWhere(role.late)
	if !r.phase("on-time submissions", r.due.Add(-sc.reminderBefore), func() error { return r.act(ctx, onTime, sc.clients, r.submitFirst) }) {
		t.FailNow()
	}
	r.inBackground(func() {
		r.phase("reviews of the on-time submissions", r.close, func() error { return r.act(ctx, onTime, sc.reviewers, r.reviewAndResubmit) })
	})
	r.waitForDueWave(ctx)
	sleepUntil(ctx, r.due.Add(sc.lateAt))
	if !r.phase("late submissions", r.firstEscalation(), func() error { return r.act(ctx, late, sc.clients, r.submitFirst) }) {
		t.FailNow()
	}
	r.inBackground(func() {
		r.phase("reviews of the late submissions", r.close, func() error { return r.act(ctx, late, sc.reviewers, r.reviewAndResubmit) })
	})
	if faulted {
		r.stopPostgres(ctx)
	}
	r.background.Wait()
	return r.collect(ctx)
}

func (r *run) inBackground(f func()) {
	r.background.Add(1)
	go func() {
		defer r.background.Done()
		f()
	}()
}

// launch launches the cycle through the API as office staff.
func (r *run) launch(ctx context.Context) {
	sc := r.sc
	r.launched = time.Now()
	r.due = r.launched.Add(sc.dueIn).Truncate(time.Millisecond)
	reminders := []string{reporting.FormatOffset(sc.reminderBefore)}
	escalations := sc.escalations
	req := api.Launch{Regime: sc.regime, Period: sc.period, Due: r.due.Format(time.RFC3339Nano), ReminderOffsets: &reminders,
		Escalations: &escalations, ReviewTime: reporting.FormatOffset(sc.reviewTime), CloseAfter: reporting.FormatOffset(sc.closeAfter)}
	var cyc api.Cycle
	if _, err := r.api.json(ctx, http.MethodPost, "/api/v1/cycles", r.tok.staff, req, &cyc, http.StatusCreated); err != nil {
		r.t.Fatal(err)
	}
	if !cyc.Due.Equal(r.due) || !cyc.Close.Equal(r.due.Add(sc.closeAfter)) {
		r.t.Fatalf("cycle %s: due %s, close %s; want due %s and close %s after", cyc.ID, cyc.Due, cyc.Close, r.due, sc.closeAfter)
	}
	r.cycleID, r.close = cyc.ID, cyc.Close
}

// firstEscalation is the instant of the first escalation step.
func (r *run) firstEscalation() time.Time {
	after, err := reporting.ParseOffset(r.sc.escalations[0].After)
	if err != nil {
		r.t.Fatal(err)
	}
	return r.due.Add(after)
}

// waitOpen waits until the cycle's obligations exist: an agency cannot
// submit before.
func (r *run) waitOpen(ctx context.Context) {
	for {
		var status reporting.CycleStatus
		err := r.st.store.Pool().QueryRow(ctx, `SELECT status FROM cycles WHERE id = $1`, r.cycleID).Scan(&status)
		if err == nil && status != reporting.CycleLaunching {
			return
		}
		if ctx.Err() != nil || time.Now().After(r.launched.Add(r.sc.dueIn/2)) {
			r.t.Fatalf("cycle %s is still %s %s after launch (%v)", r.cycleID, status, time.Since(r.launched).Round(time.Second), err)
		}
		sleepUntil(ctx, time.Now().Add(50*time.Millisecond))
	}
}

// phase runs the script's part f, which must end before deadline so that
// the timeline's waves find the same agencies in both runs. It reports
// whether f succeeded in time; it may run in a goroutine of the test's.
func (r *run) phase(name string, deadline time.Time, f func() error) bool {
	start := time.Now()
	if err := f(); err != nil {
		r.t.Errorf("%s: %v", name, err)
		return false
	}
	end := time.Now()
	r.t.Logf("%s: %s to %s after launch", name, r.since(start), r.since(end))
	if end.After(deadline) {
		r.t.Errorf("%s ended %s after launch, past %s after launch: the script's timeline is too tight for this machine",
			name, r.since(end), r.since(deadline))
		return false
	}
	return true
}

// since formats an instant relative to the launch.
func (r *run) since(at time.Time) string {
	return fmt.Sprintf("%.1fs", at.Sub(r.launched).Seconds())
}

// act plays part for the agencies, at most n at once.
func (r *run) act(ctx context.Context, agencies []int, n int, part func(context.Context, int) error) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(n)
	for _, i := range agencies {
		g.Go(func() error { return part(ctx, i) })
	}
	return g.Wait()
}

// submitFirst sends agency i's first version, if its role submits.
func (r *run) submitFirst(ctx context.Context, i int) error {
	if roleOf(i) == silent {
		return nil
	}
	rc, err := r.submit(ctx, i, 1)
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.first[i] = rc
	r.mu.Unlock()
	return nil
}

// reviewAndResubmit is office staff's review of agency i's first version
// and what follows: accepted, or returned, submitted again and accepted.
func (r *run) reviewAndResubmit(ctx context.Context, i int) error {
	r.mu.Lock()
	rc := r.first[i]
	r.mu.Unlock()
	switch roleOf(i) {
	case onTimeAccepted, lateAccepted:
		return r.review(ctx, rc, reporting.DecisionAccepted)
	case onTimeReturned:
		if err := r.review(ctx, rc, reporting.DecisionReturned); err != nil {
			return err
		}
		if err := r.waitNotified(ctx, rc, reporting.EventReturned); err != nil {
			return err
		}
		again, err := r.submit(ctx, i, 2)
		if err != nil {
			return err
		}
		return r.review(ctx, again, reporting.DecisionAccepted)
	}
	return nil
}

// submit sends version v of agency i's report with an Idempotency-Key,
// retrying until it is receipted.
func (r *run) submit(ctx context.Context, i, v int) (receipt, error) {
	code := systemtest.Province(i)
	values := map[string]json.RawMessage{}
	for k, val := range systemtest.Values(i + 1000*(v-1)) {
		values[k], _ = json.Marshal(val)
	}
	path := fmt.Sprintf("/api/v1/cycles/%s/agencies/%s/submissions", r.cycleID, code)
	key := fmt.Sprintf("crashtest-%s-v%d", code, v)
	a, err := r.api.call(ctx, http.MethodPost, path, r.tok.officers[code], key, api.SubmissionRequest{Values: values})
	if err != nil {
		return receipt{}, err
	}
	if a.status != http.StatusCreated && a.status != http.StatusOK {
		return receipt{}, fmt.Errorf("submit %s v%d: %d %s", code, v, a.status, a.body)
	}
	var got api.Receipt
	if err := json.Unmarshal(a.body, &got); err != nil {
		return receipt{}, fmt.Errorf("submit %s v%d: %w", code, v, err)
	}
	rc := receipt{agency: code, version: v, number: got.Number, submissionID: got.SubmissionID, attempts: a.attempts, took: a.took, replayed: got.Replayed}
	if got.Version != v || got.AgencyCode != code {
		return rc, fmt.Errorf("submit %s v%d: receipt %+v is for another version", code, v, got)
	}
	r.mu.Lock()
	r.receipts = append(r.receipts, rc)
	r.mu.Unlock()
	if n := r.receiptsN.Add(1); r.faulted && int(n) == r.sc.killServeAtReceipt {
		r.inBackground(func() { r.killServe(n) })
	}
	return rc, nil
}

// review decides on a version as office staff once its submission loop has
// acknowledged it (the obligation is under review), as a reviewer working
// from the review queue would. A decision whose answer was lost is found
// recorded when the retry is refused.
func (r *run) review(ctx context.Context, rc receipt, decision reporting.Decision) error {
	if err := r.waitUnderReview(ctx, rc); err != nil {
		return err
	}
	body := api.ReviewRequest{Decision: string(decision)}
	if decision == reporting.DecisionReturned {
		body.Reason = "Số liệu lao động chưa khớp với báo cáo của Cục Thống kê"
	}
	path := fmt.Sprintf("/api/v1/submissions/%d/review", rc.submissionID)
	a, err := r.api.call(ctx, http.MethodPost, path, r.tok.staff, "", body)
	if err != nil {
		return err
	}
	switch {
	case a.status == http.StatusCreated:
		return nil
	case a.status == http.StatusConflict && a.attempts > 1:
		var sub api.Submission
		if _, err := r.api.json(ctx, http.MethodGet, fmt.Sprintf("/api/v1/submissions/%d", rc.submissionID), r.tok.staff, nil, &sub, http.StatusOK); err != nil {
			return err
		}
		if sub.Review == nil || sub.Review.Decision != string(decision) {
			return fmt.Errorf("review of %s: refused on retry, and the version's review is %+v", rc.number, sub.Review)
		}
		return nil
	}
	return fmt.Errorf("review of %s: %d %s", rc.number, a.status, a.body)
}

// waitUnderReview waits until the agency's submission loop acknowledged
// version rc (receipt sent, reviewers told): a review that overtook the
// acknowledgement would leave the version without its receipt.
func (r *run) waitUnderReview(ctx context.Context, rc receipt) error {
	for {
		var status reporting.ObligationStatus
		var versions int
		err := r.st.store.Pool().QueryRow(ctx, `SELECT status, versions FROM obligations WHERE cycle_id = $1 AND agency_code = $2`,
			r.cycleID, rc.agency).Scan(&status, &versions)
		if err == nil && status == reporting.ObligationUnderReview && versions == rc.version {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s v%d never came under review (status %s, %v): %w", rc.agency, rc.version, status, err, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// waitNotified waits until the agency was sent the message of kind about
// version rc, as an agency resubmits once it is told its report was
// returned (a resubmission that overtook the return would leave the return
// untold: the loop ignores decisions on superseded versions).
func (r *run) waitNotified(ctx context.Context, rc receipt, kind reporting.Event) error {
	for {
		var status reporting.NotificationStatus
		err := r.st.store.Pool().QueryRow(ctx, `SELECT status FROM notifications
			 WHERE cycle_id = $1 AND subject_code = $2 AND kind = $3 AND step = $4`,
			r.cycleID, rc.agency, string(kind), rc.version).Scan(&status)
		if err == nil && status != reporting.NotificationClaimed && status != reporting.NotificationSending {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s v%d was never sent its %s message (%s, %v): %w", rc.agency, rc.version, kind, status, err, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// waitForDueWave waits until every agency that had not submitted by due has
// its overdue notice, so the late submissions come after the due wave in
// both runs.
func (r *run) waitForDueWave(ctx context.Context) {
	if err := r.waitWave(ctx, reporting.EventOverdue, 0, r.due.Add(40*time.Second)); err != nil {
		r.t.Fatal(err)
	}
}

// waitWave waits until every message of a wave of kind and step is sent or
// recorded as failed, or until deadline.
func (r *run) waitWave(ctx context.Context, kind reporting.Event, step int, deadline time.Time) error {
	var want int
	switch kind {
	case reporting.EventReminder, reporting.EventOverdue:
		want = len(r.sc.agenciesWhere(func(ro role) bool { return !ro.onTime() }))
	case reporting.EventEscalation:
		want = len(r.sc.agenciesWhere(func(ro role) bool { return ro == silent }))
	default:
		return fmt.Errorf("the script has no wave of %s messages", kind)
	}
	for {
		var done int
		err := r.st.store.Pool().QueryRow(ctx, `SELECT count(*) FROM notifications
			 WHERE cycle_id = $1 AND kind = $2 AND step = $3 AND status NOT IN ($4, $5)`,
			r.cycleID, string(kind), step, reporting.NotificationClaimed, reporting.NotificationSending).Scan(&done)
		if err == nil && done == want {
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("the %s wave has %d of %d messages done at %s after launch (%v)", kind, done, want, r.since(time.Now()), err)
		}
		sleepUntil(ctx, time.Now().Add(100*time.Millisecond))
	}
}

// sleepUntil sleeps until at or until ctx ends.
func sleepUntil(ctx context.Context, at time.Time) {
	t := time.NewTimer(time.Until(at))
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
