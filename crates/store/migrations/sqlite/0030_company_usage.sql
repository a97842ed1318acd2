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
SELECT company_id, COUNT(*) FROM ai_agents WHERE 1 = 1 GROUP BY company_id
ON CONFLICT (company_id) DO UPDATE SET ai_agents = excluded.ai_agents;

CREATE TRIGGER calls_usage_insert AFTER INSERT ON calls
WHEN NEW.entry_point_call_id IS NULL
BEGIN
    INSERT INTO company_usage (company_id, calls, talk_seconds)
    VALUES (NEW.company_id, 1, COALESCE(NEW.duration_secs, 0))
    ON CONFLICT (company_id) DO UPDATE
    SET calls = calls + 1, talk_seconds = talk_seconds + excluded.talk_seconds;
END;

CREATE TRIGGER calls_usage_delete AFTER DELETE ON calls
WHEN OLD.entry_point_call_id IS NULL
BEGIN
    UPDATE company_usage
    SET calls = calls - 1, talk_seconds = talk_seconds - COALESCE(OLD.duration_secs, 0)
    WHERE company_id = OLD.company_id;
END;

-- Once per call: when it ends (the talk time changes), not on every state change.
CREATE TRIGGER calls_usage_talk AFTER UPDATE OF duration_secs ON calls
WHEN NEW.entry_point_call_id IS NULL
    AND COALESCE(NEW.duration_secs, 0) <> COALESCE(OLD.duration_secs, 0)
BEGIN
    UPDATE company_usage
    SET talk_seconds = talk_seconds + COALESCE(NEW.duration_secs, 0) - COALESCE(OLD.duration_secs, 0)
    WHERE company_id = NEW.company_id;
END;

CREATE TRIGGER ai_agents_usage_insert AFTER INSERT ON ai_agents
BEGIN
    INSERT INTO company_usage (company_id, ai_agents) VALUES (NEW.company_id, 1)
    ON CONFLICT (company_id) DO UPDATE SET ai_agents = ai_agents + 1;
END;

CREATE TRIGGER ai_agents_usage_delete AFTER DELETE ON ai_agents
BEGIN
    UPDATE company_usage SET ai_agents = ai_agents - 1 WHERE company_id = OLD.company_id;
END;
