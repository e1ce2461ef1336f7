-- +goose Up
-- Failed and pending password sign-ins, counted per account (the lower-case
-- e-mail address typed, whether or not a user has it) and per client address,
-- so that every rcm serve process behind a load balancer applies the same
-- back-off. A row is locked while it is checked and counted.
CREATE TABLE signin_throttle (
    kind            text NOT NULL CHECK (kind IN ('account', 'address')),
    subject         text NOT NULL CHECK (length(subject) <= 254),
    failures        integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    locked_until    timestamptz,
    last_failure_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, subject)
);
CREATE INDEX signin_throttle_locked_idx ON signin_throttle (locked_until) WHERE locked_until IS NOT NULL;

-- +goose Down
DROP TABLE signin_throttle;
