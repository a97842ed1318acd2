//! Storage of agent profiles, presence, teams, skills, capacity rules and workload: reads on [`WorkforceStore`], writes inside a [`WorkforceTx`]. Implemented for
//! SQLite and PostgreSQL in `switchboard-store`.

use async_trait::async_trait;

use jiff::Timestamp;

use crate::ids::{CapacityRuleId, CompanyId, SkillId, TeamId, UserId, WorkItemId};
use crate::tenancy::account::User;
use crate::workforce::collab::{
    AgentSkill, CapacityRule, ChannelLoad, RuleWithAgents, Skill, Team, TeamInfo, TeamMember,
    TeamMembership, WorkItem,
};
use crate::workforce::presence::Presence;
use crate::workforce::profile::{AgentKey, AgentProfile, AgentQuery};

/// The rows of some agents, for the agents of one page: each read in one query for all of them.
#[derive(Debug, Default)]
pub struct AgentRows {
    pub users: Vec<User>,
    pub profiles: Vec<AgentProfile>,
    pub presences: Vec<Presence>,
    /// Team memberships per user, by team name.
    pub teams: Vec<(UserId, TeamMembership)>,
    /// Skills given, by skill name.
    pub skills: Vec<AgentSkill>,
    /// The skills named in `skills`.
    pub skill_defs: Vec<Skill>,
    /// Open work per user (users without open work are missing).
    pub load: Vec<(UserId, ChannelLoad)>,
    /// The rule each user follows (users on the default rule are missing).
    pub rules: Vec<(UserId, CapacityRuleId)>,
    /// The rules named in `rules`, and the company's default rule.
    pub rule_defs: Vec<RuleWithAgents>,
}

/// Where a page of a list starts: after the row with this key, or at the beginning.
#[derive(Debug, Clone, Copy)]
pub struct KeysetPage<'a, K> {
    pub after: Option<&'a K>,
    pub limit: usize,
    pub reverse: bool,
}

use crate::Result;

/// Reads of agent profiles, presence, teams, skills, capacity rules and workload.
#[async_trait]
pub trait WorkforceStore: Send + Sync {
    async fn agent_profile(&self, user: UserId) -> Result<Option<AgentProfile>>;
    async fn presence(&self, user: UserId) -> Result<Option<Presence>>;
    /// Open work items of the user, per channel.
    async fn open_work(&self, user: UserId) -> Result<ChannelLoad>;
    async fn team(&self, id: TeamId) -> Result<Option<TeamInfo>>;
    /// Members of a team, oldest first.
    async fn team_members(&self, team: TeamId) -> Result<Vec<TeamMember>>;
    async fn skill(&self, id: SkillId) -> Result<Option<Skill>>;
    async fn capacity_rule(&self, id: CapacityRuleId) -> Result<Option<RuleWithAgents>>;
    /// The company's default capacity rule, if it has one.
    async fn default_capacity_rule(&self, company: CompanyId) -> Result<Option<RuleWithAgents>>;
    /// The rule assigned to the user, if any.
    async fn agent_rule_id(&self, user: UserId) -> Result<Option<CapacityRuleId>>;

    /// The keys of one page of the company's agents (not removed) matching `q`, in `q`'s
    /// order, after `page.after`: at most `page.limit` of them. `now` decides which
    /// activities have lapsed (for the last-status-change filters). One indexed query.
    async fn agent_keys(
        &self,
        company: CompanyId,
        q: &AgentQuery,
        page: KeysetPage<'_, AgentKey>,
        now: Timestamp,
    ) -> Result<Vec<AgentKey>>;
    /// The number of the company's agents matching `q`, counting at most `cap`.
    async fn count_agents(
        &self,
        company: CompanyId,
        q: &AgentQuery,
        now: Timestamp,
        cap: u64,
    ) -> Result<u64>;
    /// The number of the company's agents, from the counter kept by agent writes.
    async fn agent_count(&self, company: CompanyId) -> Result<u64>;
    /// Everything the reads of these agents of `company` show, a constant number of queries
    /// for all of them.
    async fn agent_rows(&self, company: CompanyId, users: &[UserId]) -> Result<AgentRows>;
    /// Only the users, profiles and presences of these agents of `company` (the all-agents
    /// read), a constant number of queries for all of them.
    async fn agent_brief_rows(&self, company: CompanyId, users: &[UserId]) -> Result<AgentRows>;
    /// One page of the company's teams by (name, id).
    async fn team_page(
        &self,
        company: CompanyId,
        page: KeysetPage<'_, (String, i64)>,
    ) -> Result<Vec<TeamInfo>>;
    /// The number of the company's teams.
    async fn team_count(&self, company: CompanyId) -> Result<u64>;
    /// One page of the company's skills by (created_at ms, id).
    async fn skill_page(
        &self,
        company: CompanyId,
        page: KeysetPage<'_, (i64, i64)>,
    ) -> Result<Vec<Skill>>;
    /// One page of the company's capacity rules by (created_at ms, id).
    async fn capacity_rule_page(
        &self,
        company: CompanyId,
        page: KeysetPage<'_, (i64, i64)>,
    ) -> Result<Vec<RuleWithAgents>>;
}

