package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"rcm/reporting"
)

// NewNotification is a message about to be sent.
type NewNotification struct {
	Key        reporting.NotificationKey
	Recipients []string
	Language   string
	MessageID  string
}

// ClaimNotifications records the messages before they are sent. A key that
// exists already is not claimed again; every row for the keys is returned,
// so the caller sends exactly those still in status claimed.
func (s *Store) ClaimNotifications(ctx context.Context, batch []NewNotification) ([]reporting.Notification, error) {
	if len(batch) == 0 {
		return nil, nil
	}
	n := len(batch)
	cycles, subjects, langs, ids := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	kinds := make([]reporting.Event, n)
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
			INSERT INTO notifications (cycle_id, subject_code, kind, step, recipients, language, message_id, status)
			SELECT cycle_id, subject_code, kind, step,
			       CASE WHEN recipients = '' THEN '{}'::text[] ELSE string_to_array(recipients, E'\n') END,
			       language, message_id, $8
			  FROM input
			ON CONFLICT (cycle_id, subject_code, kind, step) DO NOTHING
			RETURNING *
		)
		SELECT `+notificationColumns+` FROM (
			SELECT * FROM claimed
			UNION ALL
			SELECT n.* FROM notifications n JOIN input i USING (cycle_id, subject_code, kind, step)
			 WHERE n.id NOT IN (SELECT id FROM claimed)
		) AS rows`,
		cycles, subjects, kinds, steps, recipients, langs, ids, reporting.NotificationClaimed)
	if err != nil {
		return nil, fmt.Errorf("claim %d notifications: %w", n, err)
	}
	out, err := pgx.CollectRows(rows, scanNotification)
	if err != nil {
		return nil, fmt.Errorf("claim %d notifications: %w", n, err)
	}
	return out, nil
}

// notificationColumns are the columns scanNotification reads.
const notificationColumns = `id, cycle_id, subject_code, kind, step, recipients, language, status, attempts, message_id,
	coalesce(last_error, ''), claimed_at, sent_at`

func scanNotification(r pgx.CollectableRow) (reporting.Notification, error) {
	var n reporting.Notification
	err := r.Scan(&n.ID, &n.Key.CycleID, &n.Key.Subject, &n.Key.Kind, &n.Key.Step, &n.Recipients, &n.Language,
		&n.Status, &n.Attempts, &n.MessageID, &n.LastError, &n.ClaimedAt, &n.SentAt)
	return n, err
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

// MarkNotificationsSending records that the messages are about to be
// handed to the SMTP server, in one durable commit, and returns the ids it
// took: a message another attempt took first is left out. A message marked
// here and never recorded sent is reported as of unknown outcome by the next
// attempt, never sent twice, so the caller marks only what it is about to
// send. sentBefore, the messages the same lane sent just before (its
// previous portion), are recorded sent in the same transaction: a lane's
// bookkeeping is one round trip per portion.
func (s *Store) MarkNotificationsSending(ctx context.Context, ids []int64, sentBefore []SentMark) ([]int64, error) {
	if len(ids) == 0 {
		return nil, s.MarkNotificationsSent(ctx, sentBefore)
	}
	// A batch runs in one implicit transaction: both or neither.
	b := &pgx.Batch{}
	if len(sentBefore) > 0 {
		sql, args := markSentStatement(sentBefore)
		b.Queue(sql, args...)
	}
	b.Queue(`UPDATE notifications SET status = $2 WHERE id = ANY($1) AND status = ANY($3) RETURNING id`,
		ids, reporting.NotificationSending, reporting.NotificationSending.From())
	results := s.pool.SendBatch(ctx, b)
	taken, err := func() ([]int64, error) {
		if len(sentBefore) > 0 {
			if _, err := results.Exec(); err != nil {
				return nil, fmt.Errorf("mark %d notifications sent: %w", len(sentBefore), err)
			}
		}
		rows, err := results.Query()
		if err != nil {
			return nil, err
		}
		return pgx.CollectRows(rows, pgx.RowTo[int64])
	}()
	if cerr := results.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("mark %d notifications sending: %w", len(ids), err)
	}
	return taken, nil
}

// ReleaseNotificationsSending hands messages marked sending, but never
// given to the SMTP server, back to the claimed state for the next attempt
// (a lane that stops mid-batch, on purpose or on a cancelled context).
func (s *Store) ReleaseNotificationsSending(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := s.pool.Exec(ctx, `UPDATE notifications SET status = $2 WHERE id = ANY($1) AND status = $3`,
		ids, reporting.NotificationClaimed, reporting.NotificationSending); err != nil {
		return fmt.Errorf("release %d notifications: %w", len(ids), err)
	}
	return nil
}

// ErrOutcomeUnknown is recorded on a notification whose sending attempt
// stopped after it began: it may have been delivered, so it is not sent again.
const ErrOutcomeUnknown = "delivery outcome unknown: the attempt stopped while sending; check with the recipient before sending again"

// MarkNotificationUnknown records, as failed, a message an earlier attempt
// left mid-send.
func (s *Store) MarkNotificationUnknown(ctx context.Context, id int64, reason string) error {
	if _, err := s.pool.Exec(ctx, `
		UPDATE notifications SET status = $3, attempts = attempts + 1, last_error = $2
		 WHERE id = $1 AND status = $4`, id, reason, reporting.NotificationFailed, reporting.NotificationSending); err != nil {
		return fmt.Errorf("notification %d unknown: %w", id, err)
	}
	return nil
}

// SentMark is one message the SMTP server accepted, and when.
type SentMark struct {
	ID int64
	At time.Time
}

// MarkNotificationsSent records that the messages went out, in one
// statement. The commit does not wait for the disk: if PostgreSQL itself
// crashed before writing it, the rows would stay 'sending' and be reported as
// of unknown outcome, never sent twice; waiting would double the cost of a
// wave.
func (s *Store) MarkNotificationsSent(ctx context.Context, marks []SentMark) error {
	if len(marks) == 0 {
		return nil
	}
	sql, args := markSentStatement(marks)
	if err := s.execWithoutFlush(ctx, sql, args...); err != nil {
		return fmt.Errorf("mark %d notifications sent: %w", len(marks), err)
	}
	return nil
}

// markSentStatement records messages sent at their instants; a message no
// longer 'sending' or 'claimed' is left as it is.
func markSentStatement(marks []SentMark) (string, []any) {
	ids := make([]int64, len(marks))
	ats := make([]time.Time, len(marks))
	for i, m := range marks {
		ids[i], ats[i] = m.ID, m.At
	}
	return `
		UPDATE notifications n SET status = $3, sent_at = m.at, attempts = attempts + 1, last_error = NULL
		  FROM unnest($1::bigint[], $2::timestamptz[]) AS m(id, at)
		 WHERE n.id = m.id AND n.status = ANY($4)`, []any{ids, ats, reporting.NotificationSent, reporting.NotificationSent.From()}
}

// MarkNotificationAttempt records a failed attempt. final gives up: the row
// becomes failed with the error, for office staff to see; otherwise it stays
// claimed and a later attempt sends it.
func (s *Store) MarkNotificationAttempt(ctx context.Context, id int64, cause string, final bool) error {
	status := reporting.NotificationClaimed
	if final {
		status = reporting.NotificationFailed
	}
	if _, err := s.pool.Exec(ctx, `
		UPDATE notifications SET status = $2, attempts = attempts + 1, last_error = $3
		 WHERE id = $1 AND status = ANY($4)`, id, status, cause, status.From()); err != nil {
		return fmt.Errorf("notification %d attempt: %w", id, err)
	}
	return nil
}

// MarkNotificationSkipped records that the message has nobody to go to.
func (s *Store) MarkNotificationSkipped(ctx context.Context, id int64, reason string) error {
	if _, err := s.pool.Exec(ctx, `
		UPDATE notifications SET status = $3, last_error = $2 WHERE id = $1 AND status = ANY($4)`,
		id, reason, reporting.NotificationSkipped, reporting.NotificationSkipped.From()); err != nil {
		return fmt.Errorf("notification %d skipped: %w", id, err)
	}
	return nil
}

// NotificationCounts counts a cycle's notifications of some kinds and a step
// by status.
func (s *Store) NotificationCounts(ctx context.Context, cycleID string, kinds []reporting.Event, step int) (map[reporting.NotificationStatus]int, error) {
	return s.LevelNotificationCounts(ctx, cycleID, kinds, step, 0)
}

// LevelNotificationCounts is NotificationCounts of one level of a tiered
// cycle (tier 0: every level): the messages about its agencies' obligations
// and its supervisors' digests (subject ".../level<tier>"), so that a level
// chased by a ladder of its own does not count the other level's messages of
// the same step as its own.
func (s *Store) LevelNotificationCounts(ctx context.Context, cycleID string, kinds []reporting.Event, step, tier int) (map[reporting.NotificationStatus]int, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT n.status, count(*) FROM notifications n
		 WHERE n.cycle_id = $1 AND n.kind = ANY($2) AND n.step = $3
		   AND ($4 = 0
		        OR n.subject_code LIKE '%/level' || $4::text
		        OR EXISTS (SELECT 1 FROM obligations o
		                    WHERE o.cycle_id = n.cycle_id AND o.agency_code = n.subject_code AND o.tier = $4))
		 GROUP BY n.status`, cycleID, kinds, step, tier)
	if err != nil {
		return nil, fmt.Errorf("count notifications of cycle %s: %w", cycleID, err)
	}
	out := map[reporting.NotificationStatus]int{}
	var status reporting.NotificationStatus
	var count int
	if _, err := pgx.ForEachRow(rows, []any{&status, &count}, func() error { out[status] = count; return nil }); err != nil {
		return nil, fmt.Errorf("count notifications of cycle %s: %w", cycleID, err)
	}
	return out, nil
}

