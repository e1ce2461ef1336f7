-- +goose Up
-- An obligation with a version has a submission loop (SubmissionWorkflow)
-- until close or cancel tells it to stop. loop_ended_at records that it was
-- told, so a close interrupted between finalizing obligations and ending
-- their loops (a killed worker, a Temporal error part-way through) ends the
-- rest on its next attempt: the loops still to end are derived from this
-- column, not from which obligations are not final yet.
ALTER TABLE obligations ADD COLUMN loop_ended_at timestamptz;
-- Loops of closed or cancelled cycles were ended by the code before this
-- column existed (or by their own grace timer since).
UPDATE obligations o SET loop_ended_at = coalesce(o.finalized_at, now())
  FROM cycles c
 WHERE c.id = o.cycle_id AND o.versions > 0 AND (o.finalized_at IS NOT NULL OR c.status = 'cancelled');
CREATE INDEX obligations_running_loops_idx ON obligations (cycle_id, agency_code)
    WHERE versions > 0 AND loop_ended_at IS NULL;

-- +goose Down
DROP INDEX obligations_running_loops_idx;
ALTER TABLE obligations DROP COLUMN loop_ended_at;
