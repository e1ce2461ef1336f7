package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"rcm/store"
)

// Two sweepers and a stream of request hand-offs race over the same outbox
// rows, each several workflows at once, with one delivery in ten failing:
// every message is delivered exactly once, each workflow's in commit order,
// and never two deliveries of one workflow at the same time.
func TestOutboxClaimsDeliverOnceInOrderAcrossSweepers(t *testing.T) {
	s := crudStore(t)
	ctx := context.Background()
	const workflows, perWorkflow = 20, 10
	for i := range perWorkflow {
		for w := range workflows {
			_, err := s.Pool().Exec(ctx, `INSERT INTO outbox (workflow_id, signal_name, payload) VALUES ($1, 'submission', $2)`,
				fmt.Sprintf("wf-%02d", w), fmt.Sprintf(`{"seq": %d}`, i))
			require.NoError(t, err)
		}
	}

	var mu sync.Mutex
	delivered := map[int64]int{}           // successful deliveries per message
	order := map[string][]int64{}          // successful deliveries per workflow, in order
	inFlight := map[string]*atomic.Int32{} // deliveries of a workflow under way
	for w := range workflows {
		inFlight[fmt.Sprintf("wf-%02d", w)] = &atomic.Int32{}
	}
	var overlaps atomic.Int32
	deliver := func(_ context.Context, m store.OutboxMessage) error {
		if inFlight[m.WorkflowID].Add(1) > 1 {
			overlaps.Add(1)
		}
		defer inFlight[m.WorkflowID].Add(-1)
		time.Sleep(time.Duration(rand.IntN(2000)) * time.Microsecond)
		if rand.IntN(10) == 0 {
			return errors.New("temporal is slow today")
		}
		mu.Lock()
		defer mu.Unlock()
		delivered[m.ID]++
		order[m.WorkflowID] = append(order[m.WorkflowID], m.ID)
		return nil
	}
	sweeper := func() error {
		for {
			ids, err := s.PendingOutboxWorkflows(ctx, time.Now().Add(time.Hour), 500)
			if err != nil || len(ids) == 0 {
				return err
			}
			var g errgroup.Group
			g.SetLimit(4)
			for _, id := range ids {
				g.Go(func() error { _, err := s.DeliverOutbox(ctx, id, deliver); return err })
			}
			if err := g.Wait(); err != nil {
				return err
			}
		}
	}
	handOffs := func() error { // as web requests do right after their commits
		for range 200 {
			if _, err := s.DeliverOutbox(ctx, fmt.Sprintf("wf-%02d", rand.IntN(workflows)), deliver); err != nil {
				return err
			}
		}
		return nil
	}
	var g errgroup.Group
	g.Go(sweeper)
	g.Go(sweeper)
	g.Go(handOffs)
	require.NoError(t, g.Wait())
	require.NoError(t, sweeper()) // whatever the last failures left

	require.Len(t, delivered, workflows*perWorkflow)
	for id, n := range delivered {
		require.Equal(t, 1, n, "message %d delivered %d times", id, n)
	}
	for w, ids := range order {
		require.IsIncreasing(t, ids, "workflow %s received its messages out of order", w)
	}
	require.Zero(t, overlaps.Load(), "two deliveries of one workflow ran at once")
	var pending int
	require.NoError(t, s.Pool().QueryRow(ctx, `SELECT count(*) FROM outbox WHERE delivered_at IS NULL`).Scan(&pending))
	require.Zero(t, pending)
}
