-- 360dialog partner and client fields, company status, and the event outbox with its deliveries.
-- Flags are INTEGER 0/1 here (BOOLEAN on PostgreSQL).

ALTER TABLE partners ADD COLUMN logo_url TEXT;
ALTER TABLE partners ADD COLUMN webhook_url TEXT;
ALTER TABLE partners ADD COLUMN partner_redirect_url TEXT;
ALTER TABLE partners ADD COLUMN country TEXT;
ALTER TABLE partners ADD COLUMN allow_client_to_add_phone_no INTEGER NOT NULL DEFAULT 1;
ALTER TABLE partners ADD COLUMN settings TEXT;
ALTER TABLE partners ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;

ALTER TABLE companies ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
ALTER TABLE companies ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;

-- What a partner knows about a client company beyond the company itself; one row per client.
CREATE TABLE client_profiles (
    company_id BIGINT PRIMARY KEY REFERENCES companies (id),
    max_channels BIGINT NOT NULL,
    suspicious INTEGER NOT NULL,
    organisation TEXT,
    partner_payload TEXT,
    meta_info_business_vertical TEXT,
    meta_info_timezone TEXT,
    meta_info_about TEXT,
    meta_info_business_description TEXT,
    meta_info_use_case TEXT,
    contact_info_webpage_url TEXT,
    contact_info_phone TEXT,
    contact_info_language TEXT,
    contact_info_country TEXT,
    contact_info_street_name TEXT,
    contact_info_city TEXT,
    contact_info_email TEXT,
    contact_info_full_name TEXT,
    contact_info_zip_code TEXT,
    contact_user_phone TEXT,
    contact_user_email TEXT,
    contact_user_name TEXT,
    created_by TEXT,
    modified_by TEXT
);

-- The outbox: written in the same transaction as the change it reports.
CREATE TABLE events (
    id BIGINT PRIMARY KEY,
    kind TEXT NOT NULL,
    partner_id BIGINT,
    company_id BIGINT,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    dispatched_at BIGINT
);
CREATE INDEX events_undispatched ON events (dispatched_at, created_at);

-- One event to one destination; its id is the `webhook-id` on every attempt.
CREATE TABLE deliveries (
    id BIGINT PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events (id),
    partner_id BIGINT,
    url TEXT NOT NULL,
    signing_owner TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_partner ON deliveries (partner_id, created_at);

CREATE TABLE delivery_attempts (
    id BIGINT PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES deliveries (id),
    attempted_at BIGINT NOT NULL,
    status_code BIGINT,
    error TEXT,
    duration_ms BIGINT NOT NULL
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, attempted_at);
