//! The structured configuration an agent carries besides its name and settings: call direction,
//! tags, conversation config, platform settings, workflow and phone numbers. These live in the
//! agent's `extra` fields (and `phone_numbers`), so every dialect reads the same values.
//!
//! Writes are type-checked here at the top level (whatever dialect sends them): the direction,
//! tags as strings, the conversation config and platform settings as objects. The sections of
//! the platform settings, their types and defaults are the Callin dialect's (its `sections`
//! module checks them on its writes and fills them in on its reads).

use serde_json::{json, Value};

use crate::ai_agents::agent::AiAgent;
use crate::json::{deep_merge, JsonObject};
use crate::{DomainError, Result};

/// The `extra` key of the call direction.
pub const DIRECTION: &str = "direction";
/// The `extra` key of the tags.
pub const TAGS: &str = "tags";
/// The `extra` key of the conversation configuration (free-form object).
pub const CONVERSATION_CONFIG: &str = "conversationConfig";
/// The `extra` key of the platform settings.
pub const PLATFORM_SETTINGS: &str = "platformSettings";
/// The `extra` key of the workflow graph.
pub const WORKFLOW: &str = "workflow";

/// Which calls an agent handles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Outbound,
    Inbound,
    Both,
}

impl Direction {
    /// The wire and stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Outbound => "outbound",
            Self::Inbound => "inbound",
            Self::Both => "both",
        }
    }

    /// Reads a stored or wire name.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "outbound" => Ok(Self::Outbound),
            "inbound" => Ok(Self::Inbound),
            "both" => Ok(Self::Both),
            other => Err(DomainError::invalid(format!(
                "direction must be one of outbound, inbound, both (got '{other}')"
            ))),
        }
    }
}

fn check_object(key: &str, value: &Value) -> Result<()> {
    match value {
        Value::Object(_) => Ok(()),
        _ => Err(DomainError::invalid(format!("{key} must be an object"))),
    }
}

fn check_strings(key: &str, value: &Value) -> Result<()> {
    match value {
        Value::Array(items) if items.iter().all(Value::is_string) => Ok(()),
        _ => Err(DomainError::invalid(format!(
            "{key} must be an array of strings"
        ))),
    }
}

/// Checks the type of one structured top-level field in a write (a partial value: only the
/// fields present are checked). Fields this module does not know pass unchanged.
pub fn check_field(key: &str, value: &Value) -> Result<()> {
    match key {
        DIRECTION => match value {
            Value::String(s) => Direction::parse(s).map(|_| ()),
            _ => Err(DomainError::invalid(
                "direction must be one of outbound, inbound, both",
            )),
        },
        TAGS => check_strings(TAGS, value),
        CONVERSATION_CONFIG => check_object(CONVERSATION_CONFIG, value),
        // Its sections are a dialect's (Callin's); the domain keeps it as an object.
        PLATFORM_SETTINGS => check_object(PLATFORM_SETTINGS, value),
        WORKFLOW => crate::ai_agents::workflow::check_partial(value),
        _ => Ok(()),
    }
}

/// Checks phone numbers written as `{provider, number, label}` objects (strings; `number`
/// required and not blank, `provider` and `label` default to "").
pub fn structured_phone_numbers(items: &[Value]) -> Result<Vec<Value>> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let Value::Object(map) = item else {
                return Err(DomainError::invalid(format!(
                    "phoneNumbers[{i}] must be an object with provider, number and label"
                )));
            };
            let text = |key: &str| -> Result<String> {
                match map.get(key) {
                    None => Ok(String::new()),
                    Some(Value::String(s)) => Ok(s.clone()),
                    Some(_) => Err(DomainError::invalid(format!(
                        "phoneNumbers[{i}].{key} must be a string"
                    ))),
                }
            };
            let number = text("number")?;
            if number.trim().is_empty() {
                return Err(DomainError::invalid(format!(
                    "phoneNumbers[{i}].number is required"
                )));
            }
            Ok(json!({"provider": text("provider")?, "number": number, "label": text("label")?}))
        })
        .collect()
}

