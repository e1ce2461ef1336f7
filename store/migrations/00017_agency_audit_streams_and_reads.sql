-- +goose Up
-- What happens to one agency's obligation in a cycle (its versions,
-- reviews, actions, an extension for it alone) is chained in a stream of
-- its own, "cycle/<id>/agency/<code>", instead of the cycle's: every writer
-- of a stream holds its head row until its transaction commits, so with one
-- stream per cycle every submission of a cycle waited for the commit (the
-- WAL flush) of the one before it. The cycle's own stream keeps what
-- concerns the whole cycle (launch, extensions for all, close, cancel).
-- Rows written before keep the stream they were chained in.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION audit_stream_of(p_action text, p_object text, p_details jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN jsonb_typeof(p_details -> 'cycle') = 'string' AND jsonb_typeof(p_details -> 'agency') = 'string'
            AND p_details ->> 'agency' <> ''
            THEN 'cycle/' || (p_details ->> 'cycle') || '/agency/' || (p_details ->> 'agency')
        WHEN jsonb_typeof(p_details -> 'cycle') = 'string' THEN 'cycle/' || (p_details ->> 'cycle')
        WHEN p_action LIKE 'cycle.%' AND p_object <> '' AND jsonb_typeof(p_details -> 'agency') = 'string'
            AND p_details ->> 'agency' <> ''
            THEN 'cycle/' || p_object || '/agency/' || (p_details ->> 'agency')
        WHEN p_action LIKE 'cycle.%' AND p_object <> '' THEN 'cycle/' || p_object
        ELSE 'main'
    END
$$;
-- +goose StatementEnd

-- The chronic latecomers of a region or a province (store.Latecomers with a
-- scope) read each agency's states over twelve cycles from one index,
-- agency first: an index-only scan of a dozen entries per agency instead of
-- every obligation of the twelve cycles. It replaces the index on
-- agency_code alone (an agency's obligations, OwedObligations), which its
-- first column serves as well.
CREATE INDEX obligations_agency_states_idx ON obligations (agency_code, cycle_id) INCLUDE (status, finalized_at);
DROP INDEX obligations_agency_idx;

-- +goose Down
CREATE INDEX obligations_agency_idx ON obligations (agency_code);
DROP INDEX obligations_agency_states_idx;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION audit_stream_of(p_action text, p_object text, p_details jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN jsonb_typeof(p_details -> 'cycle') = 'string' THEN 'cycle/' || (p_details ->> 'cycle')
        WHEN p_action LIKE 'cycle.%' AND p_object <> '' THEN 'cycle/' || p_object
        ELSE 'main'
    END
$$;
-- +goose StatementEnd
