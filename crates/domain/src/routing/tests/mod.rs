//! Tests of the routing engine, one file per part.

use jiff::{SignedDuration, Timestamp};

use super::OperatorView;
use crate::ids::UserId;
use crate::telephony::group::{DutyState, GroupKind, GroupSettings};

mod eligibility;
mod hours;
mod plan;
mod preview;
mod queue;
mod router_answer;
mod strategy;

/// An instant written in RFC 3339.
fn ts(s: &str) -> Timestamp {
    s.parse().expect("a timestamp")
}

/// The instant most tests are judged at: Wednesday 2026-12-02 14:00 UTC.
fn now() -> Timestamp {
    ts("2026-12-02T14:00:00Z")
}

/// `now()` moved by `secs` seconds.
fn now_plus(secs: i64) -> Timestamp {
    now() + SignedDuration::from_secs(secs)
}

/// A person on duty and available, idle since 09:00, never offered a call, skill 50, joined
/// at position `id`.
fn op(id: i64) -> OperatorView {
    OperatorView {
        user_id: UserId(id),
        on_duty: true,
        duty_state: DutyState::Available,
        do_not_disturb: false,
        active_calls: 0,
        capacity: 1,
        wrap_up_until: None,
        idle_since: ts("2026-12-02T09:00:00Z"),
        last_offered_at: None,
        skill_level: 50,
        position: id,
        is_ai: false,
    }
}

/// A call center's default settings (hours off: always open).
fn call_center() -> GroupSettings {
    GroupSettings::default_for(GroupKind::CallCenter)
}

/// The user ids of each wave.
fn ids(offers: &[super::Offer]) -> Vec<Vec<i64>> {
    offers
        .iter()
        .map(|o| o.user_ids.iter().map(|u| u.0).collect())
        .collect()
}
