//! The vendor's event payloads, rendered from the domain's outbox events (`dialpad_notes.md`
//! §3): call events are `CallProto` (see `handlers::call_render`), agent-status, contact and
//! change-log events have the fields the vendor documents. Content that needs a scope the
//! subscriber lacks is left out (recording links without `recordings_export`).

use jiff::Timestamp;
use serde_json::{json, Map, Value};
use switchboard_domain::calls::leg::CallLeg;
use switchboard_domain::ids::{CompanyId, UserId};
use switchboard_domain::telephony::group::GroupKind;
use switchboard_domain::{Core, Result};

use crate::handlers::call_render;

/// A call event: the leg as `CallProto` at the event's instant, with `event_timestamp`.
pub(super) fn call(payload: &Value, with_recordings: bool) -> Option<Value> {
    let leg: CallLeg = serde_json::from_value(payload.clone()).ok()?;
    let at = payload
        .get("event_timestamp")
        .and_then(Value::as_i64)
        .and_then(|ms| Timestamp::from_millisecond(ms).ok())
        .unwrap_or(leg.updated_at);
    let mut body = call_render::render(&leg, at);
    if let Some(obj) = body.as_object_mut() {
        obj.insert("event_timestamp".into(), json!(at.as_millisecond()));
        if !with_recordings {
            for key in ["recording_details", "recording_url", "voicemail_link"] {
                obj.remove(key);
            }
        }
    }
    Some(body)
}

/// Call centers an agent-status event lists at most.
const MAX_CENTERS: u32 = 1000;

/// An agent-status event (only for call-center operators; `None` for anyone else):
/// `on_duty_status` as of the event when it says, else as it stands; availability from the
/// presence the event carries (`available` unless busy, on a call, or away).
pub(super) async fn agent_status(
    core: &Core,
    company: CompanyId,
    payload: &Value,
) -> Result<Option<Value>> {
    let Some(user) = payload
        .get("user_id")
        .and_then(|v| v.as_str().and_then(|s| s.parse().ok()).or(v.as_i64()))
        .map(UserId)
    else {
        return Ok(None);
    };
    let centers = core
        .store()
        .groups_of_member(user, GroupKind::CallCenter, MAX_CENTERS)
        .await?;
    if centers.is_empty() {
        return Ok(None);
    }
    let Ok(person) = core.telephony().directory_user(company, user).await else {
        return Ok(None);
    };
    let duty = core.telephony().duty_status(company, user).await.ok();
    let on_duty_status = payload
        .get("on_duty_status")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| duty.as_ref().map(|d| d.state.as_str().to_owned()))
        .unwrap_or_else(|| "unavailable".into());
    let reason = payload
        .get("on_duty_status_reason")
        .cloned()
        .or_else(|| {
            duty.as_ref()
                .and_then(|d| d.reason.clone())
                .map(Value::from)
        })
        .unwrap_or(Value::Null);
    let availability = match payload.get("activity").and_then(Value::as_str) {
        Some("available") | None if on_duty_status != "occupied" => "available",
        _ => "busy",
    };
    let date = payload.get("date").cloned().unwrap_or(Value::Null);
    // Duty is one switch for all of a user's call centers here.
    let on_duty: Vec<String> = if on_duty_status == "unavailable" {
        Vec::new()
    } else {
        centers.iter().map(|g| g.0.to_string()).collect()
    };
    Ok(Some(json!({
        "availability_status": availability,
        "call_center_ids": on_duty,
        "date": date,
        "event_timestamp": date,
        "on_duty_status": on_duty_status,
        "on_duty_status_reason": reason,
        "powerdialer_mode": false,
        "powerdialer_session": Value::Null,
        "target": {
            "email": person.user.email.as_str(),
            "id": user.0,
            "name": person.user.display_name(),
            "phone": "",
            "type": "user",
        },
    })))
}

/// A change-log event: `action`, `additional_data`, `changed_by`, `date`, `note`, `target`.
pub(super) fn change_log(payload: &Value) -> Value {
    let mut out = Map::new();
    for key in [
        "action",
        "additional_data",
        "changed_by",
        "date",
        "note",
        "target",
    ] {
        out.insert(key.into(), payload.get(key).cloned().unwrap_or(Value::Null));
    }
    if let Some(by) = out.get_mut("changed_by").and_then(Value::as_object_mut) {
        by.entry("name").or_insert_with(|| json!(""));
    }
    Value::Object(out)
}

/// The contact a change-log event is about, as a contact event (`None` when it is not about
/// a contact): `{"event": "Created"|"Updated"|"Deleted", "contact": {…}}`, and its type
/// (`shared` or `local`).
pub(super) fn contact(payload: &Value) -> Option<(Value, String)> {
    let target = payload.get("target")?;
    if target.get("type").and_then(Value::as_str) != Some("Contact") {
        return None;
    }
    let event = match payload.get("action").and_then(Value::as_str)? {
        "contact_created" => "Created",
        "contact_updated" => "Updated",
        "contact_deleted" => "Deleted",
        _ => return None,
    };
    let data = payload.get("additional_data").cloned().unwrap_or(json!({}));
    let kind = data
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("shared")
        .to_owned();
    let fields = data.get("contact").cloned().unwrap_or(json!({}));
    let text = |k: &str| fields.get(k).cloned().unwrap_or(Value::Null);
    let list = |k: &str| fields.get(k).cloned().unwrap_or(json!([]));
    let first = fields
        .get("first_name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let last = fields
        .get("last_name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let phones = list("phones");
    let emails = list("emails");
    let contact = json!({
        "id": target.get("id").map(|v| v.to_string()).unwrap_or_default(),
        "type": kind,
        "first_name": first,
        "last_name": last,
        "display_name": format!("{first} {last}").trim(),
        "phones": phones,
        "primary_phone": phones.get(0).cloned().unwrap_or(Value::Null),
        "emails": emails,
        "primary_email": emails.get(0).cloned().unwrap_or(Value::Null),
        "company_name": text("company_name"),
        "job_title": text("job_title"),
        "urls": list("urls"),
        "trunk_group": text("trunk_group"),
        "extension": text("extension"),
    });
    Some((json!({"event": event, "contact": contact}), kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_events_come_from_contact_changes_only() {
        let change = json!({"action": "contact_created", "target": {"type": "Contact", "id": 5},
            "additional_data": {"type": "local", "contact": {"first_name": "Ada",
            "last_name": "L", "phones": ["+14155550100"], "emails": []}}});
        let (body, kind) = contact(&change).unwrap();
        assert_eq!(kind, "local");
        assert_eq!(body["event"], "Created");
        assert_eq!(body["contact"]["id"], "5");
        assert_eq!(body["contact"]["display_name"], "Ada L");
        assert_eq!(body["contact"]["primary_phone"], "+14155550100");
        let office = json!({"action": "office_updated", "target": {"type": "Office", "id": 1}});
        assert!(contact(&office).is_none());
        assert_eq!(change_log(&office)["target"]["type"], "Office");
    }
}
