//! Writing agents. Every write appends a version in the same transaction, numbered one past the
//! agent's current revision while the agent row is held, so numbers are gap-free per agent.

use serde_json::{json, Value};

use crate::ai_agents::agent::{
    AgentPatch, AgentVersion, AiAgent, Precondition, VersionAction, VisibleAgent,
};
use crate::ai_agents::AiAgents;
use crate::ids::{AgentId, Id, VersionId};
use crate::secret::{secret_context, SecretPurpose};
use crate::store::WriteTx;
use crate::tenancy::account::User;
use crate::{DomainError, Result};

/// What a version records besides the agent's new state.
pub(super) struct VersionNote {
    pub action: VersionAction,
    pub commit_message: Option<String>,
    pub updates: Value,
}

impl AiAgents<'_> {
    /// Bumps the revision, saves the agent and appends its version.
    pub(super) async fn save_with_version(
        &self,
        tx: &mut dyn WriteTx,
        agent: &mut AiAgent,
        author: &User,
        note: VersionNote,
        is_new: bool,
    ) -> Result<AgentVersion> {
        let now = self.clock.now();
        agent.revision += 1;
        agent.updated_at = now;
        if is_new {
            tx.insert_agent(agent).await?;
        } else {
            tx.update_agent(agent).await?;
        }
        let version = AgentVersion {
            id: VersionId::generate(),
            agent_id: agent.id,
            number: agent.revision,
            action: note.action,
            commit_message: note.commit_message,
            updates: note.updates,
            snapshot: agent.document(),
            author_id: author.id,
            author_name: author.display_name(),
            created_at: now,
        };
        tx.insert_version(&version).await?;
        Ok(version)
    }

    /// Creates an agent owned by `user`; records version 1.
    pub async fn create_agent(&self, user: &User, mut patch: AgentPatch) -> Result<AiAgent> {
        let commit_message = patch.take_commit_message()?;
        let name = patch
            .name
            .clone()
            .ok_or_else(|| DomainError::invalid("agentName is required"))?;
        let now = self.clock.now();
        let mut agent = AiAgent {
            id: AgentId::generate(),
            company_id: user.company_id,
            owner_id: user.id,
            name,
            settings: Default::default(),
            phone_numbers: Vec::new(),
            metadata: Default::default(),
            extra: Default::default(),
            revision: 0,
            created_at: now,
            updated_at: now,
        };
        patch.apply_to(&mut agent)?;
        let note = VersionNote {
            action: VersionAction::Create,
            commit_message,
            updates: patch.to_document(),
        };
        let mut tx = self.store.begin_grouped().await?;
        self.save_with_version(tx.as_mut(), &mut agent, user, note, true)
            .await?;
        tx.commit().await?;
        Ok(agent)
    }

    /// Applies a patch to an agent the user may write.
    pub async fn update_agent(
        &self,
        user: &User,
        id: AgentId,
        mut patch: AgentPatch,
        action: VersionAction,
        precondition: &Precondition,
    ) -> Result<VisibleAgent> {
        let commit_message = patch.take_commit_message()?;
        // Reads what it writes through the transaction (`agent_in_tx`): it may share its commit.
        let mut tx = self.store.begin_grouped().await?;
        let VisibleAgent { mut agent, access } = self.agent_in_tx(tx.as_mut(), user, id).await?;
        access.require_write()?;
        precondition.check(agent.revision)?;
        patch.apply_to(&mut agent)?;
        let note = VersionNote {
            action,
            commit_message,
            updates: patch.to_document(),
        };
        self.save_with_version(tx.as_mut(), &mut agent, user, note, false)
            .await?;
        tx.commit().await?;
        Ok(VisibleAgent { agent, access })
    }

    /// Deletes an agent the user owns (shared agents cannot be deleted).
    pub async fn delete_agent(
        &self,
        user: &User,
        id: AgentId,
        precondition: &Precondition,
    ) -> Result<()> {
        let mut tx = self.store.begin().await?;
        let VisibleAgent { agent, access } = self.agent_in_tx(tx.as_mut(), user, id).await?;
        if !matches!(access, crate::ai_agents::agent::Access::Owner) {
            return Err(DomainError::Forbidden(
                "shared agents cannot be deleted".into(),
            ));
        }
        precondition.check(agent.revision)?;
        tx.delete_agent(id).await?;
        tx.commit().await
    }

    /// Copies an agent the user may write into a new agent the user owns. Overrides replace
    /// top-level fields. Credentials come along only when the user may read them.
    pub async fn clone_agent(
        &self,
        user: &User,
        id: AgentId,
        mut overrides: AgentPatch,
    ) -> Result<AiAgent> {
        let commit_message = overrides.take_commit_message()?;
        let mut tx = self.store.begin().await?;
        let VisibleAgent {
            agent: source,
            access,
        } = self.agent_in_tx(tx.as_mut(), user, id).await?;
        access.require_write()?;
        let now = self.clock.now();
        let mut copy = AiAgent {
            id: AgentId::generate(),
            company_id: user.company_id,
            owner_id: user.id,
            revision: 0,
            created_at: now,
            updated_at: now,
            ..source.clone()
        };
        overrides.apply_to(&mut copy)?;
        copy.metadata
            .insert("clonedFromAgentId".into(), json!(source.id.to_string()));
        let mut updates = overrides.to_document();
        if let Value::Object(map) = &mut updates {
            map.insert("clonedFromAgentId".into(), json!(source.id.to_string()));
        }
        let note = VersionNote {
            action: VersionAction::Clone,
            commit_message,
            updates,
        };
        self.save_with_version(tx.as_mut(), &mut copy, user, note, true)
            .await?;
        if access.can_control() {
            let purpose = SecretPurpose::AgentCredentials;
            if let Some(sealed) = tx.secret(purpose, &source.id.to_string()).await? {
                let plain = self
                    .cipher
                    .open(&sealed, &secret_context(purpose, &source.id.to_string()))?;
                let resealed = self
                    .cipher
                    .seal(&plain, &secret_context(purpose, &copy.id.to_string()))?;
                tx.put_secret(purpose, &copy.id.to_string(), &resealed, now)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(copy)
    }
}
