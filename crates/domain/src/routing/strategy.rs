//! Strategies: the order in which eligible operators are rung, as ring waves.

use std::collections::HashSet;

use jiff::Timestamp;
use serde::Serialize;

use super::eligibility::{eligibility, OperatorView};
use crate::ids::UserId;
use crate::telephony::group::RoutingStrategy;

/// The most operators one simultaneous wave rings. A bound on the legs one call fans out to,
/// so that a call to a large group does not ring every phone in it at once; the longest idle
/// operators come first.
pub const MAX_SIMULTANEOUS: usize = 50;

/// The most candidates the storage hands the engine for one decision, not counting the
/// operators already tried for the call (see [`candidate_limit`]).
pub const CANDIDATE_WINDOW: usize = 64;

/// How many candidates to fetch for a call already offered to `tried` operators: the window
/// plus the tried ones, which the engine will skip.
pub fn candidate_limit(tried: usize) -> usize {
    CANDIDATE_WINDOW.saturating_add(tried)
}

/// One wave of ringing: these operators ring together for `ring_seconds`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub user_ids: Vec<UserId>,
    pub ring_seconds: u32,
}

/// What a round of ordering needs besides the operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundContext {
    /// Seed of the `random` strategy: the same seed gives the same order.
    pub seed: u64,
    /// How long each wave rings (the group's `ring_seconds`).
    pub ring_seconds: u32,
}

/// The index order in which the storage fetches a bounded candidate list for a strategy.
///
/// The storage returns at most [`candidate_limit`] operators of the group, in this order, that
/// are on duty (or AI agents), in a duty state that takes calls and not on a call (below
/// capacity, for an operator taking several calls). It need not look at anything else: the
/// engine checks wrap-up, capacity and the tries already made, so the window only has to be
/// ordered the way the strategy reads it, never complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CandidateOrder {
    /// Joining order, ascending (`fixedorder`).
    Position,
    /// Idle since, oldest first (`longestidle`, and `simultaneous`, whose wave is capped).
    IdleSince,
    /// Skill level, highest first, then idle since, oldest first (`mostskilled`).
    SkillDesc,
    /// Last offered, never offered first, then joining order (`roundrobin`).
    LastOfferedAsc,
    /// From a random point of a per-membership random key (`random`); the engine shuffles
    /// the window again with the call's seed.
    RandomKey,
}

/// The index order the storage uses to fetch candidates for `strategy`.
pub fn candidate_order(strategy: RoutingStrategy) -> CandidateOrder {
    match strategy {
        RoutingStrategy::FixedOrder => CandidateOrder::Position,
        RoutingStrategy::LongestIdle | RoutingStrategy::Simultaneous => CandidateOrder::IdleSince,
        RoutingStrategy::MostSkilled => CandidateOrder::SkillDesc,
        RoutingStrategy::RoundRobin => CandidateOrder::LastOfferedAsc,
        RoutingStrategy::Random => CandidateOrder::RandomKey,
    }
}

/// The ring waves for `strategy` over the candidates eligible at `now` (the others are left
/// out; a user listed twice counts once).
///
/// - `simultaneous`: one wave with everyone, at most [`MAX_SIMULTANEOUS`], longest idle first.
/// - every other strategy: one operator per wave, in order — `fixedorder` by position,
///   `longestidle` by idle since (oldest first), `mostskilled` by skill level (highest first)
///   then longest idle, `roundrobin` by last offered (never offered first) then position,
///   `random` by a key drawn from `ctx.seed` and the user id.
///
/// Ties break by user id, so the result depends only on the candidates and the seed, not on
/// the order they were given in. One sort of the candidates: O(n log n) for n candidates.
pub fn order(
    strategy: RoutingStrategy,
    candidates: &[OperatorView],
    ctx: &RoundContext,
    now: Timestamp,
) -> Vec<Offer> {
    let eligible: Vec<&OperatorView> = candidates
        .iter()
        .filter(|op| eligibility(op, now).is_ok())
        .collect();
    waves(strategy, eligible, ctx)
}

/// [`order`] over candidates already known to be eligible.
pub(crate) fn waves(
    strategy: RoutingStrategy,
    mut ops: Vec<&OperatorView>,
    ctx: &RoundContext,
) -> Vec<Offer> {
    let mut seen = HashSet::with_capacity(ops.len());
    ops.retain(|op| seen.insert(op.user_id));
    match strategy {
        RoutingStrategy::FixedOrder => ops.sort_by_key(|op| (op.position, op.user_id)),
        RoutingStrategy::LongestIdle | RoutingStrategy::Simultaneous => {
            ops.sort_by_key(|op| (op.idle_since, op.user_id))
        }
        RoutingStrategy::MostSkilled => {
            ops.sort_by_key(|op| (u8::MAX - op.skill_level, op.idle_since, op.user_id))
        }
        RoutingStrategy::RoundRobin => {
            // `None` sorts before every `Some`: never offered first.
            ops.sort_by_key(|op| (op.last_offered_at, op.position, op.user_id))
        }
        RoutingStrategy::Random => {
            ops.sort_by_key(|op| (random_key(ctx.seed, op.user_id), op.user_id))
        }
    }
    let ids = ops.into_iter().map(|op| op.user_id);
    if strategy == RoutingStrategy::Simultaneous {
        let user_ids: Vec<UserId> = ids.take(MAX_SIMULTANEOUS).collect();
        if user_ids.is_empty() {
            return Vec::new();
        }
        return vec![Offer {
            user_ids,
            ring_seconds: ctx.ring_seconds,
        }];
    }
    ids.map(|id| Offer {
        user_ids: vec![id],
        ring_seconds: ctx.ring_seconds,
    })
    .collect()
}

/// The `random` strategy's sort key of `user` for `seed`: SplitMix64's output function (a
/// 64-bit mix with good avalanche) over the seed combined with the user id. The key depends
/// only on the pair, so the order does not depend on how the candidates were listed, and a
/// different seed gives an unrelated order.
pub fn random_key(seed: u64, user: UserId) -> u64 {
    let mut z = seed
        .wrapping_add((user.0 as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
