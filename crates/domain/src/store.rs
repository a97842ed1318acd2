//! The storage trait. The SQLite and PostgreSQL implementations live in `switchboard-store`.
//!
//! Reads go straight to [`Store`]; every write happens inside a [`WriteTx`], which commits all of
//! its changes or none of them. Rows an update depends on are read through the transaction
//! (`*_for_update`), which holds them against concurrent writers until commit.

use async_trait::async_trait;
use jiff::Timestamp;

use crate::account::{ApiKey, Company, Partner, User};
use crate::agent::{AgentVersion, AiAgent, Share};
use crate::agent_list::AgentListQuery;
use crate::call::{Call, CallLogQuery};
use crate::client::{Client, ClientProfile, ClientQuery};
use crate::collab::{
    AgentSkill, CapacityRule, ChannelLoad, RuleWithAgents, Skill, Team, TeamInfo, TeamMember,
    TeamMembership,
};
use crate::event::{CommitWatch, Delivery, DeliveryAttempt, Event};
use crate::human_agent::AgentProfile;
use crate::idempotency::{Claim, StoredResponse};
use crate::ids::{
    AgentId, ApiKeyId, CapacityRuleId, CompanyId, DeliveryId, EventId, MediaId, PartnerId, SkillId,
    TeamId, UserId, VersionId,
};
use crate::media::MediaFile;
use crate::page::{Page, Paged};
use crate::presence::Presence;
use crate::secret::{Sealed, SecretPurpose, StoredSecret};
use crate::Result;

/// Durable state.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Checks that the database answers.
    async fn ping(&self) -> Result<()>;
    /// Starts a write transaction.
    async fn begin(&self) -> Result<Box<dyn WriteTx>>;

    async fn partner(&self, id: PartnerId) -> Result<Option<Partner>>;
    async fn company(&self, id: CompanyId) -> Result<Option<Company>>;
    async fn user(&self, id: UserId) -> Result<Option<User>>;
    async fn user_by_email(&self, email: &str) -> Result<Option<User>>;
    async fn api_key_by_hash(&self, hash: &str) -> Result<Option<ApiKey>>;

    async fn agent(&self, id: AgentId) -> Result<Option<AiAgent>>;
    async fn share(&self, agent: AgentId, user: UserId) -> Result<Option<Share>>;
    async fn shares(&self, agent: AgentId) -> Result<Vec<Share>>;
    /// Agents the user owns or that are shared with them, oldest first.
    async fn agents_visible_to(
        &self,
        user: UserId,
        page: Page,
    ) -> Result<Paged<(AiAgent, Option<Share>)>>;
    /// One keyset page of the agents the user owns or that are shared with them, filtered by
    /// name and ordered as the query says (ties broken by id).
    async fn agents_visible_page(
        &self,
        query: &AgentListQuery,
    ) -> Result<Vec<(AiAgent, Option<Share>)>>;
    /// Versions of an agent, newest first.
    async fn versions(&self, agent: AgentId, page: Page) -> Result<Paged<AgentVersion>>;
    async fn version(&self, agent: AgentId, id: VersionId) -> Result<Option<AgentVersion>>;
    async fn version_by_number(&self, agent: AgentId, number: i64) -> Result<Option<AgentVersion>>;
    async fn secret(&self, purpose: SecretPurpose, owner: &str) -> Result<Option<Sealed>>;

    async fn call_log(&self, query: &CallLogQuery) -> Result<Paged<Call>>;

    /// A client of `partner`; `None` when missing or another partner's.
    async fn client(&self, partner: PartnerId, id: CompanyId) -> Result<Option<Client>>;
    /// A filtered, sorted page of a partner's clients.
    async fn clients(&self, query: &ClientQuery) -> Result<Paged<Client>>;
    async fn event(&self, id: EventId) -> Result<Option<Event>>;
    async fn delivery(&self, id: DeliveryId) -> Result<Option<Delivery>>;
    /// Attempts of a delivery, oldest first.
    async fn delivery_attempts(&self, id: DeliveryId) -> Result<Vec<DeliveryAttempt>>;
    /// A partner's deliveries, newest first.
    async fn partner_deliveries(&self, partner: PartnerId, page: Page) -> Result<Paged<Delivery>>;
    /// Users of a company, oldest first.
    async fn company_users(&self, company: CompanyId) -> Result<Vec<User>>;
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

    async fn media(&self, id: MediaId) -> Result<Option<MediaFile>>;

    /// Claims `(scope, key)` for a request with `fingerprint`, forgetting records older than
    /// the retention period and unfinished claims older than the abandonment period.
    async fn claim_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        fingerprint: &str,
        now: Timestamp,
    ) -> Result<Claim>;
    /// Stores the response of a claimed key.
    async fn finish_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        response: &StoredResponse,
    ) -> Result<()>;
    /// Forgets a claimed key, so that the request may be retried (after a server error).
    async fn release_idempotency_key(&self, scope: &str, key: &str) -> Result<()>;

    /// Subscribes to commits that made event work (see [`CommitWatch`]): from this process,
    /// and from every process sharing the database when the database can tell. Once this
    /// returns, no later commit is missed.
    async fn subscribe_commits(&self) -> Result<Box<dyn CommitWatch>>;
    /// When the earliest pending delivery is due (leased ones count with their lease's end).
    async fn next_delivery_due(&self) -> Result<Option<Timestamp>>;
    /// Deletes up to `limit` deliveries finished (delivered or exhausted) before `before`,
    /// with their attempts; returns how many deliveries and attempts went.
    async fn prune_deliveries(&self, before: Timestamp, limit: u32) -> Result<(u64, u64)>;
    /// Deletes up to `limit` events dispatched before `before` that no delivery refers to.
    async fn prune_events(&self, before: Timestamp, limit: u32) -> Result<u64>;
    /// Deletes up to `limit` idempotency records created before `before`.
    async fn prune_idempotency_keys(&self, before: Timestamp, limit: u32) -> Result<u64>;
}

