use super::call_center;
use crate::routing::{digits, escape_route, queue_digit, queue_step, DigitOutcome, QueueStep};
use crate::telephony::group::HoldQueue;
use crate::DomainError;

/// 900 s at most, position announced every 120 s.
fn queue() -> HoldQueue {
    call_center().hold_queue
}

#[test]
fn announces_on_entry_then_every_interval() {
    let q = queue();
    assert_eq!(
        queue_step(&q, 0, 4, None, true),
        QueueStep::Announce { position: 4 }
    );
    assert_eq!(queue_step(&q, 1, 4, Some(0), true), QueueStep::Stay);
    assert_eq!(queue_step(&q, 119, 3, Some(0), true), QueueStep::Stay);
    assert_eq!(
        queue_step(&q, 120, 3, Some(0), true),
        QueueStep::Announce { position: 3 }
    );
    assert_eq!(queue_step(&q, 200, 2, Some(120), true), QueueStep::Stay);
    assert_eq!(
        queue_step(&q, 245, 2, Some(120), true),
        QueueStep::Announce { position: 2 }
    );
}

#[test]
fn no_announcements_when_off() {
    let mut q = queue();
    q.announce_position = false;
    assert_eq!(queue_step(&q, 0, 4, None, true), QueueStep::Stay);
    assert_eq!(queue_step(&q, 600, 4, None, true), QueueStep::Stay);
}

#[test]
fn overflows_at_exactly_max_hold_seconds() {
    let mut q = queue();
    q.announce_position = false;
    assert_eq!(queue_step(&q, 899, 1, None, true), QueueStep::Stay);
    assert_eq!(
        queue_step(&q, 900, 1, None, true),
        QueueStep::Overflow {
            reason: "waited 900 s, the most is 900 s".into()
        }
    );
    assert!(matches!(
        queue_step(&q, 901, 1, None, true),
        QueueStep::Overflow { .. }
    ));
}

#[test]
fn closing_overflows_unless_calls_stay() {
    let mut q = queue();
    assert_eq!(
        queue_step(&q, 10, 1, Some(0), false),
        QueueStep::Overflow {
            reason: "the group closed and queued calls do not stay after closing".into()
        }
    );
    q.stay_in_queue_after_closing = true;
    assert_eq!(queue_step(&q, 10, 1, Some(0), false), QueueStep::Stay);
    // Staying after closing still ends at the most wait.
    assert!(matches!(
        queue_step(&q, 900, 1, Some(0), false),
        QueueStep::Overflow { .. }
    ));
}

#[test]
fn callback_digit_needs_permission_and_position() {
    let mut q = queue();
    // Callbacks off: the callback digit does nothing.
    assert_eq!(queue_digit(&q, '9', 10), DigitOutcome::Ignored);
    q.allow_queue_callback = true;
    assert_eq!(queue_digit(&q, '9', 4), DigitOutcome::Ignored);
    assert_eq!(queue_digit(&q, '9', 5), DigitOutcome::Callback);
    assert_eq!(queue_digit(&q, '9', 6), DigitOutcome::Callback);
}

#[test]
fn escape_digit_leaves_for_the_open_route() {
    let q = queue();
    assert_eq!(queue_digit(&q, '*', 1), DigitOutcome::Escape);
    assert_eq!(queue_digit(&q, '#', 1), DigitOutcome::Ignored);
    assert_eq!(queue_digit(&q, '1', 1), DigitOutcome::Ignored);
    assert_eq!(queue_digit(&q, 'x', 1), DigitOutcome::Ignored);
    let mut s = call_center();
    assert_eq!(escape_route(&s), ("voicemail".into(), None));
    s.routing.open.action = "department".into();
    s.routing.open.target = Some((130, "department".into()));
    assert_eq!(
        escape_route(&s),
        ("department".into(), Some((130, "department".into())))
    );
}

#[test]
fn the_same_digit_for_callback_and_escape() {
    let mut q = queue();
    q.queue_callback_dtmf = '#';
    q.queue_escape_dtmf = '#';
    q.allow_queue_callback = true;
    assert_eq!(queue_digit(&q, '#', 5), DigitOutcome::Callback);
    assert_eq!(queue_digit(&q, '#', 1), DigitOutcome::Escape);
}

#[test]
fn digits_are_dtmf() {
    assert_eq!(digits("0123456789*#").unwrap().len(), 12);
    assert_eq!(digits("9").unwrap(), vec!['9']);
    for bad in ["", "a", "1 2", "12+", "٣"] {
        assert!(
            matches!(digits(bad), Err(DomainError::Invalid(_))),
            "{bad:?}"
        );
    }
}
