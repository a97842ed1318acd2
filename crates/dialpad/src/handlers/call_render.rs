//! `schemas.call.CallProto`: the one rendering of a call leg, for the call operations (and the
//! call events a subscription delivers). Timestamps are Unix milliseconds and durations
//! milliseconds, as in Dialpad's call events; absent parties are `{}`.
//!
//! The parties show their kind, id and number (`target.phone` is the company's number on the
//! call, `contact.phone` the outside party's); names and emails are not looked up (empty).

use jiff::Timestamp;
use serde_json::{json, Value};
use switchboard_domain::calls::leg::{CallLeg, Party, PartyKind};

/// The wire name of a party kind.
pub(crate) fn wire_kind(kind: PartyKind) -> &'static str {
    match kind {
        PartyKind::User => "user",
        PartyKind::Office => "office",
        PartyKind::CallCenter => "callcenter",
        PartyKind::Department => "department",
        PartyKind::CallRouter => "callrouter",
        PartyKind::AiAgent => "aiagent",
    }
}

/// A party kind from its wire name.
pub(crate) fn party_kind(wire: &str) -> Option<PartyKind> {
    match wire {
        "user" => Some(PartyKind::User),
        "office" => Some(PartyKind::Office),
        "callcenter" => Some(PartyKind::CallCenter),
        "department" => Some(PartyKind::Department),
        "callrouter" => Some(PartyKind::CallRouter),
        _ => None,
    }
}

fn party(p: Option<Party>, phone: &str) -> Value {
    match p {
        Some(p) => json!({
            "email": "",
            "id": p.id.to_string(),
            "name": "",
            "phone": phone,
            "type": wire_kind(p.kind),
        }),
        None => json!({}),
    }
}

/// `Office:123`, `CallCenter:456`, `Department:789`: the group that took the call.
fn group_id(l: &CallLeg) -> Option<String> {
    match (l.group_id, l.entry_target) {
        (Some(g), Some(t)) if t.kind == PartyKind::Department && t.id == g.0 => {
            Some(format!("Department:{}", g.0))
        }
        (Some(g), Some(t)) if t.kind == PartyKind::CallCenter && t.id == g.0 => {
            Some(format!("CallCenter:{}", g.0))
        }
        (Some(g), _) => Some(format!("CallCenter:{}", g.0)),
        (None, _) => l.office_id.map(|o| format!("Office:{}", o.0)),
    }
}

/// The call as `CallProto`, seen at `now` (durations of a live call run to `now`).
pub(crate) fn render(l: &CallLeg, now: Timestamp) -> Value {
    let ms = |t: Option<Timestamp>| t.map(|t| t.as_millisecond());
    json!({
        "admin_call_recording_share_links": [],
        "call_id": l.id.0,
        "call_recording_share_links": [],
        "contact": {
            "email": "",
            "name": "",
            "phone": l.external_number,
            "type": "local",
        },
        "csat_recording_urls": [],
        "csat_score": null,
        "csat_transcriptions": [],
        "custom_data": l.custom_data,
        "date_connected": ms(l.date_connected),
        "date_ended": ms(l.date_ended),
        "date_rang": ms(l.date_rang),
        "date_started": l.date_started.as_millisecond(),
        "direction": l.direction.as_str(),
        "duration": l.talk_ms(now) as f64,
        "entry_point_call_id": l.entry_point_call_id.map(|c| c.0),
        "entry_point_target": party(l.entry_target, &l.internal_number),
        "event_timestamp": l.updated_at.as_millisecond(),
        "external_number": l.external_number,
        "group_id": group_id(l),
        "internal_number": l.internal_number,
        "is_transferred": l.is_transferred,
        "labels": l.labels,
        "master_call_id": l.master_call_id.map(|c| c.0),
        "mos_score": null,
        "operator_call_id": l.operator_call_id.map(|c| c.0),
        "proxy_target": {},
        "recording_details": [],
        "routing_breadcrumbs": l.breadcrumbs.iter().map(|b| json!({
            "breadcrumb_type": b.breadcrumb_type,
            "date": b.date,
            "request": b.request,
            "response": b.response,
            "target_id": b.target_id,
            "target_type": b.target_type,
            "url": b.url,
        })).collect::<Vec<_>>(),
        "screen_recording_urls": [],
        "state": l.state.as_str(),
        "target": party(l.target, &l.internal_number),
        "total_duration": l.total_ms(now) as f64,
        "transcription_text": null,
        "voicemail_share_link": null,
        "was_recorded": l.was_recorded,
    })
}
