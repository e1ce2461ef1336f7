package systemtest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	sdkworker "go.temporal.io/sdk/worker"

	"rcm/access"
	"rcm/activities"
	"rcm/engine"
	"rcm/notifications"
	"rcm/reporting"
	"rcm/store"
	"rcm/testenv"
	rcmworker "rcm/worker"
)

var temporal *testenv.TemporalServer

func TestMain(m *testing.M) {
	testenv.RunWithTemporal(m, func(s *testenv.TemporalServer) { temporal = s })
}

// world is a running rcm: database, SMTP sink, engine and a worker.
type world struct {
	t      *testing.T
	ctx    context.Context
	store  *store.Store
	smtp   *testenv.SMTP
	engine *engine.Engine
	staff  engine.Caller
	// officers and supervisors by agency code.
	officers    map[string]engine.Caller
	supervisors map[string]store.User
	logger      *slog.Logger
}

// newWorld starts rcm on a fresh database with a worker polling the dev
// server; everything stops when the test ends.
func newWorld(t *testing.T, batchSize int) *world {
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
	eng := engine.New(st, temporal.Client(), logger)
	acts := activities.New(st, renderer, notifications.NewMailer(smtpCfg), temporal.Client(), eng, logger,
		activities.Config{BaseURL: "http://rcm.test", MessageIDDomain: "rcm.test", BatchSize: batchSize, RetryDelay: 50 * time.Millisecond})
	w := rcmworker.New(temporal.Client(), acts, rcmworker.Options{})
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)
	go func() { _ = eng.RunOutboxSweeper(ctx, 500*time.Millisecond, time.Second) }()
	return &world{t: t, ctx: ctx, store: st, smtp: sink, engine: eng, logger: logger,
		officers: map[string]engine.Caller{}, supervisors: map[string]store.User{}}
}

var _ sdkworker.Worker // the worker type is what rcmworker.New returns

// seedTree builds a tree VN → regions → provinces, with officer and head
// addresses for every province, a supervisor per region, and officer users
// for the provinces that want (all by default).
func (w *world) seedTree(regions map[string][]string, wantOfficer ...func(code string) bool) {
	t := w.t
	agencies := []store.Agency{{Code: "VN", NameVI: "Việt Nam", NameEN: "Viet Nam", Kind: "national"}}
	for region, provinces := range regions {
		agencies = append(agencies, store.Agency{Code: region, ParentCode: "VN", NameVI: "Vùng " + region, NameEN: "Region " + region, Kind: "region"})
		for _, p := range provinces {
			agencies = append(agencies, store.Agency{Code: p, ParentCode: region, NameVI: "Tỉnh " + p, NameEN: "Province " + p,
				Kind: "province", OfficerEmail: "officer." + p + "@agency.test", HeadEmail: "head." + p + "@agency.test"})
		}
	}
	_, _, err := w.store.UpsertAgencies(w.ctx, agencies)
	require.NoError(t, err)
	staff, err := w.store.CreateUser(w.ctx, store.User{Email: "staff@office.test", Name: "Office", Role: access.Staff, Language: "vi"}, "")
	require.NoError(t, err)
	w.staff = w.caller(staff)
	for region, provinces := range regions {
		sup, err := w.store.CreateUser(w.ctx, store.User{Email: "supervisor." + region + "@office.test", Role: access.Supervisor, AgencyCode: region, Language: "vi"}, "")
		require.NoError(t, err)
		w.supervisors[region] = sup
		for _, p := range provinces {
			if len(wantOfficer) > 0 && !wantOfficer[0](p) {
				continue
			}
			u, err := w.store.CreateUser(w.ctx, store.User{Email: "submitter." + p + "@agency.test", Role: access.Officer, AgencyCode: p, Language: "vi"}, "")
			require.NoError(t, err)
			w.officers[p] = w.caller(u)
		}
	}
}

func (w *world) caller(u store.User) engine.Caller {
	p, err := w.store.PrincipalFor(w.ctx, u.ID)
	require.NoError(w.t, err)
	return engine.Caller{Principal: p, RemoteAddr: "test"}
}

// seiTemplate is a small socio-economic template: two sums, an average and a note.
func seiTemplate() reporting.Template {
	return reporting.Template{Code: "SEI", NameVI: "Chỉ tiêu KT-XH", NameEN: "Socio-economic indicators", Indicators: []reporting.Indicator{
		{Code: "GRDP", NameVI: "Tổng sản phẩm trên địa bàn", Unit: "tỷ đồng", Type: reporting.TypeDecimal, Required: true, Min: "0", Aggregation: reporting.AggregationSum},
		{Code: "EMP", NameVI: "Số lao động có việc làm", Unit: "người", Type: reporting.TypeInteger, Required: true, Min: "0", Aggregation: reporting.AggregationSum},
		{Code: "CPI", NameVI: "Chỉ số giá tiêu dùng tăng", Unit: "%", Type: reporting.TypePercent, Required: true, Min: "-100", Max: "100", Aggregation: reporting.AggregationAvg},
		{Code: "NOTE", NameVI: "Tình hình nổi bật", Type: reporting.TypeText, Aggregation: reporting.AggregationNone},
	}}
}

func (w *world) seedRegime(code string, agencies []string, policy reporting.Policy) {
	t := w.t
	if _, err := w.store.Template(w.ctx, "SEI"); err != nil {
		require.NoError(t, w.store.CreateTemplate(w.ctx, seiTemplate()))
	}
	rule, err := reporting.ParseDeadlineRule("workdays:2")
	require.NoError(t, err)
	r := store.Regime{Code: code, NameVI: "Báo cáo KT-XH hằng tháng", NameEN: "Monthly socio-economic report", TemplateCode: "SEI",
		Cadence: reporting.Monthly, DeadlineRule: rule, TimeZone: "Asia/Ho_Chi_Minh", Policy: policy}
	for _, a := range agencies {
		r.Assignments = append(r.Assignments, store.Assignment{AgencyCode: a})
	}
	require.NoError(t, w.store.CreateRegime(w.ctx, r))
}

// waitOpen waits until the cycle's obligations exist.
func (w *world) waitOpen(cycleID string) store.Cycle {
	w.t.Helper()
	var c store.Cycle
	require.Eventually(w.t, func() bool {
		var err error
		c, err = w.store.Cycle(w.ctx, cycleID)
		return err == nil && c.Status == store.CycleOpen
	}, 30*time.Second, 50*time.Millisecond, "cycle %s never opened", cycleID)
	return c
}

// submit stores values for an agency as its officer and returns the receipt.
func (w *world) submit(cycleID, agency string, values reporting.Values) engine.Receipt {
	w.t.Helper()
	r, err := w.engine.Submit(w.ctx, w.officers[agency], engine.SubmitRequest{CycleID: cycleID, AgencyCode: agency, Values: values, Source: "json"})
	require.NoError(w.t, err, "submit for %s", agency)
	return r
}

func (w *world) review(r engine.Receipt, decision, reason string) {
	w.t.Helper()
	_, err := w.engine.Review(w.ctx, w.staff, engine.ReviewRequest{SubmissionID: r.SubmissionID, Decision: decision, Reason: reason})
	require.NoError(w.t, err, "review %s", r.Number)
}

func province(i int) string { return fmt.Sprintf("P%02d", i) }
