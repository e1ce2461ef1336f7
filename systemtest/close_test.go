package systemtest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"

	"rcm/activities"
	"rcm/operations"
	"rcm/reporting"
	"rcm/workflows"
)

// flakyLoopEnder fails the ends of loops numbered from failFrom to
// failFrom+failures-1 (counting from 1), as a Temporal that goes away
// part-way through the close wave, or a worker that dies right after
// finalizing, would.
type flakyLoopEnder struct {
	inner    activities.LoopEnder
	failFrom int
	failures int

	mu     sync.Mutex
	closes int
	failed int
}

func (f *flakyLoopEnder) EndSubmissionLoop(ctx context.Context, cycleID, agencyCode string) error {
	f.mu.Lock()
	f.closes++
	n := f.closes
	fail := n >= f.failFrom && n < f.failFrom+f.failures
	if fail {
		f.failed++
	}
	f.mu.Unlock()
	if fail {
		return fmt.Errorf("end loop of %s: %w", agencyCode, errors.New("temporal unavailable (injected)"))
	}
	return f.inner.EndSubmissionLoop(ctx, cycleID, agencyCode)
}

// TestCloseInterruptedEndsEveryLoop: the close wave is interrupted after it
// finalized the obligations — at its first signal, and part-way through the
// signals — and Temporal retries it. Every submission loop of the cycle has
// ended when the cycle reports closed: none is left to its grace timer.
func TestCloseInterruptedEndsEveryLoop(t *testing.T) {
	for _, tc := range []struct {
		name     string
		regime   string
		failFrom int
	}{
		{"right after finalizing", "CLOSEA", 1},
		{"part-way through the signals", "CLOSEB", 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			flaky := &flakyLoopEnder{failFrom: tc.failFrom, failures: 3}
			w := NewWorldWith(t, temporal, 3, WorldOptions{LoopEnder: func(s activities.LoopEnder) activities.LoopEnder {
				flaky.inner = s
				return flaky
			}})
			var agencies []string
			for i := 1; i <= 12; i++ {
				agencies = append(agencies, Province(i))
			}
			w.SeedTree(map[string][]string{"NORTH": agencies})
			w.SeedRegime(tc.regime, agencies, reporting.Policy{ReviewTime: time.Hour, CloseAfter: 2 * time.Second})
			due := time.Now().Add(6 * time.Second).Truncate(time.Second)
			cyc, err := w.Engine.Launch(w.Ctx, w.Staff, operations.LaunchRequest{RegimeCode: tc.regime, Period: "2026-10", Due: &due})
			require.NoError(t, err)
			w.WaitOpen(cyc.ID)
			// 1–3 accepted (their loops end themselves), 4–6 returned, 7–11
			// waiting for review, 12 never submits.
			for i := 1; i <= 11; i++ {
				r := w.Submit(cyc.ID, Province(i), Values(i))
				switch {
				case i <= 3:
					w.Review(r, reporting.DecisionAccepted, "")
				case i <= 6:
					w.Review(r, reporting.DecisionReturned, "Thiếu số liệu")
				}
			}

			ctx, cancel := context.WithTimeout(w.Ctx, time.Minute)
			defer cancel()
			var res workflows.CycleResult
			require.NoError(t, temporal.Client().GetWorkflow(ctx, workflows.CycleWorkflowID(cyc.ID), "").Get(ctx, &res))
			require.Equal(t, reporting.CycleClosed, res.Status)
			flaky.mu.Lock()
			failed := flaky.failed
			flaky.mu.Unlock()
			require.Positive(t, failed, "the close wave was interrupted")

			for i := 1; i <= 11; i++ {
				id := workflows.SubmissionWorkflowID(cyc.ID, Province(i))
				// A signalled loop ends within moments; one left behind would
				// run until its one-hour grace timer.
				assert.Eventually(t, func() bool {
					d, err := temporal.Client().DescribeWorkflow(ctx, id, "")
					return err == nil && d.RawResponse.GetWorkflowExecutionInfo().GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED
				}, 10*time.Second, 100*time.Millisecond, "%s still runs after the cycle closed", id)
			}
			var running int
			require.NoError(t, w.Store.Pool().QueryRow(ctx,
				`SELECT count(*) FROM obligations WHERE cycle_id = $1 AND versions > 0 AND loop_ended_at IS NULL`, cyc.ID).Scan(&running))
			assert.Zero(t, running, "every loop is recorded as ended")
		})
	}
}
