//! The workforce context's storage: its queries, its rows, and the domain's
//! [`WorkforceStore`] and [`WorkforceTx`] over them.

pub(crate) mod collab;
pub(crate) mod collab_pages;
pub(crate) mod lists;
pub(crate) mod people;
pub(crate) mod teams;

use async_trait::async_trait;
use jiff::Timestamp;
use switchboard_domain::ids::*;
use switchboard_domain::workforce::collab::{
    AgentSkill, CapacityRule, ChannelLoad, RuleWithAgents, Skill, Team, TeamInfo, TeamMember,
    WorkItem,
};
use switchboard_domain::workforce::presence::Presence;
use switchboard_domain::workforce::profile::{AgentKey, AgentProfile, AgentQuery};
use switchboard_domain::workforce::store::{AgentRows, KeysetPage};
use switchboard_domain::Result;

use crate::tx::SqlTx;
use crate::SqlStore;
use switchboard_domain::store::{WorkforceStore, WorkforceTx};

#[async_trait]
impl WorkforceStore for SqlStore {
    async fn agent_profile(&self, user: UserId) -> Result<Option<AgentProfile>> {
        crate::workforce::people::agent_profile(&mut *self.conn().await?, user).await
    }
    async fn presence(&self, user: UserId) -> Result<Option<Presence>> {
        crate::workforce::people::presence_of(&mut *self.conn().await?, user, None).await
    }
    async fn open_work(&self, user: UserId) -> Result<ChannelLoad> {
        crate::workforce::people::open_work(&mut *self.conn().await?, user).await
    }
    async fn team(&self, id: TeamId) -> Result<Option<TeamInfo>> {
        crate::workforce::teams::team(&mut *self.conn().await?, id).await
    }
    async fn team_members(&self, team: TeamId) -> Result<Vec<TeamMember>> {
        crate::workforce::teams::team_members(&mut *self.conn().await?, team).await
    }
    async fn skill(&self, id: SkillId) -> Result<Option<Skill>> {
        crate::workforce::collab::skill_by_id(&mut *self.conn().await?, id).await
    }
    async fn capacity_rule(&self, id: CapacityRuleId) -> Result<Option<RuleWithAgents>> {
        crate::workforce::collab::capacity_rule(&mut *self.conn().await?, id).await
    }
    async fn default_capacity_rule(&self, company: CompanyId) -> Result<Option<RuleWithAgents>> {
        collab_pages::default_capacity_rule(&mut *self.conn().await?, company).await
    }
    async fn agent_rule_id(&self, user: UserId) -> Result<Option<CapacityRuleId>> {
        crate::workforce::collab::agent_rule_id(&mut *self.conn().await?, user).await
    }
    async fn agent_keys(
        &self,
        company: CompanyId,
        q: &AgentQuery,
        page: KeysetPage<'_, AgentKey>,
        now: Timestamp,
    ) -> Result<Vec<AgentKey>> {
        lists::agent_keys(&mut *self.conn().await?, company, q, page, now).await
    }
    async fn count_agents(
        &self,
        company: CompanyId,
        q: &AgentQuery,
        now: Timestamp,
        cap: u64,
    ) -> Result<u64> {
        lists::count_agents(&mut *self.conn().await?, company, q, now, cap).await
    }
    async fn agent_count(&self, company: CompanyId) -> Result<u64> {
        lists::agent_count(&mut *self.conn().await?, company).await
    }
    async fn agent_rows(&self, company: CompanyId, users: &[UserId]) -> Result<AgentRows> {
        lists::agent_rows(&mut *self.conn().await?, company, users).await
    }
    async fn agent_brief_rows(&self, company: CompanyId, users: &[UserId]) -> Result<AgentRows> {
        lists::agent_brief_rows(&mut *self.conn().await?, company, users).await
    }
    async fn team_page(
        &self,
        company: CompanyId,
        page: KeysetPage<'_, (String, i64)>,
    ) -> Result<Vec<TeamInfo>> {
        collab_pages::team_page(&mut *self.conn().await?, company, page).await
    }
    async fn team_count(&self, company: CompanyId) -> Result<u64> {
        collab_pages::team_count(&mut *self.conn().await?, company).await
    }
    async fn skill_page(
        &self,
        company: CompanyId,
        page: KeysetPage<'_, (i64, i64)>,
    ) -> Result<Vec<Skill>> {
        collab_pages::skill_page(&mut *self.conn().await?, company, page).await
    }
    async fn capacity_rule_page(
        &self,
        company: CompanyId,
        page: KeysetPage<'_, (i64, i64)>,
    ) -> Result<Vec<RuleWithAgents>> {
        collab_pages::capacity_rule_page(&mut *self.conn().await?, company, page).await
    }
}

