//! The CSV rows of record exports: call legs in the 54 columns of Dialpad's call export, and
//! duty status changes in the columns of its on-duty export. Times are naive local
//! `YYYY-MM-DD HH:MM:SS.ffffff` in the export's zone, durations are minutes (up to six decimals),
//! and cells that hold a comma, a quote or a line break are quoted. Columns whose facts are
//! not kept (devices, CRM ids, AI talk shares, …) are empty.

use std::collections::HashMap;

use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::calls::leg::{CallLeg, Direction, Outcome, Party, PartyKind};
use crate::events::event::Event;
use crate::reporting::store::PartyName;
use crate::reporting::window::local_time;

/// The header of call records (also voicemail and recording records).
pub const CALL_COLUMNS: [&str; 54] = [
    "date_started",
    "call_id",
    "category",
    "direction",
    "external_number",
    "internal_number",
    "date_first_rang",
    "date_queued",
    "date_rang",
    "date_connected",
    "date_ended",
    "target_id",
    "target_kind",
    "target_type",
    "name",
    "email",
    "was_recorded",
    "entry_point_call_id",
    "entry_point_target_id",
    "entry_point_target_kind",
    "proxy_target_id",
    "voicemail",
    "transferred_to",
    "transferred_to_contact_id",
    "transferred_from_target_id",
    "office_id",
    "company_id",
    "device",
    "salesforce_activity_id",
    "timezone",
    "availability",
    "time_in_system",
    "callback_type",
    "callback_id",
    "master_call_id",
    "time_to_answer",
    "date_callback_connected",
    "date_callback_ended",
    "date_anonymized",
    "categories",
    "ringing_duration",
    "ringing_occurrences",
    "hold_duration",
    "hold_occurrences",
    "talk_duration",
    "queued_duration",
    "queued_occurrences",
    "wrapup_duration",
    "participant_type",
    "percent_ai_talk_time",
    "percent_ai_listen_time",
    "percent_ai_silent_time",
    "campaign_id",
    "is_internal",
];

/// The header of on-duty records.
pub const ONDUTY_COLUMNS: [&str; 14] = [
    "date",
    "record_id",
    "target_id",
    "availability_status",
    "on_duty_status",
    "reason",
    "name",
    "email",
    "target_type",
    "call_center_id",
    "setter_name",
    "setter_email",
    "setter_role",
    "timezone",
];

/// The header of text (SMS) records.
pub const TEXT_COLUMNS: [&str; 12] = [
    "date",
    "message_id",
    "direction",
    "from_phone",
    "to_phone",
    "target_id",
    "target_type",
    "name",
    "email",
    "office_id",
    "message_status",
    "timezone",
];

/// One text record (the columns of [`TEXT_COLUMNS`]): the company's side of the message is
/// its target (named as the message recorded it), the time is local in `tz`.
pub fn text_record(m: &crate::messaging::Message, tz: &TimeZone, tz_name: &str) -> Vec<String> {
    let target = m.party.target;
    let target_type = match target.kind {
        crate::telephony::number::TargetKind::CallCenter => "callcenter",
        crate::telephony::number::TargetKind::CallRouter => "callrouter",
        other => other.as_str(),
    };
    vec![
        crate::reporting::window::local_time(m.created_at, tz),
        m.id.to_string(),
        m.direction.as_str().to_owned(),
        m.from_number.clone(),
        m.to_numbers.join(","),
        target.id.to_string(),
        target_type.to_owned(),
        m.party.name.clone(),
        String::new(),
        String::new(),
        m.status.as_str().to_owned(),
        tz_name.to_owned(),
    ]
}

/// Appends one CSV line.
pub fn push_row<S: AsRef<str>>(out: &mut String, cells: &[S]) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let c = c.as_ref();
        if c.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&c.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(c);
        }
    }
    out.push_str("\r\n");
}

