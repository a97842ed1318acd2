-- AI agents as operators of call centers and departments: they take calls as human operators
-- do (answering at once), and a call leg they handle keeps the agent's version.

CREATE TABLE group_ai_agents (
    group_id BIGINT NOT NULL,
    agent_id BIGINT NOT NULL,
    company_id BIGINT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, agent_id)
);
CREATE INDEX group_ai_agents_agent ON group_ai_agents (agent_id);

ALTER TABLE calls ADD COLUMN ai_agent_version BIGINT;

-- Call routers count their routing errors within an hour from the first one (more than ten
-- and calls go straight to the default target until the count is reset).
ALTER TABLE call_routers ADD COLUMN error_window_start BIGINT;
