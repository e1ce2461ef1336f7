package benchmarks

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/workflow"

	"rcm/operations"
	"rcm/reporting"
	"rcm/systemtest"
	"rcm/testenv"
)

// waitWorkflow is the baseline's per-agency workflow: it waits for a signal
// that never comes, as an obligation would wait for its submission.
func waitWorkflow(ctx workflow.Context) error {
	workflow.GetSignalChannel(ctx, "submission").Receive(ctx, nil)
	return nil
}

// BenchmarkLaunch compares launching a cycle of b.N agencies the rcm way —
// one CycleWorkflow whose first activity inserts every obligation in one
// statement — with the design rcm does not use: one workflow started per
// agency (10 concurrent starters). One op is one agency; the rcm figure is
// from the launch call until every obligation exists ("one-cycle"), and
// until the SMTP server has accepted every deadline notice
// ("launch-until-last-notice", the figure a person waits for).
func BenchmarkLaunch(b *testing.B) {
	temporal := temporalFor(b)
	b.Run("baseline=workflow-per-agency", func(b *testing.B) {
		queue := baselineWorker(b, temporal, "wait", waitWorkflow)
		run := fmt.Sprintf("%d", time.Now().UnixNano())
		b.ResetTimer()
		lat, elapsed := runConcurrently(b, b.N, func(i int) error {
			_, err := temporal.Client().ExecuteWorkflow(context.Background(),
				client.StartWorkflowOptions{ID: fmt.Sprintf("wait/%s/%d", run, i), TaskQueue: queue}, "wait")
			return err
		})
		b.StopTimer()
		b.ReportMetric(float64(b.N)/elapsed.Seconds(), "agencies/s")
		_ = lat
	})
	b.Run("rcm=one-cycle", func(b *testing.B) {
		w, regime := launchWorld(b, temporal, "L", "LAUNCH")
		due := time.Now().Add(time.Hour).Truncate(time.Second)
		b.ResetTimer()
		start := time.Now()
		cyc, err := w.Engine.Launch(w.Ctx, w.Staff, operations.LaunchRequest{RegimeCode: regime, Period: "2026-10", Due: &due})
		if err != nil {
			b.Fatal(err)
		}
		opened := w.WaitOpen(cyc.ID)
		elapsed := time.Since(start)
		b.StopTimer()
		if opened.Expected != b.N {
			b.Fatalf("opened %d of %d obligations", opened.Expected, b.N)
		}
		b.ReportMetric(float64(b.N)/elapsed.Seconds(), "agencies/s")
	})
	b.Run("rcm=launch-until-last-notice", func(b *testing.B) {
		w, regime := launchWorld(b, temporal, "N", "NOTICE")
		due := time.Now().Add(time.Hour).Truncate(time.Second)
		b.ResetTimer()
		start := time.Now()
		cyc, err := w.Engine.Launch(w.Ctx, w.Staff, operations.LaunchRequest{RegimeCode: regime, Period: "2026-10", Due: &due})
		if err != nil {
			b.Fatal(err)
		}
		waitNoticed(b, w, cyc.ID, b.N)
		elapsed := time.Since(start)
		b.StopTimer()
		b.ReportMetric(float64(b.N)/elapsed.Seconds(), "agencies/s")
	})
}

// launchWorld is a world with n agencies (b.N) coded prefix00000... under
// ten regions, without officers, and a regime named after name assigning
// them all: what a launch benchmark launches.
func launchWorld(b *testing.B, temporal testenv.TemporalService, prefix, name string) (*systemtest.World, string) {
	b.Helper()
	w := systemtest.NewWorld(b, temporal, 500)
	var agencies []string
	regions := map[string][]string{}
	for i := 0; i < b.N; i++ {
		code := fmt.Sprintf("%s%05d", prefix, i)
		agencies = append(agencies, code)
		regions[fmt.Sprintf("R%02d", i%10)] = append(regions[fmt.Sprintf("R%02d", i%10)], code)
	}
	w.SeedTree(regions, func(string) bool { return false })
	regime := uniqueRegime(name)
	w.SeedRegime(regime, agencies, reporting.Policy{ReviewTime: time.Hour, CloseAfter: time.Hour})
	return w, regime
}

// waitNoticed waits until every one of n deadline notices of the cycle has
// been accepted by the SMTP server (recorded sent).
func waitNoticed(b *testing.B, w *systemtest.World, cycleID string, n int) {
	b.Helper()
	for {
		counts, err := w.Store.NotificationCounts(w.Ctx, cycleID, []reporting.Event{reporting.EventDeadlineNotice}, 0)
		if err != nil {
			b.Fatal(err)
		}
		if counts[reporting.NotificationSent] == n {
			return
		}
		if failed := counts[reporting.NotificationFailed]; failed > 0 {
			b.Fatalf("%d deadline notices failed", failed)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// cycleRecord is a cycle of the 2026-10 period due at due.
func cycleRecord(regime string, due time.Time, policy reporting.Policy) reporting.Cycle {
	return reporting.Cycle{ID: operations.CycleID(regime, "2026-10"), RegimeCode: regime, Period: "2026-10",
		WindowStart: reporting.MustParseDate("2026-09-15"), WindowEnd: reporting.MustParseDate("2026-10-14"),
		TimeZone: reporting.DefaultZone, CutOff: time.Date(2026, 10, 14, 17, 0, 0, 0, time.UTC),
		Due: due, Close: due.Add(policy.CloseAfter), Policy: policy}
}
