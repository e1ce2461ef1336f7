-- +goose Up
-- A regime's review_time of 0 means "no review deadline" (reporting.Policy),
-- which the first schema refused.
ALTER TABLE regimes DROP CONSTRAINT regimes_review_time_check;
ALTER TABLE regimes ADD CONSTRAINT regimes_review_time_check CHECK (review_time >= interval '0');

-- +goose Down
ALTER TABLE regimes DROP CONSTRAINT regimes_review_time_check;
ALTER TABLE regimes ADD CONSTRAINT regimes_review_time_check CHECK (review_time > interval '0');
