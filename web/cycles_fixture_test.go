package web

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"rcm/activities"
	"rcm/notifications"
	"rcm/operations"
	"rcm/reporting"
	"rcm/testenv"
	rcmworker "rcm/worker"
)

// cycleWorld is what the cycle routes need in a test, set up on first use:
// a worker polling the package's dev server with activities on the
// fixture's database, and a cycle open for HNI, HPG and HCM in which HNI and
// HCM have each submitted once.
type cycleWorld struct {
	// prefix makes the fixture's regime codes unique on the dev server,
	// where workflow and schedule IDs outlive a test's database.
	prefix  string
	cycleID string
	// subs are the first submission of HNI and HCM in the cycle.
	subs map[string]operations.Receipt
	// scheduled is a regime with a schedule.
	scheduled string
	// tiered is a two-tier cycle (tiers_test.go), made on first use.
	tiered *reporting.Cycle
}

// cycles starts the worker and opens the fixture's cycle, once.
func (f *fixture) cycles() *cycleWorld {
	f.t.Helper()
	if f.cyc != nil {
		return f.cyc
	}
	f.startWorker()
	w := &cycleWorld{prefix: "C" + randomCode(5), subs: map[string]operations.Receipt{}}
	f.cyc = w
	w.cycleID = f.openCycle("HNI", "HPG", "HCM")
	w.subs["HNI"] = f.submitFor(w.cycleID, "HNI", "100")
	w.subs["HCM"] = f.submitFor(w.cycleID, "HCM", "200")
	w.scheduled = f.scheduledRegime()
	return w
}

func randomCode(n int) string {
	const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = letters[int(b[i])%len(letters)]
	}
	return string(b)
}

// startWorker runs rcm's worker and the outbox sweeper for the fixture's
// database until the test ends.
func (f *fixture) startWorker() {
	t := f.t
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	sink := testenv.SMTPServer(t)
	smtpCfg, err := notifications.ParseSMTPURL(sink.URL())
	require.NoError(t, err)
	renderer, err := notifications.NewRenderer()
	require.NoError(t, err)
	logger := slog.New(slog.DiscardHandler)
	if os.Getenv("RCM_TEST_LOG") != "" {
		logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	acts := activities.New(f.store, renderer, notifications.NewMailer(smtpCfg), f.engine, f.engine, logger,
		activities.Config{BaseURL: "http://rcm.test", MessageIDDomain: "rcm.test", RetryDelay: 50 * time.Millisecond})
	w := rcmworker.New(temporal.Client(), acts, rcmworker.Options{TaskQueue: f.queue})
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)
	go func() { _ = f.engine.RunOutboxSweeper(ctx, 500*time.Millisecond, time.Second) }()
}

// freshRegime creates a monthly regime of the KTXH template for the
// agencies, with a code no other test uses, and returns the code.
func (f *fixture) freshRegime(agencies ...string) string {
	f.t.Helper()
	return f.freshRegimeWith(func(*reporting.Regime) {}, agencies...)
}

// freshRegimeWith is freshRegime with the regime changed by change first.
func (f *fixture) freshRegimeWith(change func(*reporting.Regime), agencies ...string) string {
	f.t.Helper()
	code := fmt.Sprintf("%s_%d", f.cycles().prefix, f.next())
	r := reporting.Regime{Code: code, NameVI: "Báo cáo tháng", TemplateCode: "KTXH", Cadence: reporting.Monthly,
		DeadlineRule: reporting.DeadlineRule{Kind: reporting.RuleCalendarDays, N: 2},
		Policy:       reporting.Policy{ReminderOffsets: []time.Duration{30 * time.Minute}, ReviewTime: time.Hour, CloseAfter: 2 * time.Hour}}
	for _, a := range agencies {
		r.Assignments = append(r.Assignments, reporting.Assignment{AgencyCode: a})
	}
	change(&r)
	_, err := f.engine.CreateRegime(context.Background(), seeder, r)
	require.NoError(f.t, err)
	return code
}

