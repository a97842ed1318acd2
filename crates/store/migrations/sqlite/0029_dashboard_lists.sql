-- Lists the dashboard pages, each served by an index in the order it is shown (newest first).
--
-- Whose webhook a delivery goes to when it is a company's (Dialpad subscriptions, post-call
-- webhooks), so that a company's deliveries can be listed.
ALTER TABLE deliveries ADD COLUMN company_id BIGINT;
CREATE INDEX deliveries_company_created ON deliveries (company_id, created_at, id);
-- A company's calls by direction, by state, and by the outside party's number (the caller of
-- an inbound leg, the number dialled by an outbound one: the expression the filter uses).
CREATE INDEX calls_company_direction ON calls (company_id, direction, started_at, id);
CREATE INDEX calls_company_state ON calls (company_id, state, started_at, id);
CREATE INDEX calls_company_outside ON calls (company_id,
    (CASE WHEN direction = 'outbound' THEN to_number ELSE from_number END), started_at, id);
