-- Bird collaboration data: each user's agent profile and presence, teams and their members,
-- skills and their assignment, capacity rules and their agents, open work items per agent, and
-- uploaded media. Timestamps are Unix milliseconds; JSON documents are TEXT.
-- Flags are BOOLEAN here (INTEGER 0/1 on SQLite).

CREATE TABLE agent_profiles (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    display_name TEXT,
    bio TEXT,
    avatar_url TEXT,
    wrap_up_time BIGINT NOT NULL,
    timezone TEXT,
    default_country_code TEXT,
    default_caller_id TEXT,
    transcription_locale TEXT,
    default_sender_id TEXT,
    out_of_office_response TEXT,
    forward_number TEXT,
    weekly_schedule TEXT,
    holidays TEXT NOT NULL,
    role_ids TEXT NOT NULL,
    drop_vms TEXT NOT NULL,
    removed BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE user_presence (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    status TEXT NOT NULL,
    status_before_offline TEXT,
    activity TEXT NOT NULL,
    activity_text TEXT,
    activity_ttl BIGINT,
    activity_expires_at BIGINT,
    last_status_set BIGINT,
    last_activity_set BIGINT,
    last_set_to_away_at BIGINT,
    updated_at BIGINT NOT NULL
);

CREATE TABLE teams (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    visibility TEXT NOT NULL,
    accessibility TEXT NOT NULL,
    hide_from_views BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX teams_company ON teams (company_id, name, id);

CREATE TABLE team_members (
    team_id BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

CREATE TABLE skills (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    value_type TEXT NOT NULL,
    skill_values TEXT NOT NULL,
    created_by BIGINT NOT NULL,
    updated_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (company_id, name)
);

CREATE TABLE agent_skills (
    user_id BIGINT NOT NULL REFERENCES users (id),
    skill_id BIGINT NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    selected_value_ids TEXT NOT NULL,
    PRIMARY KEY (user_id, skill_id)
);

CREATE TABLE capacity_rules (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    is_default BOOLEAN NOT NULL,
    messaging BIGINT NOT NULL,
    email BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX capacity_rules_company ON capacity_rules (company_id, created_at, id);

-- An agent follows at most one rule.
CREATE TABLE capacity_rule_agents (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    rule_id BIGINT NOT NULL REFERENCES capacity_rules (id) ON DELETE CASCADE
);
CREATE INDEX capacity_rule_agents_rule ON capacity_rule_agents (rule_id);

-- Work items (conversations, emails) assigned to an agent; open while closed_at is NULL.
CREATE TABLE agent_work_items (
    id BIGINT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    channel TEXT NOT NULL,
    opened_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX agent_work_items_user ON agent_work_items (user_id, closed_at);

-- Uploaded files; `data` holds the bytes when they live in the database.
CREATE TABLE media_files (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    content_type TEXT,
    size BIGINT,
    data BYTEA,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    uploaded_at BIGINT
);
CREATE INDEX media_files_user ON media_files (user_id);

-- A company has at most one default capacity rule.
CREATE UNIQUE INDEX capacity_rules_one_default ON capacity_rules (company_id) WHERE is_default;
