//! Call centers through the simulator: each strategy rings the operator it should, ring
//! timeouts move on, the hold queue takes calls while operators are busy and overflows at its
//! limits, wrap-up holds an operator back for exactly its seconds, and simultaneous ringing
//! stops the others once one answers.

use serde_json::json;

use crate::calls_kit::*;
use crate::dialpad_kit::dp;

const CALLER: &str = "+12125550123";

#[tokio::test]
async fn fixed_order_rings_in_join_order_and_moves_on_after_the_ring_time() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let ops = operators(&s, &c, 2).await;
    let (_, number) = call_center(&s, &c, routing("fixedorder"), &ops, "415").await;
    let call = dial(&s, &c, CALLER, &number).await;
    assert_eq!(ringing(&s, &c).await, vec![ops[0]]);
    advance(&s, &c, 19).await;
    assert_eq!(ringing(&s, &c).await, vec![ops[0]]);
    advance(&s, &c, 1).await;
    assert_eq!(ringing(&s, &c).await, vec![ops[1]]);
    let r = answer(&s, &c, ops[1]).await;
    assert_eq!(r.body["entry_point_call_id"], call);
    assert_eq!(call_state(&s, &c, call).await, "connected");
    let r = dp(&s, "GET", &format!("/call/{call}"), &c.company_key, None).await;
    assert_eq!(
        r.body["operator_call_id"],
        r.body["operator_call_id"].as_i64().unwrap()
    );
    assert!(r.body["routing_breadcrumbs"].as_array().unwrap().len() >= 2);
    // A second call rings the free operator; unanswered, it waits in the queue (the busy
    // operator may yet take it) until the hold limit (900 s by default), then voicemail.
    let second = dial(&s, &c, "+12125550124", &number).await;
    assert_eq!(ringing(&s, &c).await, vec![ops[0]]);
    advance(&s, &c, 20).await;
    assert_eq!(call_state(&s, &c, second).await, "queued");
    advance(&s, &c, 900).await;
    assert_eq!(call_state(&s, &c, second).await, "voicemail");
}

#[tokio::test]
async fn simultaneous_rings_everyone_and_the_first_answer_wins() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let ops = operators(&s, &c, 3).await;
    let (_, number) = call_center(&s, &c, routing("simultaneous"), &ops, "415").await;
    let call = dial(&s, &c, CALLER, &number).await;
    let mut all = ops.clone();
    all.sort();
    assert_eq!(ringing(&s, &c).await, all);
    answer(&s, &c, ops[2]).await;
    assert!(ringing(&s, &c).await.is_empty());
    let r = sim(&s, &c, &format!("/devices/{}/answer", ops[0]), json!({})).await;
    assert_eq!(r.status, 409, "{}", r.text);
    // The operators who did not answer are free: a second call rings them, not the busy one.
    dial(&s, &c, "+12125550124", &number).await;
    let mut free = vec![ops[0], ops[1]];
    free.sort();
    assert_eq!(ringing(&s, &c).await, free);
    let _ = call;
}

