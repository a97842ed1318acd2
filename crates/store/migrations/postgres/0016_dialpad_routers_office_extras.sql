-- Call routers (Dialpad): a customer's URL that decides where inbound calls go, with a default
-- target for when it cannot. The signing secret is not here: it is sealed in `secrets`
-- (purpose `call_router_signing`, owner the router's id); `signed` says whether there is one.
-- Offices' main-line operators. And how many of an office's users hold each licence (users
-- without one under ''), kept by triggers on every write of a user's office, state or
-- directory fields, so that an office's plan does not count its users; deleted users do not
-- count.

CREATE TABLE call_routers (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    office_id BIGINT NOT NULL REFERENCES offices (id),
    name TEXT NOT NULL,
    routing_url TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    enabled BOOLEAN NOT NULL,
    signed BOOLEAN NOT NULL,
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
SELECT office_id, COALESCE(directory::jsonb ->> 'license', ''), COUNT(*)
FROM users WHERE office_id IS NOT NULL AND state <> 'deleted'
GROUP BY office_id, COALESCE(directory::jsonb ->> 'license', '');

-- Rows inserted in one statement are counted together (a bulk insert touches each counter row
-- once); an update or delete moves a count only when the office, the deleted state or the
-- licence changed, so ordinary directory writes never touch the shared counter row.
CREATE FUNCTION count_inserted_licenses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO office_license_counts (office_id, license, users)
    SELECT office_id, COALESCE(directory::jsonb ->> 'license', ''), COUNT(*)
    FROM inserted WHERE office_id IS NOT NULL AND state <> 'deleted'
    GROUP BY office_id, COALESCE(directory::jsonb ->> 'license', '')
    ON CONFLICT (office_id, license)
    DO UPDATE SET users = office_license_counts.users + EXCLUDED.users;
    RETURN NULL;
END
$$;
CREATE TRIGGER users_license_count_insert
AFTER INSERT ON users REFERENCING NEW TABLE AS inserted
FOR EACH STATEMENT EXECUTE FUNCTION count_inserted_licenses();

CREATE FUNCTION count_office_licenses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.office_id IS NOT DISTINCT FROM NEW.office_id
       AND (OLD.state = 'deleted') = (NEW.state = 'deleted')
       AND COALESCE(OLD.directory::jsonb ->> 'license', '')
           = COALESCE(NEW.directory::jsonb ->> 'license', '') THEN
        RETURN NULL;
    END IF;
    IF OLD.office_id IS NOT NULL AND OLD.state <> 'deleted' THEN
        UPDATE office_license_counts SET users = users - 1
        WHERE office_id = OLD.office_id
          AND license = COALESCE(OLD.directory::jsonb ->> 'license', '');
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.office_id IS NOT NULL AND NEW.state <> 'deleted' THEN
        INSERT INTO office_license_counts (office_id, license, users)
        VALUES (NEW.office_id, COALESCE(NEW.directory::jsonb ->> 'license', ''), 1)
        ON CONFLICT (office_id, license)
        DO UPDATE SET users = office_license_counts.users + 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER users_license_count
AFTER DELETE OR UPDATE OF office_id, state, directory ON users
FOR EACH ROW EXECUTE FUNCTION count_office_licenses();
