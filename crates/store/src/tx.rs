//! The domain's [`Store`] and [`WriteTx`] traits, implemented by delegating to the queries.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::pool::PoolConnection;
use sqlx::{Any, Transaction};
use switchboard_domain::account::{ApiKey, Company, Partner, User};
use switchboard_domain::agent::{AgentVersion, AiAgent, Share};
use switchboard_domain::agent_list::AgentListQuery;
use switchboard_domain::call::{Call, CallLogQuery};
use switchboard_domain::client::{Client, ClientProfile, ClientQuery};
use switchboard_domain::clock::to_millis;
use switchboard_domain::collab::{
    AgentSkill, CapacityRule, ChannelLoad, RuleWithAgents, Skill, Team, TeamInfo, TeamMember,
    TeamMembership,
};
use switchboard_domain::event::{CommitWatch, Delivery, DeliveryAttempt, DeliveryStatus, Event};
use switchboard_domain::human_agent::AgentProfile;
use switchboard_domain::idempotency::{Claim, StoredResponse};
use switchboard_domain::ids::*;
use switchboard_domain::media::MediaFile;
use switchboard_domain::page::{Page, Paged};
use switchboard_domain::presence::Presence;
use switchboard_domain::secret::{Sealed, SecretPurpose, StoredSecret};
use switchboard_domain::store::{Store, WriteTx};
use switchboard_domain::Result;
use tokio::sync::OwnedMutexGuard;

use crate::error::db;
use crate::queries::{
    accounts, agents, calls, clients, collab, events, idempotency, media, people, secrets, teams,
};
use crate::{Backend, SqlStore};

impl SqlStore {
    async fn conn(&self) -> Result<PoolConnection<Any>> {
        self.pool.acquire().await.map_err(db)
    }
}

/// An open write transaction, holding SQLite's in-process writer turn when on SQLite.
pub(crate) struct SqlTx {
    tx: Transaction<'static, Any>,
    backend: Backend,
    _turn: Option<OwnedMutexGuard<()>>,
    /// Set when the transaction made event work; its commit then signals (see the crate docs).
    wake: bool,
    commits: std::sync::Arc<tokio::sync::watch::Sender<u64>>,
}

/// A subscription to the store's commit counter.
struct WatchCommits(tokio::sync::watch::Receiver<u64>);

#[async_trait]
impl CommitWatch for WatchCommits {
    async fn changed(&mut self) -> bool {
        self.0.changed().await.is_ok()
    }
}

#[async_trait]
impl Store for SqlStore {
    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn begin(&self) -> Result<Box<dyn WriteTx>> {
        let (tx, turn) = self.begin_turn().await?;
        Ok(Box::new(SqlTx {
            tx,
            backend: self.backend,
            _turn: turn,
            wake: false,
            commits: self.commits.clone(),
        }))
    }

