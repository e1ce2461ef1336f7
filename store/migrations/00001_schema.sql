-- +goose Up
-- rcm's records. PostgreSQL owns them; Temporal owns only the process.
-- Names follow the domain (DOMAIN.md): agency, template, indicator, regime,
-- cycle, obligation, submission, review, notification.

-- The agency tree: national → ministries, regions → provinces/cities,
-- corporations → departments and districts. path is maintained by a trigger
-- ('/VN/R-DBSH/HNI/') so "the subtree of X" is one prefix match. Codes
-- have no LIKE wildcards ('_' is not allowed), so `path LIKE prefix || '%'` is exact.
CREATE TABLE agencies (
    code          text PRIMARY KEY CHECK (code ~ '^[A-Z0-9][A-Z0-9-]{0,31}$'),
    parent_code   text REFERENCES agencies (code) ON UPDATE CASCADE,
    path          text NOT NULL DEFAULT '',
    name_vi       text NOT NULL CHECK (length(btrim(name_vi)) > 0),
    name_en       text NOT NULL DEFAULT '',
    kind          text NOT NULL CHECK (kind IN ('national', 'region', 'ministry', 'ministerial_agency',
                                              'government_agency', 'province', 'city', 'corporation',
                                              'department', 'district', 'other')),
    officer_email text CHECK (officer_email IS NULL OR officer_email ~ '^[^@\s]+@[^@\s]+$'),
    head_email    text CHECK (head_email IS NULL OR head_email ~ '^[^@\s]+@[^@\s]+$'),
    language      text NOT NULL DEFAULT 'vi' CHECK (language IN ('vi', 'en')),
    active_from   date,
    active_until  date,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (parent_code IS NULL OR parent_code <> code),
    CHECK (active_until IS NULL OR active_from IS NULL OR active_from <= active_until)
);
CREATE INDEX agencies_parent_idx ON agencies (parent_code);
CREATE INDEX agencies_path_idx ON agencies (path text_pattern_ops);

-- +goose StatementBegin
CREATE FUNCTION agencies_set_path() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    parent_path text;
BEGIN
    IF NEW.parent_code IS NULL THEN
        NEW.path := '/' || NEW.code || '/';
    ELSE
        SELECT path INTO parent_path FROM agencies WHERE code = NEW.parent_code;
        IF parent_path IS NULL THEN
            RAISE EXCEPTION 'agency %: parent % does not exist', NEW.code, NEW.parent_code
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        IF position('/' || NEW.code || '/' IN parent_path) > 0 THEN
            RAISE EXCEPTION 'agency %: parent % is inside its own subtree', NEW.code, NEW.parent_code
                USING ERRCODE = 'check_violation';
        END IF;
        NEW.path := parent_path || NEW.code || '/';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.path <> OLD.path THEN
        UPDATE agencies
           SET path = NEW.path || substr(path, length(OLD.path) + 1)
         WHERE starts_with(path, OLD.path) AND code <> NEW.code;
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER agencies_path BEFORE INSERT OR UPDATE OF parent_code, code ON agencies
    FOR EACH ROW EXECUTE FUNCTION agencies_set_path();

-- People. Office staff see everything; an agency officer is bound to one
-- agency; a supervisor to the subtree rooted at agency_code.
CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
    name          text NOT NULL DEFAULT '',
    role          text NOT NULL CHECK (role IN ('staff', 'officer', 'supervisor')),
    agency_code   text REFERENCES agencies (code) ON UPDATE CASCADE,
    manager_id    bigint REFERENCES users (id),
    language      text NOT NULL DEFAULT 'vi' CHECK (language IN ('vi', 'en')),
    password_hash text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    disabled_at   timestamptz,
    CHECK ((role = 'staff') = (agency_code IS NULL))
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_agency_idx ON users (agency_code) WHERE agency_code IS NOT NULL;

-- Personal API tokens: only a SHA-256 of the token is kept.
CREATE TABLE api_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL DEFAULT '',
    token_hash   bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    prefix       text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- Web sessions (cookie holds the token; only its hash is kept).
CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);

