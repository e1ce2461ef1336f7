-- +goose Up
-- The soft check of a regime (reporting.Jumps): a figure that moves more than
-- this factor from the agency's previous accepted period is flagged to the
-- agency before it sends and to the reviewer. Existing regimes get the
-- default, ×10.
ALTER TABLE regimes ADD COLUMN soft_check_factor integer NOT NULL DEFAULT 10
    CHECK (soft_check_factor >= 2);

-- +goose Down
ALTER TABLE regimes DROP COLUMN soft_check_factor;
