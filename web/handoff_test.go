package web

import (
	"context"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"rcm/operations"
	"rcm/reporting"
	"rcm/workflows"
)

// A Temporal that accepts connections and never answers holds a submission
// no longer than the hand-off's deadline: the receipt, already committed,
// comes back, and the sweeper delivers the hand-off once Temporal answers.
func TestSlowTemporalDoesNotHoldTheReceipt(t *testing.T) {
	f := newFixture(t)
	w := f.cycles()
	ctx := context.Background()

	silent, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = silent.Close() })
	go func() {
		for {
			conn, err := silent.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { _ = conn.Close() })
		}
	}()
	stuck, err := client.NewLazyClient(client.Options{HostPort: silent.Addr().String(), Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	t.Cleanup(stuck.Close)
	const deadline = 1500 * time.Millisecond
	slow := operations.New(f.store, stuck, slog.New(slog.DiscardHandler), operations.WithTaskQueue(f.queue), operations.WithHandOffTimeout(deadline))

	start := time.Now()
	receipt, err := slow.Submit(ctx, f.caller("officer"), operations.SubmitRequest{CycleID: w.cycleID, AgencyCode: "HNI",
		Values: reporting.Values{"GRDP": "321"}, Source: "json"})
	elapsed := time.Since(start)
	require.NoError(t, err)
	require.Equal(t, 2, receipt.Version)
	require.Less(t, elapsed, deadline+2*time.Second, "the hand-off is bounded")
	require.GreaterOrEqual(t, elapsed, deadline, "the hand-off waited for Temporal until its deadline")

	pending := func() int {
		var n int
		require.NoError(t, f.store.Pool().QueryRow(ctx, `SELECT count(*) FROM outbox WHERE workflow_id = $1 AND delivered_at IS NULL`,
			workflows.SubmissionWorkflowID(w.cycleID, "HNI")).Scan(&n))
		return n
	}
	require.Equal(t, 1, pending(), "the hand-off is left to the sweeper")
	// The fixture's worker sweeps too; whichever claims it delivers it.
	require.Eventually(t, func() bool {
		_, err := f.engine.SweepOutbox(ctx, 0)
		require.NoError(t, err)
		return pending() == 0
	}, 10*time.Second, 100*time.Millisecond, "a sweeper on a Temporal that answers delivers it")
}