#[async_trait]
impl WorkforceTx for SqlTx {
    async fn agent_profile(&mut self, user: UserId) -> Result<Option<AgentProfile>> {
        crate::workforce::people::agent_profile(&mut self.tx, user).await
    }
    async fn upsert_agent_profile(&mut self, profile: &AgentProfile) -> Result<()> {
        crate::workforce::people::upsert_agent_profile(&mut self.tx, profile, self.backend).await
    }
    async fn presence_for_update(&mut self, user: UserId) -> Result<Option<Presence>> {
        crate::workforce::people::presence_of(&mut self.tx, user, Some(self.backend)).await
    }
    async fn upsert_presence(&mut self, presence: &Presence) -> Result<()> {
        crate::workforce::people::upsert_presence(&mut self.tx, presence).await
    }
    async fn remove_agent_links(&mut self, user: UserId) -> Result<()> {
        crate::workforce::people::remove_agent_links(&mut self.tx, user).await
    }
    async fn insert_team(&mut self, team: &Team) -> Result<()> {
        crate::workforce::teams::insert_team(&mut self.tx, team).await
    }
    async fn update_team(&mut self, team: &Team) -> Result<()> {
        crate::workforce::teams::update_team(&mut self.tx, team).await
    }
    async fn lock_team(&mut self, id: TeamId) -> Result<Option<TeamInfo>> {
        if !crate::sql::lock_row(&mut self.tx, "teams", id.0, self.backend).await? {
            return Ok(None);
        }
        crate::workforce::teams::team(&mut self.tx, id).await
    }
    async fn delete_team(&mut self, id: TeamId) -> Result<()> {
        crate::workforce::teams::delete_team(&mut self.tx, id).await
    }
    async fn put_team_member(&mut self, member: &TeamMember) -> Result<()> {
        crate::workforce::teams::put_team_member(&mut self.tx, member).await
    }
    async fn delete_team_member(&mut self, team: TeamId, user: UserId) -> Result<bool> {
        crate::workforce::teams::delete_team_member(&mut self.tx, team, user).await
    }
    async fn insert_skill(&mut self, skill: &Skill) -> Result<()> {
        crate::workforce::collab::insert_skill(&mut self.tx, skill).await
    }
    async fn update_skill(&mut self, skill: &Skill) -> Result<()> {
        crate::workforce::collab::update_skill(&mut self.tx, skill).await
    }
    async fn lock_skill(&mut self, id: SkillId) -> Result<Option<Skill>> {
        if !crate::sql::lock_row(&mut self.tx, "skills", id.0, self.backend).await? {
            return Ok(None);
        }
        crate::workforce::collab::skill_by_id(&mut self.tx, id).await
    }
    async fn delete_skill(&mut self, id: SkillId) -> Result<()> {
        crate::workforce::collab::delete_skill(&mut self.tx, id).await
    }
    async fn set_agent_skills(&mut self, user: UserId, skills: &[AgentSkill]) -> Result<()> {
        crate::workforce::collab::set_agent_skills(&mut self.tx, user, skills).await
    }
    async fn insert_capacity_rule(&mut self, rule: &CapacityRule) -> Result<()> {
        crate::workforce::collab::insert_capacity_rule(&mut self.tx, rule).await
    }
    async fn update_capacity_rule(&mut self, rule: &CapacityRule) -> Result<()> {
        crate::workforce::collab::update_capacity_rule(&mut self.tx, rule).await
    }
    async fn lock_capacity_rule(&mut self, id: CapacityRuleId) -> Result<Option<RuleWithAgents>> {
        if !crate::sql::lock_row(&mut self.tx, "capacity_rules", id.0, self.backend).await? {
            return Ok(None);
        }
        crate::workforce::collab::capacity_rule(&mut self.tx, id).await
    }
    async fn delete_capacity_rule(&mut self, id: CapacityRuleId) -> Result<()> {
        crate::workforce::collab::delete_capacity_rule(&mut self.tx, id).await
    }
    async fn set_rule_agents(&mut self, rule: CapacityRuleId, users: &[UserId]) -> Result<()> {
        crate::workforce::collab::set_rule_agents(&mut self.tx, rule, users).await
    }
    async fn insert_work_item(&mut self, item: &WorkItem) -> Result<()> {
        crate::workforce::people::insert_work_item(&mut self.tx, item).await
    }
    async fn close_work_item(&mut self, id: WorkItemId, at: Timestamp) -> Result<Option<UserId>> {
        crate::workforce::people::close_work_item(&mut self.tx, id, at).await
    }
}
