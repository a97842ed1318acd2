//! Reading agents: access rules, lists, single reads, call logs.

use crate::ai_agents::agent::{Access, AiAgent, Share, VisibleAgent};
use crate::ai_agents::AiAgents;
use crate::ids::AgentId;
use crate::page::{Page, Paged};
use crate::store::WriteTx;
use crate::tenancy::account::User;
use crate::{DomainError, Result};

/// The error for an agent the user cannot see, whether or not it exists.
pub(super) fn agent_not_found() -> DomainError {
    DomainError::NotFound("agent")
}

impl AiAgents<'_> {
    /// How `user` reaches `agent`, or `None` when they may not see it.
    pub(super) async fn access(
        &self,
        user: &User,
        agent: &AiAgent,
        share: Option<Share>,
    ) -> Result<Option<Access>> {
        if agent.owner_id == user.id {
            return Ok(Some(Access::Owner));
        }
        let Some(share) = share else { return Ok(None) };
        let shared_by = self.store.user(share.shared_by).await?;
        Ok(Some(Access::Shared { share, shared_by }))
    }

    /// Agents the user owns or that are shared with them.
    pub async fn list_agents(&self, user: &User, page: Page) -> Result<Paged<VisibleAgent>> {
        let rows = self.store.agents_visible_to(user.id, page).await?;
        let mut items = Vec::with_capacity(rows.items.len());
        for (agent, share) in rows.items {
            if let Some(access) = self.access(user, &agent, share).await? {
                items.push(VisibleAgent { agent, access });
            }
        }
        Ok(Paged {
            items,
            total: rows.total,
        })
    }

    /// One agent the user may see.
    pub async fn get_agent(&self, user: &User, id: AgentId) -> Result<VisibleAgent> {
        let agent = self.agent_as_read(id).await?.ok_or_else(agent_not_found)?;
        let share = if agent.owner_id == user.id {
            None
        } else {
            self.store.share(id, user.id).await?
        };
        let access = self
            .access(user, &agent, share)
            .await?
            .ok_or_else(agent_not_found)?;
        Ok(VisibleAgent { agent, access })
    }

    /// The agent as last read, while the store's agents epoch says that no commit has changed
    /// it since (in any process); else read now. Only single reads outside write transactions
    /// use this: writes always read the row they hold.
    async fn agent_as_read(&self, id: AgentId) -> Result<Option<AiAgent>> {
        // Read before the database, so that a change committed meanwhile is not kept as new.
        let epoch = self.store.agents_epoch();
        if let Some(agent) = epoch.and_then(|e| self.agents.get(&id, e)) {
            return Ok(Some(agent));
        }
        let agent = self.store.agent(id).await?;
        if let (Some(epoch), Some(found)) = (epoch, &agent) {
            self.agents.put(id, found.clone(), epoch);
        }
        Ok(agent)
    }

    /// Inside a write transaction: the agent, held until commit, with the user's access.
    pub(super) async fn agent_in_tx(
        &self,
        tx: &mut dyn WriteTx,
        user: &User,
        id: AgentId,
    ) -> Result<VisibleAgent> {
        let agent = tx.agent_for_update(id).await?.ok_or_else(agent_not_found)?;
        let share = if agent.owner_id == user.id {
            None
        } else {
            tx.share(id, user.id).await?
        };
        let access = self
            .access(user, &agent, share)
            .await?
            .ok_or_else(agent_not_found)?;
        Ok(VisibleAgent { agent, access })
    }
}
