use jiff::SignedDuration;

use super::{now, now_plus, op, ts};
use crate::ids::UserId;
use crate::routing::{eligibility, eligibility_for_call, Ineligible};
use crate::telephony::group::DutyState;

#[test]
fn an_available_person_on_duty_is_eligible() {
    assert_eq!(eligibility(&op(1), now()), Ok(()));
}

#[test]
fn off_duty() {
    let mut o = op(1);
    o.on_duty = false;
    assert_eq!(eligibility(&o, now()), Err(Ineligible::OffDuty));
}

#[test]
fn duty_states_that_take_no_calls() {
    for state in [DutyState::Busy, DutyState::Occupied, DutyState::Unavailable] {
        let mut o = op(1);
        o.duty_state = state;
        assert_eq!(
            eligibility(&o, now()),
            Err(Ineligible::NotAvailable(state)),
            "{state:?}"
        );
    }
    // A wrap-up state with no end holds the operator back.
    let mut o = op(1);
    o.duty_state = DutyState::Wrapup;
    assert_eq!(
        eligibility(&o, now()),
        Err(Ineligible::NotAvailable(DutyState::Wrapup))
    );
}

#[test]
fn duty_states_that_take_calls() {
    for state in [
        DutyState::Available,
        DutyState::OccupiedEnd,
        DutyState::WrapupEnd,
    ] {
        let mut o = op(1);
        o.duty_state = state;
        assert_eq!(eligibility(&o, now()), Ok(()), "{state:?}");
    }
}

#[test]
fn do_not_disturb() {
    let mut o = op(1);
    o.do_not_disturb = true;
    assert_eq!(eligibility(&o, now()), Err(Ineligible::DoNotDisturb));
}

#[test]
fn a_person_on_a_call() {
    let mut o = op(1);
    o.active_calls = 1;
    assert_eq!(eligibility(&o, now()), Err(Ineligible::OnCall));
}

#[test]
fn capacity() {
    let mut ai = op(1);
    ai.is_ai = true;
    ai.capacity = 3;
    ai.active_calls = 2;
    assert_eq!(eligibility(&ai, now()), Ok(()));
    ai.active_calls = 3;
    assert_eq!(eligibility(&ai, now()), Err(Ineligible::AtCapacity));
    let mut none = op(2);
    none.capacity = 0;
    assert_eq!(eligibility(&none, now()), Err(Ineligible::AtCapacity));
}

#[test]
fn wrap_up_ends_exactly_at_its_end() {
    let until = ts("2026-12-02T14:03:00Z");
    let mut o = op(1);
    o.duty_state = DutyState::Wrapup;
    o.wrap_up_until = Some(until);
    let just_before = until - SignedDuration::from_millis(1);
    assert_eq!(
        eligibility(&o, just_before),
        Err(Ineligible::WrapUp { until })
    );
    assert_eq!(eligibility(&o, until), Ok(()));
    assert_eq!(
        eligibility(&o, until + SignedDuration::from_secs(1)),
        Ok(())
    );
    // The same with the state already back to available.
    o.duty_state = DutyState::Available;
    assert_eq!(
        eligibility(&o, just_before),
        Err(Ineligible::WrapUp { until })
    );
    assert_eq!(eligibility(&o, until), Ok(()));
}

#[test]
fn an_ai_agent_is_always_on_duty_and_never_on_dnd() {
    let mut ai = op(1);
    ai.is_ai = true;
    ai.on_duty = false;
    ai.do_not_disturb = true;
    assert_eq!(eligibility(&ai, now()), Ok(()));
}

#[test]
fn the_first_failing_rule_wins() {
    let mut o = op(1);
    o.on_duty = false;
    o.do_not_disturb = true;
    o.active_calls = 1;
    assert_eq!(eligibility(&o, now()), Err(Ineligible::OffDuty));
    o.on_duty = true;
    assert_eq!(eligibility(&o, now()), Err(Ineligible::DoNotDisturb));
    o.do_not_disturb = false;
    o.wrap_up_until = Some(now_plus(60));
    o.duty_state = DutyState::Busy;
    assert_eq!(
        eligibility(&o, now()),
        Err(Ineligible::WrapUp {
            until: now_plus(60)
        })
    );
    o.wrap_up_until = None;
    assert_eq!(
        eligibility(&o, now()),
        Err(Ineligible::NotAvailable(DutyState::Busy))
    );
    o.duty_state = DutyState::Available;
    assert_eq!(eligibility(&o, now()), Err(Ineligible::OnCall));
}

#[test]
fn already_tried_for_this_call() {
    let tried = [UserId(7), UserId(1)];
    assert_eq!(
        eligibility_for_call(&op(1), &tried, now()),
        Err(Ineligible::AlreadyTried)
    );
    assert_eq!(eligibility_for_call(&op(2), &tried, now()), Ok(()));
    // The operator's own state is reported before the try.
    let mut off = op(7);
    off.on_duty = false;
    assert_eq!(
        eligibility_for_call(&off, &tried, now()),
        Err(Ineligible::OffDuty)
    );
}

#[test]
fn every_reason_has_a_sentence_and_a_code() {
    let cases = [
        (Ineligible::OffDuty, "off duty", "off_duty"),
        (
            Ineligible::NotAvailable(DutyState::Busy),
            "not available (status busy)",
            "not_available",
        ),
        (
            Ineligible::DoNotDisturb,
            "do not disturb is on",
            "do_not_disturb",
        ),
        (Ineligible::OnCall, "already on a call", "on_call"),
        (
            Ineligible::WrapUp {
                until: ts("2026-12-02T14:03:00Z"),
            },
            "in wrap-up until 2026-12-02T14:03:00Z",
            "wrap_up",
        ),
        (
            Ineligible::AtCapacity,
            "at capacity: every line is in use",
            "at_capacity",
        ),
        (
            Ineligible::AlreadyTried,
            "already offered this call",
            "already_tried",
        ),
    ];
    for (reason, sentence, code) in cases {
        assert_eq!(reason.explain(), sentence);
        assert_eq!(reason.code(), code);
    }
}
