package benchmarks

import (
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	"golang.org/x/sync/errgroup"

	"rcm/activities"
	"rcm/messages"
	"rcm/notifications"
	"rcm/reporting"
	"rcm/store"
	"rcm/systemtest"
	"rcm/testenv"
)

// lanes is how many SMTP connections both sides of the wave benchmark use.
const lanes = 4

// BenchmarkNoticeWave compares a deadline-notice wave over b.N agencies —
// claim each message in PostgreSQL, render it (vi), mark it sending, send it,
// mark it sent — with raw SMTP sending of the same number of pre-rendered
// messages over the same number of connections, to the same in-process SMTP
// server. One op is one message.
func BenchmarkNoticeWave(b *testing.B) {
	temporal := temporalFor(b)
	b.Run("baseline=raw-smtp", func(b *testing.B) {
		w := systemtest.NewWorld(b, temporal, 500)
		cfg, err := notifications.ParseSMTPURL(w.SMTP.URL())
		if err != nil {
			b.Fatal(err)
		}
		mailer := notifications.NewMailer(cfg)
		renderer, err := notifications.NewRenderer()
		if err != nil {
			b.Fatal(err)
		}
		kind := reporting.EventDeadlineNotice
		r, err := renderer.Render(kind, messages.Vietnamese, notifications.DemoData(kind, messages.Vietnamese))
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		start := time.Now()
		var g errgroup.Group
		for l := 0; l < lanes; l++ {
			g.Go(func() error {
				batch, err := mailer.Open(w.Ctx)
				if err != nil {
					return err
				}
				defer batch.Close()
				for i := l; i < b.N; i += lanes {
					env := r.Envelope(fmt.Sprintf("<bench.%d@rcm.test>", i), []string{fmt.Sprintf("a%d@agency.test", i)}, nil)
					if err := batch.Send(w.Ctx, env); err != nil {
						return err
					}
				}
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			b.Fatal(err)
		}
		elapsed := time.Since(start)
		b.StopTimer()
		b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
	})
	b.Run("rcm=wave", func(b *testing.B) {
		w, cycleID, _ := openCycleWithoutWorker(b, temporal, b.N, false)
		cfg, err := notifications.ParseSMTPURL(w.SMTP.URL())
		if err != nil {
			b.Fatal(err)
		}
		renderer, err := notifications.NewRenderer()
		if err != nil {
			b.Fatal(err)
		}
		acts := activities.New(w.Store, renderer, notifications.NewMailer(cfg), nil, nil, slog.New(slog.NewTextHandler(io.Discard, nil)),
			activities.Config{BaseURL: "http://rcm.test", MessageIDDomain: "rcm.test", BatchSize: 500, Lanes: lanes})
		var ts testsuite.WorkflowTestSuite
		ts.SetLogger(tlog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
		env := ts.NewTestActivityEnvironment()
		env.RegisterActivity(acts.RunWave)
		b.ResetTimer()
		start := time.Now()
		val, err := env.ExecuteActivity(acts.RunWave, activities.WaveInput{CycleID: cycleID, Moment: reporting.Moment{Kind: reporting.EventDeadlineNotice, At: time.Now()}})
		elapsed := time.Since(start)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		var res activities.WaveResult
		if err := val.Get(&res); err != nil {
			b.Fatal(err)
		}
		if res.Sent != b.N {
			b.Fatalf("sent %d of %d", res.Sent, b.N)
		}
		b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
	})
}

// openCycleWithoutWorker records a cycle of n agencies (with officer users
// if asked) and opens it directly in the store, so that no CycleWorkflow
// runs waves beside what a benchmark measures.
func openCycleWithoutWorker(b *testing.B, temporal testenv.TemporalService, n int, officers bool) (*systemtest.World, string, []string) {
	b.Helper()
	return openCycleIn(b, temporal, n, officers, systemtest.WorldOptions{})
}

// openCycleIn is openCycleWithoutWorker in a world wired with opts.
func openCycleIn(b *testing.B, temporal testenv.TemporalService, n int, officers bool, opts systemtest.WorldOptions) (*systemtest.World, string, []string) {
	b.Helper()
	w := systemtest.NewWorldWith(b, temporal, 500, opts)
	var agencies []string
	regions := map[string][]string{}
	for i := 0; i < n; i++ {
		code := fmt.Sprintf("W%05d", i)
		agencies = append(agencies, code)
		regions[fmt.Sprintf("R%02d", i%10)] = append(regions[fmt.Sprintf("R%02d", i%10)], code)
	}
	w.SeedTree(regions, func(string) bool { return officers })
	regime := uniqueRegime("OPEN")
	policy := reporting.Policy{ReviewTime: time.Hour, CloseAfter: time.Hour}
	w.SeedRegime(regime, agencies, policy)
	due := time.Now().Add(time.Hour).Truncate(time.Second)
	c := cycleRecord(regime, due, policy)
	if err := w.Store.InsertCycle(w.Ctx, c, store.AuditEntry{Actor: "benchmark", Action: "cycle.launch", Object: c.ID}); err != nil {
		b.Fatal(err)
	}
	if _, err := w.Store.OpenCycle(w.Ctx, c.ID); err != nil {
		b.Fatal(err)
	}
	return w, c.ID, agencies
}
