-- +goose Up
-- "Overdue" had two homes: the status 'overdue' (nothing submitted and due
-- passed, while the cycle runs) and a boolean set with it and never cleared
-- (due passed with nothing submitted by then). The boolean said nothing the
-- obligation's due and first version do not say already, so it goes:
-- reporting.Obligation.MissedDue derives it, and the status keeps the one
-- meaning of the word.
ALTER TABLE obligations DROP COLUMN overdue;

-- +goose Down
ALTER TABLE obligations ADD COLUMN overdue boolean NOT NULL DEFAULT false;
UPDATE obligations
   SET overdue = due_at <= now() AND (first_submitted_at IS NULL OR first_submitted_at >= due_at);
