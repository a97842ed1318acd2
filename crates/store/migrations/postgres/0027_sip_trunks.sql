-- SIP trunks: the carriers that send calls for a company's numbers. `allow` is the address
-- ranges calls may come from (CIDR, comma-separated; empty: any); a digest password, when the
-- trunk has a username, is sealed in `secrets` under the trunk's id.
CREATE TABLE sip_trunks (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    name TEXT NOT NULL,
    allow TEXT NOT NULL,
    username TEXT,
    outbound_uri TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX sip_trunks_company ON sip_trunks (company_id, created_at, id);
