//! The routing index (`routing_slots`) follows every write that changes who may take a call:
//! duty off and on, a call to the operator's own number, a group call answered and hung up,
//! wrap-up, a skill change, removal from the group, the user's deletion and the group's
//! deletion. Each strategy that reads it (`fixedorder`, `longestidle`, `mostskilled`,
//! `roundrobin`) rings who it should, and after each step the index equals what its sources
//! say.

use serde_json::{json, Value};

use crate::calls_kit::*;
use crate::dialpad_kit::{dp, Company};
use crate::kit::Server;

const CALLER: &str = "+12125550123";

/// The users rung for the entry leg `call` right now.
async fn ringing(s: &Server, call: i64) -> Vec<i64> {
    s.raw_texts(&format!(
        "SELECT CAST(user_id AS TEXT) FROM calls WHERE entry_point_call_id = {call} \
         AND state = 'ringing' ORDER BY user_id"
    ))
    .await
    .iter()
    .map(|t| t.parse().unwrap())
    .collect()
}

/// One text per row of the routing index, or of what it should hold computed from its
/// sources (memberships, duty statuses, claims, activity).
async fn index_rows(s: &Server, from_sources: bool) -> Vec<String> {
    let row = "CAST(group_id AS TEXT) || ':' || CAST(user_id AS TEXT) || ':' || \
               CAST(ready AS TEXT) || ':' || CAST(on_duty AS TEXT) || ':' || \
               CAST(position AS TEXT) || ':' || CAST(skill_level AS TEXT) || ':' || \
               CAST(idle_since AS TEXT) || ':' || COALESCE(CAST(wrap_up_until AS TEXT), '-') \
               || ':' || CAST(last_offered_at AS TEXT)";
    let sql = if from_sources {
        format!(
            "SELECT {row} FROM (SELECT o.group_id, o.user_id, \
             CASE WHEN EXISTS (SELECT 1 FROM operator_duty d WHERE d.user_id = o.user_id \
             AND NOT (d.on_duty = TRUE AND d.state = 'available')) \
             OR EXISTS (SELECT 1 FROM operator_claims c WHERE c.user_id = o.user_id) \
             THEN 0 ELSE 1 END AS ready, \
             CASE WHEN EXISTS (SELECT 1 FROM operator_duty d WHERE d.user_id = o.user_id \
             AND NOT (d.on_duty = TRUE)) THEN 0 ELSE 1 END AS on_duty, \
             o.added_at AS position, o.skill_level, COALESCE(a.idle_since, 0) AS idle_since, \
             a.wrap_up_until, COALESCE(a.last_offered_at, 0) AS last_offered_at \
             FROM group_operators o LEFT JOIN operator_activity a ON a.user_id = o.user_id) x \
             ORDER BY group_id, user_id"
        )
    } else {
        format!("SELECT {row} FROM routing_slots ORDER BY group_id, user_id")
    };
    s.raw_texts(&sql).await
}

/// The index holds exactly what its sources say.
async fn index_agrees(s: &Server) {
    assert_eq!(index_rows(s, false).await, index_rows(s, true).await);
}