// NotificationFilter narrows ListNotifications.
type NotificationFilter struct {
	CycleID string
	Status  reporting.NotificationStatus
	Kind    reporting.Event
	Subject string
	AfterID int64
	Limit   int
}

// ListNotifications lists notifications, oldest first.
func (s *Store) ListNotifications(ctx context.Context, f NotificationFilter) ([]reporting.Notification, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT `+notificationColumns+`
		  FROM notifications
		 WHERE ($1 = '' OR cycle_id = $1) AND ($2 = '' OR status = $2) AND ($3 = '' OR kind = $3)
		   AND ($4 = '' OR subject_code = $4) AND id > $5
		 ORDER BY id LIMIT $6`, f.CycleID, f.Status, f.Kind, f.Subject, f.AfterID, clampLimit(f.Limit))
	if err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	out, err := pgx.CollectRows(rows, scanNotification)
	if err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	return out, nil
}

// UnreachableAgencies returns the agencies of the cycle that a message could
// not be sent to because they have no valid address (skipped notifications).
func (s *Store) UnreachableAgencies(ctx context.Context, cycleID string) ([]reporting.Agency, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT a.code, a.name_vi, a.name_en FROM agencies a
		 WHERE a.code IN (SELECT subject_code FROM notifications WHERE cycle_id = $1 AND status = $2)
		 ORDER BY a.code`, cycleID, reporting.NotificationSkipped)
	if err != nil {
		return nil, fmt.Errorf("unreachable agencies of cycle %s: %w", cycleID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (reporting.Agency, error) {
		var a reporting.Agency
		err := r.Scan(&a.Code, &a.NameVI, &a.NameEN)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("unreachable agencies of cycle %s: %w", cycleID, err)
	}
	return out, nil
}
