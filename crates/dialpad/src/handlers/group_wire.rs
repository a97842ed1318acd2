//! What call centers and departments share on the wire: the create/update bodies, their
//! validation into the domain's typed settings plus the dialect's own document, and the
//! rendering of hours, routing options and hold queues.
//!
//! The dialect's document (kept with the group, see [`GroupDoc`]) holds what the routing engine
//! does not read: call recording, alerts, voice intelligence, DTMF menus.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use switchboard_domain::ids::GroupId;
use switchboard_domain::telephony::group::{
    DayHours, Group, GroupKind, GroupSettings, Route, RoutingStrategy,
};

use crate::error::{invalid, ApiResult};
use crate::wire::IdValue;

/// `action` values of routing options and DTMF menus.
pub(crate) const ACTIONS: [&str; 12] = [
    "bridge_target",
    "company_directory",
    "department",
    "directory",
    "disabled",
    "extension",
    "menu",
    "message",
    "operator",
    "person",
    "scripted_ivr",
    "voicemail",
];

/// `action_target_type` values.
pub(crate) const TARGET_TYPES: [&str; 12] = [
    "callcenter",
    "callrouter",
    "channel",
    "coachinggroup",
    "contact",
    "contactgroup",
    "department",
    "office",
    "room",
    "staffgroup",
    "unknown",
    "user",
];

pub(crate) const WEEKDAYS: [&str; 7] = [
    "monday_hours",
    "tuesday_hours",
    "wednesday_hours",
    "thursday_hours",
    "friday_hours",
    "saturday_hours",
    "sunday_hours",
];

/// `CreateCallCenterMessage`, `UpdateCallCenterMessage`, `CreateDepartmentMessage` and
/// `UpdateDepartmentMessage` together; each kind reads its own fields.
#[derive(Deserialize, Default)]
pub(crate) struct GroupBody {
    pub name: Option<String>,
    pub office_id: Option<IdValue>,
    group_description: Option<String>,
    hours_on: Option<bool>,
    monday_hours: Option<Vec<String>>,
    tuesday_hours: Option<Vec<String>>,
    wednesday_hours: Option<Vec<String>>,
    thursday_hours: Option<Vec<String>>,
    friday_hours: Option<Vec<String>>,
    saturday_hours: Option<Vec<String>>,
    sunday_hours: Option<Vec<String>>,
    ring_seconds: Option<i64>,
    routing_options: Option<RoutingOptionsIn>,
    hold_queue: Option<Map<String, Value>>,
    advanced_settings: Option<AdvancedIn>,
    alerts: Option<AlertsIn>,
    voice_intelligence: Option<ViIn>,
    /// Departments only.
    auto_call_recording: Option<bool>,
}

#[derive(Deserialize)]
struct RoutingOptionsIn {
    open: Option<RouteIn>,
    closed: Option<RouteIn>,
}

#[derive(Deserialize)]
struct RouteIn {
    action: Option<String>,
    action_target_id: Option<IdValue>,
    action_target_type: Option<String>,
    dtmf: Option<Vec<DtmfIn>>,
    operator_routing: Option<String>,
    try_dial_operators: Option<bool>,
}

#[derive(Deserialize)]
struct DtmfIn {
    input: Option<String>,
    options: Option<DtmfOptionsIn>,
}

#[derive(Deserialize)]
struct DtmfOptionsIn {
    action: Option<String>,
    action_target_id: Option<IdValue>,
    action_target_type: Option<String>,
}

#[derive(Deserialize)]
struct AdvancedIn {
    auto_call_recording: Option<RecordingIn>,
    max_wrap_up_seconds: Option<i64>,
}

#[derive(Deserialize)]
struct RecordingIn {
    allow_pause_recording: Option<bool>,
    call_recording_inbound: Option<bool>,
    call_recording_outbound: Option<bool>,
}

#[derive(Deserialize)]
struct AlertsIn {
    cc_service_level: Option<i64>,
    cc_service_level_seconds: Option<i64>,
}

