//! The routing engine: pure decisions about inbound calls to groups (call centers and
//! departments) and call routers. No I/O: no async, no storage, no network and no clock —
//! the instant is always a parameter — so every decision is a function of its inputs and is
//! tested as one.
//!
//! What it decides:
//! - whether a group is open at an instant, in its office's time zone, and why ([`openness`]);
//! - whether an operator can be offered a call, and if not why ([`eligibility`],
//!   [`Ineligible::explain`]);
//! - the order operators ring in for each strategy, as ring waves ([`order`]), and the index
//!   order the storage fetches candidates in ([`candidate_order`]);
//! - the plan for one call: the route, the waves, who was skipped, and what follows when nobody
//!   answers — queue, overflow or the route's action ([`plan`]);
//! - what a queued call does as time passes and digits are pressed ([`queue_step`],
//!   [`queue_digit`]);
//! - what a call router's answer means, when a router is disabled, and the breadcrumb a call
//!   keeps ([`parse_router_answer`], [`router_disabled`], [`Breadcrumb`]);
//! - a preview of the next call for people ([`preview`]).
//!
//! What it does not do: fetch operators or settings, keep calls, ring phones, run timers,
//! call routing URLs or count router errors over time. The calls context does those and asks
//! the engine again whenever something changes (a wave times out, an operator frees up, a
//! queued call ticks, a digit arrives), passing what it knows, such as the operators already
//! tried for the call.
//!
//! Cost: a plan is fed by at most [`CANDIDATE_WINDOW`] candidates from an index (plus those
//! already tried, see [`candidate_limit`]); its cost does not depend on the group's size. The
//! storage fetches the candidates in [`candidate_order`] of the route's strategy, filtered to
//! operators on duty, available and not on a call; the engine does the rest (wrap-up, capacity,
//! tries already made, and the exact order).

mod eligibility;
mod hours;
mod plan;
mod preview;
mod queue;
mod router_answer;
mod strategy;

#[cfg(test)]
mod tests;

pub use eligibility::{eligibility, eligibility_for_call, Ineligible, OperatorView};
pub use hours::{openness, Openness};
pub use plan::{plan, Next, Plan, PlanInput};
pub use preview::{preview, sentence, Preview, PreviewOffer, PreviewSkip};
pub use queue::{digits, escape_route, is_dtmf, queue_digit, queue_step, DigitOutcome, QueueStep};
pub use router_answer::{
    parse_router_answer, router_disabled, Breadcrumb, RouterAnswer, MAX_ANSWER_BYTES,
    MAX_ROUTER_ERRORS_PER_HOUR,
};
pub use strategy::{
    candidate_limit, candidate_order, order, random_key, CandidateOrder, Offer, RoundContext,
    CANDIDATE_WINDOW, MAX_SIMULTANEOUS,
};
