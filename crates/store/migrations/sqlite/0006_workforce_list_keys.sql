-- Keys that let Bird's lists (agents, teams, skills, capacity rules) be served one indexed
-- page at a time instead of loading a company into memory.
--
-- Every user has an agent_profiles row from now on (a blank one when the user is created), so
-- the agent list starts from agent_profiles. The row carries what the list filters and sorts by:
--   company_id       the user's company
--   name_key         the shown name (display name, else the user's name, else the email),
--                    lower-cased; rewritten by every profile write; compared byte by byte
--                    (as SQLite does; COLLATE "C" on PostgreSQL)
--   presence_status  the user's presence status, and status_rank (0 active, 1 otherwise);
--                    rewritten by every presence write
--   open_work        open messaging and email work items; kept by opening and closing them
--   placeholder      the blank row of a user whose profile was never written (reads of one
--                    profile skip it, so making such a user an agent is still a create)
-- agent_counts holds the number of agents (profiles not removed) of each company.
-- Flags are INTEGER 0/1 here (BOOLEAN on PostgreSQL).

ALTER TABLE agent_profiles ADD COLUMN company_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE agent_profiles ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE agent_profiles ADD COLUMN presence_status TEXT NOT NULL DEFAULT 'away';
ALTER TABLE agent_profiles ADD COLUMN status_rank BIGINT NOT NULL DEFAULT 1;
ALTER TABLE agent_profiles ADD COLUMN open_work BIGINT NOT NULL DEFAULT 0;
ALTER TABLE agent_profiles ADD COLUMN placeholder INTEGER NOT NULL DEFAULT 0;

-- Users who never had a profile written are agents with a blank profile.
INSERT INTO agent_profiles (user_id, wrap_up_time, holidays, role_ids, drop_vms, removed,
                            created_at, updated_at, placeholder)
SELECT u.id, 0, '[]', '[]', '[]', 0, u.created_at, u.created_at, 1
FROM users u
WHERE NOT EXISTS (SELECT 1 FROM agent_profiles p WHERE p.user_id = u.id);

-- SQL LOWER folds ASCII only on SQLite (and follows the locale on PostgreSQL), while writes
-- lower-case in Rust: a back-filled name with other capitals sorts by this key until its
-- profile is next written.
UPDATE agent_profiles SET
    company_id = (SELECT u.company_id FROM users u WHERE u.id = agent_profiles.user_id),
    name_key = LOWER(COALESCE(agent_profiles.display_name,
        (SELECT COALESCE(NULLIF(TRIM(COALESCE(u.first_name, '') || ' ' || COALESCE(u.last_name, '')), ''), u.email)
         FROM users u WHERE u.id = agent_profiles.user_id))),
    presence_status = COALESCE(
        (SELECT pr.status FROM user_presence pr WHERE pr.user_id = agent_profiles.user_id), 'away'),
    open_work = (SELECT COUNT(*) FROM agent_work_items w
                 WHERE w.user_id = agent_profiles.user_id AND w.closed_at IS NULL
                   AND w.channel IN ('messaging', 'email'));
UPDATE agent_profiles SET status_rank = CASE WHEN presence_status = 'active' THEN 0 ELSE 1 END;

CREATE INDEX agent_profiles_created ON agent_profiles (company_id, created_at, user_id);
CREATE INDEX agent_profiles_name ON agent_profiles (company_id, name_key, user_id);
CREATE INDEX agent_profiles_assigned ON agent_profiles (company_id, open_work, created_at, user_id);
CREATE INDEX agent_profiles_status_assigned
    ON agent_profiles (company_id, status_rank, open_work, created_at, user_id);

CREATE TABLE agent_counts (
    company_id BIGINT PRIMARY KEY REFERENCES companies (id),
    agents BIGINT NOT NULL
);
INSERT INTO agent_counts (company_id, agents)
SELECT company_id, COUNT(*) FROM agent_profiles WHERE removed = 0 GROUP BY company_id;

CREATE INDEX skills_company ON skills (company_id, created_at, id);
