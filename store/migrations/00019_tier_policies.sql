-- +goose Up
-- Each level of a multi-tier regime its own reminders and escalation ladder
-- (issue 11, Must 1): the level's reminder_offsets and escalations in the
-- policy's written form (reporting.PolicyDoc), NULL when the level follows
-- the regime's. A cycle freezes them at launch like its own policy.
ALTER TABLE regime_tiers ADD COLUMN policy jsonb CHECK (policy IS NULL OR jsonb_typeof(policy) = 'object');
ALTER TABLE cycle_tiers ADD COLUMN policy jsonb CHECK (policy IS NULL OR jsonb_typeof(policy) = 'object');

-- +goose Down
ALTER TABLE cycle_tiers DROP COLUMN policy;
ALTER TABLE regime_tiers DROP COLUMN policy;
