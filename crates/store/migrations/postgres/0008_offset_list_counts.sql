-- Totals of the offset-paged lists, kept by the writes that change them, so that a page does
-- not count its whole list: a partner's clients (360dialog `total`), an AI agent's calls
-- (Dialgood call logs `totalRecords`) and a partner's webhook deliveries. Triggers keep the
-- counters in the same transaction as every insert, delete and move of a row, whichever code
-- path (or pruning batch) writes it; the counters are back-filled from the rows that exist.
-- And the indexes that serve each list's order, ties broken by id.

CREATE TABLE partner_client_counts (
    partner_id BIGINT PRIMARY KEY,
    clients BIGINT NOT NULL
);
CREATE TABLE agent_call_counts (
    agent_id BIGINT PRIMARY KEY,
    calls BIGINT NOT NULL
);
CREATE TABLE partner_delivery_counts (
    partner_id BIGINT PRIMARY KEY,
    deliveries BIGINT NOT NULL
);

INSERT INTO partner_client_counts (partner_id, clients)
SELECT partner_id, COUNT(*) FROM companies WHERE partner_id IS NOT NULL GROUP BY partner_id;
INSERT INTO agent_call_counts (agent_id, calls)
SELECT ai_agent_id, COUNT(*) FROM calls WHERE ai_agent_id IS NOT NULL GROUP BY ai_agent_id;
INSERT INTO partner_delivery_counts (partner_id, deliveries)
SELECT partner_id, COUNT(*) FROM deliveries WHERE partner_id IS NOT NULL GROUP BY partner_id;

CREATE FUNCTION count_partner_clients() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.partner_id IS NOT DISTINCT FROM NEW.partner_id THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.partner_id IS NOT NULL THEN
        UPDATE partner_client_counts SET clients = clients - 1 WHERE partner_id = OLD.partner_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.partner_id IS NOT NULL THEN
        INSERT INTO partner_client_counts (partner_id, clients) VALUES (NEW.partner_id, 1)
        ON CONFLICT (partner_id) DO UPDATE SET clients = partner_client_counts.clients + 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER companies_count AFTER INSERT OR DELETE OR UPDATE OF partner_id ON companies
FOR EACH ROW EXECUTE FUNCTION count_partner_clients();

CREATE FUNCTION count_agent_calls() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.ai_agent_id IS NOT DISTINCT FROM NEW.ai_agent_id THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.ai_agent_id IS NOT NULL THEN
        UPDATE agent_call_counts SET calls = calls - 1 WHERE agent_id = OLD.ai_agent_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.ai_agent_id IS NOT NULL THEN
        INSERT INTO agent_call_counts (agent_id, calls) VALUES (NEW.ai_agent_id, 1)
        ON CONFLICT (agent_id) DO UPDATE SET calls = agent_call_counts.calls + 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER calls_count AFTER INSERT OR DELETE OR UPDATE OF ai_agent_id ON calls
FOR EACH ROW EXECUTE FUNCTION count_agent_calls();

CREATE FUNCTION count_partner_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.partner_id IS NOT DISTINCT FROM NEW.partner_id THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.partner_id IS NOT NULL THEN
        UPDATE partner_delivery_counts SET deliveries = deliveries - 1
        WHERE partner_id = OLD.partner_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.partner_id IS NOT NULL THEN
        INSERT INTO partner_delivery_counts (partner_id, deliveries) VALUES (NEW.partner_id, 1)
        ON CONFLICT (partner_id) DO UPDATE SET deliveries = partner_delivery_counts.deliveries + 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER deliveries_count AFTER INSERT OR DELETE OR UPDATE OF partner_id ON deliveries
FOR EACH ROW EXECUTE FUNCTION count_partner_deliveries();

CREATE INDEX companies_partner_created ON companies (partner_id, created_at, id);
CREATE INDEX companies_partner_updated ON companies (partner_id, updated_at, id);
CREATE INDEX companies_partner_name ON companies (partner_id, LOWER(name), id);
CREATE INDEX companies_partner_status ON companies (partner_id, status, id);
DROP INDEX companies_partner;
CREATE INDEX calls_agent_started_id ON calls (ai_agent_id, started_at, id);
DROP INDEX calls_agent_started;
CREATE INDEX deliveries_partner_created ON deliveries (partner_id, created_at, id);
DROP INDEX deliveries_partner;
