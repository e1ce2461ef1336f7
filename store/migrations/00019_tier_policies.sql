-- +goose Up
-- Each level of a multi-tier regime its own reminders and escalation ladder
-- (issue 11, Must 1): the level's reminder_offsets and escalations in the
-- policy's written form (reporting.PolicyDoc), NULL when the level follows
-- the regime's. A cycle freezes them at launch like its own policy.
ALTER TABLE regime_tiers ADD COLUMN policy jsonb CHECK (policy IS NULL OR jsonb_typeof(policy) = 'object');
ALTER TABLE cycle_tiers ADD COLUMN policy jsonb CHECK (policy IS NULL OR jsonb_typeof(policy) = 'object');

-- A version of an upper level's report sent before all of the level below
-- was in (issue 11, Must 3) records, as data, the agencies it was sent
-- without: those of the level just below, under it, not settled (accepted,
-- nil report or closed out) when it was stored. Empty otherwise.
ALTER TABLE submissions ADD COLUMN missing_children text[] NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE submissions DROP COLUMN missing_children;
ALTER TABLE cycle_tiers DROP COLUMN policy;
ALTER TABLE regime_tiers DROP COLUMN policy;