/// Minutes, up to six decimals, without trailing zeros.
pub fn minutes(ms: i64) -> String {
    let text = format!("{:.6}", ms.max(0) as f64 / 60_000.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_owned()
}

fn ms_between(from: Option<Timestamp>, to: Option<Timestamp>) -> Option<i64> {
    Some((to?.as_millisecond() - from?.as_millisecond()).max(0))
}

/// The names of a page's parties.
#[derive(Debug, Default)]
pub struct Names(HashMap<(PartyKind, i64), PartyName>);

impl Names {
    pub fn new(found: Vec<PartyName>) -> Self {
        Self(
            found
                .into_iter()
                .map(|n| ((n.party.kind, n.party.id), n))
                .collect(),
        )
    }

    pub fn get(&self, p: Option<Party>) -> Option<&PartyName> {
        p.and_then(|p| self.0.get(&(p.kind, p.id)))
    }
}

/// `CallCenter`, `UserProfile`, …, and `call_center`, `user`, …
fn kinds(kind: PartyKind) -> (&'static str, &'static str) {
    match kind {
        PartyKind::User => ("UserProfile", "user"),
        PartyKind::Office => ("Office", "office"),
        PartyKind::CallCenter => ("CallCenter", "call_center"),
        PartyKind::Department => ("Department", "department"),
        PartyKind::CallRouter => ("CallRouter", "call_router"),
        PartyKind::AiAgent => ("AiAgent", "ai_agent"),
    }
}

/// Whether the caller gave up waiting: an entry leg that was queued and never answered.
fn abandoned(l: &CallLeg) -> bool {
    l.outcome == Some(Outcome::Missed) && l.date_queued.is_some() && l.entry_point_call_id.is_none()
}

/// The leg's `category`.
pub fn category(l: &CallLeg) -> &'static str {
    if l.direction == Direction::Outbound {
        return "outgoing";
    }
    if l.callback_requested {
        return "callback_requested";
    }
    match l.outcome {
        Some(Outcome::Answered) if l.is_transferred => "forwarded",
        Some(Outcome::Answered) => "incoming",
        Some(Outcome::Cancelled) => "cancelled",
        Some(Outcome::Missed) if abandoned(l) => "abandoned",
        Some(Outcome::Missed | Outcome::Voicemail) => "missed",
        Some(Outcome::Blocked) | None => "other",
    }
}

/// The leg's `categories`: direction, answered or not, and what else happened.
pub fn categories(l: &CallLeg) -> String {
    let mut out = vec![l.direction.as_str()];
    out.push(if l.outcome == Some(Outcome::Answered) {
        "answered"
    } else {
        "unanswered"
    });
    match l.outcome {
        Some(Outcome::Voicemail) => out.push("voicemail"),
        Some(Outcome::Missed) if abandoned(l) => out.push("abandoned"),
        Some(Outcome::Missed) => out.push("missed"),
        Some(Outcome::Cancelled) => out.push("cancelled"),
        Some(Outcome::Blocked) => out.push("blocked"),
        _ => {}
    }
    if l.was_recorded {
        out.push("recorded");
    }
    if l.is_transferred {
        out.push("transferred");
    }
    if l.callback_requested {
        out.push("callback_requested");
    }
    out.join(",")
}

/// Milliseconds the leg rang: from ringing until it was queued, answered or ended.
pub fn ringing_ms(l: &CallLeg) -> i64 {
    let stop = [l.date_queued, l.date_connected, l.date_ended]
        .into_iter()
        .flatten()
        .filter(|t| l.date_rang.is_some_and(|r| *t >= r))
        .min();
    ms_between(l.date_rang, stop).unwrap_or(0)
}

/// Milliseconds the leg waited in a queue: until answered or ended.
pub fn queued_ms(l: &CallLeg) -> i64 {
    ms_between(l.date_queued, l.date_connected.or(l.date_ended)).unwrap_or(0)
}

/// Milliseconds talking (connected and not on hold).
pub fn talk_ms(l: &CallLeg) -> i64 {
    let end = l.date_ended.unwrap_or(l.updated_at);
    (l.talk_ms(end) - l.hold_ms).max(0)
}

