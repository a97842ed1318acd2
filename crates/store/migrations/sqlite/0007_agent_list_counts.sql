-- How many AI agents each user sees (owns, or has shared with them by someone else), kept
-- current by the writes that change it, so that a list's total is not counted on every read;
-- and the index that serves the case-insensitive name order of a user's own agents.

CREATE TABLE user_agent_counts (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    visible BIGINT NOT NULL
);

INSERT INTO user_agent_counts (user_id, visible)
SELECT user_id, COUNT(*) FROM (
    SELECT owner_id AS user_id FROM ai_agents
    UNION ALL
    SELECT s.user_id FROM ai_agent_shares s JOIN ai_agents a ON a.id = s.agent_id
    WHERE a.owner_id <> s.user_id
) visible GROUP BY user_id;

CREATE INDEX ai_agents_owner_name ON ai_agents (owner_id, LOWER(name), id);
