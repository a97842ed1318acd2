//! A change to an agent's editable fields, and the two ways it applies: top-level replace
//! (Dialgood) and deep partial update (Callin).

use serde_json::{json, Value};

use crate::ai_agents::agent::{AiAgent, MAX_NAME_LEN, PROTECTED_FIELDS};
use crate::json::{deep_merge, JsonObject};
use crate::{DomainError, Result};

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
                    crate::ai_agents::config::check_field(key, value)?;
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
            patch.phone_numbers =
                Some(crate::ai_agents::config::structured_phone_numbers(numbers)?);
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
        if self.extra.contains_key(crate::ai_agents::config::WORKFLOW) {
            if let Some(workflow) = agent.extra.get_mut(crate::ai_agents::config::WORKFLOW) {
                crate::ai_agents::workflow::finalize(workflow)?;
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
    fn deep_patches_merge_at_every_level_and_check_the_workflow() {
        let now = jiff::Timestamp::UNIX_EPOCH;
        let mut agent = AiAgent {
            id: crate::ids::AgentId(1),
            company_id: crate::ids::CompanyId(1),
            owner_id: crate::ids::UserId(1),
            name: "A".into(),
            settings: Default::default(),
            phone_numbers: vec![],
            metadata: Default::default(),
            extra: json!({"conversationConfig": {"agent": {"prompt": {"prompt": "p", "llm": "x"}}},
                "tags": ["a", "b"]})
            .as_object()
            .unwrap()
            .clone(),
            revision: 1,
            created_at: now,
            updated_at: now,
        };
        let patch = AgentPatch::deep_from_document(&json!({
            "conversationConfig": {"agent": {"prompt": {"llm": "y"}}}, "tags": ["c"]
        }))
        .unwrap();
        patch.apply_to(&mut agent).unwrap();
        assert_eq!(
            agent.extra["conversationConfig"],
            json!({"agent": {"prompt": {"prompt": "p", "llm": "y"}}})
        );
        assert_eq!(agent.extra["tags"], json!(["c"]));
        let dangling = AgentPatch::deep_from_document(&json!({
            "workflow": {"edges": {"e": {"source": "a", "target": "b"}}}
        }))
        .unwrap();
        assert!(dangling.apply_to(&mut agent).is_err());
        assert!(AgentPatch::deep_from_document(&json!({"phoneNumbers": ["+1"]})).is_err());
    }
}
