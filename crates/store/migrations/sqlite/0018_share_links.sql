-- Share links to a call's recording or review: a random text id (the link), the call, the
-- recording's id and type for recording links, who may open it, and who made it.

CREATE TABLE share_links (
    id TEXT PRIMARY KEY,
    company_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    call_id BIGINT NOT NULL,
    item_id TEXT,
    item_type TEXT,
    privacy TEXT NOT NULL,
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX share_links_company_call ON share_links (company_id, call_id);