#[derive(Deserialize)]
struct ViIn {
    allow_pause: Option<bool>,
    auto_start: Option<bool>,
}

/// The hold queue of a call center (`HoldQueueCallCenter`) or a department
/// (`HoldQueueDepartment`, which has `allow_queuing` and the two limits).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HoldQueueIn {
    allow_queuing: Option<bool>,
    allow_queue_callback: Option<bool>,
    announce_position: Option<bool>,
    announcement_interval_seconds: Option<i64>,
    max_hold_count: Option<i64>,
    max_hold_seconds: Option<i64>,
    queue_callback_dtmf: Option<String>,
    queue_callback_threshold: Option<i64>,
    queue_escape_dtmf: Option<String>,
    stay_in_queue_after_closing: Option<bool>,
    unattended_queue: Option<bool>,
}

/// A DTMF menu entry as stored.
#[derive(Serialize, Deserialize, Clone)]
pub(crate) struct Dtmf {
    pub(crate) input: String,
    pub(crate) action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) target: Option<(i64, String)>,
}

/// The dialect's document of a group.
#[derive(Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct GroupDoc {
    pub(crate) allow_pause_recording: bool,
    pub(crate) call_recording_inbound: bool,
    pub(crate) call_recording_outbound: bool,
    pub(crate) cc_service_level: i64,
    pub(crate) cc_service_level_seconds: i64,
    pub(crate) vi_allow_pause: bool,
    pub(crate) vi_auto_start: bool,
    pub(crate) open_dtmf: Vec<Dtmf>,
    pub(crate) closed_dtmf: Vec<Dtmf>,
}

impl Default for GroupDoc {
    fn default() -> Self {
        Self {
            allow_pause_recording: false,
            call_recording_inbound: false,
            call_recording_outbound: false,
            cc_service_level: 95,
            cc_service_level_seconds: 60,
            vi_allow_pause: true,
            vi_auto_start: true,
            open_dtmf: Vec::new(),
            closed_dtmf: Vec::new(),
        }
    }
}

impl GroupDoc {
    pub(crate) fn of(group: &Group) -> Self {
        serde_json::from_value(Value::Object(group.document.clone())).unwrap_or_default()
    }

    fn into_object(self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        }
    }
}

fn int_in(name: &str, v: i64, lo: i64, hi: i64) -> ApiResult<u32> {
    if (lo..=hi).contains(&v) {
        Ok(v as u32)
    } else {
        Err(invalid(format!("{name} must be between {lo} and {hi}")))
    }
}

fn one_of(name: &str, v: &str, allowed: &[&str]) -> ApiResult<String> {
    if allowed.contains(&v) {
        Ok(v.to_owned())
    } else {
        Err(invalid(format!("unknown {name} '{v}'")))
    }
}

fn dtmf_key(name: &str, v: &str) -> ApiResult<char> {
    let mut chars = v.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_digit() || c == '*' || c == '#' => Ok(c),
        _ => Err(invalid(format!("{name} must be one of 0-9, * or #"))),
    }
}

/// A target: both of id and type, or neither.
fn target_of(
    field: &str,
    id: Option<&IdValue>,
    kind: Option<&str>,
    refs: &mut Vec<(i64, String)>,
) -> ApiResult<Option<(i64, String)>> {
    let kind = kind
        .map(|k| one_of(&format!("{field}.action_target_type"), k, &TARGET_TYPES))
        .transpose()?;
    match (id, kind) {
        (None, None) => Ok(None),
        (Some(id), Some(kind)) => {
            let id: GroupId = id.id(&format!("{field}.action_target_id"))?;
            refs.push((id.0, kind.clone()));
            Ok(Some((id.0, kind)))
        }
        _ => Err(invalid(format!(
            "{field}: action_target_id and action_target_type go together"
        ))),
    }
}

