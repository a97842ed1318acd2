//! AI voice agents: the record both the Dialgood and the Callin dialects read and write, its
//! versions, its sharing, and its credentials.

use jiff::Timestamp;
use serde_json::{json, Value};

use crate::account::User;
use crate::ids::{AgentId, CompanyId, UserId, VersionId};
use crate::json::{deep_merge, JsonObject};
use crate::{DomainError, Result};

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

/// A change to an agent's editable fields; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgentPatch {
    pub name: Option<String>,
    pub settings: Option<JsonObject>,
    /// Merge `settings` key by key into the stored settings instead of replacing them.
    pub merge_settings: bool,
    pub phone_numbers: Option<Vec<Value>>,
    /// Merged key by key into the agent's metadata (it carries system keys such as
    /// `clonedFromAgentId`); the commit-message keys are taken out before.
    pub metadata: Option<JsonObject>,
    /// Other top-level fields, each replacing the stored value whole (or merged, when `deep`).
    pub extra: JsonObject,
    /// Deep partial update: objects in `settings`, `metadata` and the other fields merge key by
    /// key at every level, so omitted fields stay unchanged at any depth; arrays and scalars
    /// replace.
    pub deep: bool,
}

impl AgentPatch {
    /// Reads a document of domain field names, checking the types of the known fields and
    /// dropping protected ones.
    pub fn from_document(doc: &Value) -> Result<Self> {
        let Value::Object(map) = doc else {
            return Err(DomainError::invalid("the agent must be a JSON object"));
        };
        let mut patch = Self::default();
        for (key, value) in map {
            match key.as_str() {
                k if PROTECTED_FIELDS.contains(&k) => {}
                "name" => patch.name = Some(expect_name(value)?),
                "settings" => patch.settings = Some(expect_object("settings", value)?),
                "phoneNumbers" => match value {
                    Value::Array(items) => patch.phone_numbers = Some(items.clone()),
                    _ => return Err(DomainError::invalid("phoneNumbers must be an array")),
                },
                "metadata" => patch.metadata = Some(expect_object("metadata", value)?),
                "credentials" => {
                    return Err(DomainError::invalid(
                        "credentials cannot be set here; use the credentials endpoint",
                    ))
                }
                _ => {
                    crate::agent_config::check_field(key, value)?;
                    patch.extra.insert(key.clone(), value.clone());
                }
            }
        }
        Ok(patch)
    }

    /// Reads a deep partial update (see [`AgentPatch::deep`]); phone numbers must be
    /// `{provider, number, label}` objects.
    pub fn deep_from_document(doc: &Value) -> Result<Self> {
        let mut patch = Self::from_document(doc)?;
        if let Some(numbers) = &patch.phone_numbers {
            patch.phone_numbers = Some(crate::agent_config::structured_phone_numbers(numbers)?);
        }
        patch.deep = true;
        Ok(patch)
    }

    /// Takes the version label out of `metadata.commit_message` / `metadata.commitMessage`.
    pub fn take_commit_message(&mut self) -> Result<Option<String>> {
        let Some(meta) = self.metadata.as_mut() else {
            return Ok(None);
        };
        let mut message = None;
        for key in ["commit_message", "commitMessage"] {
            match meta.remove(key) {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) => message = Some(s),
                Some(_) => {
                    return Err(DomainError::invalid(format!(
                        "metadata.{key} must be a string"
                    )))
                }
            }
        }
        if meta.is_empty() {
            self.metadata = None;
        }
        Ok(message)
    }

    /// Applies the patch: top-level fields replace (or merge at every level when `deep`),
    /// metadata merges key by key. A workflow the patch touches is checked as it ends up.
    pub fn apply_to(&self, agent: &mut AiAgent) -> Result<()> {
        if let Some(name) = &self.name {
            agent.name.clone_from(name);
        }
        if let Some(settings) = &self.settings {
            if self.deep {
                merge_object(&mut agent.settings, settings);
            } else if self.merge_settings {
                agent
                    .settings
                    .extend(settings.iter().map(|(k, v)| (k.clone(), v.clone())));
            } else {
                agent.settings.clone_from(settings);
            }
        }
        if let Some(numbers) = &self.phone_numbers {
            agent.phone_numbers.clone_from(numbers);
        }
        if let Some(meta) = &self.metadata {
            if self.deep {
                merge_object(&mut agent.metadata, meta);
            } else {
                for (k, v) in meta {
                    agent.metadata.insert(k.clone(), v.clone());
                }
            }
        }
        for (k, v) in &self.extra {
            match agent.extra.get_mut(k) {
                Some(existing) if self.deep => deep_merge(existing, v),
                _ => {
                    agent.extra.insert(k.clone(), v.clone());
                }
            }
        }
        if self.extra.contains_key(crate::agent_config::WORKFLOW) {
            if let Some(workflow) = agent.extra.get_mut(crate::agent_config::WORKFLOW) {
                crate::workflow::finalize(workflow)?;
            }
        }
        Ok(())
    }

    /// The patch as a document of domain field names, as recorded in a version's `updates`.
    pub fn to_document(&self) -> Value {
        let mut doc = JsonObject::new();
        if let Some(v) = &self.name {
            doc.insert("name".into(), json!(v));
        }
        if let Some(v) = &self.settings {
            doc.insert("settings".into(), Value::Object(v.clone()));
        }
        if let Some(v) = &self.phone_numbers {
            doc.insert("phoneNumbers".into(), Value::Array(v.clone()));
        }
        if let Some(v) = &self.metadata {
            doc.insert("metadata".into(), Value::Object(v.clone()));
        }
        for (k, v) in &self.extra {
            doc.insert(k.clone(), v.clone());
        }
        Value::Object(doc)
    }
}

fn merge_object(target: &mut JsonObject, patch: &JsonObject) {
    let mut whole = Value::Object(std::mem::take(target));
    deep_merge(&mut whole, &Value::Object(patch.clone()));
    if let Value::Object(map) = whole {
        *target = map;
    }
}

fn expect_name(value: &Value) -> Result<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() && s.chars().count() <= MAX_NAME_LEN => {
            Ok(s.trim().to_owned())
        }
        Value::String(_) => Err(DomainError::invalid(format!(
            "the agent name must be 1 to {MAX_NAME_LEN} characters"
        ))),
        _ => Err(DomainError::invalid("the agent name must be a string")),
    }
}

fn expect_object(field: &str, value: &Value) -> Result<JsonObject> {
    match value {
        Value::Object(map) => Ok(map.clone()),
        _ => Err(DomainError::invalid(format!("{field} must be an object"))),
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
    fn patch_reads_types_and_ignores_protected_fields() {
        let p = AgentPatch::from_document(&json!({
            "name": "A", "agentId": "x", "owner": false, "settings": {"a": 1}, "direction": "both"
        }))
        .unwrap();
        assert_eq!(p.name.as_deref(), Some("A"));
        assert_eq!(p.extra.get("direction"), Some(&json!("both")));
        assert!(!p.extra.contains_key("agentId"));
        for bad in [
            json!({"settings": []}),
            json!({"name": 5}),
            json!({"name": " "}),
            json!({"phoneNumbers": {}}),
        ] {
            assert!(AgentPatch::from_document(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn commit_message_is_taken_from_either_spelling() {
        let mut p =
            AgentPatch::from_document(&json!({"metadata": {"commitMessage": "m"}})).unwrap();
        assert_eq!(p.take_commit_message().unwrap().as_deref(), Some("m"));
        assert_eq!(p.metadata, None);
    }

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
