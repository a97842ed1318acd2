-- What each company has used, for its partner's view of its clients: calls (entry legs),
-- talk time (their `duration_secs`, set when a call ends or imported with it) and AI agents.
-- Kept current by triggers on the writes that change them, so a page of clients reads one
-- row per client instead of counting a company's calls.
CREATE TABLE company_usage (
    company_id BIGINT PRIMARY KEY,
    calls BIGINT NOT NULL DEFAULT 0,
    talk_seconds BIGINT NOT NULL DEFAULT 0,
    ai_agents BIGINT NOT NULL DEFAULT 0
);

INSERT INTO company_usage (company_id, calls, talk_seconds)
SELECT company_id, COUNT(*), COALESCE(SUM(duration_secs), 0) FROM calls
WHERE entry_point_call_id IS NULL GROUP BY company_id;
INSERT INTO company_usage (company_id, ai_agents)
SELECT company_id, COUNT(*) FROM ai_agents GROUP BY company_id
ON CONFLICT (company_id) DO UPDATE SET ai_agents = excluded.ai_agents;

CREATE FUNCTION count_call_usage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.entry_point_call_id IS NULL THEN
            INSERT INTO company_usage (company_id, calls, talk_seconds)
            VALUES (NEW.company_id, 1, COALESCE(NEW.duration_secs, 0))
            ON CONFLICT (company_id) DO UPDATE
            SET calls = company_usage.calls + 1,
                talk_seconds = company_usage.talk_seconds + excluded.talk_seconds;
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        IF OLD.entry_point_call_id IS NULL THEN
            UPDATE company_usage
            SET calls = calls - 1, talk_seconds = talk_seconds - COALESCE(OLD.duration_secs, 0)
            WHERE company_id = OLD.company_id;
        END IF;
    -- Once per call: when it ends (the talk time changes), not on every state change.
    ELSIF NEW.entry_point_call_id IS NULL
        AND COALESCE(NEW.duration_secs, 0) <> COALESCE(OLD.duration_secs, 0) THEN
        UPDATE company_usage
        SET talk_seconds = talk_seconds + COALESCE(NEW.duration_secs, 0) - COALESCE(OLD.duration_secs, 0)
        WHERE company_id = NEW.company_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER calls_usage AFTER INSERT OR DELETE OR UPDATE OF duration_secs ON calls
FOR EACH ROW EXECUTE FUNCTION count_call_usage();

CREATE FUNCTION count_ai_agent_usage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO company_usage (company_id, ai_agents) VALUES (NEW.company_id, 1)
        ON CONFLICT (company_id) DO UPDATE SET ai_agents = company_usage.ai_agents + 1;
    ELSE
        UPDATE company_usage SET ai_agents = ai_agents - 1 WHERE company_id = OLD.company_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER ai_agents_usage AFTER INSERT OR DELETE ON ai_agents
FOR EACH ROW EXECUTE FUNCTION count_ai_agent_usage();