/// A write transaction: dropped without [`WriteTx::commit`], it rolls back.
#[async_trait]
pub trait WriteTx: Send {
    async fn insert_partner(&mut self, partner: &Partner) -> Result<()>;
    async fn insert_company(&mut self, company: &Company) -> Result<()>;
    /// Fails with `Conflict` when the email is taken.
    async fn insert_user(&mut self, user: &User) -> Result<()>;
    async fn insert_api_key(&mut self, key: &ApiKey) -> Result<()>;
    /// Marks a key revoked; `false` when no such live key exists.
    async fn revoke_api_key(&mut self, id: ApiKeyId, at: Timestamp) -> Result<bool>;

    /// Reads an agent and holds it until commit.
    async fn agent_for_update(&mut self, id: AgentId) -> Result<Option<AiAgent>>;
    /// Reads a user and holds it until commit (serialises writes that hang off one user).
    async fn user_for_update(&mut self, id: UserId) -> Result<Option<User>>;
    async fn share(&mut self, agent: AgentId, user: UserId) -> Result<Option<Share>>;
    async fn insert_agent(&mut self, agent: &AiAgent) -> Result<()>;
    async fn update_agent(&mut self, agent: &AiAgent) -> Result<()>;
    /// Deletes the agent with its versions, shares and secrets.
    async fn delete_agent(&mut self, id: AgentId) -> Result<()>;
    /// Fails with `Conflict` if the number is taken (the caller holds the agent, so it is not).
    async fn insert_version(&mut self, version: &AgentVersion) -> Result<()>;
    async fn version(&mut self, agent: AgentId, id: VersionId) -> Result<Option<AgentVersion>>;
    async fn upsert_share(&mut self, share: &Share) -> Result<()>;
    async fn delete_share(&mut self, agent: AgentId, user: UserId) -> Result<bool>;

    async fn secret(&mut self, purpose: SecretPurpose, owner: &str) -> Result<Option<Sealed>>;
    async fn put_secret(
        &mut self,
        purpose: SecretPurpose,
        owner: &str,
        sealed: &Sealed,
        at: Timestamp,
    ) -> Result<()>;
    /// Every stored secret, for re-encryption under a new master key.
    async fn all_secrets(&mut self) -> Result<Vec<StoredSecret>>;
    async fn replace_secret(&mut self, secret: &StoredSecret) -> Result<()>;

