-- What each company has used, for its partner's view of its clients: calls (entry legs),
-- talk time (their `duration_secs`, set when a call ends or imported with it) and AI agents.
-- Kept current by triggers on the writes that change them, so a page of clients reads one
-- row per client instead of counting a company's calls. Inserts and deletes are added up per
-- statement (a bulk load updates each company's row once, not once per row); a call's talk
-- time is added when it ends.
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

CREATE FUNCTION count_inserted_calls() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO company_usage (company_id, calls, talk_seconds)
    SELECT company_id, COUNT(*), COALESCE(SUM(duration_secs), 0) FROM new_rows
    WHERE entry_point_call_id IS NULL GROUP BY company_id
    ON CONFLICT (company_id) DO UPDATE
    SET calls = company_usage.calls + excluded.calls,
        talk_seconds = company_usage.talk_seconds + excluded.talk_seconds;
    RETURN NULL;
END
$$;
CREATE TRIGGER calls_usage_insert AFTER INSERT ON calls REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION count_inserted_calls();

CREATE FUNCTION count_deleted_calls() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE company_usage u SET calls = u.calls - d.n, talk_seconds = u.talk_seconds - d.secs
    FROM (SELECT company_id, COUNT(*) AS n, COALESCE(SUM(duration_secs), 0) AS secs
          FROM old_rows WHERE entry_point_call_id IS NULL GROUP BY company_id) d
    WHERE u.company_id = d.company_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER calls_usage_delete AFTER DELETE ON calls REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION count_deleted_calls();

-- Once per call: when it ends (the talk time changes), not on every state change.
CREATE FUNCTION count_call_talk() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE company_usage
    SET talk_seconds = talk_seconds + COALESCE(NEW.duration_secs, 0) - COALESCE(OLD.duration_secs, 0)
    WHERE company_id = NEW.company_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER calls_usage_talk AFTER UPDATE OF duration_secs ON calls FOR EACH ROW
WHEN (NEW.entry_point_call_id IS NULL
      AND COALESCE(NEW.duration_secs, 0) <> COALESCE(OLD.duration_secs, 0))
EXECUTE FUNCTION count_call_talk();

CREATE FUNCTION count_inserted_ai_agents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO company_usage (company_id, ai_agents)
    SELECT company_id, COUNT(*) FROM new_rows GROUP BY company_id
    ON CONFLICT (company_id) DO UPDATE
    SET ai_agents = company_usage.ai_agents + excluded.ai_agents;
    RETURN NULL;
END
$$;
CREATE TRIGGER ai_agents_usage_insert AFTER INSERT ON ai_agents REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION count_inserted_ai_agents();

CREATE FUNCTION count_deleted_ai_agents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE company_usage u SET ai_agents = u.ai_agents - d.n
    FROM (SELECT company_id, COUNT(*) AS n FROM old_rows GROUP BY company_id) d
    WHERE u.company_id = d.company_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER ai_agents_usage_delete AFTER DELETE ON ai_agents REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION count_deleted_ai_agents();
