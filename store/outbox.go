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
	sql, args := outboxStatement(m)
	if err := q.QueryRow(ctx, sql+` RETURNING id`, args...).Scan(&id); err != nil {
		return 0, fmt.Errorf("outbox %s %s: %w", m.WorkflowID, m.SignalName, err)
	}
	return id, nil
}

// outboxStatement is the statement that inserts the message.
func outboxStatement(m OutboxMessage) (string, []any) {
	var startWorkflow *string
	var startInput []byte
	if m.StartWorkflow != "" {
		startWorkflow, startInput = &m.StartWorkflow, m.StartInput
	}
	return `INSERT INTO outbox (workflow_id, signal_name, payload, start_workflow, start_input)
		VALUES ($1, $2, $3, $4, $5)`, []any{m.WorkflowID, m.SignalName, []byte(m.Payload), startWorkflow, startInput}
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