// pastPeriod is the latest monthly period whose data cut-off has passed,
// so that a cycle of it may close at once.
func pastPeriod(t *testing.T) string {
	loc, err := reporting.DefaultLocation()
	require.NoError(t, err)
	current, ok := reporting.PeriodContaining(reporting.Monthly, reporting.DateOf(time.Now(), loc))
	require.True(t, ok)
	start, _ := current.Window()
	previous, ok := reporting.PeriodContaining(reporting.Monthly, start.AddDays(-1))
	require.True(t, ok)
	return previous.ID
}

// openEstimatesCycle launches a cycle of a fresh regime that reports
// estimates, for the period at hand, due in an hour (before its cut-off),
// and waits until the worker has opened its obligations.
func (f *fixture) openEstimatesCycle(agencies ...string) string {
	f.t.Helper()
	code := f.freshRegimeWith(func(r *reporting.Regime) { r.Estimates = true }, agencies...)
	loc, err := reporting.DefaultLocation()
	require.NoError(f.t, err)
	due := time.Now().Add(time.Hour)
	current, ok := reporting.PeriodContaining(reporting.Monthly, reporting.DateOf(due.Add(time.Hour), loc))
	require.True(f.t, ok)
	c, err := f.engine.Launch(context.Background(), f.caller("staff"), operations.LaunchRequest{RegimeCode: code, Period: current.ID, Due: &due})
	require.NoError(f.t, err)
	require.True(f.t, c.ReportsEstimates(), "due %s before the cut-off %s", c.Due, c.CutOff)
	f.waitStatus(c.ID, reporting.CycleOpen)
	return c.ID
}

// openCycle launches a cycle of a fresh regime for the agencies, due in an
// hour, and waits until the worker has opened its obligations.
func (f *fixture) openCycle(agencies ...string) string {
	f.t.Helper()
	due := time.Now().Add(time.Hour)
	c, err := f.engine.Launch(context.Background(), f.caller("staff"), operations.LaunchRequest{
		RegimeCode: f.freshRegime(agencies...), Period: pastPeriod(f.t), Due: &due})
	require.NoError(f.t, err)
	f.waitStatus(c.ID, reporting.CycleOpen)
	return c.ID
}

// waitStatus waits until the cycle has the status.
func (f *fixture) waitStatus(cycleID string, status reporting.CycleStatus) {
	f.t.Helper()
	require.Eventually(f.t, func() bool {
		c, err := f.store.Cycle(context.Background(), cycleID)
		return err == nil && c.Status == status
	}, 30*time.Second, 50*time.Millisecond, "cycle %s never became %s", cycleID, status)
}

// caller is the engine caller of a fixture user ("staff", "officer", ...).
func (f *fixture) caller(key string) operations.Caller {
	f.t.Helper()
	p, err := f.store.PrincipalFor(context.Background(), f.users[key].ID)
	require.NoError(f.t, err)
	return operations.Caller{Principal: p, RemoteAddr: "test"}
}

// officerOf names the fixture user who is the officer of an agency.
var officerOf = map[string]string{"HNI": "officer", "HCM": "outsider"}

// submitFor stores a version for HNI or HCM through the engine.
func (f *fixture) submitFor(cycleID, agency, grdp string) operations.Receipt {
	f.t.Helper()
	r, err := f.engine.Submit(context.Background(), f.caller(officerOf[agency]), operations.SubmitRequest{
		CycleID: cycleID, AgencyCode: agency, Values: reporting.Values{"GRDP": grdp}, Source: "json"})
	require.NoError(f.t, err)
	return r
}

// scheduledRegime creates a regime with a schedule, deleted when the test ends.
func (f *fixture) scheduledRegime() string {
	f.t.Helper()
	code := f.freshRegime("HNI")
	_, err := f.engine.ScheduleRegime(context.Background(), f.caller("staff"), code, operations.ScheduleOptions{Hour: 8})
	require.NoError(f.t, err)
	f.deleteScheduleAtEnd(code)
	return code
}

func (f *fixture) deleteScheduleAtEnd(code string) {
	f.t.Cleanup(func() { _ = f.engine.DeleteSchedule(context.Background(), f.caller("staff"), code) })
}
