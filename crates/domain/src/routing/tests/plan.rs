use super::{call_center, ids, now, now_plus, op, ts};
use crate::ids::UserId;
use crate::routing::{plan, Ineligible, Next, OperatorView, PlanInput};
use crate::telephony::group::{GroupKind, GroupSettings, RoutingStrategy};

const NY: &str = "America/New_York";

fn input<'a>(settings: &'a GroupSettings, candidates: &'a [OperatorView]) -> PlanInput<'a> {
    PlanInput {
        settings,
        tz: NY,
        candidates,
        tried: &[],
        seed: 7,
        waiting: 0,
        any_on_duty: true,
    }
}

fn overflow_reason(next: &Next) -> &str {
    match next {
        Next::Overflow { reason, .. } => reason,
        other => panic!("expected an overflow, got {other:?}"),
    }
}

#[test]
fn open_with_operators_rings_them_then_queues() {
    let mut s = call_center();
    s.routing.open.strategy = RoutingStrategy::FixedOrder;
    s.ring_seconds = 25;
    let ops = [op(3), op(1), op(2)];
    let p = plan(&input(&s, &ops), now());
    assert!(p.openness.open);
    assert_eq!(p.route, s.routing.open);
    assert_eq!(ids(&p.ring), vec![vec![1], vec![2], vec![3]]);
    assert!(p.ring.iter().all(|o| o.ring_seconds == 25));
    assert!(p.skipped.is_empty());
    assert_eq!(p.then, Next::Queue);
}

#[test]
fn skipped_candidates_say_why() {
    let s = call_center();
    let mut busy = op(2);
    busy.active_calls = 1;
    let mut wrapping = op(3);
    wrapping.wrap_up_until = Some(now_plus(30));
    let ops = [op(1), busy, wrapping, op(4)];
    let tried = [UserId(4)];
    let p = plan(
        &PlanInput {
            tried: &tried,
            ..input(&s, &ops)
        },
        now(),
    );
    assert_eq!(ids(&p.ring), vec![vec![1]]);
    assert_eq!(
        p.skipped,
        vec![
            (UserId(2), Ineligible::OnCall),
            (
                UserId(3),
                Ineligible::WrapUp {
                    until: now_plus(30)
                }
            ),
            (UserId(4), Ineligible::AlreadyTried),
        ]
    );
}

#[test]
fn queue_admission_full() {
    let mut s = call_center();
    s.hold_queue.max_hold_count = 3;
    let ops = [op(1)];
    let p = plan(
        &PlanInput {
            waiting: 2,
            ..input(&s, &ops)
        },
        now(),
    );
    assert_eq!(p.then, Next::Queue, "two waiting, room for a third");
    let p = plan(
        &PlanInput {
            waiting: 3,
            ..input(&s, &ops)
        },
        now(),
    );
    assert_eq!(
        p.then,
        Next::Overflow {
            reason: "hold queue full (3 of 3 waiting)".into(),
            action: "voicemail".into(),
            target: None,
        }
    );
    // The operators still ring first.
    assert_eq!(ids(&p.ring), vec![vec![1]]);
}

#[test]
fn queue_admission_disabled() {
    // A department does not queue by default.
    let mut s = GroupSettings::default_for(GroupKind::Department);
    s.routing.open.action = "department".into();
    s.routing.open.target = Some((130, "department".into()));
    let p = plan(&input(&s, &[op(1)]), now());
    assert_eq!(
        p.then,
        Next::Overflow {
            reason: "hold queue disabled".into(),
            action: "department".into(),
            target: Some((130, "department".into())),
        }
    );
}

#[test]
fn queue_admission_unattended() {
    let mut s = call_center();
    let nobody = PlanInput {
        any_on_duty: false,
        ..input(&s, &[])
    };
    let p = plan(&nobody, now());
    assert!(p.ring.is_empty());
    assert_eq!(
        overflow_reason(&p.then),
        "nobody on duty and the queue does not take unattended calls"
    );
    s.hold_queue.unattended_queue = true;
    let p = plan(
        &PlanInput {
            any_on_duty: false,
            ..input(&s, &[])
        },
        now(),
    );
    assert_eq!(p.then, Next::Queue);
}

#[test]
fn someone_on_duty_but_busy_still_queues() {
    let s = call_center();
    let mut busy = op(1);
    busy.active_calls = 1;
    let ops = [busy];
    let p = plan(
        &PlanInput {
            any_on_duty: false,
            ..input(&s, &ops)
        },
        now(),
    );
    assert!(p.ring.is_empty());
    assert_eq!(p.skipped, vec![(UserId(1), Ineligible::OnCall)]);
    assert_eq!(p.then, Next::Queue, "a candidate on duty counts as on duty");
}

fn closed_settings() -> GroupSettings {
    let mut s = call_center();
    s.hours_on = true;
    s.routing.closed.action = "person".into();
    s.routing.closed.target = Some((55, "user".into()));
    s
}

/// Saturday 2026-12-05, 10:00 in New York.
fn saturday() -> jiff::Timestamp {
    ts("2026-12-05T15:00:00Z")
}

#[test]
fn closed_without_operators_takes_the_closed_action() {
    let s = closed_settings();
    let p = plan(&input(&s, &[op(1)]), saturday());
    assert!(!p.openness.open);
    assert_eq!(p.route, s.routing.closed);
    assert!(p.ring.is_empty());
    assert!(p.skipped.is_empty());
    assert_eq!(
        p.then,
        Next::Overflow {
            reason: "closed (outside Saturday hours (closed all day))".into(),
            action: "person".into(),
            target: Some((55, "user".into())),
        }
    );
}

#[test]
fn closed_with_operators_rings_with_the_closed_strategy_and_never_queues() {
    let mut s = closed_settings();
    s.routing.closed.try_dial_operators = true;
    s.routing.closed.strategy = RoutingStrategy::FixedOrder;
    s.routing.open.strategy = RoutingStrategy::Simultaneous;
    let p = plan(&input(&s, &[op(2), op(1)]), saturday());
    assert_eq!(ids(&p.ring), vec![vec![1], vec![2]]);
    assert_eq!(
        p.then,
        Next::Action {
            action: "person".into(),
            target: Some((55, "user".into())),
        }
    );
}

#[test]
fn open_without_operators_takes_the_open_action() {
    let mut s = call_center();
    s.routing.open.try_dial_operators = false;
    s.routing.open.action = "menu".into();
    let p = plan(&input(&s, &[op(1)]), now());
    assert!(p.ring.is_empty());
    assert_eq!(
        p.then,
        Next::Action {
            action: "menu".into(),
            target: None,
        }
    );
}

#[test]
fn plan_is_deterministic_for_a_seed() {
    let mut s = call_center();
    s.routing.open.strategy = RoutingStrategy::Random;
    let ops: Vec<OperatorView> = (1..=30).map(op).collect();
    let a = plan(&input(&s, &ops), now());
    let b = plan(&input(&s, &ops), now());
    assert_eq!(a, b);
    assert_eq!(a.ring.len(), 30);
    let other = plan(
        &PlanInput {
            seed: 8,
            ..input(&s, &ops)
        },
        now(),
    );
    assert_ne!(a.ring, other.ring);
}
