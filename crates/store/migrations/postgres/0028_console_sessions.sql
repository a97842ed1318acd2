-- Dashboard sessions: the SHA-256 of the session token (the browser's cookie) and the stored
-- digest of the API key that signed in; neither secret is kept.
CREATE TABLE console_sessions (
    token_hash TEXT PRIMARY KEY,
    key_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);
