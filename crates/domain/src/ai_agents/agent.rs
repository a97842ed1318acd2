//! AI voice agents: the record both the Dialgood and the Callin dialects read and write, its
//! versions, its sharing, and its credentials.

use jiff::Timestamp;
use serde_json::{json, Value};

use crate::ids::{AgentId, CompanyId, UserId, VersionId};
use crate::json::JsonObject;
use crate::tenancy::account::User;
use crate::{DomainError, Result};

pub use crate::ai_agents::patch::AgentPatch;

/// Longest agent name accepted.
pub const MAX_NAME_LEN: usize = 200;

/// Top-level fields no write may set: identity, ownership and timestamps.
pub const PROTECTED_FIELDS: &[&str] = &[
    "_id",
    "__v",
    "id",
    "agentId",
    "userId",
    "created_at",
    "updated_at",
    "owner",
    "rights",
];

/// An AI voice agent.
#[derive(Debug, Clone, PartialEq)]
pub struct AiAgent {
    pub id: AgentId,
    pub company_id: CompanyId,
    pub owner_id: UserId,
    pub name: String,
    pub settings: JsonObject,
    pub phone_numbers: Vec<Value>,
    pub metadata: JsonObject,
    /// Every other top-level field a dialect stored (Callin's `direction`, `tags`, ...).
    pub extra: JsonObject,
    /// Number of the latest version; the agent's ETag.
    pub revision: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl AiAgent {
    /// The editable state as one JSON document: what versions snapshot and diffs compare.
    pub fn document(&self) -> Value {
        let mut doc = JsonObject::new();
        doc.insert("name".into(), json!(self.name));
        doc.insert("settings".into(), Value::Object(self.settings.clone()));
        doc.insert(
            "phoneNumbers".into(),
            Value::Array(self.phone_numbers.clone()),
        );
        doc.insert("metadata".into(), Value::Object(self.metadata.clone()));
        for (k, v) in &self.extra {
            doc.insert(k.clone(), v.clone());
        }
        Value::Object(doc)
    }

    /// Replaces the editable state with a document made by [`AiAgent::document`].
    pub fn set_document(&mut self, doc: &Value) -> Result<()> {
        let patch = AgentPatch::from_document(doc)?;
        self.name = patch.name.unwrap_or_default();
        self.settings = patch.settings.unwrap_or_default();
        self.phone_numbers = patch.phone_numbers.unwrap_or_default();
        self.metadata = patch.metadata.unwrap_or_default();
        self.extra = patch.extra;
        Ok(())
    }
}

/// A right on a shared agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Right {
    /// Read the agent, its settings, versions and call logs.
    View,
    /// Write the agent (the seed's `agents` right).
    Agents,
    /// Read decrypted credentials.
    AgentControl,
}

impl Right {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::View => "view",
            Self::Agents => "agents",
            Self::AgentControl => "agent-control",
        }
    }

    /// Reads a wire name.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "view" => Ok(Self::View),
            "agents" => Ok(Self::Agents),
            "agent-control" => Ok(Self::AgentControl),
            other => Err(DomainError::invalid(format!(
                "unknown right '{other}' (expected view, agents or agent-control)"
            ))),
        }
    }
}

/// An agent shared with a user other than its owner.
#[derive(Debug, Clone, PartialEq)]
pub struct Share {
    pub agent_id: AgentId,
    pub user_id: UserId,
    pub rights: Vec<Right>,
    pub shared_by: UserId,
    pub shared_at: Timestamp,
}

/// How a user reaches an agent.
#[derive(Debug, Clone, PartialEq)]
pub enum Access {
    Owner,
    Shared {
        share: Share,
        shared_by: Option<User>,
    },
}

impl Access {
    /// Whether the user may write the agent.
    pub fn can_write(&self) -> bool {
        self.has(Right::Agents)
    }

    /// Whether the user may read decrypted credentials.
    pub fn can_control(&self) -> bool {
        self.has(Right::AgentControl)
    }

    fn has(&self, right: Right) -> bool {
        match self {
            Self::Owner => true,
            Self::Shared { share, .. } => share.rights.contains(&right),
        }
    }

    /// Refuses unless the user may write.
    pub fn require_write(&self) -> Result<()> {
        if self.can_write() {
            Ok(())
        } else {
            Err(DomainError::Forbidden(
                "the agents right is required to change this agent".into(),
            ))
        }
    }
}

