package benchmarks

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	sdktemporal "go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"rcm/operations"
	"rcm/systemtest"
	"rcm/workflows"
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

// echoWorkflow is the baseline's workflow: it takes one signal (of any
// shape) and ends.
func echoWorkflow(ctx workflow.Context) error {
	var v any
	workflow.GetSignalChannel(ctx, "submission").Receive(ctx, &v)
	return nil
}

// BenchmarkSubmission compares rcm's submission hot path — validate, one
// PostgreSQL transaction (lock the obligation, store the version and an
// outbox row), then Signal-With-Start of the agency's SubmissionWorkflow —
// with a raw Signal-With-Start of a workflow that does nothing, both from 10
// and from 50 concurrent clients against the same dev server, each operation a
// different agency's first submission.
//
// Beside them, what separates the two (set RCM_BENCH_SUBMIT_PARTS=1):
//   - baseline=+cycle-attribute: the raw call with RcmCycle alone;
//   - baseline=+search-attributes: the raw call with rcm's three search
//     attributes;
//   - baseline=+rcm-call: the raw call as rcm's hand-off makes it — the
//     search attributes, the ID reuse policy, SubmissionInput and a
//     SubmissionSignal — to the same do-nothing workflow;
//   - rcm=submit-unrun: rcm's submission with no worker polling its task
//     queue, so that the SubmissionWorkflow it starts (the receipt's
//     activity, its e-mail) does not run beside the requests.
func BenchmarkSubmission(b *testing.B) {
	temporal := temporalFor(b)
	parts := os.Getenv("RCM_BENCH_SUBMIT_PARTS") != ""
	for _, clients := range []int{10, 50} {
		rawCall := func(name string, opts func(i int, o *client.StartWorkflowOptions) []any) {
			b.Run(fmt.Sprintf("clients=%d/baseline=%s", clients, name), func(b *testing.B) {
				queue := baselineWorker(b, temporal, "echo", echoWorkflow)
				run := fmt.Sprintf("%d", time.Now().UnixNano())
				b.ResetTimer()
				lat, elapsed := runWithClients(b, clients, b.N, func(i int) error {
					o := client.StartWorkflowOptions{TaskQueue: queue}
					var signal any = int64(i)
					var args []any
					if opts != nil {
						args = opts(i, &o)
					}
					if len(args) > 0 {
						signal = workflows.SubmissionSignal{SubmissionID: int64(i + 1), Version: 1}
					}
					_, err := temporal.Client().SignalWithStartWorkflow(context.Background(), fmt.Sprintf("echo/%s/%d", run, i), "submission", signal,
						o, "echo", args...)
					return err
				})
				b.StopTimer()
				lat.report(b, elapsed)
			})
		}
		rawCall("raw-signal-with-start", nil)
		if parts {
			cycle := "BENCH-" + time.Now().Format("2006-01")
			rawCall("+cycle-attribute", func(i int, o *client.StartWorkflowOptions) []any {
				o.TypedSearchAttributes = sdktemporal.NewSearchAttributes(
					sdktemporal.NewSearchAttributeKeyKeyword(workflows.SearchAttributeCycle).ValueSet(cycle))
				return nil
			})
			rawCall("+search-attributes", func(i int, o *client.StartWorkflowOptions) []any {
				o.TypedSearchAttributes = sdktemporal.NewSearchAttributes(workflows.CycleSearchAttributes(cycle)...)
				return nil
			})
			rawCall("+rcm-call", func(i int, o *client.StartWorkflowOptions) []any {
				o.TypedSearchAttributes = sdktemporal.NewSearchAttributes(workflows.CycleSearchAttributes(cycle)...)
				o.WorkflowIDReusePolicy = enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY
				return []any{workflows.SubmissionInput{CycleID: cycle, AgencyCode: fmt.Sprintf("W%05d", i)}}
			})
		}
		submit := func(name string, opts systemtest.WorldOptions) {
			b.Run(fmt.Sprintf("clients=%d/rcm=%s", clients, name), func(b *testing.B) {
				w, cycleID, agencies := openCycleIn(b, temporal, b.N, true, opts)
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
		submit("submit", systemtest.WorldOptions{})
		if parts {
			submit("submit-unrun", systemtest.WorldOptions{NoWorker: true})
		}
	}
}
