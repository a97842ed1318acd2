-- OAuth2: the apps a company registers for its users, the authorization codes of the code
-- flow (with their PKCE challenge) and the access and refresh tokens issued from them. The
-- client secret, codes and tokens are stored as SHA-256 hashes only. A grant is one code and
-- every token issued from it (refreshes keep the grant), so a replay can revoke them together.

CREATE TABLE oauth_apps (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    name TEXT NOT NULL,
    client_id TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    redirect_uris TEXT NOT NULL,
    settings TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX oauth_apps_company ON oauth_apps (company_id, id);

CREATE TABLE oauth_codes (
    hash TEXT PRIMARY KEY,
    grant_id BIGINT NOT NULL,
    app_id BIGINT NOT NULL REFERENCES oauth_apps (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    redirect_uri TEXT NOT NULL,
    scopes TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX oauth_codes_app ON oauth_codes (app_id);
CREATE INDEX oauth_codes_expiry ON oauth_codes (expires_at);

CREATE TABLE oauth_tokens (
    hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    grant_id BIGINT NOT NULL,
    app_id BIGINT NOT NULL REFERENCES oauth_apps (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    company_id BIGINT NOT NULL REFERENCES companies (id),
    scopes TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX oauth_tokens_grant ON oauth_tokens (grant_id);
CREATE INDEX oauth_tokens_user_app ON oauth_tokens (user_id, app_id);
CREATE INDEX oauth_tokens_app ON oauth_tokens (app_id);
CREATE INDEX oauth_tokens_expiry ON oauth_tokens (expires_at);