/// Writes of agent profiles, presence, teams, skills, capacity rules and workload, inside a write transaction.
#[async_trait]
pub trait WorkforceTx: Send {
    async fn agent_profile(&mut self, user: UserId) -> Result<Option<AgentProfile>>;
    /// Writes a profile; keeps the list keys (name key) and the company's agent count current.
    async fn upsert_agent_profile(&mut self, profile: &AgentProfile) -> Result<()>;
    /// Reads a presence and holds it until commit.
    async fn presence_for_update(&mut self, user: UserId) -> Result<Option<Presence>>;
    async fn upsert_presence(&mut self, presence: &Presence) -> Result<()>;
    /// Drops the user's team memberships, skills and capacity rule assignment.
    async fn remove_agent_links(&mut self, user: UserId) -> Result<()>;
    async fn insert_team(&mut self, team: &Team) -> Result<()>;
    async fn update_team(&mut self, team: &Team) -> Result<()>;
    /// Holds the team's row until commit, so concurrent writers of it go one after the
    /// other, and reads it in the transaction (what earlier writers of the transaction's group
    /// wrote included: read-modify-write must read here, not through the store).
    async fn lock_team(&mut self, id: TeamId) -> Result<Option<TeamInfo>>;
    /// Deletes a team with its memberships.
    async fn delete_team(&mut self, id: TeamId) -> Result<()>;
    /// Adds or updates a membership.
    async fn put_team_member(&mut self, member: &TeamMember) -> Result<()>;
    /// `false` when the user was not a member.
    async fn delete_team_member(&mut self, team: TeamId, user: UserId) -> Result<bool>;
    /// Fails with `Conflict` when the company has a skill of that name.
    async fn insert_skill(&mut self, skill: &Skill) -> Result<()>;
    async fn update_skill(&mut self, skill: &Skill) -> Result<()>;
    /// Holds the skill's row until commit, so concurrent writers of it go one after the
    /// other, and reads it in the transaction (what earlier writers of the transaction's group
    /// wrote included: read-modify-write must read here, not through the store).
    async fn lock_skill(&mut self, id: SkillId) -> Result<Option<Skill>>;
    /// Deletes a skill with its assignments.
    async fn delete_skill(&mut self, id: SkillId) -> Result<()>;
    /// Replaces the user's skills.
    async fn set_agent_skills(&mut self, user: UserId, skills: &[AgentSkill]) -> Result<()>;
    /// Fails with `Conflict` when a second default rule would exist.
    async fn insert_capacity_rule(&mut self, rule: &CapacityRule) -> Result<()>;
    async fn update_capacity_rule(&mut self, rule: &CapacityRule) -> Result<()>;
    /// Holds the capacity rule's row until commit, so concurrent writers of it go one after the
    /// other, and reads it in the transaction (what earlier writers of the transaction's group
    /// wrote included: read-modify-write must read here, not through the store).
    async fn lock_capacity_rule(&mut self, id: CapacityRuleId) -> Result<Option<RuleWithAgents>>;
    async fn delete_capacity_rule(&mut self, id: CapacityRuleId) -> Result<()>;
    /// Makes `users` exactly the agents of `rule` (moving them off any other rule).
    async fn set_rule_agents(&mut self, rule: CapacityRuleId, users: &[UserId]) -> Result<()>;
    /// Records a work item; an open one counts toward its agent's open work.
    async fn insert_work_item(&mut self, item: &WorkItem) -> Result<()>;
    /// Closes an open work item; `None` when it is missing or closed already, else its agent.
    async fn close_work_item(&mut self, id: WorkItemId, at: Timestamp) -> Result<Option<UserId>>;
}
