-- +goose Up
-- A message's row changes status twice after it is claimed (sending, then
-- sent). With status in an index each change wrote a new entry in every
-- index of the table; without it, and with room left on each page, both
-- are heap-only (HOT) updates, which is most of what a wave costs
-- PostgreSQL per message (BenchmarkNoticeWave: 0.19x of raw SMTP before
-- this and the wave's larger portions, 0.40x after). The two readers of
-- status run once per wave (its counts, the summary's unreachable
-- agencies); without the index they read the cycle's rows: about 50-70 ms
-- for a cycle of 100,000 agencies with 300,000 messages (EXPLAIN ANALYZE,
-- 01/12/2026), where the index made the second 3 ms and did not help the
-- first.
DROP INDEX notifications_status_idx;
ALTER TABLE notifications SET (fillfactor = 50);

-- +goose Down
ALTER TABLE notifications RESET (fillfactor);
CREATE INDEX notifications_status_idx ON notifications (cycle_id, status);
