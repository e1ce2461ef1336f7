-- +goose Up
-- Late filing after close (reporting.ActionLateFiling): an agency whose
-- report was missing or not accepted at its obligation's close files a
-- version late, with a reason, within its regime's late filing window;
-- office staff admit it (the obligation becomes late) or refuse it.

-- The late filing window: days after an obligation's close (0: none).
ALTER TABLE regimes ADD COLUMN late_filing_days integer NOT NULL DEFAULT 30
    CHECK (late_filing_days BETWEEN 0 AND 366);

-- A version filed after close counts only once admitted.
ALTER TABLE submissions ADD COLUMN late_filed boolean NOT NULL DEFAULT false;

ALTER TABLE obligation_actions DROP CONSTRAINT obligation_actions_kind_check;
ALTER TABLE obligation_actions ADD CONSTRAINT obligation_actions_kind_check
    CHECK (kind IN ('reopen', 'nil_report', 'extension_request', 'late_filing'));
ALTER TABLE obligation_actions DROP CONSTRAINT obligation_actions_status_check;
ALTER TABLE obligation_actions ADD CONSTRAINT obligation_actions_status_check
    CHECK (status IN ('done', 'pending', 'granted', 'refused', 'admitted'));
ALTER TABLE obligation_actions DROP CONSTRAINT obligation_actions_check1;
ALTER TABLE obligation_actions ADD CONSTRAINT obligation_actions_check1
    CHECK ((kind IN ('extension_request', 'late_filing')) = (status <> 'done'));
ALTER TABLE obligation_actions DROP CONSTRAINT obligation_actions_check2;
ALTER TABLE obligation_actions ADD CONSTRAINT obligation_actions_check2
    CHECK ((status IN ('granted', 'refused', 'admitted')) = (decided_at IS NOT NULL));
ALTER TABLE obligation_actions ADD CONSTRAINT obligation_actions_late_filing_check
    CHECK (kind <> 'late_filing' OR version > 0);
ALTER TABLE obligation_actions ADD CONSTRAINT obligation_actions_admitted_check
    CHECK (status <> 'admitted' OR kind = 'late_filing');
-- One pending request and one pending late filing per obligation at a time
-- (a request left pending at close does not block a late filing).
DROP INDEX obligation_actions_one_pending_idx;
CREATE UNIQUE INDEX obligation_actions_one_pending_idx ON obligation_actions (cycle_id, agency_code, kind)
    WHERE status = 'pending';

ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('deadline_notice', 'reminder', 'overdue', 'escalation', 'escalation_digest', 'receipt',
                    'returned', 'accepted', 'review_waiting', 'review_overdue', 'cycle_summary',
                    'deadline_extended', 'reopened', 'nil_reported', 'extension_requested', 'extension_refused',
                    'late_filed', 'late_filing_admitted', 'late_filing_refused'));

-- +goose Down
DELETE FROM notifications WHERE kind IN ('late_filed', 'late_filing_admitted', 'late_filing_refused');
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('deadline_notice', 'reminder', 'overdue', 'escalation', 'escalation_digest', 'receipt',
                    'returned', 'accepted', 'review_waiting', 'review_overdue', 'cycle_summary',
                    'deadline_extended', 'reopened', 'nil_reported', 'extension_requested', 'extension_refused'));
DELETE FROM obligation_actions WHERE kind = 'late_filing';
DROP INDEX obligation_actions_one_pending_idx;
CREATE UNIQUE INDEX obligation_actions_one_pending_idx ON obligation_actions (cycle_id, agency_code)
    WHERE status = 'pending';
ALTER TABLE obligation_actions DROP CONSTRAINT obligation_actions_admitted_check;
ALTER TABLE obligation_actions DROP CONSTRAINT obligation_actions_late_filing_check;
ALTER TABLE obligation_actions DROP CONSTRAINT obligation_actions_check2;
ALTER TABLE obligation_actions ADD CONSTRAINT obligation_actions_check2
    CHECK ((status IN ('granted', 'refused')) = (decided_at IS NOT NULL));
ALTER TABLE obligation_actions DROP CONSTRAINT obligation_actions_check1;
ALTER TABLE obligation_actions ADD CONSTRAINT obligation_actions_check1
    CHECK ((kind = 'extension_request') = (status <> 'done'));
ALTER TABLE obligation_actions DROP CONSTRAINT obligation_actions_status_check;
ALTER TABLE obligation_actions ADD CONSTRAINT obligation_actions_status_check
    CHECK (status IN ('done', 'pending', 'granted', 'refused'));
ALTER TABLE obligation_actions DROP CONSTRAINT obligation_actions_kind_check;
ALTER TABLE obligation_actions ADD CONSTRAINT obligation_actions_kind_check
    CHECK (kind IN ('reopen', 'nil_report', 'extension_request'));
ALTER TABLE submissions DROP COLUMN late_filed;
ALTER TABLE regimes DROP COLUMN late_filing_days;
