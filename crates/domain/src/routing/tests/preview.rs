use serde_json::json;

use super::{call_center, now, now_plus, op, ts};
use crate::ids::UserId;
use crate::routing::{preview, sentence, Next, OperatorView, PlanInput, MAX_SIMULTANEOUS};
use crate::telephony::group::RoutingStrategy;

#[test]
fn preview_lists_the_waves_and_explains_the_rest() {
    let mut s = call_center();
    s.routing.open.strategy = RoutingStrategy::LongestIdle;
    s.ring_seconds = 15;
    let mut early = op(2);
    early.idle_since = ts("2026-12-02T08:00:00Z");
    let mut dnd = op(3);
    dnd.do_not_disturb = true;
    let mut wrapping = op(4);
    wrapping.wrap_up_until = Some(now_plus(90));
    let candidates = [op(1), early.clone()];
    // The page holds operators who are not candidates too.
    let page = [op(1), early, dnd, wrapping, op(5), op(6)];
    let tried = [UserId(6)];
    let input = PlanInput {
        settings: &s,
        tz: "America/New_York",
        candidates: &candidates,
        tried: &tried,
        seed: 1,
        waiting: 0,
        any_on_duty: true,
    };
    let p = preview(&input, &page, now());
    let v = serde_json::to_value(&p).unwrap();
    assert_eq!(
        v["next"],
        json!([
            {"user_id": 2, "wave": 1, "ring_seconds": 15},
            {"user_id": 1, "wave": 2, "ring_seconds": 15},
        ])
    );
    assert_eq!(
        v["not_now"],
        json!([
            {"user_id": 3, "reason": "do_not_disturb", "why": "do not disturb is on"},
            {"user_id": 4, "reason": "wrap_up", "why": "in wrap-up until 2026-12-02T14:01:30Z"},
            {"user_id": 5, "reason": "outside_window",
             "why": "eligible, but later than the candidates considered for this call"},
            {"user_id": 6, "reason": "already_tried", "why": "already offered this call"},
        ])
    );
    assert_eq!(v["openness"]["open"], json!(true));
    assert_eq!(v["openness"]["why"], json!("hours off: always open"));
    assert_eq!(v["openness"]["local"], json!("2026-12-02T09:00:00"));
    assert_eq!(v["then"], json!({"kind": "queue"}));
    assert_eq!(
        v["if_unanswered"],
        json!("the call waits in the hold queue")
    );
    assert_eq!(v["strategy"], json!("longestidle"));
}

#[test]
fn preview_of_a_closed_group_that_dials_nobody() {
    let mut s = call_center();
    s.hours_on = true;
    let page = [op(1)];
    let input = PlanInput {
        settings: &s,
        tz: "America/New_York",
        candidates: &page,
        tried: &[],
        seed: 1,
        waiting: 0,
        any_on_duty: true,
    };
    // Saturday.
    let p = preview(&input, &page, ts("2026-12-05T15:00:00Z"));
    assert!(p.next.is_empty());
    assert_eq!(p.not_now.len(), 1);
    assert_eq!(p.not_now[0].reason, "not_dialed");
    assert_eq!(p.not_now[0].why, "the closed route does not dial operators");
    assert_eq!(
        p.if_unanswered,
        "closed (outside Saturday hours (closed all day)): voicemail"
    );
}

#[test]
fn preview_past_the_simultaneous_limit() {
    let s = call_center();
    let ops: Vec<OperatorView> = (1..=(MAX_SIMULTANEOUS as i64 + 1)).map(op).collect();
    let input = PlanInput {
        settings: &s,
        tz: "UTC",
        candidates: &ops,
        tried: &[],
        seed: 1,
        waiting: 0,
        any_on_duty: true,
    };
    let p = preview(&input, &ops, now());
    assert_eq!(p.next.len(), MAX_SIMULTANEOUS);
    assert!(p.next.iter().all(|o| o.wave == 1));
    assert_eq!(p.not_now.len(), 1);
    assert_eq!(p.not_now[0].user_id, MAX_SIMULTANEOUS as i64 + 1);
    assert_eq!(p.not_now[0].reason, "beyond_wave_limit");
}

#[test]
fn sentences_for_what_follows() {
    assert_eq!(
        sentence(&Next::Overflow {
            reason: "hold queue full (50 of 50 waiting)".into(),
            action: "department".into(),
            target: Some((130, "department".into())),
        }),
        "hold queue full (50 of 50 waiting): department to department 130"
    );
    assert_eq!(
        sentence(&Next::Action {
            action: "voicemail".into(),
            target: None,
        }),
        "voicemail"
    );
}
