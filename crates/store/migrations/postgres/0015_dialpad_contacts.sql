-- What a company keeps beside its directory (Dialpad): address-book contacts (shared, or local
-- to one user), blocked numbers, call labels, access-control policies with their assignments,
-- and custom IVRs, whose audio is a media file. Media files no longer need a user: a company's
-- own files (IVR audio written with a company key) have none. JSON documents are TEXT.

CREATE TABLE contacts (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    owner_id BIGINT REFERENCES users (id),
    uid TEXT,
    fields TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- Shared (owner_id IS NULL) and one user's contacts in id order; all of them by company_id, id.
CREATE INDEX contacts_owner ON contacts (company_id, owner_id, id);
CREATE INDEX contacts_company ON contacts (company_id, id);
CREATE UNIQUE INDEX contacts_uid ON contacts (company_id, uid);

CREATE TABLE blocked_numbers (
    company_id BIGINT NOT NULL REFERENCES companies (id),
    number TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, number)
);

CREATE TABLE call_labels (
    company_id BIGINT NOT NULL REFERENCES companies (id),
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (company_id, position)
);

CREATE TABLE access_policies (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    name TEXT NOT NULL,
    description TEXT,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    permissions TEXT NOT NULL,
    level TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX access_policies_company ON access_policies (company_id, id);

CREATE TABLE policy_assignments (
    policy_id BIGINT NOT NULL REFERENCES access_policies (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    target_type TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    assigned_at BIGINT NOT NULL,
    PRIMARY KEY (policy_id, user_id, target_type, target_id)
);
-- A deleted user loses every assignment.
CREATE INDEX policy_assignments_user ON policy_assignments (user_id);

CREATE TABLE custom_ivrs (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    target_type TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    ivr_type TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    media_id BIGINT NOT NULL REFERENCES media_files (id),
    selected BOOLEAN NOT NULL,
    select_option TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX custom_ivrs_target ON custom_ivrs (company_id, target_type, target_id, ivr_type, id);

ALTER TABLE media_files ALTER COLUMN user_id DROP NOT NULL;
