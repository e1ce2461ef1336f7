package systemtest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"rcm/access"
	"rcm/activities"
	"rcm/notifications"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
	"rcm/testenv"
	rcmworker "rcm/worker"
)

// World is a running rcm for tests and benchmarks: a fresh database, an SMTP
// server on loopback, the operations, and a worker polling the dev server with
// the real activities and the outbox sweeper.
type World struct {
	t testing.TB
	// Ctx ends with the test.
	Ctx    context.Context
	Store  *store.Store
	SMTP   *testenv.SMTP
	Engine *operations.Engine
	// Temporal is the service (dev server or cluster) the worker polls.
	Temporal testenv.TemporalService
	// Staff is an office-staff caller.
	Staff operations.Caller
	// Officers by agency code, Supervisors by region code.
	Officers    map[string]operations.Caller
	Supervisors map[string]store.User
}

// NewWorld starts rcm on a fresh database with a worker polling the dev
// server; waves go in batches of batchSize. Everything stops when the test
// ends.
func NewWorld(t testing.TB, temporal testenv.TemporalService, batchSize int) *World {
	t.Helper()
	return NewWorldWith(t, temporal, batchSize, WorldOptions{})
}

// WorldOptions change how a World is wired, to inject faults.
type WorldOptions struct {
	// LoopEnder, if set, wraps what the activities end submission loops
	// through.
	LoopEnder func(activities.LoopEnder) activities.LoopEnder
	// NoWorker starts no worker: the workflows the world's requests start
	// wait on their task queue unrun (a benchmark that measures the
	// requests alone).
	NoWorker bool
}