fn route(
    field: &str,
    raw: RouteIn,
    refs: &mut Vec<(i64, String)>,
) -> ApiResult<(Route, Vec<Dtmf>)> {
    let action = raw
        .action
        .ok_or_else(|| invalid(format!("routing_options.{field}.action is required")))?;
    let action = one_of(
        &format!("routing_options.{field}.action"),
        &action,
        &ACTIONS,
    )?;
    let try_dial_operators = raw.try_dial_operators.ok_or_else(|| {
        invalid(format!(
            "routing_options.{field}.try_dial_operators is required"
        ))
    })?;
    let strategy = match raw.operator_routing.as_deref() {
        None => RoutingStrategy::Simultaneous,
        Some(s) => RoutingStrategy::parse(s)?,
    };
    let target = target_of(
        &format!("routing_options.{field}"),
        raw.action_target_id.as_ref(),
        raw.action_target_type.as_deref(),
        refs,
    )?;
    let mut menu = Vec::new();
    for entry in raw.dtmf.unwrap_or_default() {
        let name = format!("routing_options.{field}.dtmf");
        let input = entry
            .input
            .ok_or_else(|| invalid(format!("{name}.input is required")))?;
        if !(input.len() == 1 && input.chars().all(|c| c.is_ascii_digit())) {
            return Err(invalid(format!("{name}.input must be one digit 0-9")));
        }
        if menu.iter().any(|m: &Dtmf| m.input == input) {
            return Err(invalid(format!("{name}: input {input} is given twice")));
        }
        let options = entry
            .options
            .ok_or_else(|| invalid(format!("{name}.options is required")))?;
        let action = options
            .action
            .ok_or_else(|| invalid(format!("{name}.options.action is required")))?;
        menu.push(Dtmf {
            input,
            action: one_of(&format!("{name}.options.action"), &action, &ACTIONS)?,
            target: target_of(
                &format!("{name}.options"),
                options.action_target_id.as_ref(),
                options.action_target_type.as_deref(),
                refs,
            )?,
        });
    }
    Ok((
        Route {
            try_dial_operators,
            strategy,
            action,
            target,
        },
        menu,
    ))
}

