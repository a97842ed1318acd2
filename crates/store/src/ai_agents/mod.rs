//! The ai agents context's storage: its queries, its rows, and the domain's
//! [`AgentStore`] and [`AgentTx`] over them.

pub(crate) mod queries;
pub(crate) mod rows;

use async_trait::async_trait;
use switchboard_domain::ai_agents::agent::{AgentVersion, AiAgent, Share};
use switchboard_domain::ai_agents::list::AgentListQuery;
use switchboard_domain::ids::*;
use switchboard_domain::page::{Page, Paged};
use switchboard_domain::Result;

use crate::tx::SqlTx;
use crate::SqlStore;
use switchboard_domain::store::{AgentStore, AgentTx};

#[async_trait]
impl AgentStore for SqlStore {
    async fn agent(&self, id: AgentId) -> Result<Option<AiAgent>> {
        queries::agent(&mut *self.conn().await?, id, None).await
    }
    fn agents_epoch(&self) -> Option<u64> {
        // Authentication data too: an agent's owner may have changed or gone.
        let agents = self.agents.current()?;
        let auth = self.auth.current()?;
        Some(agents.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ auth)
    }
    async fn share(&self, agent: AgentId, user: UserId) -> Result<Option<Share>> {
        queries::share(&mut *self.conn().await?, agent, user).await
    }
    async fn shares(&self, agent: AgentId) -> Result<Vec<Share>> {
        queries::shares(&mut *self.conn().await?, agent).await
    }
    async fn agents_visible_to(
        &self,
        user: UserId,
        page: Page,
    ) -> Result<Paged<(AiAgent, Option<Share>)>> {
        queries::visible_to(&mut *self.conn().await?, user, page).await
    }
    async fn agents_visible_page(
        &self,
        query: &AgentListQuery,
    ) -> Result<Vec<(AiAgent, Option<Share>)>> {
        queries::visible_page(&mut *self.conn().await?, query).await
    }
    async fn versions(&self, agent: AgentId, page: Page) -> Result<Paged<AgentVersion>> {
        queries::versions(&mut *self.conn().await?, agent, page).await
    }
    async fn version(&self, agent: AgentId, id: VersionId) -> Result<Option<AgentVersion>> {
        queries::version(&mut *self.conn().await?, agent, id).await
    }
    async fn version_by_number(&self, agent: AgentId, number: i64) -> Result<Option<AgentVersion>> {
        queries::version_by_number(&mut *self.conn().await?, agent, number).await
    }
}

#[async_trait]
impl AgentTx for SqlTx {
    async fn agent_for_update(&mut self, id: AgentId) -> Result<Option<AiAgent>> {
        queries::agent(&mut self.tx, id, Some(self.backend)).await
    }
    async fn share(&mut self, agent: AgentId, user: UserId) -> Result<Option<Share>> {
        queries::share(&mut self.tx, agent, user).await
    }
    async fn insert_agent(&mut self, agent: &AiAgent) -> Result<()> {
        self.agents_changed = true;
        queries::insert_agent(&mut self.tx, agent).await
    }
    async fn update_agent(&mut self, agent: &AiAgent) -> Result<()> {
        self.agents_changed = true;
        queries::update_agent(&mut self.tx, agent).await
    }
    async fn delete_agent(&mut self, id: AgentId) -> Result<()> {
        self.agents_changed = true;
        queries::delete_agent(&mut self.tx, id).await
    }
    async fn insert_version(&mut self, version: &AgentVersion) -> Result<()> {
        queries::insert_version(&mut self.tx, version).await
    }
    async fn version(&mut self, agent: AgentId, id: VersionId) -> Result<Option<AgentVersion>> {
        queries::version(&mut self.tx, agent, id).await
    }
    async fn upsert_share(&mut self, share: &Share) -> Result<()> {
        queries::upsert_share(&mut self.tx, share).await
    }
    async fn delete_share(&mut self, agent: AgentId, user: UserId) -> Result<bool> {
        queries::delete_share(&mut self.tx, agent, user).await
    }
}
