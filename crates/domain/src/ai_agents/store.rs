//! Storage of AI agents, their versions and shares: reads on [`AgentStore`], writes inside a [`AgentTx`]. Implemented for
//! SQLite and PostgreSQL in `switchboard-store`.

use async_trait::async_trait;

use crate::ai_agents::agent::{AgentVersion, AiAgent, Share};
use crate::ai_agents::list::AgentListQuery;
use crate::ids::{AgentId, UserId, VersionId};
use crate::page::{Page, Paged};

use crate::Result;

/// Reads of AI agents, their versions and shares.
#[async_trait]
pub trait AgentStore: Send + Sync {
    async fn agent(&self, id: AgentId) -> Result<Option<AiAgent>>;
    /// The epoch of agents: it changes, in every process, when a commit writes an agent's row
    /// or authentication data. `None` when it cannot be known; nothing read may then be
    /// reused.
    fn agents_epoch(&self) -> Option<u64>;
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
}

/// Writes of AI agents, their versions and shares, inside a write transaction.
#[async_trait]
pub trait AgentTx: Send {
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
}
