package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Notification statuses.
const (
	NotificationClaimed = "claimed" // recorded, not (yet) sent
	NotificationSending = "sending" // being handed to the SMTP server
	NotificationSent    = "sent"
	NotificationFailed  = "failed"  // gave up; last_error says why
	NotificationSkipped = "skipped" // nobody to send it to; last_error says why
)

// NotificationKey identifies a message: at most one per key is ever sent.
// Subject is the agency the message is about (or a supervisor's subtree root
// for digests and summaries, "*" for the office).
type NotificationKey struct {
	CycleID string
	Subject string
	Kind    string
	Step    int
}

// MessageID is the stable RFC 5322 Message-ID of the message with this key,
// the same across retries so that a receiving system can tell a repeat.
func (k NotificationKey) MessageID(domain string) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%s\x00%s\x00%d", k.CycleID, k.Subject, k.Kind, k.Step)))
	return fmt.Sprintf("<rcm.%s@%s>", hex.EncodeToString(sum[:12]), domain)
}

// NotificationClaim is a notification row: either claimed just now, or found
// from an earlier attempt.
type NotificationClaim struct {
	ID         int64
	Key        NotificationKey
	Recipients []string
	Language   string
	Status     string
	Attempts   int
	MessageID  string
	LastError  string
}

// NewNotification is a message about to be sent.
type NewNotification struct {
	Key        NotificationKey
	Recipients []string
	Language   string
	MessageID  string
}

// ClaimNotifications records the messages before they are sent. A key that
// exists already is not claimed again; every row for the keys is returned,
// so the caller sends exactly those still in status claimed.
func (s *Store) ClaimNotifications(ctx context.Context, batch []NewNotification) ([]NotificationClaim, error) {
	if len(batch) == 0 {
		return nil, nil
	}
	n := len(batch)
	cycles, subjects, kinds, langs, ids := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	steps := make([]int32, n)
	recipients := make([]string, n) // joined with newlines: arrays of arrays must be rectangular
	for i, nn := range batch {
		cycles[i], subjects[i], kinds[i], steps[i] = nn.Key.CycleID, nn.Key.Subject, nn.Key.Kind, int32(nn.Key.Step)
		langs[i], ids[i] = nn.Language, nn.MessageID
		recipients[i] = joinLines(nn.Recipients)
	}
	rows, err := s.pool.Query(ctx, `
		WITH input AS (
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[])
			       AS t(cycle_id, subject_code, kind, step, recipients, language, message_id)
		), claimed AS (
			INSERT INTO notifications (cycle_id, subject_code, kind, step, recipients, language, message_id)
			SELECT cycle_id, subject_code, kind, step,
			       CASE WHEN recipients = '' THEN '{}'::text[] ELSE string_to_array(recipients, E'\n') END,
			       language, message_id
			  FROM input
			ON CONFLICT (cycle_id, subject_code, kind, step) DO NOTHING
			RETURNING id, cycle_id, subject_code, kind, step, recipients, language, status, attempts, message_id, last_error
		)
		SELECT id, cycle_id, subject_code, kind, step, recipients, language, status, attempts, message_id, coalesce(last_error, '') FROM claimed
		UNION ALL
		SELECT n.id, n.cycle_id, n.subject_code, n.kind, n.step, n.recipients, n.language, n.status, n.attempts, n.message_id, coalesce(n.last_error, '')
		  FROM notifications n JOIN input i USING (cycle_id, subject_code, kind, step)
		 WHERE n.id NOT IN (SELECT id FROM claimed)`,
		cycles, subjects, kinds, steps, recipients, langs, ids)
	if err != nil {
		return nil, fmt.Errorf("claim %d notifications: %w", n, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (NotificationClaim, error) {
		var c NotificationClaim
		err := r.Scan(&c.ID, &c.Key.CycleID, &c.Key.Subject, &c.Key.Kind, &c.Key.Step, &c.Recipients,
			&c.Language, &c.Status, &c.Attempts, &c.MessageID, &c.LastError)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("claim %d notifications: %w", n, err)
	}
	return out, nil
}

func joinLines(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += "\n"
		}
		out += s
	}
	return out
}

// MarkNotificationSending records that the message is about to be handed
// to the SMTP server. It reports false if another attempt took it first.
func (s *Store) MarkNotificationSending(ctx context.Context, id int64) (bool, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE notifications SET status = 'sending' WHERE id = $1 AND status = 'claimed'`, id)
	if err != nil {
		return false, fmt.Errorf("notification %d sending: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}

// ErrOutcomeUnknown is recorded on a notification whose sending attempt
// stopped after it began: it may have been delivered, so it is not sent again.
const ErrOutcomeUnknown = "delivery outcome unknown: the attempt stopped while sending; check with the recipient before sending again"

// MarkNotificationUnknown records, as failed, a message an earlier attempt
// left mid-send.
func (s *Store) MarkNotificationUnknown(ctx context.Context, id int64, reason string) error {
	if _, err := s.pool.Exec(ctx, `
		UPDATE notifications SET status = 'failed', attempts = attempts + 1, last_error = $2
		 WHERE id = $1 AND status = 'sending'`, id, reason); err != nil {
		return fmt.Errorf("notification %d unknown: %w", id, err)
	}
	return nil
}

// MarkNotificationSent records that the message went out. The commit does
// not wait for the disk: if PostgreSQL itself crashed before writing it, the
// row would stay 'sending' and be reported as of unknown outcome, never sent
// twice; waiting would double the cost of every message of a wave.
func (s *Store) MarkNotificationSent(ctx context.Context, id int64, at time.Time) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			UPDATE notifications SET status = 'sent', sent_at = $2, attempts = attempts + 1, last_error = NULL
			 WHERE id = $1`, id, at)
		return err
	})
	if err != nil {
		return fmt.Errorf("notification %d sent: %w", id, err)
	}
	return nil
}

