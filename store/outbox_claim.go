package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// PendingOutboxWorkflows returns the workflows with undelivered messages
// created before olderThan, oldest first: the candidates of a sweep, read
// without a lock (DeliverOutbox claims them).
func (s *Store) PendingOutboxWorkflows(ctx context.Context, olderThan time.Time, limit int) ([]string, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT workflow_id FROM outbox
		 WHERE delivered_at IS NULL AND created_at < $1
		 GROUP BY workflow_id
		 ORDER BY min(id)
		 LIMIT $2`, olderThan, clampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("pending outbox workflows: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("pending outbox workflows: %w", err)
	}
	return ids, nil
}

// maxClaimedPerWorkflow bounds the messages of one workflow one claim hands
// off; the rest wait for the next.
const maxClaimedPerWorkflow = 50

// DeliverOutbox claims the undelivered messages of one workflow and hands
// them to deliver in commit order, inside one transaction that holds their
// row locks: it marks each delivered or, at the first failure, failed and
// stops, keeping the later ones for a later claim. Another process claiming
// the same workflow meanwhile finds its oldest message locked (FOR UPDATE
// SKIP LOCKED) and leaves the workflow alone instead of waiting or skipping
// ahead, so no message is delivered twice and none before an earlier one of
// its workflow, across every worker and web server. A claim only ever
// starts from the oldest undelivered message; with nothing to claim it
// returns 0. The messages' rows stay locked while deliver runs, so deliver
// should be bounded in time.
func (s *Store) DeliverOutbox(ctx context.Context, workflowID string, deliver func(context.Context, OutboxMessage) error) (delivered int, err error) {
	err = s.tx(ctx, func(tx pgx.Tx) error {
		delivered = 0
		// The claim's commit need not wait for the WAL flush: a claim lost
		// in a crash only delivers again, and signals carry their version.
		// It travels with the claim, one round trip for both.
		b := &pgx.Batch{}
		b.Queue(`SET LOCAL synchronous_commit = off`)
		// head: the oldest undelivered message of the workflow, if no one
		// holds it. Its subquery reads the snapshot, the lock the latest
		// version: a message another claim delivered meanwhile fails the
		// recheck of delivered_at, and one it still holds is skipped. Then
		// the messages from head on, locked (a locking CTE is run once and
		// never inlined); none when head is held or there is nothing.
		b.Queue(`
			WITH head AS (
				SELECT id FROM outbox
				 WHERE id = (SELECT min(id) FROM outbox WHERE workflow_id = $1 AND delivered_at IS NULL)
				   AND delivered_at IS NULL
				   FOR UPDATE SKIP LOCKED)
			SELECT `+outboxColumns+` FROM outbox
			 WHERE workflow_id = $1 AND delivered_at IS NULL AND id >= (SELECT id FROM head)
			 ORDER BY id
			 LIMIT $2
			   FOR UPDATE`, workflowID, maxClaimedPerWorkflow)
		results := tx.SendBatch(ctx, b)
		if _, err := results.Exec(); err != nil {
			_ = results.Close()
			return err
		}
		rows, err := results.Query()
		if err != nil {
			_ = results.Close()
			return err
		}
		msgs, err := pgx.CollectRows(rows, scanOutbox)
		if cerr := results.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		for _, m := range msgs {
			if derr := deliver(ctx, m); derr != nil {
				_, err := tx.Exec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, m.ID, derr.Error())
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE outbox SET delivered_at = now(), attempts = attempts + 1 WHERE id = $1`, m.ID); err != nil {
				return err
			}
			delivered++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("deliver the outbox of %s: %w", workflowID, err)
	}
	return delivered, nil
}
