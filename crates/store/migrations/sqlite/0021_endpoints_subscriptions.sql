-- Event endpoints (webhooks and websockets), the subscriptions that send a company's events to
-- them, the frames sent on websockets (numbered per endpoint, so that a client resumes after
-- the last it saw), and the retry schedule of each delivery. Flags are INTEGER 0/1 on SQLite
-- (BOOLEAN on PostgreSQL).

CREATE TABLE endpoints (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    hook_url TEXT,
    has_secret INTEGER NOT NULL,
    frame_seq BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX endpoints_company ON endpoints (company_id, kind, id);

CREATE TABLE event_subscriptions (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    endpoint_id BIGINT NOT NULL,
    enabled INTEGER NOT NULL,
    target_kind TEXT,
    target_id BIGINT,
    filter TEXT NOT NULL,
    scopes TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX event_subscriptions_company ON event_subscriptions (company_id, kind, id);
CREATE INDEX event_subscriptions_endpoint ON event_subscriptions (endpoint_id);

CREATE TABLE websocket_frames (
    endpoint_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    subscription_id BIGINT NOT NULL,
    event_id BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (endpoint_id, seq)
);
CREATE INDEX websocket_frames_created ON websocket_frames (created_at);
CREATE INDEX websocket_frames_event ON websocket_frames (endpoint_id, event_id);

ALTER TABLE deliveries ADD COLUMN retry_schedule TEXT NOT NULL DEFAULT 'standard';
