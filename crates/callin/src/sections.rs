//! Callin's platform settings: its sections, the type of each field and what an unset field
//! reads as. The domain keeps `platformSettings` as an object; this dialect checks the types of
//! what its clients write, and on reads fills in every default and shows a value of the wrong
//! type (written through another dialect, which does not know these sections) as the default.

use serde_json::{json, Value};
use switchboard_domain::ai_agents::agent::AgentPatch;
use switchboard_domain::ai_agents::config::PLATFORM_SETTINGS;
use switchboard_domain::json::deep_merge;
use switchboard_domain::{DomainError, Result};

/// The type a field of a section must have.
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

/// Whether `value` has the type `ty` asks for (at this level; fields are checked on their own).
fn fits(ty: &Ty, value: &Value) -> bool {
    match (ty, value) {
        (Ty::Bool, Value::Bool(_))
        | (Ty::Str, Value::String(_))
        | (Ty::Object | Ty::Fields(_), Value::Object(_)) => true,
        (Ty::Count, Value::Number(n)) => n.as_u64().is_some_and(|n| n <= i32::MAX as u64),
        (Ty::StrList, Value::Array(items)) => items.iter().all(Value::is_string),
        _ => false,
    }
}

fn check(path: &str, ty: &Ty, value: &Value) -> Result<()> {
    if !fits(ty, value) {
        let what = match ty {
            Ty::Bool => "a boolean",
            Ty::Str => "a string",
            Ty::Count => "a non-negative integer",
            Ty::Object | Ty::Fields(_) => "an object",
            Ty::StrList => "an array of strings",
        };
        return Err(DomainError::invalid(format!("{path} must be {what}")));
    }
    if let (Ty::Fields(fields), Value::Object(map)) = (ty, value) {
        for (key, ty) in fields.iter() {
            if let Some(v) = map.get(*key) {
                check(&format!("{path}.{key}"), ty, v)?;
            }
        }
    }
    Ok(())
}

/// Checks the platform settings a Callin write carries (only the fields present).
pub fn check_write(patch: &AgentPatch) -> Result<()> {
    match patch.extra.get(PLATFORM_SETTINGS) {
        Some(value) => check(PLATFORM_SETTINGS, &Ty::Fields(PLATFORM), value),
        None => Ok(()),
    }
}

/// Replaces every value of the wrong type in `value` by its default.
fn conform(ty: &Ty, value: &mut Value, default: &Value) {
    if !fits(ty, value) {
        *value = default.clone();
        return;
    }
    if let (Ty::Fields(fields), Value::Object(map)) = (ty, value) {
        for (key, ty) in fields.iter() {
            if let Some(v) = map.get_mut(*key) {
                conform(ty, v, &default[*key]);
            }
        }
    }
}

/// The platform settings as Callin shows them: every section and field, unset ones at their
/// defaults, stored values of the wrong type read as the default.
pub fn platform_settings_view(stored: &Value) -> Value {
    let defaults = default_platform_settings();
    let mut view = defaults.clone();
    deep_merge(&mut view, stored);
    conform(&Ty::Fields(PLATFORM), &mut view, &defaults);
    view
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_platform(value: &Value) -> Result<()> {
        check(PLATFORM_SETTINGS, &Ty::Fields(PLATFORM), value)
    }

    #[test]
    fn platform_settings_are_type_checked_at_every_level() {
        for ok in [
            json!({}),
            json!({"callActions": {"postCallEmail": {"enabled": true}}}),
            json!({"telephony": {"rotationNumbers": ["+1"], "callsPerNumber": 3}, "custom": 1}),
        ] {
            assert!(check_platform(&ok).is_ok(), "{ok}");
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
            let err = check_platform(&bad).unwrap_err().to_string();
            assert!(err.contains(path), "{err}");
        }
    }

    #[test]
    fn reads_fill_defaults_and_show_mistyped_values_as_defaults() {
        let view = platform_settings_view(&json!({
            "callRetry": {"retryCount": 3, "retryDelay": "soon"},
            "privacy": "none",
            "custom": {"kept": true}
        }));
        assert_eq!(view["callRetry"], json!({"retryCount": 3, "retryDelay": 0}));
        assert_eq!(view["privacy"], json!({"recordVoice": false}));
        assert_eq!(view["summaryLanguage"], "en");
        assert_eq!(view["custom"], json!({"kept": true}));
        assert_eq!(
            platform_settings_view(&json!({})),
            default_platform_settings()
        );
    }
}
