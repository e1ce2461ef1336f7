-- +goose Up
-- Office hours, the shared holiday calendar and the deadline rules of real
-- regimes (issue 9).
--
-- A regime's reminders and escalations counted in days go out at its send
-- time on a working day. Existing regimes get 08:00; midnight is refused,
-- being the instant this setting exists to avoid.
ALTER TABLE regimes ADD COLUMN send_time time NOT NULL DEFAULT '08:00' CHECK (send_time > '00:00');
-- A regime whose figures are estimates (số liệu ước tính) may be due before
-- its cut-off; its reports say so.
ALTER TABLE regimes ADD COLUMN estimates boolean NOT NULL DEFAULT false;
-- How a regime cuts its periods: Decree 09's windows or calendar months.
ALTER TABLE regimes ADD COLUMN windows text NOT NULL DEFAULT 'decree09' CHECK (windows IN ('decree09', 'calendar'));
-- date:MM-DD and date:+1y:MM-DD join day:N, days:N and workdays:N.
ALTER TABLE regimes DROP CONSTRAINT regimes_deadline_rule_check;
ALTER TABLE regimes ADD CONSTRAINT regimes_deadline_rule_check
    CHECK (deadline_rule ~ '^((day|days|workdays):[0-9]{1,3}|date:(\+1y:)?[0-9]{2}-[0-9]{2})$');
-- regimes.holidays stays: a regime's own days off on top of the shared
-- calendar (before it, each regime listed its holidays there).

-- A cycle of a regime of estimates may be due before its cut-off.
ALTER TABLE cycles ADD COLUMN estimates boolean NOT NULL DEFAULT false;
ALTER TABLE cycles DROP CONSTRAINT cycles_check1;
ALTER TABLE cycles ADD CONSTRAINT cycles_due_check
    CHECK ((estimates OR cut_off_at <= due_at) AND due_at <= close_at);

-- The shared working-day calendar, one per year: public holidays and days
-- off on weekdays ('holiday'), and weekend days worked in exchange, the
-- make-up days announced with Tết ('working'). A day not listed is a
-- working day from Monday to Friday.
CREATE TABLE holiday_calendars (
    year       int PRIMARY KEY CHECK (year BETWEEN 1000 AND 9999),
    source     text NOT NULL DEFAULT '',
    updated_by bigint REFERENCES users (id),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE calendar_days (
    day     date PRIMARY KEY,
    year    int NOT NULL REFERENCES holiday_calendars (year) ON DELETE CASCADE,
    kind    text NOT NULL CHECK (kind IN ('holiday', 'working')),
    name_vi text NOT NULL DEFAULT '',
    name_en text NOT NULL DEFAULT '',
    CHECK (extract(year FROM day) = year),
    CHECK (kind = 'holiday' OR extract(isodow FROM day) IN (6, 7))
);
CREATE INDEX calendar_days_year_idx ON calendar_days (year);

-- +goose Down
DROP TABLE calendar_days, holiday_calendars;
ALTER TABLE cycles DROP CONSTRAINT cycles_due_check;
ALTER TABLE cycles ADD CONSTRAINT cycles_check1 CHECK (cut_off_at <= due_at AND due_at <= close_at);
ALTER TABLE cycles DROP COLUMN estimates;
UPDATE regimes SET deadline_rule = 'days:0' WHERE deadline_rule LIKE 'date:%';
ALTER TABLE regimes DROP CONSTRAINT regimes_deadline_rule_check;
ALTER TABLE regimes ADD CONSTRAINT regimes_deadline_rule_check CHECK (deadline_rule ~ '^(day|days|workdays):[0-9]{1,3}$');
ALTER TABLE regimes DROP COLUMN windows, DROP COLUMN estimates, DROP COLUMN send_time;