    async fn partner(&self, id: PartnerId) -> Result<Option<Partner>> {
        accounts::partner(&mut *self.conn().await?, id, None).await
    }
    async fn company(&self, id: CompanyId) -> Result<Option<Company>> {
        accounts::company(&mut *self.conn().await?, id, None).await
    }
    async fn user(&self, id: UserId) -> Result<Option<User>> {
        accounts::user(&mut *self.conn().await?, id, None).await
    }
    async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        accounts::user_by_email(&mut *self.conn().await?, email).await
    }
    async fn api_key_by_hash(&self, hash: &str) -> Result<Option<ApiKey>> {
        accounts::api_key_by_hash(&mut *self.conn().await?, hash).await
    }
    async fn agent(&self, id: AgentId) -> Result<Option<AiAgent>> {
        agents::agent(&mut *self.conn().await?, id, None).await
    }
    async fn share(&self, agent: AgentId, user: UserId) -> Result<Option<Share>> {
        agents::share(&mut *self.conn().await?, agent, user).await
    }
    async fn shares(&self, agent: AgentId) -> Result<Vec<Share>> {
        agents::shares(&mut *self.conn().await?, agent).await
    }
    async fn agents_visible_page(
        &self,
        query: &AgentListQuery,
    ) -> Result<Vec<(AiAgent, Option<Share>)>> {
        agents::visible_page(&mut *self.conn().await?, query).await
    }
    async fn agents_visible_to(
        &self,
        user: UserId,
        page: Page,
    ) -> Result<Paged<(AiAgent, Option<Share>)>> {
        agents::visible_to(&mut *self.conn().await?, user, page).await
    }
    async fn versions(&self, agent: AgentId, page: Page) -> Result<Paged<AgentVersion>> {
        agents::versions(&mut *self.conn().await?, agent, page).await
    }
    async fn version(&self, agent: AgentId, id: VersionId) -> Result<Option<AgentVersion>> {
        agents::version(&mut *self.conn().await?, agent, id).await
    }
    async fn version_by_number(&self, agent: AgentId, number: i64) -> Result<Option<AgentVersion>> {
        agents::version_by_number(&mut *self.conn().await?, agent, number).await
    }
    async fn secret(&self, purpose: SecretPurpose, owner: &str) -> Result<Option<Sealed>> {
        secrets::get_secret(&mut *self.conn().await?, purpose, owner).await
    }
    async fn call_log(&self, query: &CallLogQuery) -> Result<Paged<Call>> {
        calls::call_log(&mut *self.conn().await?, query).await
    }
    async fn client(&self, partner: PartnerId, id: CompanyId) -> Result<Option<Client>> {
        clients::one(&mut *self.conn().await?, partner, id).await
    }
    async fn clients(&self, query: &ClientQuery) -> Result<Paged<Client>> {
        clients::list(&mut *self.conn().await?, query).await
    }
    async fn event(&self, id: EventId) -> Result<Option<Event>> {
        events::event(&mut *self.conn().await?, id).await
    }
    async fn delivery(&self, id: DeliveryId) -> Result<Option<Delivery>> {
        events::delivery(&mut *self.conn().await?, id, None).await
    }
    async fn delivery_attempts(&self, id: DeliveryId) -> Result<Vec<DeliveryAttempt>> {
        events::attempts(&mut *self.conn().await?, id).await
    }
    async fn partner_deliveries(&self, partner: PartnerId, page: Page) -> Result<Paged<Delivery>> {
        events::partner_deliveries(&mut *self.conn().await?, partner, page).await
    }
    async fn company_users(&self, company: CompanyId) -> Result<Vec<User>> {
        people::company_users(&mut *self.conn().await?, company).await
    }
    async fn agent_profile(&self, user: UserId) -> Result<Option<AgentProfile>> {
        people::agent_profile(&mut *self.conn().await?, user).await
    }
    async fn agent_profiles(&self, company: CompanyId) -> Result<Vec<AgentProfile>> {
        people::agent_profiles(&mut *self.conn().await?, company).await
    }
    async fn presence(&self, user: UserId) -> Result<Option<Presence>> {
        people::presence_of(&mut *self.conn().await?, user, None).await
    }
    async fn presences(&self, company: CompanyId) -> Result<Vec<Presence>> {
        people::presences(&mut *self.conn().await?, company).await
    }
    async fn open_work(&self, user: UserId) -> Result<ChannelLoad> {
        people::open_work(&mut *self.conn().await?, user).await
    }
    async fn user_teams(&self, user: UserId) -> Result<Vec<TeamMembership>> {
        teams::user_teams(&mut *self.conn().await?, user).await
    }
    async fn team(&self, id: TeamId) -> Result<Option<TeamInfo>> {
        teams::team(&mut *self.conn().await?, id).await
    }
    async fn teams(&self, company: CompanyId) -> Result<Vec<TeamInfo>> {
        teams::teams(&mut *self.conn().await?, company).await
    }
    async fn team_members(&self, team: TeamId) -> Result<Vec<TeamMember>> {
        teams::team_members(&mut *self.conn().await?, team).await
    }
    async fn skill(&self, id: SkillId) -> Result<Option<Skill>> {
        collab::skill_by_id(&mut *self.conn().await?, id).await
    }
    async fn skills(&self, company: CompanyId) -> Result<Vec<Skill>> {
        collab::skills(&mut *self.conn().await?, company).await
    }
    async fn agent_skills(&self, user: UserId) -> Result<Vec<AgentSkill>> {
        collab::agent_skills(&mut *self.conn().await?, user).await
    }
    async fn capacity_rule(&self, id: CapacityRuleId) -> Result<Option<RuleWithAgents>> {
        collab::capacity_rule(&mut *self.conn().await?, id).await
    }
    async fn capacity_rules(&self, company: CompanyId) -> Result<Vec<RuleWithAgents>> {
        collab::capacity_rules(&mut *self.conn().await?, company).await
    }
    async fn agent_rule_id(&self, user: UserId) -> Result<Option<CapacityRuleId>> {
        collab::agent_rule_id(&mut *self.conn().await?, user).await
    }
    async fn media(&self, id: MediaId) -> Result<Option<MediaFile>> {
        media::get_media(&mut *self.conn().await?, id).await
    }
    async fn claim_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        fingerprint: &str,
        now: Timestamp,
    ) -> Result<Claim> {
        let mut tx = self.begin_plain().await?;
        let claim = idempotency::claim(
            &mut tx,
            scope,
            key,
            fingerprint,
            now,
            self.idempotency_retention_secs,
        )
        .await?;
        tx.commit().await.map_err(db)?;
        Ok(claim)
    }
    async fn finish_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        response: &StoredResponse,
    ) -> Result<()> {
        idempotency::finish(&mut *self.conn().await?, scope, key, response).await
    }
    async fn release_idempotency_key(&self, scope: &str, key: &str) -> Result<()> {
        idempotency::release(&mut *self.conn().await?, scope, key).await
    }
    async fn subscribe_commits(&self) -> Result<Box<dyn CommitWatch>> {
        if self.backend == Backend::Postgres {
            let (url, commits) = (self.url.clone(), self.commits.clone());
            self.listener
                .get_or_try_init(|| crate::postgres::listen_for_commits(&url, commits))
                .await
                .map_err(db)?;
        }
        Ok(Box::new(WatchCommits(self.commits.subscribe())))
    }
    async fn next_delivery_due(&self) -> Result<Option<Timestamp>> {
        events::next_due(&mut *self.conn().await?).await
    }
    async fn prune_deliveries(&self, before: Timestamp, limit: u32) -> Result<(u64, u64)> {
        let (mut tx, _turn) = self.begin_turn().await?;
        let n = events::prune_deliveries(&mut tx, to_millis(before), limit, self.backend).await?;
        tx.commit().await.map_err(db)?;
        Ok(n)
    }
    async fn prune_events(&self, before: Timestamp, limit: u32) -> Result<u64> {
        let (mut tx, _turn) = self.begin_turn().await?;
        let n = events::prune_events(&mut tx, to_millis(before), limit).await?;
        tx.commit().await.map_err(db)?;
        Ok(n)
    }
    async fn prune_idempotency_keys(&self, before: Timestamp, limit: u32) -> Result<u64> {
        let (mut tx, _turn) = self.begin_turn().await?;
        let n = idempotency::prune(&mut tx, to_millis(before), limit).await?;
        tx.commit().await.map_err(db)?;
        Ok(n)
    }
}

