-- +goose Up
-- A notification is marked 'sending' just before it is handed to the SMTP
-- server. A row still 'sending' when a later attempt finds it belongs to an
-- attempt that stopped mid-send: the message may have gone out, so it is
-- recorded as failed with that explanation instead of being sent again.
ALTER TABLE notifications DROP CONSTRAINT notifications_status_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_status_check
    CHECK (status IN ('claimed', 'sending', 'sent', 'failed', 'skipped'));

-- +goose Down
UPDATE notifications SET status = 'failed' WHERE status = 'sending';
ALTER TABLE notifications DROP CONSTRAINT notifications_status_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_status_check
    CHECK (status IN ('claimed', 'sent', 'failed', 'skipped'));
