-- The company directory: offices (every company has one main office, made with the company and
-- back-filled here for existing ones), each user's office, state and directory fields, and API
-- keys that act for a whole company. JSON documents are TEXT.

CREATE TABLE offices (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    name TEXT NOT NULL,
    is_primary BOOLEAN NOT NULL,
    state TEXT NOT NULL,
    country TEXT NOT NULL,
    timezone TEXT NOT NULL,
    e911_address TEXT,
    settings TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX offices_company ON offices (company_id, id);
CREATE UNIQUE INDEX offices_main ON offices (company_id) WHERE is_primary;

INSERT INTO offices (id, company_id, name, is_primary, state, country, timezone, e911_address,
                     settings, created_at, updated_at)
SELECT 1000000000000000 + floor(random() * 8007199254740991)::BIGINT, id, name, TRUE, 'active', 'us',
       'America/New_York', NULL, '{}', created_at, created_at
FROM companies;

ALTER TABLE users ADD COLUMN office_id BIGINT REFERENCES offices (id);
ALTER TABLE users ADD COLUMN state TEXT NOT NULL DEFAULT 'active';
ALTER TABLE users ADD COLUMN directory TEXT NOT NULL DEFAULT '{}';
UPDATE users SET office_id = (
    SELECT o.id FROM offices o WHERE o.company_id = users.company_id AND o.is_primary
);
CREATE INDEX users_company_key ON users (company_id, id);
CREATE INDEX users_company_state ON users (company_id, state, id);
CREATE INDEX users_office ON users (office_id, id);

-- A key now belongs to exactly one of a user, a partner or a company.
ALTER TABLE api_keys ADD COLUMN company_id BIGINT REFERENCES companies (id);
ALTER TABLE api_keys DROP CONSTRAINT api_keys_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_one_owner
    CHECK (num_nonnulls(user_id, partner_id, company_id) = 1);
