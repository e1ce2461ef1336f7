-- +goose Up
-- Multi-tier regimes (issue 11): a regime may name its levels by the depth
-- of their agencies in the tree, lowest first, each due by its own rule
-- (the top level by the regime's). A regime without tiers is single-tier.
CREATE TABLE regime_tiers (
    regime_code   text NOT NULL REFERENCES regimes (code) ON DELETE CASCADE,
    level         int NOT NULL CHECK (level >= 1),
    name_vi       text NOT NULL CHECK (length(btrim(name_vi)) > 0),
    name_en       text NOT NULL DEFAULT '',
    depth         int NOT NULL CHECK (depth >= 1 AND depth <= 16),
    -- NULL for the top level, which is due by the regime's deadline_rule.
    deadline_rule text CHECK (deadline_rule IS NULL
                              OR deadline_rule ~ '^((day|days|workdays):[0-9]{1,3}|date:(\+1y:)?[0-9]{2}-[0-9]{2})$'),
    PRIMARY KEY (regime_code, level),
    UNIQUE (regime_code, depth)
);

-- A cycle's tiers with their deadlines, frozen at launch like the cycle's
-- own; the top tier's are the cycle's due and close.
CREATE TABLE cycle_tiers (
    cycle_id text NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    level    int NOT NULL CHECK (level >= 1),
    name_vi  text NOT NULL,
    name_en  text NOT NULL DEFAULT '',
    depth    int NOT NULL CHECK (depth >= 1),
    due_at   timestamptz NOT NULL,
    close_at timestamptz NOT NULL,
    PRIMARY KEY (cycle_id, level),
    UNIQUE (cycle_id, depth),
    CHECK (due_at <= close_at)
);

-- The tier of an obligation in a tiered cycle (NULL in a single-tier one).
ALTER TABLE obligations ADD COLUMN tier int CHECK (tier IS NULL OR tier >= 1);
CREATE INDEX obligations_cycle_tier_idx ON obligations (cycle_id, tier) WHERE tier IS NOT NULL;

-- +goose Down
DROP INDEX obligations_cycle_tier_idx;
ALTER TABLE obligations DROP COLUMN tier;
DROP TABLE cycle_tiers;
DROP TABLE regime_tiers;
