-- Call routers (Dialpad): a customer's URL that decides where inbound calls go, with a default
-- target for when it cannot. The signing secret is not here: it is sealed in `secrets`
-- (purpose `call_router_signing`, owner the router's id); `signed` says whether there is one.
-- Offices' main-line operators. And how many of an office's users hold each licence (users
-- without one under ''), kept by triggers on every write of a user's office, state or
-- directory fields, so that an office's plan does not count its users; deleted users do not
-- count. Flags are INTEGER 0/1 here (BOOLEAN on PostgreSQL).

CREATE TABLE call_routers (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    office_id BIGINT NOT NULL REFERENCES offices (id),
    name TEXT NOT NULL,
    routing_url TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    enabled INTEGER NOT NULL,
    signed INTEGER NOT NULL,
    error_count INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX call_routers_company ON call_routers (company_id, id);
CREATE INDEX call_routers_office ON call_routers (office_id, id);

CREATE TABLE office_operators (
    office_id BIGINT NOT NULL REFERENCES offices (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    company_id BIGINT NOT NULL REFERENCES companies (id),
    role TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (office_id, user_id)
);
CREATE INDEX office_operators_order ON office_operators (office_id, added_at, user_id);
CREATE INDEX office_operators_user ON office_operators (user_id);

CREATE TABLE office_license_counts (
    office_id BIGINT NOT NULL,
    license TEXT NOT NULL,
    users BIGINT NOT NULL,
    PRIMARY KEY (office_id, license)
);

INSERT INTO office_license_counts (office_id, license, users)
SELECT office_id, COALESCE(json_extract(directory, '$.license'), ''), COUNT(*)
FROM users WHERE office_id IS NOT NULL AND state <> 'deleted'
GROUP BY office_id, COALESCE(json_extract(directory, '$.license'), '');

CREATE TRIGGER users_license_count_insert AFTER INSERT ON users
WHEN NEW.office_id IS NOT NULL AND NEW.state <> 'deleted'
BEGIN
    INSERT INTO office_license_counts (office_id, license, users)
    VALUES (NEW.office_id, COALESCE(json_extract(NEW.directory, '$.license'), ''), 1)
    ON CONFLICT (office_id, license) DO UPDATE SET users = users + 1;
END;
CREATE TRIGGER users_license_count_delete AFTER DELETE ON users
WHEN OLD.office_id IS NOT NULL AND OLD.state <> 'deleted'
BEGIN
    UPDATE office_license_counts SET users = users - 1
    WHERE office_id = OLD.office_id
      AND license = COALESCE(json_extract(OLD.directory, '$.license'), '');
END;
-- Only when the office, the deleted state or the licence changed: ordinary directory writes
-- leave the counters alone.
CREATE TRIGGER users_license_count_move AFTER UPDATE OF office_id, state, directory ON users
WHEN OLD.office_id IS NOT NEW.office_id
  OR (OLD.state = 'deleted') <> (NEW.state = 'deleted')
  OR COALESCE(json_extract(OLD.directory, '$.license'), '')
     <> COALESCE(json_extract(NEW.directory, '$.license'), '')
BEGIN
    UPDATE office_license_counts SET users = users - 1
    WHERE OLD.office_id IS NOT NULL AND OLD.state <> 'deleted'
      AND office_id = OLD.office_id
      AND license = COALESCE(json_extract(OLD.directory, '$.license'), '');
    INSERT INTO office_license_counts (office_id, license, users)
    SELECT NEW.office_id, COALESCE(json_extract(NEW.directory, '$.license'), ''), 1
    WHERE NEW.office_id IS NOT NULL AND NEW.state <> 'deleted'
    ON CONFLICT (office_id, license) DO UPDATE SET users = users + 1;
END;
