//! Agent credentials: sealed at rest as one JSON list per agent, never in agent reads,
//! versions or logs. Reading needs the agent-control right; writing needs the agents right.

use serde_json::json;

use crate::ai_agents::agent::{AiAgent, Credential, CredentialWrite, Precondition, VersionAction};
use crate::ai_agents::AiAgents;
use crate::ids::AgentId;
use crate::secret::{secret_context, Sealed, SecretPurpose};
use crate::tenancy::account::User;
use crate::{DomainError, Result};

use super::writes::VersionNote;

const PURPOSE: SecretPurpose = SecretPurpose::AgentCredentials;

impl AiAgents<'_> {
    fn open_credentials(&self, agent: AgentId, sealed: Option<Sealed>) -> Result<Vec<Credential>> {
        let Some(sealed) = sealed else {
            return Ok(Vec::new());
        };
        let plain = self
            .cipher
            .open(&sealed, &secret_context(PURPOSE, &agent.to_string()))?;
        let pairs: Vec<(String, String)> =
            serde_json::from_slice(&plain).map_err(DomainError::internal)?;
        Ok(pairs
            .into_iter()
            .map(|(key, value)| Credential { key, value })
            .collect())
    }

    /// The agent's credentials, decrypted.
    pub async fn credentials(&self, user: &User, id: AgentId) -> Result<Vec<Credential>> {
        let visible = self.get_agent(user, id).await?;
        if !visible.access.can_control() {
            return Err(DomainError::Forbidden(
                "the agent-control right is required to read credentials".into(),
            ));
        }
        let sealed = self.store.secret(PURPOSE, &id.to_string()).await?;
        self.open_credentials(id, sealed)
    }

    /// Replaces or merges the agent's credentials and records a version naming the keys.
    pub async fn write_credentials(
        &self,
        user: &User,
        id: AgentId,
        write: CredentialWrite,
        commit_message: Option<String>,
        precondition: &Precondition,
    ) -> Result<AiAgent> {
        let mut tx = self.store.begin().await?;
        let visible = self.agent_in_tx(tx.as_mut(), user, id).await?;
        visible.access.require_write()?;
        precondition.check(visible.agent.revision)?;
        let current = self.open_credentials(id, tx.secret(PURPOSE, &id.to_string()).await?)?;
        let next = write.apply(current)?;
        let pairs: Vec<(&str, &str)> = next
            .iter()
            .map(|c| (c.key.as_str(), c.value.as_str()))
            .collect();
        let plain = serde_json::to_vec(&pairs).map_err(DomainError::internal)?;
        let sealed = self
            .cipher
            .seal(&plain, &secret_context(PURPOSE, &id.to_string()))?;
        tx.put_secret(PURPOSE, &id.to_string(), &sealed, self.clock.now())
            .await?;
        let mut agent = visible.agent;
        let note = VersionNote {
            action: VersionAction::Credentials,
            commit_message,
            updates: json!({ "credentials": { "keys": write.keys() } }),
        };
        self.save_with_version(tx.as_mut(), &mut agent, user, note, false)
            .await?;
        tx.commit().await?;
        Ok(agent)
    }
}