// NewWorldWith is NewWorld with options.
func NewWorldWith(t testing.TB, temporal testenv.TemporalService, batchSize int, opts WorldOptions) *World {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	st, err := store.Open(ctx, testenv.Database(t))
	require.NoError(t, err)
	t.Cleanup(st.Close)
	sink := testenv.SMTPServer(t)
	smtpCfg, err := notifications.ParseSMTPURL(sink.URL())
	require.NoError(t, err)
	renderer, err := notifications.NewRenderer()
	require.NoError(t, err)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if os.Getenv("RCM_TEST_LOG") != "" {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	// A client of the world's own, logging like the world: a worker stopped
	// at the end of a test cancels its activities, which the SDK reports
	// as errors.
	tc, err := client.NewClientFromExisting(temporal.Client(), client.Options{Logger: tlog.NewStructuredLogger(logger)})
	require.NoError(t, err)
	t.Cleanup(tc.Close)
	queue := testenv.TaskQueue(t)
	eng := operations.New(st, tc, logger, operations.WithTaskQueue(queue))
	var loops activities.LoopEnder = eng
	if opts.LoopEnder != nil {
		loops = opts.LoopEnder(eng)
	}
	acts := activities.New(st, renderer, notifications.NewMailer(smtpCfg), loops, eng, logger,
		activities.Config{BaseURL: "http://rcm.test", MessageIDDomain: "rcm.test", BatchSize: batchSize, RetryDelay: 50 * time.Millisecond})
	if !opts.NoWorker {
		w := rcmworker.New(tc, acts, rcmworker.Options{TaskQueue: queue})
		require.NoError(t, w.Start())
		t.Cleanup(w.Stop)
	}
	go func() { _ = eng.RunOutboxSweeper(ctx, 500*time.Millisecond, time.Second) }()
	return &World{t: t, Ctx: ctx, Store: st, SMTP: sink, Engine: eng, Temporal: temporal,
		Officers: map[string]operations.Caller{}, Supervisors: map[string]store.User{}}
}

// SeedTree builds a tree VN → regions → provinces, with officer and head
// addresses for every province, a supervisor per region, and officer users
// for the provinces that want (all by default).
func (w *World) SeedTree(regions map[string][]string, wantOfficer ...func(code string) bool) {
	t := w.t
	agencies := []reporting.Agency{{Code: "VN", NameVI: "Việt Nam", NameEN: "Viet Nam", Kind: "national"}}
	for region, provinces := range regions {
		agencies = append(agencies, reporting.Agency{Code: region, ParentCode: "VN", NameVI: "Vùng " + region, NameEN: "Region " + region, Kind: "region"})
		for _, p := range provinces {
			agencies = append(agencies, reporting.Agency{Code: p, ParentCode: region, NameVI: "Tỉnh " + p, NameEN: "Province " + p,
				Kind: "province", OfficerEmail: "officer." + p + "@agency.test", HeadEmail: "head." + p + "@agency.test"})
		}
	}
	_, _, err := w.Engine.ImportAgencies(w.Ctx, seeder, agencies)
	require.NoError(t, err)
	staff, err := w.Engine.CreateUser(w.Ctx, seeder, store.User{Email: "staff@office.test", Name: "Office", Role: access.Staff, Language: "vi"}, "")
	require.NoError(t, err)
	w.Staff = w.caller(staff)
	for region, provinces := range regions {
		sup, err := w.Engine.CreateUser(w.Ctx, seeder, store.User{Email: "supervisor." + region + "@office.test", Role: access.Supervisor, AgencyCode: region, Language: "vi"}, "")
		require.NoError(t, err)
		w.Supervisors[region] = sup
		for _, p := range provinces {
			if len(wantOfficer) > 0 && !wantOfficer[0](p) {
				continue
			}
			u, err := w.Engine.CreateUser(w.Ctx, seeder, store.User{Email: "submitter." + p + "@agency.test", Role: access.Officer, AgencyCode: p, Language: "vi"}, "")
			require.NoError(t, err)
			w.Officers[p] = w.caller(u)
		}
	}
}

// seeder is who seeds a world: rcm itself, through the operations.
var seeder = operations.SystemCaller()

func (w *World) caller(u store.User) operations.Caller {
	p, err := w.Store.PrincipalFor(w.Ctx, u.ID)
	require.NoError(w.t, err)
	return operations.Caller{Principal: p, RemoteAddr: "test"}
}

// SEITemplate is a small socio-economic template: two sums, an average and a note.
func SEITemplate() reporting.Template {
	return reporting.Template{Code: "SEI", NameVI: "Chỉ tiêu KT-XH", NameEN: "Socio-economic indicators", Indicators: []reporting.Indicator{
		{Code: "GRDP", NameVI: "Tổng sản phẩm trên địa bàn", Unit: "tỷ đồng", Type: reporting.TypeDecimal, Required: true, Min: "0", Aggregation: reporting.AggregationSum},
		{Code: "EMP", NameVI: "Số lao động có việc làm", Unit: "người", Type: reporting.TypeInteger, Required: true, Min: "0", Aggregation: reporting.AggregationSum},
		{Code: "CPI", NameVI: "Chỉ số giá tiêu dùng tăng", Unit: "%", Type: reporting.TypePercent, Required: true, Min: "-100", Max: "100", Aggregation: reporting.AggregationAvg},
		{Code: "NOTE", NameVI: "Tình hình nổi bật", Type: reporting.TypeText, Aggregation: reporting.AggregationNone},
	}}
}

// SeedRegime creates the SEI template (once) and a monthly regime of it
// assigned to the agencies.
func (w *World) SeedRegime(code string, agencies []string, policy reporting.Policy) {
	t := w.t
	if _, err := w.Store.Template(w.Ctx, "SEI"); err != nil {
		require.NoError(t, w.Engine.CreateTemplate(w.Ctx, seeder, SEITemplate()))
	}
	rule, err := reporting.ParseDeadlineRule("workdays:2")
	require.NoError(t, err)
	r := reporting.Regime{Code: code, NameVI: "Báo cáo KT-XH hằng tháng", NameEN: "Monthly socio-economic report", TemplateCode: "SEI",
		Cadence: reporting.Monthly, DeadlineRule: rule, TimeZone: "Asia/Ho_Chi_Minh", Policy: policy}
	for _, a := range agencies {
		r.Assignments = append(r.Assignments, reporting.Assignment{AgencyCode: a})
	}
	_, err = w.Engine.CreateRegime(w.Ctx, seeder, r)
	require.NoError(t, err)
}

// WaitOpen waits until the cycle's obligations exist.
func (w *World) WaitOpen(cycleID string) reporting.Cycle {
	w.t.Helper()
	var c reporting.Cycle
	require.Eventually(w.t, func() bool {
		var err error
		c, err = w.Store.Cycle(w.Ctx, cycleID)
		return err == nil && c.Status == reporting.CycleOpen
	}, 30*time.Second, 50*time.Millisecond, "cycle %s never opened", cycleID)
	return c
}

// Submit stores values for an agency as its officer and returns the receipt.
func (w *World) Submit(cycleID, agency string, values reporting.Values) operations.Receipt {
	w.t.Helper()
	r, err := w.Engine.Submit(w.Ctx, w.Officers[agency], operations.SubmitRequest{CycleID: cycleID, AgencyCode: agency, Values: values, Source: "json"})
	require.NoError(w.t, err, "submit for %s", agency)
	return r
}

// Review decides on a submission as office staff.
func (w *World) Review(r operations.Receipt, decision reporting.Decision, reason string) {
	w.t.Helper()
	_, err := w.Engine.Review(w.Ctx, w.Staff, operations.ReviewRequest{SubmissionID: r.SubmissionID, Decision: decision, Reason: reason})
	require.NoError(w.t, err, "review %s", r.Number)
}

// Province is the code of the i-th test province.
func Province(i int) string { return fmt.Sprintf("P%02d", i) }

// Values are what agency i reports: GRDP 100+i, EMP 1000*i, CPI i/10.
func Values(i int) reporting.Values {
	return reporting.Values{
		"GRDP": fmt.Sprintf("%d.5", 100+i),
		"EMP":  fmt.Sprintf("%d", 1000*i),
		"CPI":  new(big.Rat).SetFrac64(int64(i%1000), 10).FloatString(1),
		"NOTE": fmt.Sprintf("Báo cáo của tỉnh %02d <b>&</b>", i),
	}
}
