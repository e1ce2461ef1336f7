-- +goose Up
-- A chained audit log: every row carries the hash of the one before it in
-- its stream ("cycle/<id>" for what happens in a cycle, "main" for the
-- rest), and the hash of itself over that and its own fields. The head of
-- each stream is a row of audit_streams, locked by every writer of the
-- stream, so concurrent writers append one after the other.
ALTER TABLE audit_log ADD COLUMN stream text, ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea;

CREATE TABLE audit_streams (
    stream    text PRIMARY KEY,
    last_id   bigint NOT NULL,
    last_hash bytea CHECK (length(last_hash) = 32)
);

-- The stream of an entry: the cycle it names in its details, the cycle a
-- cycle command acts on, or main.
-- +goose StatementBegin
CREATE FUNCTION audit_stream_of(p_action text, p_object text, p_details jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN jsonb_typeof(p_details -> 'cycle') = 'string' THEN 'cycle/' || (p_details ->> 'cycle')
        WHEN p_action LIKE 'cycle.%' AND p_object <> '' THEN 'cycle/' || p_object
        ELSE 'main'
    END
$$;
-- +goose StatementEnd

-- The text a row's hash covers: every field of the row in a JSON array
-- (PostgreSQL writes jsonb one way only), the instant in microseconds.
-- +goose StatementBegin
CREATE FUNCTION audit_canonical(p_id bigint, p_stream text, p_at timestamptz, p_actor_id bigint, p_actor text,
    p_action text, p_object text, p_remote_addr text, p_details jsonb) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_array(p_id, p_stream, (extract(epoch FROM p_at) * 1000000)::bigint, p_actor_id, p_actor,
        p_action, p_object, p_remote_addr, p_details)::text
$$;
-- +goose StatementEnd

-- audit_append writes one entry at the head of its stream, holding the
-- stream's head row until the writer's transaction ends.
-- +goose StatementBegin
CREATE FUNCTION audit_append(p_actor_id bigint, p_actor text, p_action text, p_object text, p_remote_addr text,
    p_details jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    s    text := audit_stream_of(p_action, p_object, p_details);
    prev bytea;
    rid  bigint;
    rat  timestamptz := now();
    h    bytea;
BEGIN
    SELECT last_hash INTO prev FROM audit_streams WHERE stream = s FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO audit_streams (stream, last_id) VALUES (s, 0) ON CONFLICT (stream) DO NOTHING;
        SELECT last_hash INTO prev FROM audit_streams WHERE stream = s FOR UPDATE;
    END IF;
    rid := nextval(pg_get_serial_sequence('audit_log', 'id'));
    h := sha256(coalesce(prev, '\x'::bytea) || convert_to(audit_canonical(rid, s, rat, p_actor_id, p_actor, p_action,
        p_object, p_remote_addr, p_details), 'UTF8'));
    INSERT INTO audit_log (id, at, actor_id, actor, action, object, remote_addr, details, stream, prev_hash, hash)
        OVERRIDING SYSTEM VALUE
        VALUES (rid, rat, p_actor_id, p_actor, p_action, p_object, p_remote_addr, p_details, s, prev, h);
    UPDATE audit_streams SET last_id = rid, last_hash = h WHERE stream = s;
    RETURN rid;
END
$$;
-- +goose StatementEnd

-- Chain the rows written before this migration, stream by stream in id order.
-- +goose StatementBegin
DO $$
DECLARE
    r    record;
    cur  text;
    prev bytea;
    h    bytea;
BEGIN
    UPDATE audit_log SET stream = audit_stream_of(action, object, details);
    FOR r IN SELECT * FROM audit_log ORDER BY stream, id LOOP
        IF cur IS DISTINCT FROM r.stream THEN
            cur := r.stream;
            prev := NULL;
        END IF;
        h := sha256(coalesce(prev, '\x'::bytea) || convert_to(audit_canonical(r.id, r.stream, r.at, r.actor_id, r.actor,
            r.action, r.object, r.remote_addr, r.details), 'UTF8'));
        UPDATE audit_log SET prev_hash = prev, hash = h WHERE id = r.id;
        prev := h;
    END LOOP;
    INSERT INTO audit_streams (stream, last_id, last_hash)
        SELECT DISTINCT ON (stream) stream, id, hash FROM audit_log ORDER BY stream, id DESC;
END
$$;
-- +goose StatementEnd

ALTER TABLE audit_log ALTER COLUMN stream SET NOT NULL, ALTER COLUMN hash SET NOT NULL;
CREATE INDEX audit_log_stream_idx ON audit_log (stream, id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, id);

-- One-time links to set a new password, sent by mail when office staff
-- reset one: only a SHA-256 of the link's secret is kept.
CREATE TABLE password_resets (
    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_by bigint REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id);

-- Sessions get a number to be listed and ended by, and the address they
-- were opened from.
ALTER TABLE sessions ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    ADD COLUMN remote_addr text NOT NULL DEFAULT '';
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- +goose Down
DROP INDEX sessions_user_idx;
ALTER TABLE sessions DROP COLUMN id, DROP COLUMN remote_addr;
DROP TABLE password_resets;
DROP INDEX audit_log_actor_idx;
DROP INDEX audit_log_stream_idx;
DROP FUNCTION audit_append(bigint, text, text, text, text, jsonb);
DROP FUNCTION audit_canonical(bigint, text, timestamptz, bigint, text, text, text, text, jsonb);
DROP FUNCTION audit_stream_of(text, text, jsonb);
DROP TABLE audit_streams;
ALTER TABLE audit_log DROP COLUMN stream, DROP COLUMN prev_hash, DROP COLUMN hash;
