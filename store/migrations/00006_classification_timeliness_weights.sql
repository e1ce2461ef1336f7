-- +goose Up
-- Two more final states (reporting.Classify): a version never reviewed by
-- close is "submitted_not_reviewed", not "not_accepted"; a declared nil
-- report is "nil_report". Earlier cycles keep the states they were given.
ALTER TABLE obligations DROP CONSTRAINT obligations_status_check;
ALTER TABLE obligations ADD CONSTRAINT obligations_status_check
    CHECK (status IN ('pending', 'notified', 'submitted', 'under_review', 'returned', 'accepted', 'overdue',
                      'on_time', 'late', 'missing', 'not_accepted', 'submitted_not_reviewed', 'nil_report'));
ALTER TABLE obligations DROP CONSTRAINT obligations_check2;
ALTER TABLE obligations ADD CONSTRAINT obligations_final_check
    CHECK ((status IN ('on_time', 'late', 'missing', 'not_accepted', 'submitted_not_reviewed', 'nil_report'))
           = (finalized_at IS NOT NULL));

-- Timeliness per regime (reporting.Timeliness): the version that judges on
-- time. Existing regimes keep the first version, so nothing changes for
-- them; new ones default to the version finally accepted. A cycle freezes
-- its regime's rule at launch.
ALTER TABLE regimes ADD COLUMN timeliness text NOT NULL DEFAULT 'first_version'
    CHECK (timeliness IN ('first_version', 'accepted_version'));
ALTER TABLE regimes ALTER COLUMN timeliness SET DEFAULT 'accepted_version';
ALTER TABLE cycles ADD COLUMN timeliness text NOT NULL DEFAULT 'first_version'
    CHECK (timeliness IN ('first_version', 'accepted_version'));

-- An indicator may roll up as a mean weighted by another indicator of its
-- template ("weighted_mean:GRDP").
ALTER TABLE indicators DROP CONSTRAINT indicators_aggregation_check;
ALTER TABLE indicators ADD CONSTRAINT indicators_aggregation_check
    CHECK (aggregation IN ('sum', 'avg', 'min', 'max', 'none') OR aggregation ~ '^weighted_mean:[A-Z][A-Z0-9_]{0,31}$');

-- Every stored aggregate carries its coverage: contributors of expected
-- (NULL for figures stored before it was kept).
ALTER TABLE cycle_aggregates ADD COLUMN expected int CHECK (expected >= contributors);

-- Stored compliance counts the new final states, what is on time by the
-- regime's rule (timely), DHIS2's "submitted on time", the review backlog
-- and the versions before acceptance. Earlier rows: timely is on_time, the
-- figure their on-time rate was computed from.
ALTER TABLE cycle_compliance
    ADD COLUMN submitted_not_reviewed int NOT NULL DEFAULT 0 CHECK (submitted_not_reviewed >= 0),
    ADD COLUMN nil_report int NOT NULL DEFAULT 0 CHECK (nil_report >= 0),
    ADD COLUMN timely int NOT NULL DEFAULT 0 CHECK (timely >= 0),
    ADD COLUMN submitted_on_time int NOT NULL DEFAULT 0 CHECK (submitted_on_time >= 0),
    ADD COLUMN review_backlog int NOT NULL DEFAULT 0 CHECK (review_backlog >= 0),
    ADD COLUMN versions_before_acceptance int NOT NULL DEFAULT 0 CHECK (versions_before_acceptance >= 0),
    ADD COLUMN submitted_on_time_rate numeric(5, 2) NOT NULL DEFAULT 0;
UPDATE cycle_compliance SET timely = on_time;
ALTER TABLE cycle_compliance DROP CONSTRAINT cycle_compliance_check;
ALTER TABLE cycle_compliance DROP CONSTRAINT cycle_compliance_check1;
ALTER TABLE cycle_compliance ADD CONSTRAINT cycle_compliance_states_check
    CHECK (on_time + late + missing + not_accepted + submitted_not_reviewed + nil_report = expected);
ALTER TABLE cycle_compliance ADD CONSTRAINT cycle_compliance_submitted_sum_check
    CHECK (submitted = on_time + late + not_accepted + submitted_not_reviewed + nil_report);

-- +goose Down
ALTER TABLE cycle_compliance DROP CONSTRAINT cycle_compliance_submitted_sum_check;
ALTER TABLE cycle_compliance DROP CONSTRAINT cycle_compliance_states_check;
UPDATE cycle_compliance SET not_accepted = not_accepted + submitted_not_reviewed, missing = missing + nil_report,
                            submitted = submitted - nil_report;
ALTER TABLE cycle_compliance
    DROP COLUMN submitted_not_reviewed, DROP COLUMN nil_report, DROP COLUMN timely, DROP COLUMN submitted_on_time,
    DROP COLUMN review_backlog, DROP COLUMN versions_before_acceptance, DROP COLUMN submitted_on_time_rate;
ALTER TABLE cycle_compliance ADD CONSTRAINT cycle_compliance_check CHECK (on_time + late + missing + not_accepted = expected);
ALTER TABLE cycle_compliance ADD CONSTRAINT cycle_compliance_check1 CHECK (submitted = on_time + late + not_accepted);
ALTER TABLE cycle_aggregates DROP COLUMN expected;
UPDATE indicators SET aggregation = 'avg' WHERE aggregation LIKE 'weighted_mean:%';
ALTER TABLE indicators DROP CONSTRAINT indicators_aggregation_check;
ALTER TABLE indicators ADD CONSTRAINT indicators_aggregation_check CHECK (aggregation IN ('sum', 'avg', 'min', 'max', 'none'));
ALTER TABLE cycles DROP COLUMN timeliness;
ALTER TABLE regimes DROP COLUMN timeliness;
UPDATE obligations SET status = 'not_accepted' WHERE status = 'submitted_not_reviewed';
UPDATE obligations SET status = 'missing' WHERE status = 'nil_report';
ALTER TABLE obligations DROP CONSTRAINT obligations_final_check;
ALTER TABLE obligations ADD CONSTRAINT obligations_check2
    CHECK ((status IN ('on_time', 'late', 'missing', 'not_accepted')) = (finalized_at IS NOT NULL));
ALTER TABLE obligations DROP CONSTRAINT obligations_status_check;
ALTER TABLE obligations ADD CONSTRAINT obligations_status_check
    CHECK (status IN ('pending', 'notified', 'submitted', 'under_review', 'returned', 'accepted', 'overdue',
                      'on_time', 'late', 'missing', 'not_accepted'));
