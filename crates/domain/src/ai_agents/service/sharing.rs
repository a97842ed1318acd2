//! Sharing an agent with another user, with rights.

use crate::ai_agents::agent::{Access, Right, Share};
use crate::ai_agents::AiAgents;
use crate::ids::{AgentId, UserId};
use crate::tenancy::account::User;
use crate::{DomainError, Result};

/// Whom to share with.
#[derive(Debug, Clone)]
pub enum ShareTarget {
    Email(String),
    Id(UserId),
}

impl AiAgents<'_> {
    async fn owned(&self, user: &User, id: AgentId) -> Result<()> {
        let visible = self.get_agent(user, id).await?;
        match visible.access {
            Access::Owner => Ok(()),
            Access::Shared { .. } => Err(DomainError::Forbidden(
                "only the owner can manage sharing".into(),
            )),
        }
    }

    /// Shares an agent the user owns, or changes the rights of an existing share.
    pub async fn share_agent(
        &self,
        owner: &User,
        id: AgentId,
        target: ShareTarget,
        rights: Vec<Right>,
    ) -> Result<(Share, User)> {
        self.owned(owner, id).await?;
        let unknown = || DomainError::NotFound("user");
        let target = match target {
            ShareTarget::Email(email) => {
                let email = crate::tenancy::account::Email::parse(&email)?;
                self.store
                    .user_by_email(email.as_str())
                    .await?
                    .ok_or_else(unknown)?
            }
            ShareTarget::Id(uid) => self.store.user(uid).await?.ok_or_else(unknown)?,
        };
        if target.id == owner.id {
            return Err(DomainError::invalid(
                "an agent cannot be shared with its owner",
            ));
        }
        let mut rights = rights;
        if !rights.contains(&Right::View) {
            rights.insert(0, Right::View);
        }
        rights.dedup();
        let share = Share {
            agent_id: id,
            user_id: target.id,
            rights,
            shared_by: owner.id,
            shared_at: self.clock.now(),
        };
        let mut tx = self.store.begin().await?;
        tx.agent_for_update(id).await?;
        tx.upsert_share(&share).await?;
        tx.commit().await?;
        Ok((share, target))
    }

    /// Stops sharing an agent with a user.
    pub async fn unshare_agent(&self, owner: &User, id: AgentId, target: UserId) -> Result<()> {
        self.owned(owner, id).await?;
        let mut tx = self.store.begin().await?;
        if !tx.delete_share(id, target).await? {
            return Err(DomainError::NotFound("share"));
        }
        tx.commit().await
    }

    /// The shares of an agent the user owns, with the users they name.
    pub async fn agent_shares(
        &self,
        owner: &User,
        id: AgentId,
    ) -> Result<Vec<(Share, Option<User>)>> {
        self.owned(owner, id).await?;
        let mut out = Vec::new();
        for share in self.store.shares(id).await? {
            let user = self.store.user(share.user_id).await?;
            out.push((share, user));
        }
        Ok(out)
    }
}
