-- Groups of operators (Dialpad call centers and departments): the settings the routing engine
-- reads (hours, holidays, routing, hold queue, ring and wrap-up seconds) as one typed document,
-- and the dialect's other settings as another. Operators with role and skill level; each
-- operator's duty status. JSON documents are TEXT.

CREATE TABLE call_groups (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    office_id BIGINT NOT NULL REFERENCES offices (id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    description TEXT,
    state TEXT NOT NULL,
    settings TEXT NOT NULL,
    document TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX call_groups_company ON call_groups (company_id, kind, id);
CREATE INDEX call_groups_office ON call_groups (office_id, kind, id);

CREATE TABLE group_operators (
    group_id BIGINT NOT NULL REFERENCES call_groups (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    company_id BIGINT NOT NULL REFERENCES companies (id),
    group_kind TEXT NOT NULL,
    role TEXT NOT NULL,
    skill_level INTEGER NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_operators_order ON group_operators (group_id, added_at, user_id);
CREATE INDEX group_operators_user ON group_operators (user_id, group_kind);

CREATE TABLE operator_duty (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    company_id BIGINT NOT NULL REFERENCES companies (id),
    on_duty BOOLEAN NOT NULL,
    state TEXT NOT NULL,
    reason TEXT,
    on_duty_started BIGINT NOT NULL,
    state_started BIGINT NOT NULL
);
