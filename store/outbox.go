package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// OutboxMessage is a hand-off to Temporal committed with the change it
// announces: a signal to WorkflowID, starting StartWorkflow with StartInput
// first when it is set (Signal-With-Start).
type OutboxMessage struct {
	ID            int64
	WorkflowID    string
	SignalName    string
	Payload       json.RawMessage
	StartWorkflow string
	StartInput    json.RawMessage
	CreatedAt     time.Time
	Attempts      int
	LastError     string
}

// NewOutboxMessage builds a message, encoding payload and startInput as JSON.
func NewOutboxMessage(workflowID, signal string, payload any, startWorkflow string, startInput any) (OutboxMessage, error) {
	m := OutboxMessage{WorkflowID: workflowID, SignalName: signal, StartWorkflow: startWorkflow}
	var err error
	if m.Payload, err = json.Marshal(payload); err != nil {
		return OutboxMessage{}, fmt.Errorf("outbox %s %s: encode payload: %w", workflowID, signal, err)
	}
	if startWorkflow != "" {
		if m.StartInput, err = json.Marshal(startInput); err != nil {
			return OutboxMessage{}, fmt.Errorf("outbox %s %s: encode start input: %w", workflowID, signal, err)
		}
	}
	return m, nil
}

func insertOutbox(ctx context.Context, q Querier, m OutboxMessage) (int64, error) {
	var id int64
	var startWorkflow *string
	var startInput []byte
	if m.StartWorkflow != "" {
		startWorkflow, startInput = &m.StartWorkflow, m.StartInput
	}
	err := q.QueryRow(ctx, `
		INSERT INTO outbox (workflow_id, signal_name, payload, start_workflow, start_input)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		m.WorkflowID, m.SignalName, []byte(m.Payload), startWorkflow, startInput).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("outbox %s %s: %w", m.WorkflowID, m.SignalName, err)
	}
	return id, nil
}

const outboxColumns = `id, workflow_id, signal_name, payload, coalesce(start_workflow, ''),
	coalesce(start_input, 'null'::jsonb), created_at, attempts, coalesce(last_error, '')`

func scanOutbox(r pgx.CollectableRow) (OutboxMessage, error) {
	var m OutboxMessage
	var payload, input []byte
	err := r.Scan(&m.ID, &m.WorkflowID, &m.SignalName, &payload, &m.StartWorkflow, &input,
		&m.CreatedAt, &m.Attempts, &m.LastError)
	m.Payload, m.StartInput = payload, input
	return m, err
}

// PendingOutbox returns undelivered messages in the order they were
// committed: for one workflow when workflowID is set, else those created
// before olderThan (so a sweeper leaves fresh ones to the request that made
// them).
func (s *Store) PendingOutbox(ctx context.Context, workflowID string, olderThan time.Time, limit int) ([]OutboxMessage, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT `+outboxColumns+` FROM outbox
		 WHERE delivered_at IS NULL
		   AND ($1 = '' OR workflow_id = $1)
		   AND ($1 <> '' OR created_at < $2)
		 ORDER BY id
		 LIMIT $3`, workflowID, olderThan, clampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("pending outbox: %w", err)
	}
	out, err := pgx.CollectRows(rows, scanOutbox)
	if err != nil {
		return nil, fmt.Errorf("pending outbox: %w", err)
	}
	return out, nil
}

// MarkOutboxDelivered records a successful hand-off. The commit does not
// wait for the disk: were the mark lost in a crash of PostgreSQL, the sweeper
// would hand the message off again, which its workflow ignores.
func (s *Store) MarkOutboxDelivered(ctx context.Context, id int64) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE outbox SET delivered_at = now(), attempts = attempts + 1 WHERE id = $1`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("outbox %d delivered: %w", id, err)
	}
	return nil
}

// MarkOutboxFailed records a failed hand-off attempt; the sweeper tries again.
func (s *Store) MarkOutboxFailed(ctx context.Context, id int64, cause error) error {
	if _, err := s.pool.Exec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, id, cause.Error()); err != nil {
		return fmt.Errorf("outbox %d failed: %w", id, err)
	}
	return nil
}