-- Report templates: the indicators an agency fills in.
CREATE TABLE templates (
    code       text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_-]{0,31}$'),
    name_vi    text NOT NULL CHECK (length(btrim(name_vi)) > 0),
    name_en    text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE indicators (
    template_code text NOT NULL REFERENCES templates (code) ON DELETE CASCADE,
    code          text NOT NULL CHECK (code ~ '^[A-Z][A-Z0-9_]{0,31}$'),
    position      int NOT NULL CHECK (position >= 0),
    name_vi       text NOT NULL CHECK (length(btrim(name_vi)) > 0),
    name_en       text NOT NULL DEFAULT '',
    unit          text NOT NULL DEFAULT '',
    type          text NOT NULL CHECK (type IN ('integer', 'decimal', 'percent', 'text')),
    required      boolean NOT NULL DEFAULT false,
    min_value     numeric,
    max_value     numeric,
    aggregation   text NOT NULL DEFAULT 'none' CHECK (aggregation IN ('sum', 'avg', 'min', 'max', 'none')),
    PRIMARY KEY (template_code, code),
    UNIQUE (template_code, position),
    CHECK (min_value IS NULL OR max_value IS NULL OR min_value <= max_value),
    CHECK (type <> 'text' OR (aggregation = 'none' AND min_value IS NULL AND max_value IS NULL))
);

-- A regime: who reports what, how often, by when, and how they are reminded.
-- Every offset is data here and can be overridden per cycle.
CREATE TABLE regimes (
    code             text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]{0,31}$'),
    name_vi          text NOT NULL CHECK (length(btrim(name_vi)) > 0),
    name_en          text NOT NULL DEFAULT '',
    template_code    text NOT NULL REFERENCES templates (code),
    cadence          text NOT NULL CHECK (cadence IN ('monthly', 'quarterly', 'six-monthly',
                                                      'nine-monthly', 'annual', 'custom')),
    deadline_rule    text NOT NULL CHECK (deadline_rule ~ '^(day|days|workdays):[0-9]{1,3}$'),
    time_zone        text NOT NULL DEFAULT 'Asia/Ho_Chi_Minh',
    holidays         date[] NOT NULL DEFAULT '{}',
    reminder_offsets interval[] NOT NULL DEFAULT '{}',
    review_time      interval NOT NULL DEFAULT '3 days' CHECK (review_time > interval '0'),
    close_after      interval NOT NULL DEFAULT '10 days' CHECK (close_after >= interval '0'),
    reviewer_id      bigint REFERENCES users (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- The escalation ladder after due: step n at due + after_due, to these
-- recipients, sent `times` times every `repeat_every`.
CREATE TABLE regime_escalation_steps (
    regime_code  text NOT NULL REFERENCES regimes (code) ON DELETE CASCADE,
    position     int NOT NULL CHECK (position >= 1),
    after_due    interval NOT NULL CHECK (after_due >= interval '0'),
    recipients   text[] NOT NULL CHECK (cardinality(recipients) > 0
                                        AND recipients <@ ARRAY['officer', 'head', 'supervisor']),
    repeat_every interval NOT NULL DEFAULT '0' CHECK (repeat_every >= interval '0'),
    times        int NOT NULL DEFAULT 1 CHECK (times >= 1 AND times <= 50),
    PRIMARY KEY (regime_code, position),
    CHECK (times = 1 OR repeat_every > interval '0')
);

-- Which agencies a regime expects reports from, and when. Expected counts
-- come from assignments effective in the period (DOMAIN.md).
CREATE TABLE regime_assignments (
    regime_code  text NOT NULL REFERENCES regimes (code) ON DELETE CASCADE,
    agency_code  text NOT NULL REFERENCES agencies (code) ON UPDATE CASCADE,
    active_from  date,
    active_until date,
    PRIMARY KEY (regime_code, agency_code),
    CHECK (active_until IS NULL OR active_from IS NULL OR active_from <= active_until)
);
CREATE INDEX regime_assignments_agency_idx ON regime_assignments (agency_code);

-- One reporting cycle: a regime × a period. The timeline (policy after
-- per-cycle overrides) is frozen at launch.
CREATE TABLE cycles (
    id            text PRIMARY KEY,
    regime_code   text NOT NULL REFERENCES regimes (code),
    period        text NOT NULL,
    window_start  date NOT NULL,
    window_end    date NOT NULL,
    time_zone     text NOT NULL,
    cut_off_at    timestamptz NOT NULL,
    due_at        timestamptz NOT NULL,
    close_at      timestamptz NOT NULL,
    policy        jsonb NOT NULL CHECK (jsonb_typeof(policy) = 'object'),
    status        text NOT NULL DEFAULT 'launching'
                  CHECK (status IN ('launching', 'open', 'closing', 'closed', 'cancelled')),
    expected      int CHECK (expected >= 0),
    launched_by   bigint REFERENCES users (id),
    launched_at   timestamptz NOT NULL DEFAULT now(),
    opened_at     timestamptz,
    closed_at     timestamptz,
    cancel_reason text,
    UNIQUE (regime_code, period),
    CHECK (window_start <= window_end),
    CHECK (cut_off_at <= due_at AND due_at <= close_at),
    CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL))
);
CREATE INDEX cycles_status_idx ON cycles (status) WHERE status IN ('launching', 'open', 'closing');

