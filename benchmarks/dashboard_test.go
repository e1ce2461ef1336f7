package benchmarks

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"rcm/access"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
	"rcm/testenv"
	"rcm/web"
)

// The supervisors' reads at national scale: 10,000 agencies (a nation, 10
// regions, 100 provinces, 9,889 districts) reporting monthly for 24 periods,
// 240,000 obligations: 23 closed periods and the current one open. Each
// read is measured through the operations (the application layer), through
// HTTP (the API and the dashboard page) and, as the baseline, as the same
// SQL run directly by the store.

const (
	dashboardAgencies = 10_000
	dashboardPeriods  = 24
	dashboardRegime   = "BENCH_MONTHLY"
)

// dashboardWorld is the seeded database with the server in front of it.
type dashboardWorld struct {
	store  *store.Store
	engine *operations.Engine
	http   *httptest.Server
	tokens map[string]string
	staff  operations.Caller
	region operations.Caller
	open   string
	closed string
	cycles []string
}

func seedDashboard(b *testing.B) *dashboardWorld {
	b.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, testenv.Database(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(st.Close)
	w := &dashboardWorld{store: st, tokens: map[string]string{}}
	w.engine = operations.New(st, temporalFor(b).Client(), slog.New(slog.DiscardHandler))
	sys := operations.SystemCaller()
	start := time.Now()
	agencies := []reporting.Agency{{Code: "VN", NameVI: "Việt Nam", Kind: "national"}}
	for r := 1; r <= 10; r++ {
		agencies = append(agencies, reporting.Agency{Code: fmt.Sprintf("R%02d", r), ParentCode: "VN", NameVI: fmt.Sprintf("Vùng %d", r), Kind: "region"})
	}
	for p := 1; p <= 100; p++ {
		agencies = append(agencies, reporting.Agency{Code: fmt.Sprintf("P%03d", p), ParentCode: fmt.Sprintf("R%02d", (p-1)/10+1),
			NameVI: fmt.Sprintf("Tỉnh %d", p), Kind: "province"})
	}
	for d := 1; len(agencies) < dashboardAgencies; d++ {
		agencies = append(agencies, reporting.Agency{Code: fmt.Sprintf("D%05d", d), ParentCode: fmt.Sprintf("P%03d", (d-1)%100+1),
			NameVI: fmt.Sprintf("Huyện %d", d), Kind: "district"})
	}
	if _, _, err := w.engine.ImportAgencies(ctx, sys, agencies); err != nil {
		b.Fatal(err)
	}
	tmpl := reporting.Template{Code: "BENCH", NameVI: "Báo cáo", Indicators: []reporting.Indicator{
		{Code: "GRDP", NameVI: "Tổng sản phẩm", Unit: "tỷ đồng", Type: reporting.TypeDecimal, Required: true, Aggregation: reporting.AggregationSum}}}
	if err := w.engine.CreateTemplate(ctx, sys, tmpl); err != nil {
		b.Fatal(err)
	}
	if _, err := w.engine.CreateRegime(ctx, sys, reporting.Regime{Code: dashboardRegime, NameVI: "Báo cáo tháng", TemplateCode: "BENCH",
		Cadence: reporting.Monthly, DeadlineRule: reporting.DeadlineRule{Kind: reporting.RuleCalendarDays, N: 2},
		Assignments: []reporting.Assignment{{AgencyCode: "VN"}},
		Policy:      reporting.Policy{ReminderOffsets: []time.Duration{24 * time.Hour}, CloseAfter: 48 * time.Hour}}); err != nil {
		b.Fatal(err)
	}
	loc, err := reporting.DefaultLocation()
	if err != nil {
		b.Fatal(err)
	}
	period, _ := reporting.PeriodContaining(reporting.Monthly, reporting.DateOf(time.Now(), loc))
	periods := make([]reporting.Period, dashboardPeriods)
	for i := dashboardPeriods - 1; i >= 0; i-- {
		period = period.Prev()
		periods[i] = period
	}
	pool := st.Pool()
	for i, p := range periods {
		open := i == dashboardPeriods-1
		id := dashboardRegime + "-" + p.ID
		s, e := p.Window()
		cutOff := time.Date(e.Year, e.Month, e.Day+1, 0, 0, 0, 0, loc)
		due, closeAt, status := cutOff.AddDate(0, 0, 2), cutOff.AddDate(0, 0, 4), reporting.CycleOpen
		if open {
			due, closeAt = time.Now().Add(time.Hour), time.Now().Add(3*time.Hour)
		}
		if _, err := pool.Exec(ctx, `INSERT INTO cycles (id, regime_code, period, window_start, window_end, time_zone, cut_off_at,
			due_at, close_at, policy, status, expected, opened_at, timeliness)
			VALUES ($1, $2, $3, $4, $5, 'Asia/Ho_Chi_Minh', $6, $7, $8, '{"reminder_offsets":["1d"],"close_after":"2d"}', $9, $10, $6, 'first_version')`,
			id, dashboardRegime, p.ID, time.Date(s.Year, s.Month, s.Day, 0, 0, 0, 0, time.UTC),
			time.Date(e.Year, e.Month, e.Day, 0, 0, 0, 0, time.UTC), cutOff, due, closeAt, status, dashboardAgencies); err != nil {
			b.Fatal(err)
		}
		// Deterministic spread: most on time, some late by one to five
		// days, some missing or not accepted; districts whose number ends
		// in 7 are late every month.
		if open {
			_, err = pool.Exec(ctx, `INSERT INTO obligations (cycle_id, agency_code, due_at, close_at, status, first_submitted_at,
				last_submitted_at, versions)
				SELECT $1, code, $2::timestamptz, $3::timestamptz, s, CASE WHEN s = 'pending' THEN NULL ELSE $2::timestamptz - interval '2 hours' END,
				       CASE WHEN s = 'pending' THEN NULL ELSE $2::timestamptz - interval '2 hours' END, CASE WHEN s = 'pending' THEN 0 ELSE 1 END
				  FROM (SELECT code, (ARRAY['pending','submitted','accepted','returned','pending'])[abs(hashtext(code)) % 5 + 1] AS s
				          FROM agencies) a`, id, due, closeAt)
		} else {
			_, err = pool.Exec(ctx, `INSERT INTO obligations (cycle_id, agency_code, due_at, close_at, status, first_submitted_at,
				last_submitted_at, versions, finalized_at)
				SELECT $1, code, $2::timestamptz, $3::timestamptz, s,
				       CASE s WHEN 'missing' THEN NULL WHEN 'late' THEN $2::timestamptz + (1 + h % 5) * interval '1 day' - interval '1 hour'
				              ELSE $2::timestamptz - interval '1 hour' END,
				       CASE s WHEN 'missing' THEN NULL WHEN 'late' THEN $2::timestamptz + (1 + h % 5) * interval '1 day' - interval '1 hour'
				              ELSE $2::timestamptz - interval '1 hour' END,
				       CASE s WHEN 'missing' THEN 0 ELSE 1 + h % 2 END, $3::timestamptz
				  FROM (SELECT code, h, CASE WHEN code LIKE 'D%7' THEN 'late'
				                             WHEN h % 20 < 14 THEN 'on_time' WHEN h % 20 < 17 THEN 'late'
				                             WHEN h % 20 < 19 THEN 'missing' ELSE 'not_accepted' END AS s
				          FROM (SELECT code, abs(hashtext(code || $1::text)) AS h FROM agencies) x) a`, id, due, closeAt)
		}
		if err != nil {
			b.Fatal(err)
		}
		if !open {
			facts, err := st.CycleFacts(ctx, id)
			if err != nil {
				b.Fatal(err)
			}
			comp, err := reporting.RollUpCompliance(facts.Tree, facts.Obligations, time.Now())
			if err != nil {
				b.Fatal(err)
			}
			if err := st.StoreCycleResults(ctx, id, nil, comp.ByNode); err != nil {
				b.Fatal(err)
			}
			w.closed = id
		}
		w.cycles = append(w.cycles, id)
		w.open = id
	}
	if _, err := pool.Exec(ctx, `VACUUM ANALYZE`); err != nil {
		b.Fatal(err)
	}
	for _, u := range []struct {
		key    string
		role   access.Role
		agency string
	}{{"staff", access.Staff, ""}, {"region", access.Supervisor, "R03"}} {
		created, err := w.engine.CreateUser(ctx, sys, store.User{Email: u.key + "@bench.test", Role: u.role, AgencyCode: u.agency}, "")
		if err != nil {
			b.Fatal(err)
		}
		tok, _, err := w.engine.CreateToken(ctx, sys, created.ID, "bench", nil)
		if err != nil {
			b.Fatal(err)
		}
		w.tokens[u.key] = tok
		p, err := st.PrincipalFor(ctx, created.ID)
		if err != nil {
			b.Fatal(err)
		}
		if u.key == "staff" {
			w.staff = operations.Caller{Principal: p}
		} else {
			w.region = operations.Caller{Principal: p}
		}
	}
	srv := web.NewServer(web.Config{BaseURL: "http://rcm.test"}, web.Deps{Operations: w.engine})
	w.http = httptest.NewServer(srv.Handler())
	b.Cleanup(w.http.Close)
	b.Logf("seeded %d agencies × %d periods in %s", dashboardAgencies, dashboardPeriods, time.Since(start).Round(time.Second))
	return w
}

// get fetches a path as the user, fails the benchmark on anything but 200,
// and returns the size of the body.
func (w *dashboardWorld) get(b *testing.B, user, path string) int64 {
	req, err := http.NewRequest("GET", w.http.URL+path, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+w.tokens[user])
	resp, err := w.http.Client().Do(req)
	if err != nil {
		b.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("GET %s as %s: %d", path, user, resp.StatusCode)
	}
	return n
}

// measurePage measures a page like measure, and reports its size.
func measurePage(b *testing.B, w *dashboardWorld, user, path string) {
	b.Helper()
	var size int64
	measure(b, func() error { size = w.get(b, user, path); return nil })
	b.ReportMetric(float64(size)/1024, "html-KiB")
}

// measure runs read b.N times and reports its latency percentiles.
func measure(b *testing.B, read func() error) {
	b.Helper()
	l := make(latencies, 0, b.N)
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		t := time.Now()
		if err := read(); err != nil {
			b.Fatal(err)
		}
		l = append(l, time.Since(t))
	}
	l.report(b, time.Since(start))
}