/// An agent as one user sees it.
#[derive(Debug, Clone)]
pub struct VisibleAgent {
    pub agent: AiAgent,
    pub access: Access,
}

/// What kind of write a version records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionAction {
    Create,
    Update,
    Settings,
    Credentials,
    Clone,
    Restore,
}

impl VersionAction {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Settings => "settings",
            Self::Credentials => "credentials",
            Self::Clone => "clone",
            Self::Restore => "restore",
        }
    }

    /// Reads the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Create,
            Self::Update,
            Self::Settings,
            Self::Credentials,
            Self::Clone,
            Self::Restore,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

/// One immutable version of an agent.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentVersion {
    pub id: VersionId,
    pub agent_id: AgentId,
    pub number: i64,
    pub action: VersionAction,
    pub commit_message: Option<String>,
    /// The update that was applied (domain field names; credential values never appear).
    pub updates: Value,
    /// The agent's whole editable state after the write.
    pub snapshot: Value,
    pub author_id: UserId,
    pub author_name: String,
    pub created_at: Timestamp,
}

/// One agent credential, decrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub key: String,
    pub value: String,
}

/// Longest credential key accepted.
pub const MAX_CREDENTIAL_KEY_LEN: usize = 200;

/// How a credential write combines with the stored list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialWrite {
    /// The list becomes exactly this.
    Replace(Vec<Credential>),
    /// These keys are set (`Some`) or removed (`None`); others stay.
    Merge(Vec<(String, Option<String>)>),
}

impl CredentialWrite {
    /// Checks keys and applies the write to `current`.
    pub fn apply(&self, current: Vec<Credential>) -> Result<Vec<Credential>> {
        let check = |key: &str| -> Result<()> {
            if key.trim().is_empty() || key.len() > MAX_CREDENTIAL_KEY_LEN {
                return Err(DomainError::invalid(format!(
                    "credential keys must be 1 to {MAX_CREDENTIAL_KEY_LEN} characters"
                )));
            }
            Ok(())
        };
        match self {
            Self::Replace(list) => {
                let mut seen = std::collections::HashSet::new();
                for c in list {
                    check(&c.key)?;
                    if !seen.insert(c.key.as_str()) {
                        return Err(DomainError::invalid(format!(
                            "credential key '{}' appears twice",
                            c.key
                        )));
                    }
                }
                Ok(list.clone())
            }
            Self::Merge(changes) => {
                let mut out = current;
                for (key, value) in changes {
                    check(key)?;
                    match value {
                        Some(v) => match out.iter_mut().find(|c| &c.key == key) {
                            Some(existing) => existing.value.clone_from(v),
                            None => out.push(Credential {
                                key: key.clone(),
                                value: v.clone(),
                            }),
                        },
                        None => out.retain(|c| &c.key != key),
                    }
                }
                Ok(out)
            }
        }
    }

    /// The keys this write touches, for the version record (never the values).
    pub fn keys(&self) -> Vec<String> {
        match self {
            Self::Replace(list) => list.iter().map(|c| c.key.clone()).collect(),
            Self::Merge(changes) => changes.iter().map(|(k, _)| k.clone()).collect(),
        }
    }
}

/// An `If-Match` precondition on an agent write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Precondition {
    /// `If-Match: *` or no header: any current revision.
    None,
    /// One of these revisions must be current.
    Revisions(Vec<i64>),
}

impl Precondition {
    /// Refuses with [`DomainError::PreconditionFailed`] unless `revision` satisfies it.
    pub fn check(&self, revision: i64) -> Result<()> {
        match self {
            Self::Revisions(allowed) if !allowed.contains(&revision) => {
                Err(DomainError::PreconditionFailed)
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_merge_sets_and_removes() {
        let current = vec![Credential {
            key: "A".into(),
            value: "1".into(),
        }];
        let out = CredentialWrite::Merge(vec![("B".into(), Some("2".into())), ("A".into(), None)])
            .apply(current)
            .unwrap();
        assert_eq!(
            out,
            vec![Credential {
                key: "B".into(),
                value: "2".into()
            }]
        );
        let dup = CredentialWrite::Replace(vec![
            Credential {
                key: "A".into(),
                value: "1".into(),
            },
            Credential {
                key: "A".into(),
                value: "2".into(),
            },
        ]);
        assert!(dup.apply(vec![]).is_err());
    }
}
