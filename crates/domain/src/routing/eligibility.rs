//! Whether an operator can be offered a call now, and if not, why.

use jiff::Timestamp;

use crate::ids::UserId;
use crate::telephony::group::DutyState;

/// An operator of a group, as the engine sees them: the duty, presence and load facts the
/// storage gathers from the membership, the user's duty status and the calls in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorView {
    pub user_id: UserId,
    /// The user's duty (`DutyStatus.on_duty`).
    pub on_duty: bool,
    /// The user's duty state (available, busy, occupied, unavailable, wrap-up, …).
    pub duty_state: DutyState,
    pub do_not_disturb: bool,
    /// Ringing or connected calls the engine gave them.
    pub active_calls: u32,
    /// How many calls at once: 1 for a person, more for an AI agent.
    pub capacity: u32,
    /// When their wrap-up after the last call ends.
    pub wrap_up_until: Option<Timestamp>,
    /// When their last call ended (or when they became available).
    pub idle_since: Timestamp,
    /// When the engine last offered them a call in this group.
    pub last_offered_at: Option<Timestamp>,
    /// 0–100.
    pub skill_level: u8,
    /// The order in which they joined the group (fixed-order routing).
    pub position: i64,
    /// An AI agent as operator: never on do-not-disturb, always on duty.
    pub is_ai: bool,
}

/// Why an operator is not offered a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ineligible {
    /// Not on duty.
    OffDuty,
    /// On duty, in a state that takes no calls (busy, occupied, unavailable, wrap-up with no end).
    NotAvailable(DutyState),
    /// Do-not-disturb is on.
    DoNotDisturb,
    /// A person already ringing or talking.
    OnCall,
    /// Wrapping up the last call until `until`.
    WrapUp { until: Timestamp },
    /// An operator taking several calls at once (an AI agent) with every line in use, or one
    /// with no capacity at all.
    AtCapacity,
    /// Already offered this call.
    AlreadyTried,
}

impl Ineligible {
    /// A short stable name (`off_duty`, `not_available`, …) for machine readers.
    pub fn code(&self) -> &'static str {
        match self {
            Self::OffDuty => "off_duty",
            Self::NotAvailable(_) => "not_available",
            Self::DoNotDisturb => "do_not_disturb",
            Self::OnCall => "on_call",
            Self::WrapUp { .. } => "wrap_up",
            Self::AtCapacity => "at_capacity",
            Self::AlreadyTried => "already_tried",
        }
    }

    /// One sentence for a person: `"in wrap-up until 2026-12-02T14:03:00Z"`.
    pub fn explain(&self) -> String {
        match self {
            Self::OffDuty => "off duty".into(),
            Self::NotAvailable(state) => format!("not available (status {})", state.as_str()),
            Self::DoNotDisturb => "do not disturb is on".into(),
            Self::OnCall => "already on a call".into(),
            Self::WrapUp { until } => format!("in wrap-up until {until}"),
            Self::AtCapacity => "at capacity: every line is in use".into(),
            Self::AlreadyTried => "already offered this call".into(),
        }
    }
}

/// Whether `op` can be offered a call at `now`. The first failing rule wins, in this order:
/// off duty, do-not-disturb, wrap-up, duty state, on a call, at capacity.
///
/// - An AI agent is always on duty and never on do-not-disturb.
/// - Wrap-up ends exactly at `wrap_up_until`: eligible at that instant, not a moment before.
///   A `wrapup` duty state whose `wrap_up_until` has passed no longer holds the operator back
///   (the group's most wrap-up seconds ended it); a `wrapup` state with no end is
///   [`Ineligible::NotAvailable`].
/// - `available`, `occupied-end` and `wrapup-end` take calls; `busy`, `occupied` and
///   `unavailable` do not.
/// - Capacity 1 (a person) with a call is [`Ineligible::OnCall`]; a larger capacity filled, or
///   capacity 0, is [`Ineligible::AtCapacity`].
pub fn eligibility(op: &OperatorView, now: Timestamp) -> Result<(), Ineligible> {
    if !op.on_duty && !op.is_ai {
        return Err(Ineligible::OffDuty);
    }
    if op.do_not_disturb && !op.is_ai {
        return Err(Ineligible::DoNotDisturb);
    }
    if let Some(until) = op.wrap_up_until.filter(|until| now < *until) {
        return Err(Ineligible::WrapUp { until });
    }
    match op.duty_state {
        DutyState::Available | DutyState::OccupiedEnd | DutyState::WrapupEnd => {}
        DutyState::Wrapup if op.wrap_up_until.is_some() => {}
        state => return Err(Ineligible::NotAvailable(state)),
    }
    if op.capacity <= 1 && op.active_calls > 0 {
        return Err(Ineligible::OnCall);
    }
    if op.active_calls >= op.capacity {
        return Err(Ineligible::AtCapacity);
    }
    Ok(())
}

/// [`eligibility`] for one call that has already been offered to `tried`.
pub fn eligibility_for_call(
    op: &OperatorView,
    tried: &[UserId],
    now: Timestamp,
) -> Result<(), Ineligible> {
    eligibility(op, now)?;
    if tried.contains(&op.user_id) {
        return Err(Ineligible::AlreadyTried);
    }
    Ok(())
}