    async fn partner_for_update(&mut self, id: PartnerId) -> Result<Option<Partner>>;
    async fn update_partner(&mut self, partner: &Partner) -> Result<()>;
    async fn company_for_update(&mut self, id: CompanyId) -> Result<Option<Company>>;
    async fn update_company(&mut self, company: &Company) -> Result<()>;
    async fn client_profile(&mut self, company: CompanyId) -> Result<Option<ClientProfile>>;
    async fn upsert_client_profile(&mut self, profile: &ClientProfile) -> Result<()>;

    /// Adds an event to the outbox; it commits or rolls back with the change it reports.
    async fn insert_event(&mut self, event: &Event) -> Result<()>;
    /// Events not yet dispatched, oldest first, held until commit.
    async fn undispatched_events(&mut self, limit: u32) -> Result<Vec<Event>>;
    async fn mark_event_dispatched(&mut self, id: EventId, at: Timestamp) -> Result<()>;
    async fn insert_delivery(&mut self, delivery: &Delivery) -> Result<()>;
    /// Pending deliveries due at `now`, oldest due first, moved to `lease_until` so that no other
    /// worker takes them meanwhile.
    async fn claim_due_deliveries(
        &mut self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<Delivery>>;
    async fn delivery_for_update(&mut self, id: DeliveryId) -> Result<Option<Delivery>>;
    async fn update_delivery(&mut self, delivery: &Delivery) -> Result<()>;
    async fn insert_attempt(&mut self, attempt: &DeliveryAttempt) -> Result<()>;

    /// Records a call (the telephony side fills the table; tests use it for fixtures).
    async fn insert_call(&mut self, call: &Call) -> Result<()>;

    async fn agent_profile(&mut self, user: UserId) -> Result<Option<AgentProfile>>;
    async fn upsert_agent_profile(&mut self, profile: &AgentProfile) -> Result<()>;
    /// Reads a presence and holds it until commit.
    async fn presence_for_update(&mut self, user: UserId) -> Result<Option<Presence>>;
    async fn upsert_presence(&mut self, presence: &Presence) -> Result<()>;
    /// Drops the user's team memberships, skills and capacity rule assignment.
    async fn remove_agent_links(&mut self, user: UserId) -> Result<()>;

    async fn insert_team(&mut self, team: &Team) -> Result<()>;
    async fn update_team(&mut self, team: &Team) -> Result<()>;
    /// Deletes a team with its memberships.
    async fn delete_team(&mut self, id: TeamId) -> Result<()>;
    /// Adds or updates a membership.
    async fn put_team_member(&mut self, member: &TeamMember) -> Result<()>;
    /// `false` when the user was not a member.
    async fn delete_team_member(&mut self, team: TeamId, user: UserId) -> Result<bool>;

    /// Fails with `Conflict` when the company has a skill of that name.
    async fn insert_skill(&mut self, skill: &Skill) -> Result<()>;
    async fn update_skill(&mut self, skill: &Skill) -> Result<()>;
    /// Deletes a skill with its assignments.
    async fn delete_skill(&mut self, id: SkillId) -> Result<()>;
    /// Replaces the user's skills.
    async fn set_agent_skills(&mut self, user: UserId, skills: &[AgentSkill]) -> Result<()>;

    /// Fails with `Conflict` when a second default rule would exist.
    async fn insert_capacity_rule(&mut self, rule: &CapacityRule) -> Result<()>;
    async fn update_capacity_rule(&mut self, rule: &CapacityRule) -> Result<()>;
    async fn delete_capacity_rule(&mut self, id: CapacityRuleId) -> Result<()>;
    /// Makes `users` exactly the agents of `rule` (moving them off any other rule).
    async fn set_rule_agents(&mut self, rule: CapacityRuleId, users: &[UserId]) -> Result<()>;

    async fn insert_media(&mut self, file: &MediaFile) -> Result<()>;
    /// Records that the bytes of a file arrived.
    async fn mark_media_uploaded(&mut self, file: &MediaFile) -> Result<()>;

    async fn commit(self: Box<Self>) -> Result<()>;
}
