-- +goose Up
-- The reviewer role (issue 11): the office of a level in a multi-tier
-- regime (a province) reviews the reports of the agencies below it. Like an
-- officer or a supervisor, a reviewer belongs to an agency.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('staff', 'officer', 'supervisor', 'reviewer'));

-- +goose Down
-- A reviewer keeps seeing their subtree, as a supervisor.
UPDATE users SET role = 'supervisor' WHERE role = 'reviewer';
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('staff', 'officer', 'supervisor'));