impl SqlStore {
    /// A write transaction, with SQLite's in-process writer turn when on SQLite.
    async fn begin_turn(&self) -> Result<(Transaction<'static, Any>, Option<OwnedMutexGuard<()>>)> {
        Ok(match self.backend {
            Backend::Sqlite => {
                let turn = self.writer.clone().lock_owned().await;
                (
                    self.pool
                        .begin_with(crate::sqlite::BEGIN_WRITE)
                        .await
                        .map_err(db)?,
                    Some(turn),
                )
            }
            Backend::Postgres => (self.pool.begin().await.map_err(db)?, None),
        })
    }

    /// A short transaction outside the writer turn (SQLite still serialises it with
    /// `BEGIN IMMEDIATE` and the busy timeout).
    async fn begin_plain(&self) -> Result<Transaction<'static, Any>> {
        match self.backend {
            Backend::Sqlite => self
                .pool
                .begin_with(crate::sqlite::BEGIN_WRITE)
                .await
                .map_err(db),
            Backend::Postgres => self.pool.begin().await.map_err(db),
        }
    }
}

#[async_trait]
impl WriteTx for SqlTx {
    async fn insert_partner(&mut self, partner: &Partner) -> Result<()> {
        accounts::write_partner(&mut self.tx, partner, false).await
    }
    async fn insert_company(&mut self, company: &Company) -> Result<()> {
        accounts::write_company(&mut self.tx, company, false).await
    }
    async fn insert_user(&mut self, user: &User) -> Result<()> {
        accounts::insert_user(&mut self.tx, user).await
    }
    async fn insert_api_key(&mut self, key: &ApiKey) -> Result<()> {
        accounts::insert_api_key(&mut self.tx, key).await
    }
    async fn revoke_api_key(&mut self, id: ApiKeyId, at: Timestamp) -> Result<bool> {
        accounts::revoke_api_key(&mut self.tx, id, to_millis(at)).await
    }
    async fn user_for_update(&mut self, id: UserId) -> Result<Option<User>> {
        accounts::user(&mut self.tx, id, Some(self.backend)).await
    }
    async fn agent_for_update(&mut self, id: AgentId) -> Result<Option<AiAgent>> {
        agents::agent(&mut self.tx, id, Some(self.backend)).await
    }
    async fn share(&mut self, agent: AgentId, user: UserId) -> Result<Option<Share>> {
        agents::share(&mut self.tx, agent, user).await
    }
    async fn insert_agent(&mut self, agent: &AiAgent) -> Result<()> {
        agents::insert_agent(&mut self.tx, agent).await
    }
    async fn update_agent(&mut self, agent: &AiAgent) -> Result<()> {
        agents::update_agent(&mut self.tx, agent).await
    }
    async fn delete_agent(&mut self, id: AgentId) -> Result<()> {
        agents::delete_agent(&mut self.tx, id).await
    }
    async fn insert_version(&mut self, version: &AgentVersion) -> Result<()> {
        agents::insert_version(&mut self.tx, version).await
    }
    async fn version(&mut self, agent: AgentId, id: VersionId) -> Result<Option<AgentVersion>> {
        agents::version(&mut self.tx, agent, id).await
    }
    async fn upsert_share(&mut self, share: &Share) -> Result<()> {
        agents::upsert_share(&mut self.tx, share).await
    }
    async fn delete_share(&mut self, agent: AgentId, user: UserId) -> Result<bool> {
        agents::delete_share(&mut self.tx, agent, user).await
    }
    async fn secret(&mut self, purpose: SecretPurpose, owner: &str) -> Result<Option<Sealed>> {
        secrets::get_secret(&mut self.tx, purpose, owner).await
    }
    async fn put_secret(
        &mut self,
        purpose: SecretPurpose,
        owner: &str,
        sealed: &Sealed,
        at: Timestamp,
    ) -> Result<()> {
        secrets::put_secret(&mut self.tx, purpose.as_str(), owner, sealed, to_millis(at)).await
    }
    async fn all_secrets(&mut self) -> Result<Vec<StoredSecret>> {
        secrets::all_secrets(&mut self.tx).await
    }
    async fn replace_secret(&mut self, s: &StoredSecret) -> Result<()> {
        secrets::put_secret(
            &mut self.tx,
            &s.purpose,
            &s.owner,
            &s.sealed,
            to_millis(Timestamp::now()),
        )
        .await
    }
    async fn partner_for_update(&mut self, id: PartnerId) -> Result<Option<Partner>> {
        accounts::partner(&mut self.tx, id, Some(self.backend)).await
    }
    async fn update_partner(&mut self, partner: &Partner) -> Result<()> {
        accounts::write_partner(&mut self.tx, partner, true).await
    }
    async fn company_for_update(&mut self, id: CompanyId) -> Result<Option<Company>> {
        accounts::company(&mut self.tx, id, Some(self.backend)).await
    }
    async fn update_company(&mut self, company: &Company) -> Result<()> {
        accounts::write_company(&mut self.tx, company, true).await
    }
    async fn client_profile(&mut self, company: CompanyId) -> Result<Option<ClientProfile>> {
        clients::profile(&mut self.tx, company).await
    }
    async fn upsert_client_profile(&mut self, profile: &ClientProfile) -> Result<()> {
        clients::upsert_profile(&mut self.tx, profile).await
    }
    async fn insert_event(&mut self, event: &Event) -> Result<()> {
        events::insert_event(&mut self.tx, event).await?;
        self.wake = true;
        Ok(())
    }
    async fn undispatched_events(&mut self, limit: u32) -> Result<Vec<Event>> {
        events::undispatched(&mut self.tx, limit, self.backend).await
    }
    async fn mark_event_dispatched(&mut self, id: EventId, at: Timestamp) -> Result<()> {
        events::mark_dispatched(&mut self.tx, id, to_millis(at)).await
    }
    async fn insert_delivery(&mut self, delivery: &Delivery) -> Result<()> {
        events::write_delivery(&mut self.tx, delivery, false).await?;
        self.wake = true;
        Ok(())
    }
    async fn claim_due_deliveries(
        &mut self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<Delivery>> {
        events::claim_due(&mut self.tx, now, lease_until, limit, self.backend).await
    }
    async fn delivery_for_update(&mut self, id: DeliveryId) -> Result<Option<Delivery>> {
        events::delivery(&mut self.tx, id, Some(self.backend)).await
    }
    async fn update_delivery(&mut self, delivery: &Delivery) -> Result<()> {
        events::write_delivery(&mut self.tx, delivery, true).await?;
        // Back in the queue with a fresh budget: a replay, due now.
        if delivery.status == DeliveryStatus::Pending && delivery.attempts == 0 {
            self.wake = true;
        }
        Ok(())
    }
    async fn insert_attempt(&mut self, attempt: &DeliveryAttempt) -> Result<()> {
        events::insert_attempt(&mut self.tx, attempt).await
    }
    async fn insert_call(&mut self, call: &Call) -> Result<()> {
        calls::insert_call(&mut self.tx, call).await
    }
    async fn agent_profile(&mut self, user: UserId) -> Result<Option<AgentProfile>> {
        people::agent_profile(&mut self.tx, user).await
    }
    async fn upsert_agent_profile(&mut self, profile: &AgentProfile) -> Result<()> {
        people::upsert_agent_profile(&mut self.tx, profile).await
    }
    async fn presence_for_update(&mut self, user: UserId) -> Result<Option<Presence>> {
        people::presence_of(&mut self.tx, user, Some(self.backend)).await
    }
    async fn upsert_presence(&mut self, presence: &Presence) -> Result<()> {
        people::upsert_presence(&mut self.tx, presence).await
    }
    async fn remove_agent_links(&mut self, user: UserId) -> Result<()> {
        people::remove_agent_links(&mut self.tx, user).await
    }
    async fn insert_team(&mut self, team: &Team) -> Result<()> {
        teams::insert_team(&mut self.tx, team).await
    }
    async fn update_team(&mut self, team: &Team) -> Result<()> {
        teams::update_team(&mut self.tx, team).await
    }
    async fn delete_team(&mut self, id: TeamId) -> Result<()> {
        teams::delete_team(&mut self.tx, id).await
    }
    async fn put_team_member(&mut self, member: &TeamMember) -> Result<()> {
        teams::put_team_member(&mut self.tx, member).await
    }
    async fn delete_team_member(&mut self, team: TeamId, user: UserId) -> Result<bool> {
        teams::delete_team_member(&mut self.tx, team, user).await
    }
    async fn insert_skill(&mut self, skill: &Skill) -> Result<()> {
        collab::insert_skill(&mut self.tx, skill).await
    }
    async fn update_skill(&mut self, skill: &Skill) -> Result<()> {
        collab::update_skill(&mut self.tx, skill).await
    }
    async fn delete_skill(&mut self, id: SkillId) -> Result<()> {
        collab::delete_skill(&mut self.tx, id).await
    }
    async fn set_agent_skills(&mut self, user: UserId, skills: &[AgentSkill]) -> Result<()> {
        collab::set_agent_skills(&mut self.tx, user, skills).await
    }
    async fn insert_capacity_rule(&mut self, rule: &CapacityRule) -> Result<()> {
        collab::insert_capacity_rule(&mut self.tx, rule).await
    }
    async fn update_capacity_rule(&mut self, rule: &CapacityRule) -> Result<()> {
        collab::update_capacity_rule(&mut self.tx, rule).await
    }
    async fn delete_capacity_rule(&mut self, id: CapacityRuleId) -> Result<()> {
        collab::delete_capacity_rule(&mut self.tx, id).await
    }
    async fn set_rule_agents(&mut self, rule: CapacityRuleId, users: &[UserId]) -> Result<()> {
        collab::set_rule_agents(&mut self.tx, rule, users).await
    }
    async fn insert_media(&mut self, file: &MediaFile) -> Result<()> {
        media::insert_media(&mut self.tx, file).await
    }
    async fn mark_media_uploaded(&mut self, file: &MediaFile) -> Result<()> {
        media::mark_uploaded(&mut self.tx, file).await
    }
    async fn commit(self: Box<Self>) -> Result<()> {
        let mut this = *self;
        if this.wake && this.backend == Backend::Postgres {
            // Delivered by PostgreSQL when (and only if) the transaction commits.
            sqlx::query(&format!("NOTIFY {}", crate::EVENTS_CHANNEL))
                .execute(&mut *this.tx)
                .await
                .map_err(db)?;
        }
        this.tx.commit().await.map_err(db)?;
        if this.wake {
            this.commits.send_modify(|n| *n = n.wrapping_add(1));
        }
        Ok(())
    }
}
