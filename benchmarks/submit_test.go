package benchmarks

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/workflow"

	"rcm/operations"
	"rcm/systemtest"
)

// clients is how many submitters run at once unless a benchmark says
// otherwise, as in ARCHITECTURE.md's measurements.
const clients = 10

// runConcurrently runs op(i) for i in [0, n) over `clients` goroutines and
// returns each operation's latency and the whole run's duration.
func runConcurrently(b *testing.B, n int, op func(i int) error) (latencies, time.Duration) {
	b.Helper()
	return runWithClients(b, clients, n, op)
}

// runWithClients is runConcurrently over the given number of goroutines.
func runWithClients(b *testing.B, clients, n int, op func(i int) error) (latencies, time.Duration) {
	b.Helper()
	lat := make(latencies, n)
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				t := time.Now()
				if err := op(i); err != nil {
					errs <- err
					return
				}
				lat[i] = time.Since(t)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	return lat, elapsed
}

// echoWorkflow is the baseline's workflow: it takes one signal and ends.
func echoWorkflow(ctx workflow.Context) error {
	var v int64
	workflow.GetSignalChannel(ctx, "submission").Receive(ctx, &v)
	return nil
}

// BenchmarkSubmission compares rcm's submission hot path — validate, one
// PostgreSQL transaction (lock the obligation, store the version and an
// outbox row), then Signal-With-Start of the agency's SubmissionWorkflow —
// with a raw Signal-With-Start of a workflow that does nothing, both from 10
// and from 50 concurrent clients against the same dev server, each operation a
// different agency's first submission.
func BenchmarkSubmission(b *testing.B) {
	temporal := temporalFor(b)
	for _, clients := range []int{10, 50} {
		b.Run(fmt.Sprintf("clients=%d/baseline=raw-signal-with-start", clients), func(b *testing.B) {
			queue := baselineWorker(b, temporal, "echo", echoWorkflow)
			run := fmt.Sprintf("%d", time.Now().UnixNano())
			b.ResetTimer()
			lat, elapsed := runWithClients(b, clients, b.N, func(i int) error {
				_, err := temporal.Client().SignalWithStartWorkflow(context.Background(), fmt.Sprintf("echo/%s/%d", run, i), "submission", int64(i),
					client.StartWorkflowOptions{TaskQueue: queue}, "echo")
				return err
			})
			b.StopTimer()
			lat.report(b, elapsed)
		})
		b.Run(fmt.Sprintf("clients=%d/rcm=submit", clients), func(b *testing.B) {
			w, cycleID, agencies := openCycleWithoutWorker(b, temporal, b.N, true)
			b.ResetTimer()
			lat, elapsed := runWithClients(b, clients, b.N, func(i int) error {
				_, err := w.Engine.Submit(w.Ctx, w.Officers[agencies[i]], operations.SubmitRequest{
					CycleID: cycleID, AgencyCode: agencies[i], Values: systemtest.Values(i % 500), Source: "json"})
				return err
			})
			b.StopTimer()
			lat.report(b, elapsed)
		})
	}
}
