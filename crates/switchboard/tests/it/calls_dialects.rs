//! Other dialects see the same calls: Bird shows an operator on a call in their workload
//! (`voice`), `lastAssignedAt` and availability; duty and call changes write agent-status
//! events.

use serde_json::{json, Value};
use switchboard_domain::ids::{Id, UserId};
use switchboard_domain::tenancy::account::Principal;

use crate::calls_kit::*;
use crate::dialpad_kit::dp;
use crate::kit::TestUser;

#[tokio::test]
async fn bird_sees_the_operator_on_a_call_and_statuses_are_events() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let Principal::User(admin) = s.core.tenancy().authenticate(&c.admin_key).await.unwrap() else {
        panic!("an admin user key")
    };
    let admin = TestUser {
        user: admin,
        key: c.admin_key.clone(),
    };
    let ops = operators(&s, &c, 1).await;
    let (_, number) = call_center(&s, &c, routing("fixedorder"), &ops, "415").await;
    let agent_path = format!("/agents/{}", UserId(ops[0]).to_uuid());
    let before = s.bird(&admin, "GET", &agent_path).send().await;
    assert_eq!(before.status, 200, "{}", before.text);
    assert_eq!(before.body["workload"]["workload"]["voice"], 0);
    assert_eq!(before.body["lastAssignedAt"], Value::Null);

    let call = dial(&s, &c, "+12125550123", &number).await;
    answer(&s, &c, ops[0]).await;
    let during = s.bird(&admin, "GET", &agent_path).send().await;
    assert_eq!(
        during.body["workload"]["workload"]["voice"], 1,
        "{}",
        during.text
    );
    assert!(during.body["lastAssignedAt"].is_string(), "{}", during.text);
    assert_eq!(during.body["availability"]["activity"], "busy");
    let workload = s
        .bird(&admin, "GET", &format!("{agent_path}/workload"))
        .send()
        .await;
    assert_eq!(workload.body["workload"]["voice"], 1, "{}", workload.text);

    sim(
        &s,
        &c,
        &format!("/calls/{call}/hangup"),
        json!({"side": "external"}),
    )
    .await;
    let after = s.bird(&admin, "GET", &agent_path).send().await;
    assert_eq!(after.body["workload"]["workload"]["voice"], 0);
    assert_eq!(after.body["availability"]["activity"], "available");

    // Duty off: an agent-status event with the duty fields; the call moved them too.
    let r = dp(
        &s,
        "PATCH",
        &format!("/callcenters/operators/{}/dutystatus", ops[0]),
        &c.company_key,
        Some(json!({"on_duty": false, "duty_status_reason": "Lunch Time"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let events: Vec<Value> = s
        .raw_texts(&format!(
            "SELECT payload FROM events WHERE kind = 'agent_status_changed' AND company_id = {}",
            c.id.0
        ))
        .await
        .iter()
        .map(|p| serde_json::from_str(p).unwrap())
        .collect();
    let op_id = ops[0].to_string();
    let of_op: Vec<&Value> = events
        .iter()
        .filter(|e| e["user_id"] == op_id.as_str())
        .collect();
    let mut seen: Vec<(String, String)> = of_op
        .iter()
        .map(|e| {
            (
                e["source"].as_str().unwrap().to_owned(),
                e["on_duty_status"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        vec![
            ("call".to_owned(), "available".to_owned()),
            ("call".to_owned(), "occupied".to_owned()),
            ("duty".to_owned(), "unavailable".to_owned()),
        ]
    );
    let duty = of_op.iter().find(|e| e["source"] == "duty").unwrap();
    assert_eq!(duty["on_duty"], false);
    assert_eq!(duty["on_duty_status_reason"], "Lunch Time");
}

#[tokio::test]
async fn duty_status_follows_calls_and_wrap_up() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let ops = operators(&s, &c, 1).await;
    let mut settings = routing("fixedorder");
    settings["advanced_settings"] = json!({"max_wrap_up_seconds": 20});
    let (_, number) = call_center(&s, &c, settings, &ops, "415").await;
    let duty = format!("/callcenters/operators/{}/dutystatus", ops[0]);
    let status = |r: crate::kit::Resp| r.body["on_duty_status"].as_str().unwrap().to_owned();
    assert_eq!(
        status(dp(&s, "GET", &duty, &c.company_key, None).await),
        "available"
    );
    let call = dial(&s, &c, "+12125550123", &number).await;
    answer(&s, &c, ops[0]).await;
    assert_eq!(
        status(dp(&s, "GET", &duty, &c.company_key, None).await),
        "occupied"
    );
    sim(
        &s,
        &c,
        &format!("/calls/{call}/hangup"),
        json!({"side": "external"}),
    )
    .await;
    assert_eq!(
        status(dp(&s, "GET", &duty, &c.company_key, None).await),
        "wrapup"
    );
    advance(&s, &c, 20).await;
    assert_eq!(
        status(dp(&s, "GET", &duty, &c.company_key, None).await),
        "available"
    );
}
