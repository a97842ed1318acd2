-- Dialpad rooms and the PINs for international calls from room phones (a keyed hash, never
-- the PIN); users' devices; coaching teams and their members; channels and their members.
-- Each list's index serves its filter and its keyset order on id.

CREATE TABLE rooms (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    office_id BIGINT NOT NULL REFERENCES offices (id),
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX rooms_company ON rooms (company_id, id);
CREATE INDEX rooms_office ON rooms (office_id, id);

CREATE TABLE room_international_pins (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    customer_ref TEXT,
    pin_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX room_international_pins_hash ON room_international_pins (company_id, pin_hash);

CREATE TABLE user_devices (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    display_name TEXT,
    phone_number TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX user_devices_company ON user_devices (company_id, id);
CREATE INDEX user_devices_user ON user_devices (company_id, user_id, id);

CREATE TABLE coaching_teams (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    office_id BIGINT NOT NULL REFERENCES offices (id),
    name TEXT NOT NULL,
    description TEXT,
    allow_trainee_eavesdrop BOOLEAN NOT NULL,
    ring_seconds INTEGER NOT NULL,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX coaching_teams_company ON coaching_teams (company_id, id);
CREATE INDEX coaching_teams_office ON coaching_teams (office_id, id);

-- The primary key serves a team's member pages (team, then user id).
CREATE TABLE coaching_members (
    team_id BIGINT NOT NULL REFERENCES coaching_teams (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    company_id BIGINT NOT NULL REFERENCES companies (id),
    role TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX coaching_members_user ON coaching_members (user_id);

CREATE TABLE channels (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    description TEXT NOT NULL,
    privacy TEXT NOT NULL,
    owner_id BIGINT REFERENCES users (id),
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX channels_name ON channels (company_id, name_key);
CREATE INDEX channels_company ON channels (company_id, id);
CREATE INDEX channels_company_state ON channels (company_id, state, id);

CREATE TABLE channel_members (
    channel_id BIGINT NOT NULL REFERENCES channels (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    company_id BIGINT NOT NULL REFERENCES companies (id),
    added_at BIGINT NOT NULL,
    PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX channel_members_user ON channel_members (user_id);
