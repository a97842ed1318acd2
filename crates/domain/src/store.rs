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
use crate::idempotency::{Claim, StoredResponse};
use crate::ids::{AgentId, ApiKeyId, CompanyId, PartnerId, UserId, VersionId};
use crate::page::{Page, Paged};
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

    /// Records a call (the telephony side fills the table; tests use it for fixtures).
    async fn insert_call(&mut self, call: &Call) -> Result<()>;

    async fn commit(self: Box<Self>) -> Result<()>;
}
