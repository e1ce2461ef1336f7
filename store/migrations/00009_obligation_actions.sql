-- +goose Up
-- The agency's side of the conversation (reporting.Action): office staff
-- reopen an accepted report, an agency declares a nil report or asks for a
-- later due date, which office staff grant (an extension) or refuse.
CREATE TABLE obligation_actions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cycle_id        text NOT NULL,
    agency_code     text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('reopen', 'nil_report', 'extension_request')),
    status          text NOT NULL CHECK (status IN ('done', 'pending', 'granted', 'refused')),
    reason          text NOT NULL CHECK (length(btrim(reason)) > 0),
    version         int NOT NULL DEFAULT 0 CHECK (version >= 0),
    requested_due   date,
    created_by      bigint NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL,
    decided_by      bigint REFERENCES users (id),
    decided_at      timestamptz,
    decision_reason text NOT NULL DEFAULT '',
    extension_id    bigint REFERENCES extensions (id),
    FOREIGN KEY (cycle_id, agency_code) REFERENCES obligations (cycle_id, agency_code) ON DELETE CASCADE,
    CHECK ((kind = 'extension_request') = (requested_due IS NOT NULL)),
    CHECK ((kind = 'extension_request') = (status <> 'done')),
    CHECK ((status IN ('granted', 'refused')) = (decided_at IS NOT NULL)),
    CHECK (status <> 'granted' OR extension_id IS NOT NULL),
    CHECK (status <> 'refused' OR length(btrim(decision_reason)) > 0)
);
CREATE INDEX obligation_actions_obligation_idx ON obligation_actions (cycle_id, agency_code);
-- One pending request per obligation at a time.
CREATE UNIQUE INDEX obligation_actions_one_pending_idx ON obligation_actions (cycle_id, agency_code)
    WHERE status = 'pending';

-- A declared nil report: the obligation counts as submitted, timed by the
-- declaration (last_submitted_at), and is accepted without review.
ALTER TABLE obligations ADD COLUMN nil_reported_at timestamptz;

ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('deadline_notice', 'reminder', 'overdue', 'escalation', 'escalation_digest', 'receipt',
                    'returned', 'accepted', 'review_waiting', 'review_overdue', 'cycle_summary',
                    'deadline_extended', 'reopened', 'nil_reported', 'extension_requested', 'extension_refused'));

-- +goose Down
DELETE FROM notifications WHERE kind IN ('reopened', 'nil_reported', 'extension_requested', 'extension_refused');
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('deadline_notice', 'reminder', 'overdue', 'escalation', 'escalation_digest', 'receipt',
                    'returned', 'accepted', 'review_waiting', 'review_overdue', 'cycle_summary',
                    'deadline_extended'));
ALTER TABLE obligations DROP COLUMN nil_reported_at;
DROP TABLE obligation_actions;
