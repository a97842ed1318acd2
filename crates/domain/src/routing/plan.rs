//! The plan for one inbound call to a group: open or closed, who rings in which wave, and what
//! happens when nobody answers.

use jiff::Timestamp;
use serde::Serialize;

use super::eligibility::{eligibility_for_call, Ineligible, OperatorView};
use super::hours::{openness, Openness};
use super::strategy::{waves, Offer, RoundContext};
use crate::ids::UserId;
use crate::telephony::group::{GroupSettings, Route};

/// What the engine reads to plan a call.
#[derive(Debug, Clone, Copy)]
pub struct PlanInput<'a> {
    pub settings: &'a GroupSettings,
    /// The office's IANA time zone.
    pub tz: &'a str,
    /// At most [`super::candidate_limit`] operators, fetched in
    /// [`super::candidate_order`] of the route's strategy.
    pub candidates: &'a [OperatorView],
    /// Operators already offered this call.
    pub tried: &'a [UserId],
    /// Seed of the `random` strategy (e.g. drawn from the call id).
    pub seed: u64,
    /// Calls already waiting in the group's hold queue, not counting this one.
    pub waiting: u32,
    /// Whether any operator of the group is on duty (AI agents always are).
    pub any_on_duty: bool,
}

/// What happens once the ring waves are over without an answer (at once when there are none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Next {
    /// The call waits in the hold queue; see [`super::queue_step`].
    Queue,
    /// The call would have waited for an operator but cannot: the hold queue is off or full,
    /// nobody is on duty, or the group is closed and dials nobody. The route's action follows.
    Overflow {
        reason: String,
        action: String,
        target: Option<(i64, String)>,
    },
    /// The route's action, with no queue to wait in: the open route dials nobody, or the
    /// closed route dialed its operators (new calls never queue while closed).
    Action {
        action: String,
        target: Option<(i64, String)>,
    },
}

/// The engine's decision for one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub openness: Openness,
    /// The open or the closed route, whichever applies.
    pub route: Route,
    /// The ring waves, in order (empty when the route dials nobody or nobody is eligible).
    pub ring: Vec<Offer>,
    /// Candidates left out, with why.
    pub skipped: Vec<(UserId, Ineligible)>,
    /// What follows the waves.
    pub then: Next,
}

/// Plans one call.
///
/// 1. Open or closed at `now` in the office's zone picks the open or the closed route.
/// 2. When the route dials operators, each candidate is checked
///    ([`super::eligibility_for_call`]); the eligible are ordered by the route's strategy.
/// 3. What follows:
///    - closed, not dialing operators: [`Next::Overflow`] with the closed route's action;
///    - closed, dialing operators: [`Next::Action`] with the closed route's action;
///    - open, not dialing operators: [`Next::Action`] with the open route's action;
///    - open, dialing operators: [`Next::Queue`] when the hold queue is enabled, has room
///      (`waiting < max_hold_count`) and someone is on duty or `unattended_queue` is on;
///      otherwise [`Next::Overflow`] with the open route's action, checked in that order
///      (queue disabled, queue full, nobody on duty).
///
/// Linear in the candidates apart from one sort: fed by at most a window of candidates, its
/// cost does not depend on the group's size.
pub fn plan(input: &PlanInput<'_>, now: Timestamp) -> Plan {
    let settings = input.settings;
    let openness = openness(settings, input.tz, now);
    let route = if openness.open {
        settings.routing.open.clone()
    } else {
        settings.routing.closed.clone()
    };
    let mut ring = Vec::new();
    let mut skipped = Vec::new();
    if route.try_dial_operators {
        let mut eligible = Vec::with_capacity(input.candidates.len());
        for op in input.candidates {
            match eligibility_for_call(op, input.tried, now) {
                Ok(()) => eligible.push(op),
                Err(why) => skipped.push((op.user_id, why)),
            }
        }
        let ctx = RoundContext {
            seed: input.seed,
            ring_seconds: settings.ring_seconds,
        };
        ring = waves(route.strategy, eligible, &ctx);
    }
    let then = next(input, &openness, &route);
    Plan {
        openness,
        route,
        ring,
        skipped,
        then,
    }
}

fn next(input: &PlanInput<'_>, openness: &Openness, route: &Route) -> Next {
    let overflow = |reason: String| Next::Overflow {
        reason,
        action: route.action.clone(),
        target: route.target.clone(),
    };
    let action = || Next::Action {
        action: route.action.clone(),
        target: route.target.clone(),
    };
    if !openness.open {
        if route.try_dial_operators {
            return action();
        }
        return overflow(format!("closed ({})", openness.why));
    }
    if !route.try_dial_operators {
        return action();
    }
    let q = &input.settings.hold_queue;
    let on_duty = input.any_on_duty || input.candidates.iter().any(|c| c.on_duty || c.is_ai);
    if !q.enabled {
        overflow("hold queue disabled".into())
    } else if input.waiting >= q.max_hold_count {
        overflow(format!(
            "hold queue full ({} of {} waiting)",
            input.waiting, q.max_hold_count
        ))
    } else if !on_duty && !q.unattended_queue {
        overflow("nobody on duty and the queue does not take unattended calls".into())
    } else {
        Next::Queue
    }
}