impl GroupBody {
    /// Applies the body to `group` (its settings and document), checking every field; the
    /// targets it names are returned for the caller to look up.
    pub(crate) fn apply(self, group: &mut Group) -> ApiResult<Vec<(i64, String)>> {
        let kind = group.kind;
        let mut doc = GroupDoc::of(group);
        let mut refs = Vec::new();
        if let Some(name) = self.name {
            group.name = name;
        }
        if let Some(d) = self.group_description {
            group.description = Some(d);
        }
        let s: &mut GroupSettings = &mut group.settings;
        if let Some(on) = self.hours_on {
            s.hours_on = on;
        }
        let days = [
            self.monday_hours,
            self.tuesday_hours,
            self.wednesday_hours,
            self.thursday_hours,
            self.friday_hours,
            self.saturday_hours,
            self.sunday_hours,
        ];
        for (i, day) in days.into_iter().enumerate() {
            if let Some(raw) = day {
                s.hours.0[i] = DayHours::parse(WEEKDAYS[i], &raw)?;
            }
        }
        if let Some(r) = self.ring_seconds {
            s.ring_seconds = int_in("ring_seconds", r, 10, 45)?;
        }
        if let Some(ro) = self.routing_options {
            let open = ro
                .open
                .ok_or_else(|| invalid("routing_options.open is required"))?;
            let closed = ro
                .closed
                .ok_or_else(|| invalid("routing_options.closed is required"))?;
            let (open, open_menu) = route("open", open, &mut refs)?;
            let (closed, closed_menu) = route("closed", closed, &mut refs)?;
            s.routing.open = open;
            s.routing.closed = closed;
            doc.open_dtmf = open_menu;
            doc.closed_dtmf = closed_menu;
        }
        if let Some(raw) = self.hold_queue {
            let q: HoldQueueIn = serde_json::from_value(Value::Object(raw))
                .map_err(|e| invalid(format!("hold_queue: {e}")))?;
            let cc_only = q.allow_queue_callback.is_some()
                || q.announce_position.is_some()
                || q.announcement_interval_seconds.is_some()
                || q.queue_callback_dtmf.is_some()
                || q.queue_callback_threshold.is_some()
                || q.queue_escape_dtmf.is_some()
                || q.stay_in_queue_after_closing.is_some()
                || q.unattended_queue.is_some();
            match kind {
                GroupKind::Department if cc_only => {
                    return Err(invalid(
                        "hold_queue: a department's hold queue has allow_queuing, max_hold_count and max_hold_seconds",
                    ))
                }
                GroupKind::CallCenter if q.allow_queuing.is_some() => {
                    return Err(invalid("hold_queue: allow_queuing is for departments"))
                }
                _ => {}
            }
            let h = &mut s.hold_queue;
            let max_count = if kind == GroupKind::CallCenter {
                1000
            } else {
                50
            };
            if let Some(v) = q.allow_queuing {
                h.enabled = v;
            }
            if let Some(v) = q.max_hold_count {
                h.max_hold_count = int_in("hold_queue.max_hold_count", v, 1, max_count)?;
            }
            if let Some(v) = q.max_hold_seconds {
                h.max_hold_seconds = int_in("hold_queue.max_hold_seconds", v, 30, 18_000)?;
            }
            if let Some(v) = q.announcement_interval_seconds {
                h.announcement_interval_seconds =
                    int_in("hold_queue.announcement_interval_seconds", v, 1, 18_000)?;
            }
            if let Some(v) = q.queue_callback_threshold {
                h.queue_callback_threshold =
                    int_in("hold_queue.queue_callback_threshold", v, 1, 1000)?;
            }
            if let Some(v) = q.queue_callback_dtmf {
                h.queue_callback_dtmf = dtmf_key("hold_queue.queue_callback_dtmf", &v)?;
            }
            if let Some(v) = q.queue_escape_dtmf {
                h.queue_escape_dtmf = dtmf_key("hold_queue.queue_escape_dtmf", &v)?;
            }
            for (flag, into) in [
                (q.allow_queue_callback, &mut h.allow_queue_callback),
                (q.announce_position, &mut h.announce_position),
                (
                    q.stay_in_queue_after_closing,
                    &mut h.stay_in_queue_after_closing,
                ),
                (q.unattended_queue, &mut h.unattended_queue),
            ] {
                if let Some(v) = flag {
                    *into = v;
                }
            }
        }
        if kind == GroupKind::CallCenter {
            if let Some(a) = self.advanced_settings {
                if let Some(w) = a.max_wrap_up_seconds {
                    s.max_wrap_up_seconds =
                        int_in("advanced_settings.max_wrap_up_seconds", w, 0, 86_400)?;
                }
                if let Some(r) = a.auto_call_recording {
                    if let Some(v) = r.allow_pause_recording {
                        doc.allow_pause_recording = v;
                    }
                    if let Some(v) = r.call_recording_inbound {
                        doc.call_recording_inbound = v;
                    }
                    if let Some(v) = r.call_recording_outbound {
                        doc.call_recording_outbound = v;
                    }
                }
            }
            if let Some(a) = self.alerts {
                if let Some(v) = a.cc_service_level {
                    doc.cc_service_level = i64::from(int_in("alerts.cc_service_level", v, 1, 100)?);
                }
                if let Some(v) = a.cc_service_level_seconds {
                    doc.cc_service_level_seconds =
                        i64::from(int_in("alerts.cc_service_level_seconds", v, 1, 3600)?);
                }
            }
        } else if let Some(v) = self.auto_call_recording {
            doc.call_recording_inbound = v;
            doc.call_recording_outbound = v;
        }
        if let Some(vi) = self.voice_intelligence {
            if let Some(v) = vi.allow_pause {
                doc.vi_allow_pause = v;
            }
            if let Some(v) = vi.auto_start {
                doc.vi_auto_start = v;
            }
        }
        group.document = doc.into_object();
        Ok(refs)
    }
}