// MarkNotificationAttempt records a failed attempt. final gives up: the row
// becomes failed with the error, for office staff to see; otherwise it stays
// claimed and a later attempt sends it.
func (s *Store) MarkNotificationAttempt(ctx context.Context, id int64, cause string, final bool) error {
	status := NotificationClaimed
	if final {
		status = NotificationFailed
	}
	if _, err := s.pool.Exec(ctx, `
		UPDATE notifications SET status = $2, attempts = attempts + 1, last_error = $3
		 WHERE id = $1 AND status IN ('claimed', 'sending')`, id, status, cause); err != nil {
		return fmt.Errorf("notification %d attempt: %w", id, err)
	}
	return nil
}

// MarkNotificationSkipped records that the message has nobody to go to.
func (s *Store) MarkNotificationSkipped(ctx context.Context, id int64, reason string) error {
	if _, err := s.pool.Exec(ctx, `
		UPDATE notifications SET status = 'skipped', last_error = $2 WHERE id = $1 AND status = 'claimed'`, id, reason); err != nil {
		return fmt.Errorf("notification %d skipped: %w", id, err)
	}
	return nil
}

// NotificationCounts counts a cycle's notifications of some kinds and a step
// by status.
func (s *Store) NotificationCounts(ctx context.Context, cycleID string, kinds []string, step int) (map[string]int, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT status, count(*) FROM notifications
		 WHERE cycle_id = $1 AND kind = ANY($2) AND step = $3 GROUP BY status`, cycleID, kinds, step)
	if err != nil {
		return nil, fmt.Errorf("count notifications of cycle %s: %w", cycleID, err)
	}
	out := map[string]int{}
	var status string
	var count int
	if _, err := pgx.ForEachRow(rows, []any{&status, &count}, func() error { out[status] = count; return nil }); err != nil {
		return nil, fmt.Errorf("count notifications of cycle %s: %w", cycleID, err)
	}
	return out, nil
}

// Notification is a row of the notifications log, for office staff.
type Notification struct {
	NotificationClaim
	ClaimedAt time.Time
	SentAt    *time.Time
}

// NotificationFilter narrows ListNotifications.
type NotificationFilter struct {
	CycleID string
	Status  string
	Kind    string
	Subject string
	AfterID int64
	Limit   int
}

// ListNotifications lists notifications, oldest first.
func (s *Store) ListNotifications(ctx context.Context, f NotificationFilter) ([]Notification, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id, cycle_id, subject_code, kind, step, recipients, language, status, attempts, message_id,
		       coalesce(last_error, ''), claimed_at, sent_at
		  FROM notifications
		 WHERE ($1 = '' OR cycle_id = $1) AND ($2 = '' OR status = $2) AND ($3 = '' OR kind = $3)
		   AND ($4 = '' OR subject_code = $4) AND id > $5
		 ORDER BY id LIMIT $6`, f.CycleID, f.Status, f.Kind, f.Subject, f.AfterID, clampLimit(f.Limit))
	if err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Notification, error) {
		var n Notification
		err := r.Scan(&n.ID, &n.Key.CycleID, &n.Key.Subject, &n.Key.Kind, &n.Key.Step, &n.Recipients, &n.Language,
			&n.Status, &n.Attempts, &n.MessageID, &n.LastError, &n.ClaimedAt, &n.SentAt)
		return n, err
	})
	if err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	return out, nil
}

// UnreachableAgencies returns the agencies of the cycle that a message could
// not be sent to because they have no valid address (skipped notifications).
func (s *Store) UnreachableAgencies(ctx context.Context, cycleID string) ([]Agency, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT a.code, a.name_vi, a.name_en FROM agencies a
		 WHERE a.code IN (SELECT subject_code FROM notifications WHERE cycle_id = $1 AND status = 'skipped')
		 ORDER BY a.code`, cycleID)
	if err != nil {
		return nil, fmt.Errorf("unreachable agencies of cycle %s: %w", cycleID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Agency, error) {
		var a Agency
		err := r.Scan(&a.Code, &a.NameVI, &a.NameEN)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("unreachable agencies of cycle %s: %w", cycleID, err)
	}
	return out, nil
}
