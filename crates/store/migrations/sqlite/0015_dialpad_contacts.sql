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

-- SQLite cannot drop a NOT NULL, so media_files is rebuilt (nothing refers to it yet).
CREATE TABLE media_files_new (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    user_id BIGINT REFERENCES users (id),
    kind TEXT NOT NULL,
    content_type TEXT,
    size BIGINT,
    data BLOB,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    uploaded_at BIGINT
);
INSERT INTO media_files_new SELECT id, company_id, user_id, kind, content_type, size, data,
    expires_at, created_at, uploaded_at FROM media_files;
DROP TABLE media_files;
ALTER TABLE media_files_new RENAME TO media_files;
CREATE INDEX media_files_user ON media_files (user_id);

CREATE TABLE custom_ivrs (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    target_type TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    ivr_type TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    media_id BIGINT NOT NULL REFERENCES media_files (id),
    selected INTEGER NOT NULL,
    select_option TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX custom_ivrs_target ON custom_ivrs (company_id, target_type, target_id, ivr_type, id);