-- One obligation per agency × cycle, with its own due and close (office staff
-- can extend them for one agency). status holds the open states while the
-- cycle runs and the final state after close.
CREATE TABLE obligations (
    cycle_id             text NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    agency_code          text NOT NULL REFERENCES agencies (code) ON UPDATE CASCADE,
    due_at               timestamptz NOT NULL,
    close_at             timestamptz NOT NULL,
    status               text NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'notified', 'submitted', 'under_review', 'returned',
                                           'accepted', 'overdue',
                                           'on_time', 'late', 'missing', 'not_accepted')),
    overdue              boolean NOT NULL DEFAULT false,
    notified_at          timestamptz,
    first_submitted_at   timestamptz,
    last_submitted_at    timestamptz,
    versions             int NOT NULL DEFAULT 0 CHECK (versions >= 0),
    accepted_submission  bigint,
    finalized_at         timestamptz,
    PRIMARY KEY (cycle_id, agency_code),
    CHECK (due_at <= close_at),
    CHECK ((first_submitted_at IS NULL) = (versions = 0)),
    CHECK ((status IN ('on_time', 'late', 'missing', 'not_accepted')) = (finalized_at IS NOT NULL))
);
CREATE INDEX obligations_agency_idx ON obligations (agency_code);
CREATE INDEX obligations_open_idx ON obligations (cycle_id, status) WHERE finalized_at IS NULL;

-- Every version of every submission. values holds indicator code → value
-- text, as validated and normalised.
CREATE TABLE submissions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cycle_id        text NOT NULL,
    agency_code     text NOT NULL,
    version         int NOT NULL CHECK (version >= 1),
    "values"        jsonb NOT NULL CHECK (jsonb_typeof("values") = 'object'),
    narrative       text NOT NULL DEFAULT '',
    source          text NOT NULL CHECK (source IN ('json', 'csv', 'xlsx', 'form', 'cli')),
    submitted_by    bigint NOT NULL REFERENCES users (id),
    submitted_at    timestamptz NOT NULL DEFAULT now(),
    content_hash    bytea NOT NULL CHECK (length(content_hash) = 32),
    idempotency_key text,
    receipt_number  text NOT NULL UNIQUE,
    FOREIGN KEY (cycle_id, agency_code) REFERENCES obligations (cycle_id, agency_code) ON DELETE CASCADE,
    UNIQUE (cycle_id, agency_code, version),
    UNIQUE (cycle_id, agency_code, idempotency_key)
);
ALTER TABLE obligations ADD FOREIGN KEY (accepted_submission) REFERENCES submissions (id);

-- One decision per version.
CREATE TABLE reviews (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    submission_id bigint NOT NULL UNIQUE REFERENCES submissions (id) ON DELETE CASCADE,
    decision      text NOT NULL CHECK (decision IN ('accepted', 'returned')),
    reason        text NOT NULL DEFAULT '',
    reviewer_id   bigint NOT NULL REFERENCES users (id),
    decided_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (decision = 'accepted' OR length(btrim(reason)) > 0)
);

