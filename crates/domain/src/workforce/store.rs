//! Storage of agent profiles, presence, teams, skills, capacity rules and workload: reads on [`WorkforceStore`], writes inside a [`WorkforceTx`]. Implemented for
//! SQLite and PostgreSQL in `switchboard-store`.

use async_trait::async_trait;

use crate::ids::{CapacityRuleId, CompanyId, SkillId, TeamId, UserId};
use crate::workforce::collab::{
    AgentSkill, CapacityRule, ChannelLoad, RuleWithAgents, Skill, Team, TeamInfo, TeamMember,
    TeamMembership,
};
use crate::workforce::presence::Presence;
use crate::workforce::profile::AgentProfile;

use crate::Result;

/// Reads of agent profiles, presence, teams, skills, capacity rules and workload.
#[async_trait]
pub trait WorkforceStore: Send + Sync {
    async fn agent_profile(&self, user: UserId) -> Result<Option<AgentProfile>>;
    /// Every stored agent profile of a company's users.
    async fn agent_profiles(&self, company: CompanyId) -> Result<Vec<AgentProfile>>;
    async fn presence(&self, user: UserId) -> Result<Option<Presence>>;
    /// Every stored presence of a company's users.
    async fn presences(&self, company: CompanyId) -> Result<Vec<Presence>>;
    /// Open work items of the user, per channel.
    async fn open_work(&self, user: UserId) -> Result<ChannelLoad>;
    /// Teams the user belongs to, by name.
    async fn user_teams(&self, user: UserId) -> Result<Vec<TeamMembership>>;
    async fn team(&self, id: TeamId) -> Result<Option<TeamInfo>>;
    /// A company's teams, by name.
    async fn teams(&self, company: CompanyId) -> Result<Vec<TeamInfo>>;
    /// Members of a team, oldest first.
    async fn team_members(&self, team: TeamId) -> Result<Vec<TeamMember>>;
    async fn skill(&self, id: SkillId) -> Result<Option<Skill>>;
    /// A company's skills, oldest first.
    async fn skills(&self, company: CompanyId) -> Result<Vec<Skill>>;
    async fn agent_skills(&self, user: UserId) -> Result<Vec<AgentSkill>>;
    async fn capacity_rule(&self, id: CapacityRuleId) -> Result<Option<RuleWithAgents>>;
    /// A company's capacity rules, oldest first.
    async fn capacity_rules(&self, company: CompanyId) -> Result<Vec<RuleWithAgents>>;
    /// The rule assigned to the user, if any.
    async fn agent_rule_id(&self, user: UserId) -> Result<Option<CapacityRuleId>>;
}

/// Writes of agent profiles, presence, teams, skills, capacity rules and workload, inside a write transaction.
#[async_trait]
pub trait WorkforceTx: Send {
    async fn agent_profile(&mut self, user: UserId) -> Result<Option<AgentProfile>>;
    async fn upsert_agent_profile(&mut self, profile: &AgentProfile) -> Result<()>;
    /// Reads a presence and holds it until commit.
    async fn presence_for_update(&mut self, user: UserId) -> Result<Option<Presence>>;
    async fn upsert_presence(&mut self, presence: &Presence) -> Result<()>;
    /// Drops the user's team memberships, skills and capacity rule assignment.
    async fn remove_agent_links(&mut self, user: UserId) -> Result<()>;
    async fn insert_team(&mut self, team: &Team) -> Result<()>;
    async fn update_team(&mut self, team: &Team) -> Result<()>;
    /// Holds the team's row until commit, so concurrent writers of it go one after the
    /// other; `false` when there is no such team.
    async fn lock_team(&mut self, id: TeamId) -> Result<bool>;
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
    /// other; `false` when there is no such skill.
    async fn lock_skill(&mut self, id: SkillId) -> Result<bool>;
    /// Deletes a skill with its assignments.
    async fn delete_skill(&mut self, id: SkillId) -> Result<()>;
    /// Replaces the user's skills.
    async fn set_agent_skills(&mut self, user: UserId, skills: &[AgentSkill]) -> Result<()>;
    /// Fails with `Conflict` when a second default rule would exist.
    async fn insert_capacity_rule(&mut self, rule: &CapacityRule) -> Result<()>;
    async fn update_capacity_rule(&mut self, rule: &CapacityRule) -> Result<()>;
    /// Holds the capacity rule's row until commit, so concurrent writers of it go one after the
    /// other; `false` when there is no such capacity rule.
    async fn lock_capacity_rule(&mut self, id: CapacityRuleId) -> Result<bool>;
    async fn delete_capacity_rule(&mut self, id: CapacityRuleId) -> Result<()>;
    /// Makes `users` exactly the agents of `rule` (moving them off any other rule).
    async fn set_rule_agents(&mut self, rule: CapacityRuleId, users: &[UserId]) -> Result<()>;
}
