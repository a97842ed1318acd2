-- Accounts, AI agents with versions, shares and sealed secrets, calls, idempotency keys.
-- Timestamps are Unix milliseconds; JSON documents are TEXT.

CREATE TABLE partners (
    id BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE companies (
    id BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    partner_id BIGINT REFERENCES partners (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX companies_partner ON companies (partner_id);

CREATE TABLE users (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    email TEXT NOT NULL UNIQUE,
    first_name TEXT,
    last_name TEXT,
    is_admin BOOLEAN NOT NULL,
    partner_api_enabled BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX users_company ON users (company_id);

CREATE TABLE api_keys (
    id BIGINT PRIMARY KEY,
    user_id BIGINT REFERENCES users (id),
    partner_id BIGINT REFERENCES partners (id),
    hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    CHECK ((user_id IS NULL) <> (partner_id IS NULL))
);

CREATE TABLE ai_agents (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    owner_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    settings TEXT NOT NULL,
    phone_numbers TEXT NOT NULL,
    metadata TEXT NOT NULL,
    extra TEXT NOT NULL,
    revision BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX ai_agents_owner ON ai_agents (owner_id, created_at, id);

CREATE TABLE ai_agent_versions (
    id BIGINT PRIMARY KEY,
    agent_id BIGINT NOT NULL REFERENCES ai_agents (id) ON DELETE CASCADE,
    number BIGINT NOT NULL,
    action TEXT NOT NULL,
    commit_message TEXT,
    updates TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    author_id BIGINT NOT NULL,
    author_name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (agent_id, number)
);

CREATE TABLE ai_agent_shares (
    agent_id BIGINT NOT NULL REFERENCES ai_agents (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    rights TEXT NOT NULL,
    shared_by BIGINT NOT NULL,
    shared_at BIGINT NOT NULL,
    PRIMARY KEY (agent_id, user_id)
);
CREATE INDEX ai_agent_shares_user ON ai_agent_shares (user_id);

CREATE TABLE secrets (
    purpose TEXT NOT NULL,
    owner TEXT NOT NULL,
    key_id TEXT NOT NULL,
    ciphertext TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (purpose, owner)
);

CREATE TABLE calls (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    ai_agent_id BIGINT,
    direction TEXT NOT NULL,
    status TEXT NOT NULL,
    from_number TEXT NOT NULL,
    to_number TEXT NOT NULL,
    campaign_id TEXT,
    conversation_id TEXT,
    contact_id TEXT,
    is_web_call BOOLEAN NOT NULL,
    duration_secs BIGINT,
    started_at BIGINT NOT NULL
);
CREATE INDEX calls_company_started ON calls (company_id, started_at);
CREATE INDEX calls_agent_started ON calls (ai_agent_id, started_at);
CREATE INDEX calls_agent_from ON calls (ai_agent_id, from_number);
CREATE INDEX calls_agent_to ON calls (ai_agent_id, to_number);
CREATE INDEX calls_agent_status ON calls (ai_agent_id, status, direction);
CREATE INDEX calls_agent_campaign ON calls (ai_agent_id, campaign_id);
CREATE INDEX calls_agent_conversation ON calls (ai_agent_id, conversation_id);

CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER,
    content_type TEXT,
    body BYTEA,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
