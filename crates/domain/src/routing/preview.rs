//! A preview of the next call to a group, for people: who would ring, in which wave, why the
//! others would not, and what happens when nobody answers.

use std::collections::HashSet;

use jiff::Timestamp;
use serde::Serialize;

use super::eligibility::{eligibility_for_call, OperatorView};
use super::hours::Openness;
use super::plan::{plan, Next, PlanInput};
use super::strategy::MAX_SIMULTANEOUS;
use crate::telephony::group::{Route, RoutingStrategy};

/// Who would get the next call, and why not the others. Serializable for a dialect to render.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preview {
    /// Open or closed, the local time and the rule that decided.
    pub openness: Openness,
    /// The route that applies.
    pub route: Route,
    /// Its strategy's wire name (`longestidle`, …).
    pub strategy: &'static str,
    /// The operators who would ring, in order, with their wave.
    pub next: Vec<PreviewOffer>,
    /// The other operators of the page, with why they would not ring.
    pub not_now: Vec<PreviewSkip>,
    /// What follows when nobody answers.
    pub then: Next,
    /// The same as one sentence.
    pub if_unanswered: String,
}

/// An operator who would ring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviewOffer {
    pub user_id: i64,
    /// 1 for the first wave.
    pub wave: u32,
    pub ring_seconds: u32,
}

/// An operator who would not ring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviewSkip {
    pub user_id: i64,
    /// A stable name: an [`super::Ineligible::code`], `not_dialed`, `beyond_wave_limit` or
    /// `outside_window`.
    pub reason: &'static str,
    /// One sentence.
    pub why: String,
}

/// The preview of the next call planned from `input`, explaining every operator of
/// `all_operators_page` (one page of the group's operators) who would not ring.
pub fn preview(
    input: &PlanInput<'_>,
    all_operators_page: &[OperatorView],
    now: Timestamp,
) -> Preview {
    let p = plan(input, now);
    let mut ringing = HashSet::new();
    let mut next = Vec::new();
    for (i, offer) in p.ring.iter().enumerate() {
        for id in &offer.user_ids {
            ringing.insert(*id);
            next.push(PreviewOffer {
                user_id: id.0,
                wave: u32::try_from(i + 1).unwrap_or(u32::MAX),
                ring_seconds: offer.ring_seconds,
            });
        }
    }
    let side = if p.openness.open { "open" } else { "closed" };
    let not_now = all_operators_page
        .iter()
        .filter(|op| !ringing.contains(&op.user_id))
        .map(|op| {
            let (reason, why) = if !p.route.try_dial_operators {
                (
                    "not_dialed",
                    format!("the {side} route does not dial operators"),
                )
            } else if let Err(e) = eligibility_for_call(op, input.tried, now) {
                (e.code(), e.explain())
            } else if p.route.strategy == RoutingStrategy::Simultaneous {
                (
                    "beyond_wave_limit",
                    format!("eligible, but at most {MAX_SIMULTANEOUS} ring at once"),
                )
            } else {
                (
                    "outside_window",
                    "eligible, but later than the candidates considered for this call".into(),
                )
            };
            PreviewSkip {
                user_id: op.user_id.0,
                reason,
                why,
            }
        })
        .collect();
    let if_unanswered = sentence(&p.then);
    Preview {
        strategy: p.route.strategy.as_str(),
        openness: p.openness,
        route: p.route,
        next,
        not_now,
        then: p.then,
        if_unanswered,
    }
}

/// `Next` as one sentence: `"hold queue full (50 of 50 waiting): voicemail"`.
pub fn sentence(next: &Next) -> String {
    fn action(action: &str, target: &Option<(i64, String)>) -> String {
        match target {
            Some((id, kind)) => format!("{action} to {kind} {id}"),
            None => action.to_owned(),
        }
    }
    match next {
        Next::Queue => "the call waits in the hold queue".into(),
        Next::Overflow {
            reason,
            action: a,
            target,
        } => format!("{reason}: {}", action(a, target)),
        Next::Action { action: a, target } => action(a, target),
    }
}