-- Deadline changes during a cycle (agency_code NULL = every agency).
CREATE TABLE extensions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cycle_id    text NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    agency_code text REFERENCES agencies (code),
    old_due_at  timestamptz,
    new_due_at  timestamptz NOT NULL,
    new_close_at timestamptz NOT NULL,
    reason      text NOT NULL CHECK (length(btrim(reason)) > 0),
    created_by  bigint REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (new_due_at <= new_close_at)
);
CREATE INDEX extensions_cycle_idx ON extensions (cycle_id);

-- Every message rcm sends, claimed before it is sent so that a retried
-- activity or a replayed wave never mails twice. subject_code is the agency
-- the message is about (or a supervisor's subtree root for digests and
-- summaries); step numbers reminders, escalation steps and versions.
CREATE TABLE notifications (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cycle_id     text NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    subject_code text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('deadline_notice', 'reminder', 'overdue', 'escalation',
                                               'escalation_digest', 'receipt', 'returned', 'accepted',
                                               'review_waiting', 'review_overdue', 'cycle_summary',
                                               'deadline_extended')),
    step         int NOT NULL DEFAULT 0,
    recipients   text[] NOT NULL DEFAULT '{}',
    language     text NOT NULL DEFAULT 'vi' CHECK (language IN ('vi', 'en')),
    status       text NOT NULL DEFAULT 'claimed' CHECK (status IN ('claimed', 'sent', 'failed', 'skipped')),
    attempts     int NOT NULL DEFAULT 0,
    last_error   text,
    message_id   text NOT NULL,
    claimed_at   timestamptz NOT NULL DEFAULT now(),
    sent_at      timestamptz,
    UNIQUE (cycle_id, subject_code, kind, step)
);
CREATE INDEX notifications_status_idx ON notifications (cycle_id, status);

-- Hand-offs to Temporal that must survive a crash between the commit and the
-- signal: the sweeper re-sends what is not marked delivered.
CREATE TABLE outbox (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workflow_id  text NOT NULL,
    signal_name  text NOT NULL,
    payload      jsonb NOT NULL,
    start_workflow text,
    start_input  jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    attempts     int NOT NULL DEFAULT 0,
    last_error   text,
    delivered_at timestamptz
);
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE delivered_at IS NULL;

-- Results stored at close: figures per node of the tree and indicator, and
-- compliance per node.
CREATE TABLE cycle_aggregates (
    cycle_id       text NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    agency_code    text NOT NULL REFERENCES agencies (code) ON UPDATE CASCADE,
    indicator_code text NOT NULL,
    value          numeric NOT NULL,
    contributors   int NOT NULL CHECK (contributors > 0),
    PRIMARY KEY (cycle_id, agency_code, indicator_code)
);

CREATE TABLE cycle_compliance (
    cycle_id       text NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    agency_code    text NOT NULL REFERENCES agencies (code) ON UPDATE CASCADE,
    expected       int NOT NULL CHECK (expected >= 0),
    submitted      int NOT NULL CHECK (submitted >= 0),
    on_time        int NOT NULL CHECK (on_time >= 0),
    late           int NOT NULL CHECK (late >= 0),
    missing        int NOT NULL CHECK (missing >= 0),
    not_accepted   int NOT NULL CHECK (not_accepted >= 0),
    reporting_rate numeric(5, 2) NOT NULL,
    on_time_rate   numeric(5, 2) NOT NULL,
    PRIMARY KEY (cycle_id, agency_code),
    CHECK (on_time + late + missing + not_accepted = expected),
    CHECK (submitted = on_time + late + not_accepted)
);

-- Who did what, when, from where.
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_id    bigint REFERENCES users (id),
    actor       text NOT NULL,
    action      text NOT NULL,
    object      text NOT NULL DEFAULT '',
    remote_addr text NOT NULL DEFAULT '',
    details     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- +goose Down
DROP TABLE audit_log, cycle_compliance, cycle_aggregates, outbox, notifications, extensions,
    reviews, submissions, obligations, cycles, regime_assignments, regime_escalation_steps,
    regimes, indicators, templates, sessions, api_tokens, users, agencies CASCADE;
DROP FUNCTION agencies_set_path();
