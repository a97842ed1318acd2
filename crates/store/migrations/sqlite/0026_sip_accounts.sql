-- SIP: the accounts that users' phones register with (their passwords are sealed in `secrets`),
-- and what a registration adds to a user's device: the account, the binding's key (the
-- device's instance id, or its contact), where to reach it and until when.
CREATE TABLE sip_accounts (
    username TEXT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX sip_accounts_user ON sip_accounts (company_id, user_id);

ALTER TABLE user_devices ADD COLUMN sip_username TEXT;
ALTER TABLE user_devices ADD COLUMN sip_key TEXT;
ALTER TABLE user_devices ADD COLUMN sip_contact TEXT;
ALTER TABLE user_devices ADD COLUMN app_version TEXT;
ALTER TABLE user_devices ADD COLUMN registered_at BIGINT;
ALTER TABLE user_devices ADD COLUMN expires_at BIGINT;
CREATE UNIQUE INDEX user_devices_sip ON user_devices (sip_username, sip_key)
    WHERE sip_username IS NOT NULL;
CREATE INDEX user_devices_ringing ON user_devices (company_id, user_id, expires_at)
    WHERE sip_username IS NOT NULL;
