-- +goose Up
-- The supervisors' dashboard reads (store/dashboard.go).
-- A regime's last periods, newest first (RegimeCycles).
CREATE INDEX cycles_regime_window_idx ON cycles (regime_code, window_start DESC);
-- The chronic latecomers count each agency's final states over twelve
-- cycles: with the state in the index it is an index-only scan.
CREATE INDEX obligations_cycle_states_idx ON obligations (cycle_id, agency_code) INCLUDE (status, finalized_at);

-- +goose Down
DROP INDEX obligations_cycle_states_idx;
DROP INDEX cycles_regime_window_idx;