/// One phone number as `{provider, number, label}`. A plain string (as the Dialgood dialect may
/// store) reads as the number with an empty provider and label.
pub fn phone_number_view(stored: &Value) -> Value {
    let field = |map: &JsonObject, key: &str| match map.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    match stored {
        Value::String(s) => json!({"provider": "", "number": s, "label": ""}),
        Value::Object(map) => json!({
            "provider": field(map, "provider"),
            "number": field(map, "number"),
            "label": field(map, "label"),
        }),
        other => json!({"provider": "", "number": other.to_string(), "label": ""}),
    }
}

/// An agent's structured configuration, defaults filled in where the domain has them (the
/// platform settings are as stored: their sections and defaults are the dialect's).
#[derive(Debug, Clone, PartialEq)]
pub struct AgentConfig {
    pub direction: Direction,
    pub tags: Vec<String>,
    pub conversation_config: Value,
    /// As stored (an object, `{}` when unset).
    pub platform_settings: Value,
    pub phone_numbers: Vec<Value>,
    pub workflow: Value,
}

impl AgentConfig {
    /// Reads the configuration of an agent, tolerating values of the wrong type (they read as
    /// the default) so that no stored state can make a read fail.
    pub fn of(agent: &AiAgent) -> Self {
        let extra = &agent.extra;
        let direction = extra
            .get(DIRECTION)
            .and_then(Value::as_str)
            .and_then(|s| Direction::parse(s).ok())
            .unwrap_or(Direction::Outbound);
        let tags = match extra.get(TAGS) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        let conversation_config = match extra.get(CONVERSATION_CONFIG) {
            Some(v @ Value::Object(_)) => v.clone(),
            _ => json!({}),
        };
        let platform_settings = match extra.get(PLATFORM_SETTINGS) {
            Some(v @ Value::Object(_)) => v.clone(),
            _ => json!({}),
        };
        let mut workflow = crate::ai_agents::workflow::empty();
        if let Some(stored @ Value::Object(_)) = extra.get(WORKFLOW) {
            deep_merge(&mut workflow, stored);
        }
        Self {
            direction,
            tags,
            conversation_config,
            platform_settings,
            phone_numbers: agent.phone_numbers.iter().map(phone_number_view).collect(),
            workflow,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_settings_are_an_object_whatever_its_sections() {
        for ok in [
            json!({}),
            json!({"callRetry": {"retryCount": "any"}, "custom": 1}),
        ] {
            assert!(check_field(PLATFORM_SETTINGS, &ok).is_ok(), "{ok}");
        }
        assert!(check_field(PLATFORM_SETTINGS, &json!([])).is_err());
        assert!(check_field(CONVERSATION_CONFIG, &json!("text")).is_err());
    }

    #[test]
    fn direction_and_tags_are_checked() {
        assert!(check_field(DIRECTION, &json!("both")).is_ok());
        assert!(check_field(DIRECTION, &json!("sideways")).is_err());
        assert!(check_field(TAGS, &json!(["a"])).is_ok());
        assert!(check_field(TAGS, &json!("a")).is_err());
        assert!(check_field("other", &json!(5)).is_ok());
    }

    #[test]
    fn phone_numbers_read_from_strings_and_objects() {
        assert_eq!(
            phone_number_view(&json!("+15550100")),
            json!({"provider": "", "number": "+15550100", "label": ""})
        );
        assert_eq!(
            phone_number_view(&json!({"number": "+1", "provider": "twilio"})),
            json!({"provider": "twilio", "number": "+1", "label": ""})
        );
        assert!(structured_phone_numbers(&[json!("+1")]).is_err());
        assert!(structured_phone_numbers(&[json!({"number": 5})]).is_err());
        assert!(structured_phone_numbers(&[json!({"label": "x"})]).is_err());
    }
}