#[tokio::test]
async fn most_skilled_rings_the_highest_skill_first() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let ops = operators(&s, &c, 3).await;
    let (cc, number) = call_center(&s, &c, routing("mostskilled"), &ops, "415").await;
    for (op, skill) in [(ops[0], 20), (ops[1], 90), (ops[2], 50)] {
        let r = dp(
            &s,
            "PATCH",
            &format!("/callcenters/{cc}/operators/{op}/skill"),
            &c.company_key,
            Some(json!({"skill_level": skill})),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let call = dial(&s, &c, CALLER, &number).await;
    assert_eq!(ringing(&s, &c).await, vec![ops[1]]);
    let r = dp(
        &s,
        "PUT",
        &format!("/call/{call}/actions/hangup"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn round_robin_and_longest_idle_pick_their_operator() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let ops = operators(&s, &c, 3).await;
    // Round robin: each call goes to the operator offered a call least recently.
    let (_, rr) = call_center(&s, &c, routing("roundrobin"), &ops, "303").await;
    let mut offered = Vec::new();
    for _ in 0..3 {
        let call = dial(&s, &c, CALLER, &rr).await;
        let who = ringing(&s, &c).await;
        assert_eq!(who.len(), 1);
        offered.push(who[0]);
        advance(&s, &c, 1).await;
        dp(
            &s,
            "PUT",
            &format!("/call/{call}/actions/hangup"),
            &c.company_key,
            None,
        )
        .await;
    }
    offered.sort();
    let mut all = ops.clone();
    all.sort();
    assert_eq!(offered, all, "round robin gives each operator one call");

    // Longest idle: the operator whose last call ended earliest.
    let (_, li) = call_center(&s, &c, routing("longestidle"), &ops, "720").await;
    for op in [ops[2], ops[0], ops[1]] {
        // Each operator finishes a call, in this order, a second apart.
        let (_, own) = user_number(&s, &c, op).await;
        let call = dial(&s, &c, CALLER, &own).await;
        answer(&s, &c, op).await;
        advance(&s, &c, 1).await;
        sim(
            &s,
            &c,
            &format!("/calls/{call}/hangup"),
            json!({"side": "internal"}),
        )
        .await;
    }
    dial(&s, &c, CALLER, &li).await;
    assert_eq!(ringing(&s, &c).await, vec![ops[2]]);
}

/// Gives an operator a number of their own (to call them directly); answers (id, number).
async fn user_number(
    s: &crate::kit::Server,
    c: &crate::dialpad_kit::Company,
    user: i64,
) -> (i64, String) {
    let r = dp(
        s,
        "POST",
        &format!("/users/{user}/assign_number"),
        &c.company_key,
        Some(json!({"area_code": "212"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    (user, r.body["number"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn busy_operators_queue_calls_and_wrap_up_holds_them_for_exactly_its_seconds() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let ops = operators(&s, &c, 1).await;
    let mut settings = routing("longestidle");
    settings["advanced_settings"] = json!({"max_wrap_up_seconds": 30});
    settings["hold_queue"] = json!({"max_hold_count": 5, "max_hold_seconds": 600,
                                    "announce_position": false});
    let (cc, number) = call_center(&s, &c, settings, &ops, "415").await;
    let first = dial(&s, &c, CALLER, &number).await;
    answer(&s, &c, ops[0]).await;
    let second = dial(&s, &c, "+12125550124", &number).await;
    assert_eq!(call_state(&s, &c, second).await, "queued");
    let status = dp(
        &s,
        "GET",
        &format!("/callcenters/{cc}/status"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(status.status, 200, "{}", status.text);
    assert_eq!(status.body["pending"], 1);
    assert_eq!(status.body["on_duty_operators"], 1);
    assert_eq!(status.body["capacity"], 0);
    assert_eq!(status.body["availability"]["status"], "open");

    advance(&s, &c, 10).await;
    let r = dp(
        &s,
        "GET",
        &format!("/callcenters/{cc}/status"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(r.body["longest_call_wait_time"], 10);
    sim(
        &s,
        &c,
        &format!("/calls/{first}/hangup"),
        json!({"side": "external"}),
    )
    .await;
    // Wrap-up: the queued call waits exactly 30 seconds more.
    advance(&s, &c, 29).await;
    assert_eq!(call_state(&s, &c, second).await, "queued");
    assert!(ringing(&s, &c).await.is_empty());
    advance(&s, &c, 1).await;
    assert_eq!(ringing(&s, &c).await, vec![ops[0]]);
    answer(&s, &c, ops[0]).await;
    assert_eq!(call_state(&s, &c, second).await, "connected");
}

#[tokio::test]
async fn the_queue_overflows_at_its_limits_and_the_escape_key_leaves_it() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let ops = operators(&s, &c, 1).await;
    let mut settings = routing("fixedorder");
    settings["hold_queue"] = json!({"max_hold_count": 1, "max_hold_seconds": 60,
                                    "announce_position": true,
                                    "announcement_interval_seconds": 20,
                                    "queue_escape_dtmf": "*"});
    let (_, number) = call_center(&s, &c, settings, &ops, "415").await;
    dial(&s, &c, CALLER, &number).await;
    answer(&s, &c, ops[0]).await;
    let waiting = dial(&s, &c, "+12125550124", &number).await;
    assert_eq!(call_state(&s, &c, waiting).await, "queued");
    // The queue holds one call: the next overflows to voicemail at once.
    let over = dial(&s, &c, "+12125550125", &number).await;
    assert_eq!(call_state(&s, &c, over).await, "voicemail");
    // The waiting call leaves at its hold limit.
    advance(&s, &c, 59).await;
    assert_eq!(call_state(&s, &c, waiting).await, "queued");
    advance(&s, &c, 1).await;
    assert_eq!(call_state(&s, &c, waiting).await, "voicemail");
    // A caller who presses the escape key leaves for the open route's action.
    let escaping = dial(&s, &c, "+12125550126", &number).await;
    assert_eq!(call_state(&s, &c, escaping).await, "queued");
    let r = sim(
        &s,
        &c,
        &format!("/calls/{escaping}/digits"),
        json!({"digits": "5*"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(call_state(&s, &c, escaping).await, "voicemail");
}

#[tokio::test]
async fn operators_off_duty_are_passed_over_and_the_preview_says_why() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let ops = operators(&s, &c, 2).await;
    let (cc, number) = call_center(&s, &c, routing("fixedorder"), &ops, "415").await;
    let r = dp(
        &s,
        "PATCH",
        &format!("/callcenters/operators/{}/dutystatus", ops[0]),
        &c.company_key,
        Some(json!({"on_duty": false})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = dp(
        &s,
        "GET",
        &format!("/callcenters/{cc}/routing_preview"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["next"][0]["user_id"], ops[1]);
    assert_eq!(r.body["not_now"][0]["user_id"], ops[0]);
    assert_eq!(r.body["not_now"][0]["reason"], "off_duty");
    dial(&s, &c, CALLER, &number).await;
    assert_eq!(ringing(&s, &c).await, vec![ops[1]]);
    let other = crate::dialpad_kit::company(&s, "Other").await;
    let r = dp(
        &s,
        "GET",
        &format!("/callcenters/{cc}/routing_preview"),
        &other.company_key,
        None,
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.text);
    let r = dp(
        &s,
        "GET",
        &format!("/callcenters/{cc}/status"),
        &other.company_key,
        None,
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.text);
}

#[tokio::test]
async fn random_rings_one_operator_and_each_can_come_first() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let ops = operators(&s, &c, 3).await;
    let (_, number) = call_center(&s, &c, routing("random"), &ops, "415").await;
    let mut firsts = std::collections::HashSet::new();
    for i in 0..40 {
        let call = dial(&s, &c, &format!("+1212555{:04}", 2000 + i), &number).await;
        let who = ringing(&s, &c).await;
        assert_eq!(who.len(), 1, "{who:?}");
        assert!(ops.contains(&who[0]));
        firsts.insert(who[0]);
        dp(
            &s,
            "PUT",
            &format!("/call/{call}/actions/hangup"),
            &c.company_key,
            None,
        )
        .await;
        advance(&s, &c, 1).await;
    }
    assert_eq!(
        firsts.len(),
        3,
        "forty random calls reach every operator first"
    );
}
