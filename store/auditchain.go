package store

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
)

// AuditBreak is the first record of a stream whose chain does not hold.
type AuditBreak struct {
	Stream string
	// ID is the first record that does not hold: its hash is not the hash of
	// its fields and the record before it, or it does not point at the one
	// before it (a record was removed or edited). Zero when the records are
	// whole but the stream's head names a later one (records at the end were
	// removed).
	ID     int64
	Reason string
}

// AuditVerification is what VerifyAudit found.
type AuditVerification struct {
	Streams int
	Records int
	// Breaks holds the first bad record of each broken stream, lowest id first.
	Breaks []AuditBreak
}

// Whole tells whether every stream's chain holds.
func (v AuditVerification) Whole() bool { return len(v.Breaks) == 0 }

// VerifyAudit recomputes every stream's chain: each record's hash from the
// record before it and the record's fields as stored now, and each stream's
// head. A record edited in the database, removed or inserted out of the
// chain is found; the first one of each stream is named.
func (s *Store) VerifyAudit(ctx context.Context) (AuditVerification, error) {
	var v AuditVerification
	err := s.tx(ctx, func(tx pgx.Tx) error {
		// One snapshot of the log and the heads.
		if _, err := tx.Exec(ctx, `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY`); err != nil {
			return err
		}
		heads := map[string]struct {
			id   int64
			hash []byte
		}{}
		rows, err := tx.Query(ctx, `SELECT stream, last_id, last_hash FROM audit_streams`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var name string
			var id int64
			var hash []byte
			if err := rows.Scan(&name, &id, &hash); err != nil {
				rows.Close()
				return err
			}
			heads[name] = struct {
				id   int64
				hash []byte
			}{id, hash}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `
			SELECT id, stream, prev_hash, hash,
			       audit_canonical(id, stream, at, actor_id, actor, action, object, remote_addr, details)
			  FROM audit_log ORDER BY stream, id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		var (
			cur     string
			prev    []byte
			lastID  int64
			broken  bool
			started bool
		)
		finish := func() {
			if !started {
				return
			}
			v.Streams++
			head, ok := heads[cur]
			switch {
			case broken:
			case !ok:
				v.Breaks = append(v.Breaks, AuditBreak{Stream: cur, ID: lastID, Reason: "the stream has no head"})
			case head.id != lastID || !bytes.Equal(head.hash, prev):
				v.Breaks = append(v.Breaks, AuditBreak{Stream: cur, Reason: fmt.Sprintf(
					"the stream's head is record %d, its last record is %d: records at its end were removed", head.id, lastID)})
			}
			delete(heads, cur)
		}
		for rows.Next() {
			var (
				id              int64
				stream, canon   string
				prevHash, store []byte
			)
			if err := rows.Scan(&id, &stream, &prevHash, &store, &canon); err != nil {
				return err
			}
			if !started || stream != cur {
				finish()
				cur, prev, broken, started = stream, nil, false, true
			}
			v.Records++
			lastID = id
			if broken {
				continue
			}
			sum := sha256.Sum256(append(append([]byte{}, prev...), canon...))
			switch {
			case !bytes.Equal(prevHash, prev):
				v.Breaks = append(v.Breaks, AuditBreak{Stream: stream, ID: id,
					Reason: "it does not point at the record before it in its stream: a record was removed or its hash changed"})
				broken = true
			case !bytes.Equal(store, sum[:]):
				v.Breaks = append(v.Breaks, AuditBreak{Stream: stream, ID: id,
					Reason: "its fields are not those its hash was made of: it was edited"})
				broken = true
			}
			prev = store
		}
		if err := rows.Err(); err != nil {
			return err
		}
		finish()
		for name, head := range heads {
			if head.hash != nil {
				v.Breaks = append(v.Breaks, AuditBreak{Stream: name, Reason: fmt.Sprintf(
					"the stream's head is record %d but the stream has no record: they were removed", head.id)})
			}
		}
		return nil
	})
	if err != nil {
		return AuditVerification{}, fmt.Errorf("verify audit log: %w", err)
	}
	// Breaks at a record first, lowest id first; then breaks at a head.
	slices.SortFunc(v.Breaks, func(a, b AuditBreak) int {
		if (a.ID == 0) != (b.ID == 0) {
			return cmp.Compare(b.ID, a.ID)
		}
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Stream, b.Stream))
	})
	return v, nil
}
