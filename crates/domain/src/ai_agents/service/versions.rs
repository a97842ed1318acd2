//! Version history: lists, single versions, restore and diff.

use serde_json::{json, Value};

use crate::ai_agents::agent::{AgentVersion, Precondition, VersionAction, VisibleAgent};
use crate::ai_agents::AiAgents;
use crate::ids::{AgentId, VersionId};
use crate::json::{diff, Change};
use crate::page::{Page, Paged};
use crate::tenancy::account::User;
use crate::{DomainError, Result};

use super::writes::VersionNote;

/// Field-level changes between two versions of one agent.
#[derive(Debug, Clone)]
pub struct VersionDiff {
    pub from: AgentVersion,
    pub to: AgentVersion,
    pub changes: Vec<Change>,
}

fn version_not_found() -> DomainError {
    DomainError::NotFound("version")
}

impl AiAgents<'_> {
    /// An agent's versions, newest first.
    pub async fn versions(
        &self,
        user: &User,
        id: AgentId,
        page: Page,
    ) -> Result<Paged<AgentVersion>> {
        self.get_agent(user, id).await?;
        self.store.versions(id, page).await
    }

    /// One version, with its updates.
    pub async fn version(
        &self,
        user: &User,
        id: AgentId,
        version: VersionId,
    ) -> Result<AgentVersion> {
        self.get_agent(user, id).await?;
        self.store
            .version(id, version)
            .await?
            .ok_or_else(version_not_found)
    }

    /// Makes an earlier version's state current again, as a new version.
    pub async fn restore_version(
        &self,
        user: &User,
        id: AgentId,
        version: VersionId,
        commit_message: Option<String>,
        precondition: &Precondition,
    ) -> Result<VisibleAgent> {
        let mut tx = self.store.begin().await?;
        let VisibleAgent { mut agent, access } = self.agent_in_tx(tx.as_mut(), user, id).await?;
        access.require_write()?;
        precondition.check(agent.revision)?;
        let old = tx
            .version(id, version)
            .await?
            .ok_or_else(version_not_found)?;
        agent.set_document(&old.snapshot)?;
        let note = VersionNote {
            action: VersionAction::Restore,
            commit_message: commit_message
                .or_else(|| Some(format!("Restored version {}", old.number))),
            updates: json!({ "restoredFrom": { "versionId": old.id.to_string(), "versionNumber": old.number } }),
        };
        self.save_with_version(tx.as_mut(), &mut agent, user, note, false)
            .await?;
        tx.commit().await?;
        Ok(VisibleAgent { agent, access })
    }

    /// What changed from `against` (default: the version just before) to `version`.
    pub async fn diff_versions(
        &self,
        user: &User,
        id: AgentId,
        version: VersionId,
        against: Option<VersionId>,
    ) -> Result<VersionDiff> {
        let to = self.version(user, id, version).await?;
        let from = match against {
            Some(v) => self.version(user, id, v).await?,
            None => self.previous_version(id, &to).await?,
        };
        let empty = Value::Object(Default::default());
        let before = if from.id == to.id && to.number == 1 {
            &empty
        } else {
            &from.snapshot
        };
        Ok(VersionDiff {
            changes: diff(before, &to.snapshot),
            from,
            to,
        })
    }

    async fn previous_version(&self, id: AgentId, to: &AgentVersion) -> Result<AgentVersion> {
        if to.number <= 1 {
            return Ok(to.clone());
        }
        self.store
            .version_by_number(id, to.number - 1)
            .await?
            .ok_or_else(version_not_found)
    }
}
