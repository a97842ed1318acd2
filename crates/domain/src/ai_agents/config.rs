//! The structured configuration an agent carries besides its name and settings: call direction,
//! tags, conversation config, platform settings, workflow and phone numbers. These live in the
//! agent's `extra` fields (and `phone_numbers`), so every dialect reads the same values.
//!
//! Writes are type-checked here (whatever dialect sends them); reads fill in the defaults of
//! every section, so an agent that never set a field still shows it.

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

/// The type a field of a typed section must have.
enum Ty {
    Bool,
    Str,
    /// A non-negative integer.
    Count,
    /// Any JSON object.
    Object,
    StrList,
    /// An object with these typed fields (others are kept as sent).
    Fields(&'static [(&'static str, Ty)]),
}

/// The platform settings sections and their fields, as the vendor documents them.
const PLATFORM: &[(&str, Ty)] = &[
    (
        "callActions",
        Ty::Fields(&[
            ("smartOptOut", Ty::Bool),
            ("issueTracking", Ty::Bool),
            ("postCallWebhook", Ty::Str),
            (
                "postCallEmail",
                Ty::Fields(&[("enabled", Ty::Bool), ("emailConfiguration", Ty::Object)]),
            ),
            (
                "scheduleOnCalendar",
                Ty::Fields(&[
                    ("enabled", Ty::Bool),
                    ("provider", Ty::Str),
                    ("eventsIds", Ty::StrList),
                ]),
            ),
        ]),
    ),
    ("widget", Ty::Object),
    (
        "dataCollection",
        Ty::Fields(&[("entities", Ty::Object), ("storeData", Ty::Bool)]),
    ),
    (
        "callRetry",
        Ty::Fields(&[("retryCount", Ty::Count), ("retryDelay", Ty::Count)]),
    ),
    ("summaryLanguage", Ty::Str),
    ("privacy", Ty::Fields(&[("recordVoice", Ty::Bool)])),
    (
        "telephony",
        Ty::Fields(&[
            ("numberRotationEnabled", Ty::Bool),
            ("rotationNumbers", Ty::StrList),
            ("callsPerNumber", Ty::Count),
            ("stateRestrictionEnabled", Ty::Bool),
            ("stateRestrictedNumbers", Ty::StrList),
        ]),
    ),
];

fn check(path: &str, ty: &Ty, value: &Value) -> Result<()> {
    let bad = |what: &str| Err(DomainError::invalid(format!("{path} must be {what}")));
    match (ty, value) {
        (Ty::Bool, Value::Bool(_))
        | (Ty::Str, Value::String(_))
        | (Ty::Object, Value::Object(_)) => Ok(()),
        (Ty::Bool, _) => bad("a boolean"),
        (Ty::Str, _) => bad("a string"),
        (Ty::Object, _) => bad("an object"),
        (Ty::Count, Value::Number(n)) if n.as_u64().is_some_and(|n| n <= i32::MAX as u64) => Ok(()),
        (Ty::Count, _) => bad("a non-negative integer"),
        (Ty::StrList, Value::Array(items)) if items.iter().all(Value::is_string) => Ok(()),
        (Ty::StrList, _) => bad("an array of strings"),
        (Ty::Fields(fields), Value::Object(map)) => {
            for (key, ty) in fields.iter() {
                if let Some(v) = map.get(*key) {
                    check(&format!("{path}.{key}"), ty, v)?;
                }
            }
            Ok(())
        }
        (Ty::Fields(_), _) => bad("an object"),
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
        TAGS => check(TAGS, &Ty::StrList, value),
        CONVERSATION_CONFIG => check(CONVERSATION_CONFIG, &Ty::Object, value),
        PLATFORM_SETTINGS => check(PLATFORM_SETTINGS, &Ty::Fields(PLATFORM), value),
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

/// What an unset platform setting reads as.
pub fn default_platform_settings() -> Value {
    json!({
        "callActions": {
            "smartOptOut": false,
            "issueTracking": false,
            "postCallWebhook": "",
            "postCallEmail": {"enabled": false, "emailConfiguration": {}},
            "scheduleOnCalendar": {"enabled": false, "provider": "google", "eventsIds": []}
        },
        "widget": {},
        "dataCollection": {"entities": {}, "storeData": false},
        "callRetry": {"retryCount": 0, "retryDelay": 0},
        "summaryLanguage": "en",
        "privacy": {"recordVoice": false},
        "telephony": {
            "numberRotationEnabled": false,
            "rotationNumbers": [],
            "callsPerNumber": 0,
            "stateRestrictionEnabled": false,
            "stateRestrictedNumbers": []
        }
    })
}

/// An agent's structured configuration with every default filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentConfig {
    pub direction: Direction,
    pub tags: Vec<String>,
    pub conversation_config: Value,
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
        let mut platform_settings = default_platform_settings();
        if let Some(stored @ Value::Object(_)) = extra.get(PLATFORM_SETTINGS) {
            deep_merge(&mut platform_settings, stored);
        }
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
    fn platform_settings_are_type_checked_at_every_level() {
        for ok in [
            json!({}),
            json!({"callActions": {"postCallEmail": {"enabled": true}}}),
            json!({"telephony": {"rotationNumbers": ["+1"], "callsPerNumber": 3}, "custom": 1}),
        ] {
            assert!(check_field(PLATFORM_SETTINGS, &ok).is_ok(), "{ok}");
        }
        for (bad, path) in [
            (json!([]), "platformSettings must"),
            (
                json!({"callActions": {"scheduleOnCalendar": {"eventsIds": [1]}}}),
                "platformSettings.callActions.scheduleOnCalendar.eventsIds",
            ),
            (json!({"callRetry": {"retryCount": -1}}), "retryCount"),
            (json!({"privacy": {"recordVoice": "yes"}}), "recordVoice"),
            (json!({"summaryLanguage": null}), "summaryLanguage"),
        ] {
            let err = check_field(PLATFORM_SETTINGS, &bad)
                .unwrap_err()
                .to_string();
            assert!(err.contains(path), "{err}");
        }
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
