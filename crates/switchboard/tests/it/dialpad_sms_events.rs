//! SMS events to subscribers: each SMS subscription gets the texts of its direction, and
//! delivery-status updates only when it asks for them (`status`), in the vendor's SMS event
//! shape, through a real webhook receiver.

use jiff::SignedDuration;
use serde_json::{json, Value};

use crate::calls_kit::{acme, manual_server, user_with_number};
use crate::dialpad_kit::dp;
use crate::dialpad_sms::{inbound, send, OUTSIDE};
use crate::receiver::Receiver;

#[tokio::test]
async fn sms_subscriptions_get_their_direction_and_status_updates_when_asked() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let (user, number) = user_with_number(&s, &c, "texter@acme.example", "415").await;
    let all = Receiver::start().await;
    let out = Receiver::start().await;
    let mut hooks = Vec::new();
    for rx in [&all, &out] {
        let r = dp(
            &s,
            "POST",
            "/webhooks",
            &c.company_key,
            Some(json!({"hook_url": rx.url})),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text);
        hooks.push(r.body["id"].as_i64().unwrap());
    }
    for body in [
        json!({"endpoint_id": hooks[0], "direction": "all"}),
        json!({"endpoint_id": hooks[1], "direction": "outbound", "status": true,
               "target_type": "user", "target_id": user}),
    ] {
        let r = dp(&s, "POST", "/subscriptions/sms", &c.company_key, Some(body)).await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let r = send(
        &s,
        &c.company_key,
        json!({"user_id": user, "to_numbers": [OUTSIDE], "text": "Your order shipped"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = inbound(&s, &c, OUTSIDE, &number, "Thanks!").await;
    assert_eq!(r.status, 200, "{}", r.text);
    let at = s
        .core
        .clock()
        .now()
        .saturating_add(SignedDuration::from_secs(1))
        .unwrap();
    s.worker.try_execute_task(at).await.unwrap();

    let bodies = |rx: &Receiver| -> Vec<Value> {
        rx.received()
            .iter()
            .map(|r| serde_json::from_str(&r.body).unwrap())
            .collect()
    };
    let got = bodies(&all);
    assert_eq!(
        got.len(),
        2,
        "a new text each way, no status updates: {got:?}"
    );
    let sent = got.iter().find(|b| b["direction"] == "outbound").unwrap();
    assert_eq!(sent["text"], "Your order shipped");
    assert_eq!(sent["to_number"], json!([OUTSIDE]));
    assert_eq!(sent["from_number"], number);
    let received = got.iter().find(|b| b["direction"] == "inbound").unwrap();
    assert_eq!(received["text"], "Thanks!");
    assert_eq!(received["target"]["type"], "user");

    let got = bodies(&out);
    assert!(got.iter().all(|b| b["direction"] == "outbound"), "{got:?}");
    let statuses: Vec<&str> = got
        .iter()
        .filter_map(|b| b["message_status"].as_str())
        .collect();
    assert!(
        statuses.contains(&"delivered"),
        "status updates: {statuses:?}"
    );
    assert!(got.len() >= 2, "the text and its status updates: {got:?}");
}
