package benchmarks

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"testing"
	"time"

	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"rcm/testenv"
)

// devServer is the package's Temporal dev server, when the benchmarks run
// on it (the default).
var devServer *testenv.TemporalServer

// onCluster says whether the benchmarks run on a Temporal cluster on
// PostgreSQL (RCM_BENCH_TOPOLOGY=cluster), the production topology, rather
// than on the dev server.
func onCluster() bool { return os.Getenv("RCM_BENCH_TOPOLOGY") == "cluster" }

// temporalFor returns the Temporal a benchmark runs on: the package's dev
// server, or a cluster of the benchmark's own (started for it, stopped
// after it).
func temporalFor(b *testing.B) testenv.TemporalService {
	b.Helper()
	if onCluster() {
		return testenv.NewTemporalCluster(b)
	}
	return devServer
}

// TestMain starts a dev server only when benchmarks are asked for, so that
// `go test ./...` does not pay for one here.
func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.bench"); f == nil || f.Value.String() == "" || onCluster() {
		os.Exit(m.Run())
	}
	testenv.RunWithTemporal(m, func(s *testenv.TemporalServer) { devServer = s })
}

// baselineWorker runs a worker of the raw baseline's workflow on a task
// queue of its own until the benchmark ends, and returns the queue.
func baselineWorker(b *testing.B, temporal testenv.TemporalService, name string, wf any) string {
	b.Helper()
	queue := testenv.TaskQueue(b)
	w := worker.New(temporal.Client(), queue, worker.Options{})
	w.RegisterWorkflowWithOptions(wf, workflow.RegisterOptions{Name: name})
	if err := w.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(w.Stop)
	return queue
}

// uniqueRegime names a regime no earlier run on this dev server used: the
// benchmark function runs more than once, and cycle workflows outlive it.
func uniqueRegime(prefix string) string {
	return fmt.Sprintf("%s%d", prefix, time.Now().UnixNano()%1_000_000_000)
}

// latencies collects the duration of each operation of a run.
type latencies []time.Duration

// report adds throughput and percentiles to the benchmark's figures.
func (l latencies) report(b *testing.B, elapsed time.Duration) {
	b.Helper()
	if len(l) == 0 {
		return
	}
	sorted := append(latencies(nil), l...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	pct := func(p float64) float64 {
		return float64(sorted[int(p*float64(len(sorted)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(float64(len(l))/elapsed.Seconds(), "ops/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
