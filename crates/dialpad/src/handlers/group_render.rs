//! How a call center or department reads on the wire: its settings with hours, routing
//! options and hold queue, and whether it is open now in its office's time zone.

use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde_json::{json, Value};
use switchboard_domain::telephony::group::{Group, GroupKind, GroupSettings, Route};
use switchboard_domain::telephony::office::Office;

use super::group_wire::{Dtmf, GroupDoc, WEEKDAYS};

/// `availability_status` now, in the office's time zone.
fn availability(s: &GroupSettings, office: &Office, now: Timestamp) -> &'static str {
    let tz = TimeZone::get(&office.timezone).unwrap_or(TimeZone::UTC);
    let local = now.to_zoned(tz).datetime();
    let holiday = s.hours_on && s.holidays.iter().any(|h| h.date == local.date());
    match (s.is_open(local), holiday) {
        (true, false) => "open",
        (false, false) => "closed",
        (true, true) => "holiday_open",
        (false, true) => "holiday_closed",
    }
}

fn route_json(r: &Route, menu: &[Dtmf]) -> Value {
    let mut v = json!({
        "action": r.action,
        "operator_routing": r.strategy.as_str(),
        "try_dial_operators": r.try_dial_operators,
    });
    if let Some((id, kind)) = &r.target {
        v["action_target_id"] = json!(id);
        v["action_target_type"] = json!(kind);
    }
    if !menu.is_empty() {
        v["dtmf"] = menu
            .iter()
            .map(|m| {
                let mut o = json!({"action": m.action});
                if let Some((id, kind)) = &m.target {
                    o["action_target_id"] = json!(id);
                    o["action_target_type"] = json!(kind);
                }
                json!({"input": m.input, "options": o})
            })
            .collect();
    }
    v
}

/// `CallCenterProto` or `DepartmentProto`.
pub(crate) fn render(group: &Group, office: &Office, now: Timestamp) -> Value {
    let s = &group.settings;
    let doc = GroupDoc::of(group);
    let mut v = json!({
        "availability_status": availability(s, office, now),
        "country": office.country,
        "first_action": if s.routing.open.action == "menu" { "menu" } else { "operators" },
        "hours_on": s.hours_on,
        "id": group.id.0,
        "name": group.name,
        "no_operators_action": s.routing.open.action,
        "office_id": group.office_id.0,
        "phone_numbers": [],
        "ring_seconds": s.ring_seconds,
        "routing_options": {
            "open": route_json(&s.routing.open, &doc.open_dtmf),
            "closed": route_json(&s.routing.closed, &doc.closed_dtmf),
        },
        "state": group.state.as_str(),
        "timezone": office.timezone,
        "voice_intelligence": {"allow_pause": doc.vi_allow_pause, "auto_start": doc.vi_auto_start},
    });
    for (i, day) in WEEKDAYS.iter().enumerate() {
        v[*day] = json!(s.hours.0[i].render());
    }
    if let Some(d) = &group.description {
        v["group_description"] = json!(d);
    }
    let h = &s.hold_queue;
    match group.kind {
        GroupKind::CallCenter => {
            v["hold_queue"] = json!({
                "allow_queue_callback": h.allow_queue_callback,
                "announce_position": h.announce_position,
                "announcement_interval_seconds": h.announcement_interval_seconds,
                "max_hold_count": h.max_hold_count,
                "max_hold_seconds": h.max_hold_seconds,
                "queue_callback_dtmf": h.queue_callback_dtmf.to_string(),
                "queue_callback_threshold": h.queue_callback_threshold,
                "queue_escape_dtmf": h.queue_escape_dtmf.to_string(),
                "stay_in_queue_after_closing": h.stay_in_queue_after_closing,
                "unattended_queue": h.unattended_queue,
            });
            v["advanced_settings"] = json!({
                "auto_call_recording": {
                    "allow_pause_recording": doc.allow_pause_recording,
                    "call_recording_inbound": doc.call_recording_inbound,
                    "call_recording_outbound": doc.call_recording_outbound,
                },
                "max_wrap_up_seconds": s.max_wrap_up_seconds,
            });
            v["alerts"] = json!({
                "cc_service_level": doc.cc_service_level,
                "cc_service_level_seconds": doc.cc_service_level_seconds,
            });
        }
        GroupKind::Department => {
            v["hold_queue"] = json!({
                "allow_queuing": h.enabled,
                "max_hold_count": h.max_hold_count,
                "max_hold_seconds": h.max_hold_seconds,
            });
            v["auto_call_recording"] =
                json!(doc.call_recording_inbound || doc.call_recording_outbound);
        }
    }
    v
}