/// A call center whose open route dials its operators with `strategy`, wraps up for
/// `wrap_up` seconds; its operators are added in order (a second apart, so that the join
/// order is theirs) with their skill levels.
async fn center(
    s: &Server,
    c: &Company,
    strategy: &str,
    wrap_up: i64,
    ops: &[(i64, i64)],
) -> (i64, String) {
    let settings = json!({
        "ring_seconds": 20,
        "routing_options": {
            "open": {"action": "voicemail", "try_dial_operators": true, "operator_routing": strategy},
            "closed": {"action": "voicemail", "try_dial_operators": false}
        },
        "advanced_settings": {"max_wrap_up_seconds": wrap_up}
    });
    let (cc, number) = call_center(s, c, settings, &[], "646").await;
    for (user, skill) in ops {
        advance(s, c, 1).await;
        let r = dp(
            s,
            "POST",
            &format!("/callcenters/{cc}/operators"),
            &c.company_key,
            Some(json!({"user_id": user, "skill_level": skill})),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    (cc, number)
}

async fn duty(s: &Server, c: &Company, user: i64, on: bool) {
    let r = dp(
        s,
        "PATCH",
        &format!("/callcenters/operators/{user}/dutystatus"),
        &c.company_key,
        Some(json!({"on_duty": on})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

async fn hang_up(s: &Server, c: &Company, call: i64) {
    let r = sim(
        s,
        c,
        &format!("/calls/{call}/hangup"),
        json!({"side": "external"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

async fn answer(s: &Server, c: &Company, user: i64) -> Value {
    let r = sim(s, c, &format!("/devices/{user}/answer"), json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(state(&r), "connected");
    r.body
}

/// Dials the number, checks that exactly `who` rings, and hangs up (the caller gives up:
/// nobody's activity changes but their last offer).
async fn rings(s: &Server, c: &Company, number: &str, who: i64) {
    let call = dial(s, c, CALLER, number).await;
    assert_eq!(ringing(s, call).await, vec![who]);
    index_agrees(s).await;
    hang_up(s, c, call).await;
    index_agrees(s).await;
}

/// Three users of the company with numbers of their own.
async fn three(s: &Server, c: &Company) -> (i64, i64, i64, String) {
    let (ann, ann_number) = user_with_number(s, c, "ann@acme.example", "415").await;
    let (bob, _) = user_with_number(s, c, "bob@acme.example", "415").await;
    let (cat, _) = user_with_number(s, c, "cat@acme.example", "415").await;
    (ann, bob, cat, ann_number)
}

#[tokio::test]
async fn fixed_order_follows_duty_calls_wrap_up_removal_and_deletion() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let (ann, bob, cat, ann_number) = three(&s, &c).await;
    let (cc, number) = center(&s, &c, "fixedorder", 30, &[(ann, 100), (bob, 100)]).await;
    index_agrees(&s).await;
    rings(&s, &c, &number, ann).await;

    // Off duty, then on duty again.
    duty(&s, &c, ann, false).await;
    index_agrees(&s).await;
    rings(&s, &c, &number, bob).await;
    duty(&s, &c, ann, true).await;
    rings(&s, &c, &number, ann).await;

    // Busy on a call to her own number: the group skips her until it ends.
    let direct = dial(&s, &c, CALLER, &ann_number).await;
    index_agrees(&s).await;
    rings(&s, &c, &number, bob).await;
    hang_up(&s, &c, direct).await;
    rings(&s, &c, &number, ann).await;

    // A group call she answers holds her; when it ends she wraps up for 30 s.
    let first = dial(&s, &c, CALLER, &number).await;
    answer(&s, &c, ann).await;
    index_agrees(&s).await;
    rings(&s, &c, &number, bob).await;
    advance(&s, &c, 5).await;
    hang_up(&s, &c, first).await;
    index_agrees(&s).await;
    rings(&s, &c, &number, bob).await;
    advance(&s, &c, 29).await;
    rings(&s, &c, &number, bob).await;
    advance(&s, &c, 1).await;
    index_agrees(&s).await;
    rings(&s, &c, &number, ann).await;

    // A third operator joins at the end; Ann leaves the group.
    let r = dp(
        &s,
        "POST",
        &format!("/callcenters/{cc}/operators"),
        &c.company_key,
        Some(json!({"user_id": cat})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = dp(
        &s,
        "DELETE",
        &format!("/callcenters/{cc}/operators"),
        &c.company_key,
        Some(json!({"user_id": ann})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    index_agrees(&s).await;
    rings(&s, &c, &number, bob).await;
    // Bob is deleted as a user: his memberships go, and Cat is next.
    let r = dp(&s, "DELETE", &format!("/users/{bob}"), &c.company_key, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    index_agrees(&s).await;
    rings(&s, &c, &number, cat).await;

    // The group is deleted: nothing of it stays in the index.
    let r = dp(
        &s,
        "DELETE",
        &format!("/callcenters/{cc}"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    index_agrees(&s).await;
    let left = s
        .raw_texts(&format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM routing_slots WHERE group_id = {cc}"
        ))
        .await;
    assert_eq!(left, vec!["0".to_owned()]);
}

#[tokio::test]
async fn longest_idle_rings_who_has_waited_longest() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let (ann, bob, cat, _) = three(&s, &c).await;
    let (_, number) = center(
        &s,
        &c,
        "longestidle",
        0,
        &[(ann, 100), (bob, 100), (cat, 100)],
    )
    .await;
    // Nobody has taken a call yet: equally idle, so the lowest id first. Each takes one call
    // in turn and becomes the most recently idle.
    let mut order = vec![ann, bob, cat];
    order.sort_unstable();
    for who in order.clone() {
        let call = dial(&s, &c, CALLER, &number).await;
        assert_eq!(ringing(&s, call).await, vec![who]);
        answer(&s, &c, who).await;
        advance(&s, &c, 10).await;
        hang_up(&s, &c, call).await;
        index_agrees(&s).await;
        advance(&s, &c, 1).await;
    }
    // Now the first of them has been idle longest; off duty, the second is.
    rings(&s, &c, &number, order[0]).await;
    duty(&s, &c, order[0], false).await;
    rings(&s, &c, &number, order[1]).await;
    // Declining does not make an operator idle again: the second still waited longest.
    let call = dial(&s, &c, CALLER, &number).await;
    assert_eq!(ringing(&s, call).await, vec![order[1]]);
    let r = sim(&s, &c, &format!("/devices/{}/reject", order[1]), json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(ringing(&s, call).await, vec![order[2]]);
    index_agrees(&s).await;
    hang_up(&s, &c, call).await;
    rings(&s, &c, &number, order[1]).await;
}

#[tokio::test]
async fn most_skilled_follows_skill_changes_and_duty() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let (ann, bob, cat, _) = three(&s, &c).await;
    let (cc, number) = center(&s, &c, "mostskilled", 0, &[(ann, 10), (bob, 90), (cat, 50)]).await;
    index_agrees(&s).await;
    rings(&s, &c, &number, bob).await;
    duty(&s, &c, bob, false).await;
    rings(&s, &c, &number, cat).await;
    let r = dp(
        &s,
        "PATCH",
        &format!("/callcenters/{cc}/operators/{ann}/skill"),
        &c.company_key,
        Some(json!({"skill_level": 95})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    index_agrees(&s).await;
    rings(&s, &c, &number, ann).await;
    duty(&s, &c, bob, true).await;
    rings(&s, &c, &number, ann).await;
    // Ann on a call: Bob (90) next.
    let call = dial(&s, &c, CALLER, &number).await;
    answer(&s, &c, ann).await;
    rings(&s, &c, &number, bob).await;
    hang_up(&s, &c, call).await;
    index_agrees(&s).await;
    rings(&s, &c, &number, ann).await;
}

#[tokio::test]
async fn round_robin_rings_who_was_offered_least_recently() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let (ann, bob, cat, _) = three(&s, &c).await;
    let (_, number) = center(
        &s,
        &c,
        "roundrobin",
        0,
        &[(ann, 100), (bob, 100), (cat, 100)],
    )
    .await;
    // Never offered: join order. Then whoever was offered least recently.
    for who in [ann, bob, cat, ann, bob] {
        rings(&s, &c, &number, who).await;
        advance(&s, &c, 1).await;
    }
    // Cat is next but off duty: Ann, offered longest ago of the others.
    duty(&s, &c, cat, false).await;
    rings(&s, &c, &number, ann).await;
    advance(&s, &c, 1).await;
    duty(&s, &c, cat, true).await;
    rings(&s, &c, &number, cat).await;
}