// BenchmarkSupervisorReads measures the dashboard's reads at 10,000
// agencies × 24 periods: the compliance summary per node, the 12-period
// matrix and the obligations list, paged.
func BenchmarkSupervisorReads(b *testing.B) {
	w := seedDashboard(b)
	ctx := context.Background()
	st := w.store
	last12 := w.cycles[len(w.cycles)-reporting.MatrixPeriods:]
	matrixFilter := store.MatrixFilter{CycleIDs: last12, Limit: 51}

	// Compliance summary per node.
	b.Run("compliance/sql-open-cycle-facts", func(b *testing.B) {
		measure(b, func() error { _, err := st.CycleFacts(ctx, w.open); return err })
	})
	b.Run("compliance/sql-open-national-groups", func(b *testing.B) {
		measure(b, func() error {
			_, err := st.ObligationGroups(ctx, store.GroupFilter{CycleID: w.open, RootPath: "/VN/", Depth: 2}, time.Now())
			return err
		})
	})
	b.Run("compliance/sql-closed-region-rows", func(b *testing.B) {
		measure(b, func() error { _, err := st.CycleCompliance(ctx, w.closed, "/VN/R03/"); return err })
	})
	b.Run("compliance/ops-tree-national-open", func(b *testing.B) {
		measure(b, func() error { _, err := w.engine.ComplianceTree(ctx, w.staff, w.open, ""); return err })
	})
	b.Run("compliance/ops-tree-region-open", func(b *testing.B) {
		measure(b, func() error { _, err := w.engine.ComplianceTree(ctx, w.region, w.open, ""); return err })
	})
	b.Run("compliance/ops-tree-national-closed", func(b *testing.B) {
		measure(b, func() error { _, err := w.engine.ComplianceTree(ctx, w.staff, w.closed, ""); return err })
	})
	b.Run("compliance/api-region-open", func(b *testing.B) {
		measure(b, func() error { w.get(b, "region", "/api/v1/cycles/"+w.open+"/compliance"); return nil })
	})

	// The 12-period matrix, a page of 50 agencies, and its latecomers.
	b.Run("matrix/sql-page", func(b *testing.B) {
		measure(b, func() error { _, err := st.MatrixObligations(ctx, matrixFilter); return err })
	})
	b.Run("matrix/sql-latecomers-national", func(b *testing.B) {
		measure(b, func() error {
			_, err := st.Latecomers(ctx, store.MatrixFilter{CycleIDs: last12, Limit: 1000}, reporting.NotOnTimeStates(), reporting.ChronicMinPeriods)
			return err
		})
	})
	b.Run("matrix/ops-national", func(b *testing.B) {
		measure(b, func() error { _, err := w.engine.Matrix(ctx, w.staff, w.open, "", "", 50); return err })
	})
	b.Run("matrix/ops-region", func(b *testing.B) {
		measure(b, func() error { _, err := w.engine.Matrix(ctx, w.region, w.open, "", "", 50); return err })
	})
	b.Run("matrix/api-region", func(b *testing.B) {
		measure(b, func() error { w.get(b, "region", "/api/v1/cycles/"+w.open+"/matrix?limit=50"); return nil })
	})

	// The obligations list, a page of 100.
	b.Run("obligations/sql-page", func(b *testing.B) {
		measure(b, func() error {
			_, err := st.Obligations(ctx, store.ObligationFilter{CycleID: w.open, After: "D05000", Limit: 101})
			return err
		})
	})
	b.Run("obligations/ops-page", func(b *testing.B) {
		measure(b, func() error {
			_, err := w.engine.Obligations(ctx, w.staff, w.open, "", store.ObligationFilter{After: "D05000", Limit: 101})
			return err
		})
	})
	b.Run("obligations/api-page", func(b *testing.B) {
		measure(b, func() error {
			w.get(b, "staff", "/api/v1/cycles/"+w.open+"/obligations?limit=100&after=D05000")
			return nil
		})
	})

	// The whole dashboard page: every read above and the aggregates.
	b.Run("aggregates/ops-national-open-shown", func(b *testing.B) {
		measure(b, func() error {
			_, err := w.engine.AggregatesOf(ctx, w.staff, w.open, "", []string{"VN", "R01", "R02", "R03"})
			return err
		})
	})
	// The nation's page of the open cycle strand by strand (web/dashboard.go
	// runs three side by side; the page waits for the slowest).
	b.Run("strand/ops-national-open-tree-history", func(b *testing.B) {
		measure(b, func() error {
			t, err := w.engine.ComplianceTree(ctx, w.staff, w.open, "")
			if err != nil {
				return err
			}
			_, err = w.engine.RateHistory(ctx, w.staff, w.open, t.Node.Agency.Code, map[string]reporting.Rates{w.open: t.Node.Value})
			return err
		})
	})
	b.Run("strand/ops-national-open-figures", func(b *testing.B) {
		measure(b, func() error {
			codes, err := w.engine.TreeCodes(ctx, w.staff, "")
			if err != nil {
				return err
			}
			_, err = w.engine.AggregatesOf(ctx, w.staff, w.open, "", codes)
			return err
		})
	})
	b.Run("strand/ops-national-open-history", func(b *testing.B) {
		t, err := w.engine.ComplianceTree(ctx, w.staff, w.open, "")
		if err != nil {
			b.Fatal(err)
		}
		known := map[string]reporting.Rates{w.open: t.Node.Value}
		measure(b, func() error { _, err := w.engine.RateHistory(ctx, w.staff, w.open, "VN", known); return err })
	})
	b.Run("strand/sql-national-open-accepted", func(b *testing.B) {
		measure(b, func() error { _, err := st.SubtreeAccepted(ctx, w.open, "/VN/"); return err })
	})
	b.Run("strand/ops-national-open-tiers-matrix", func(b *testing.B) {
		measure(b, func() error {
			if _, err := w.engine.Tiers(ctx, w.staff, w.open, ""); err != nil {
				return err
			}
			_, err := w.engine.Matrix(ctx, w.staff, w.open, "", "", 50)
			return err
		})
	})
	b.Run("strand/ops-national-open-obligations-queue", func(b *testing.B) {
		measure(b, func() error {
			if _, err := w.engine.Obligations(ctx, w.staff, w.open, "", store.ObligationFilter{Limit: 101}); err != nil {
				return err
			}
			_, err := w.engine.ReviewQueueEntries(ctx, w.staff, w.open, "", 100)
			return err
		})
	})
	b.Run("page/dashboard-national-open", func(b *testing.B) { measurePage(b, w, "staff", "/cycles/"+w.open) })
	b.Run("page/dashboard-region-open", func(b *testing.B) { measurePage(b, w, "region", "/cycles/"+w.open) })
	b.Run("page/dashboard-province-closed", func(b *testing.B) { measurePage(b, w, "staff", "/cycles/"+w.closed+"?under=P042") })
}