/// One call leg in [`CALL_COLUMNS`].
pub fn call_record(l: &CallLeg, names: &Names, tz: &TimeZone, tz_name: &str) -> Vec<String> {
    let t = |ts: Option<Timestamp>| ts.map(|ts| local_time(ts, tz)).unwrap_or_default();
    let id = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let (target_kind, target_type) = l.target.map(|p| kinds(p.kind)).unwrap_or(("", ""));
    let named = names.get(l.target);
    let end = l.date_ended.unwrap_or(l.updated_at);
    let voicemail = l.outcome == Some(Outcome::Voicemail);
    vec![
        t(Some(l.date_started)),
        l.id.0.to_string(),
        category(l).into(),
        l.direction.as_str().into(),
        l.external_number.clone(),
        l.internal_number.clone(),
        t(l.date_rang),
        t(l.date_queued),
        t(l.date_rang),
        t(l.date_connected),
        t(l.date_ended),
        id(l.target.map(|p| p.id)),
        target_kind.into(),
        target_type.into(),
        named.map(|n| n.name.clone()).unwrap_or_default(),
        named.map(|n| n.email.clone()).unwrap_or_default(),
        l.was_recorded.to_string(),
        id(l.entry_point_call_id.map(|c| c.0)),
        id(l.entry_target.map(|p| p.id)),
        l.entry_target.map(|p| kinds(p.kind).0).unwrap_or("").into(),
        String::new(),
        voicemail.to_string(),
        String::new(),
        String::new(),
        String::new(),
        id(l.office_id.map(|o| o.0)),
        l.company_id.0.to_string(),
        String::new(),
        String::new(),
        tz_name.to_owned(),
        String::new(),
        minutes(l.total_ms(end)),
        String::new(),
        String::new(),
        id(l.master_call_id.map(|c| c.0)),
        ms_between(Some(l.date_started), l.date_connected)
            .map(minutes)
            .unwrap_or_default(),
        String::new(),
        String::new(),
        String::new(),
        categories(l),
        minutes(ringing_ms(l)),
        u8::from(l.date_rang.is_some()).to_string(),
        minutes(l.hold_ms),
        String::new(),
        minutes(talk_ms(l)),
        minutes(queued_ms(l)),
        u8::from(l.date_queued.is_some()).to_string(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        "false".into(),
    ]
}

/// One duty change in [`ONDUTY_COLUMNS`]: the `duty` and `call` agent-status events (presence
/// changes are not duty changes and give `None`).
pub fn onduty_record(
    e: &Event,
    names: &Names,
    tz: &TimeZone,
    tz_name: &str,
    call_center: Option<i64>,
) -> Option<Vec<String>> {
    let p = &e.payload;
    let source = p["source"].as_str()?;
    if !["duty", "call"].contains(&source) {
        return None;
    }
    let user: i64 = p["user_id"].as_str()?.parse().ok()?;
    let named = names.get(Some(Party {
        kind: PartyKind::User,
        id: user,
    }));
    let availability = match p["on_duty"].as_bool() {
        Some(true) => "on_duty",
        Some(false) => "off_duty",
        None => "",
    };
    let text = |k: &str| p[k].as_str().unwrap_or_default().to_owned();
    Some(vec![
        local_time(e.created_at, tz),
        e.id.0.to_string(),
        user.to_string(),
        availability.into(),
        text("on_duty_status"),
        text("on_duty_status_reason"),
        named.map(|n| n.name.clone()).unwrap_or_default(),
        named.map(|n| n.email.clone()).unwrap_or_default(),
        "user".into(),
        call_center.map(|c| c.to_string()).unwrap_or_default(),
        String::new(),
        String::new(),
        if source == "call" {
            "system".into()
        } else {
            String::new()
        },
        tz_name.to_owned(),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_when_they_must_be() {
        let mut out = String::new();
        push_row(&mut out, &["a", "b,c", "say \"hi\"", ""]);
        assert_eq!(out, "a,\"b,c\",\"say \"\"hi\"\"\",\r\n");
    }

    #[test]
    fn minutes_have_no_trailing_zeros() {
        assert_eq!(minutes(0), "0");
        assert_eq!(minutes(45_000), "0.75");
        assert_eq!(minutes(60_000), "1");
        assert_eq!(minutes(1_000), "0.016667");
        assert_eq!(minutes(-5), "0");
    }
}
