package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// AuditEntry records who did what, to which object, from where. Every store
// method that records a command takes one (or an Actor, and names the action
// itself) and writes it in the same transaction as the change, so the log
// holds exactly the changes that happened. Package operations builds them
// from its caller.
type AuditEntry struct {
	ActorID *int64
	// Actor names who acted, for people reading the log: an e-mail address,
	// or "system" / "bootstrap" for rcm itself.
	Actor string
	// Action is a dotted verb such as "agency.import" or "token.revoke".
	Action string
	// Object names what the action changed, such as "agency/HNI" or "user/12".
	Object     string
	RemoteAddr string
	Details    map[string]any
}

// AuditRecord is an audit entry as stored, with its place in the chain.
type AuditRecord struct {
	ID int64
	At time.Time
	AuditEntry
	// Stream is the chain the record belongs to: "cycle/<id>/agency/<code>"
	// for one agency's obligation in a cycle (since migration 00017),
	// "cycle/<id>" for the rest of a cycle, or "main".
	Stream string
	// PrevHash is the hash of the record before it in its stream (nil for
	// the first); Hash is the SHA-256 over PrevHash and the record's fields.
	PrevHash, Hash []byte
}

// AuditFilter selects audit records; zero fields select everything.
type AuditFilter struct {
	Actor  string
	Action string
	Object string
	// Stream keeps the records of a stream and of the streams below it
	// ("cycle/<id>" includes its agencies' "cycle/<id>/agency/<code>").
	Stream string
	// Since and Until bound the records' time: Since <= at < Until.
	Since, Until *time.Time
	// After is the id of the last record already seen (keyset pagination).
	After int64
	Limit int
}

// Audit writes one audit entry on its own, for actions that change nothing
// else in the database (a login, a refused attempt).
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	return writeAudit(ctx, s.pool, e)
}

// writeAudit inserts the entry through q, normally the transaction of the
// change. An entry without an action is refused, and with it the change.
func writeAudit(ctx context.Context, q Querier, e AuditEntry) error {
	st, err := auditStatement(e)
	if err != nil {
		return err
	}
	if _, err := q.Exec(ctx, st.sql, st.args...); err != nil {
		return fmt.Errorf("audit %s %s: %w", e.Action, e.Object, err)
	}
	return nil
}

// statement is one SQL statement with its arguments.
type statement struct {
	sql  string
	args []any
}

// auditStatement is the statement that writes the entry (writeAudit sends
// it; a batch may carry it with the change).
func auditStatement(e AuditEntry) (statement, error) {
	if e.Action == "" {
		return statement{}, fmt.Errorf("audit %s: the entry names no action", e.Object)
	}
	details := e.Details
	if details == nil {
		details = map[string]any{}
	}
	b, err := json.Marshal(details)
	if err != nil {
		return statement{}, fmt.Errorf("audit %s %s: encode details: %w", e.Action, e.Object, err)
	}
	actor := e.Actor
	if actor == "" {
		actor = "system"
	}
	// audit_append (migration 00010) chains the entry to the head of its
	// stream, holding the head's row until q's transaction ends.
	return statement{sql: `SELECT audit_append($1, $2, $3, $4, $5, $6)`,
		args: []any{e.ActorID, actor, e.Action, e.Object, e.RemoteAddr, b}}, nil
}

// withObject names the object of an entry that names none, for changes
// whose object gets its id only when inserted.
func (e AuditEntry) withObject(object string) AuditEntry {
	if e.Object == "" {
		e.Object = object
	}
	return e
}

// withDetails adds details to a copy of the entry.
func (e AuditEntry) withDetails(details map[string]any) AuditEntry {
	merged := make(map[string]any, len(e.Details)+len(details))
	for k, v := range e.Details {
		merged[k] = v
	}
	for k, v := range details {
		merged[k] = v
	}
	e.Details = merged
	return e
}

// AuditLog lists audit records oldest first.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter) ([]AuditRecord, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id, at, actor_id, actor, action, object, remote_addr, details, stream, prev_hash, hash
		  FROM audit_log
		 WHERE ($1 = '' OR action = $1) AND ($2 = '' OR object = $2) AND id > $3
		   AND ($5 = '' OR lower(actor) = lower($5)) AND ($6 = '' OR stream = $6 OR starts_with(stream, $6 || '/'))
		   AND ($7::timestamptz IS NULL OR at >= $7) AND ($8::timestamptz IS NULL OR at < $8)
		 ORDER BY id
		 LIMIT $4`, f.Action, f.Object, f.After, clampLimit(f.Limit), f.Actor, f.Stream, f.Since, f.Until)
	if err != nil {
		return nil, fmt.Errorf("list audit log: %w", err)
	}
	recs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditRecord, error) {
		var a AuditRecord
		var details []byte
		if err := r.Scan(&a.ID, &a.At, &a.ActorID, &a.Actor, &a.Action, &a.Object, &a.RemoteAddr, &details,
			&a.Stream, &a.PrevHash, &a.Hash); err != nil {
			return a, err
		}
		return a, json.Unmarshal(details, &a.Details)
	})
	if err != nil {
		return nil, fmt.Errorf("list audit log: %w", err)
	}
	return recs, nil
}
