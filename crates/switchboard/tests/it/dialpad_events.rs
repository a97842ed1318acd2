//! Dialpad event subscriptions with real receivers: a call driven through the simulator
//! reaches a webhook (a JWT that verifies with its secret, and Standard Webhooks headers) with
//! exactly the subscribed states (websocket clients: `dialpad_websockets`); failing receivers get the documented
//! retries; contact, change-log and agent-status events; bad input changes nothing.

use jiff::SignedDuration;
use serde_json::{json, Value};

use crate::calls_kit::*;
use crate::dialpad_kit::{dp, Company};
use crate::kit::Server;
use crate::receiver::{verify, Receiver};

/// Runs the worker at the server's (manual) time plus `seconds`.
pub(crate) async fn drain(s: &Server, seconds: i64) {
    let at = s
        .core
        .clock()
        .now()
        .saturating_add(SignedDuration::from_secs(seconds))
        .unwrap();
    s.worker.try_execute_task(at).await.unwrap();
}

pub(crate) async fn webhook(s: &Server, c: &Company, url: &str, secret: Option<&str>) -> i64 {
    let mut body = json!({"hook_url": url});
    if let Some(secret) = secret {
        body["secret"] = json!(secret);
    }
    let r = dp(s, "POST", "/webhooks", &c.company_key, Some(body)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["signature"]["algo"], "HS256");
    assert!(r.body["signature"].get("secret").is_none(), "write-only");
    r.body["id"].as_i64().unwrap()
}

pub(crate) async fn subscribe(s: &Server, c: &Company, kind: &str, body: Value) -> Value {
    let r = dp(
        s,
        "POST",
        &format!("/subscriptions/{kind}"),
        &c.company_key,
        Some(body),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
}

/// A webhook at `url` subscribed to the company's shared contacts; its id.
pub(crate) async fn contact_hook(s: &Server, c: &Company, url: &str) -> i64 {
    let hook = webhook(s, c, url, None).await;
    subscribe(
        s,
        c,
        "contact",
        json!({"endpoint_id": hook, "contact_type": "shared"}),
    )
    .await;
    hook
}

/// Creates the shared contact Ada Lovelace (a contact event).
pub(crate) async fn shared_contact(s: &Server, c: &Company) {
    let r = dp(
        s,
        "POST",
        "/contacts",
        &c.company_key,
        Some(json!({"first_name": "Ada", "last_name": "Lovelace", "phones": ["+14155550100"]})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

/// Dials the call center, answers, hangs up: a second between steps.
pub(crate) async fn one_call(s: &Server, c: &Company, number: &str, op: i64) {
    let call = dial(s, c, "+12125550123", number).await;
    advance(s, c, 1).await;
    answer(s, c, op).await;
    advance(s, c, 1).await;
    let r = sim(
        s,
        c,
        &format!("/calls/{call}/hangup"),
        json!({"side": "external"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

fn decode(token: &str, secret: &str) -> Value {
    let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    v.required_spec_claims.clear();
    v.validate_exp = false;
    jsonwebtoken::decode::<Value>(
        token,
        &jsonwebtoken::DecodingKey::from_secret(secret.as_bytes()),
        &v,
    )
    .expect("a JWT signed with the webhook's secret")
    .claims
}

#[tokio::test]
async fn a_call_reaches_a_webhook_as_signed_jwts_of_the_subscribed_states_only() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let ops = operators(&s, &c, 1).await;
    let (cc, number) = call_center(&s, &c, routing("fixedorder"), &ops, "415").await;
    let rx = Receiver::start().await;
    let plain = Receiver::start().await;
    let hook = webhook(&s, &c, &rx.url, Some("s3cret-of-the-hook")).await;
    let other = webhook(&s, &c, &plain.url, None).await;
    let sub = subscribe(
        &s,
        &c,
        "call",
        json!({"endpoint_id": hook, "call_states": ["connected", "hangup"],
               "target_type": "callcenter", "target_id": cc}),
    )
    .await;
    assert_eq!(sub["webhook"]["id"], hook);
    assert_eq!(sub["target_type"], "callcenter");
    // All states, but disabled: nothing; an SMS subscription: nothing for calls.
    subscribe(
        &s,
        &c,
        "call",
        json!({"endpoint_id": other, "enabled": false}),
    )
    .await;
    subscribe(
        &s,
        &c,
        "sms",
        json!({"endpoint_id": other, "direction": "all"}),
    )
    .await;

    one_call(&s, &c, &number, ops[0]).await;
    drain(&s, 0).await;
    let got = rx.received();
    assert!(!got.is_empty());
    let mut states = Vec::new();
    for r in &got {
        assert_eq!(r.header("content-type"), "application/jwt");
        let claims = decode(&r.body, "s3cret-of-the-hook");
        assert!(
            claims["jti"].is_string() && claims["iat"].is_i64(),
            "{claims}"
        );
        assert!(claims["call_id"].is_i64() || claims["call_id"].is_string());
        states.push(claims["state"].as_str().unwrap().to_owned());
        let whsec = format!(
            "whsec_{}",
            base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                "s3cret-of-the-hook"
            )
        );
        assert!(verify(&whsec, r), "Standard Webhooks signature");
    }
    assert!(states.contains(&"connected".to_owned()), "{states:?}");
    assert!(states.contains(&"hangup".to_owned()), "{states:?}");
    assert!(states.iter().all(|s| s == "connected" || s == "hangup"));
    assert!(
        plain.received().is_empty(),
        "disabled and SMS subscriptions get no calls"
    );
}

#[tokio::test]
async fn a_failing_receiver_gets_the_documented_retries_and_a_4xx_none() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let ops = operators(&s, &c, 1).await;
    let (_, number) = call_center(&s, &c, routing("fixedorder"), &ops, "415").await;
    let rx = Receiver::start().await;
    rx.answer(500, None);
    let hook = webhook(&s, &c, &rx.url, None).await;
    subscribe(
        &s,
        &c,
        "call",
        json!({"endpoint_id": hook, "call_states": ["ringing"]}),
    )
    .await;
    dial(&s, &c, "+12125550123", &number).await;
    drain(&s, 0).await;
    let first = rx.received().len();
    assert!(first >= 1);
    assert_eq!(rx.received()[0].header("content-type"), "application/json");
    // 2, 4, 8 s later: one retry each; after that, none.
    drain(&s, 1).await;
    assert_eq!(rx.received().len(), first, "not before 2 s");
    let mut at = 0;
    for (k, wait) in [2, 4, 8].into_iter().enumerate() {
        at += wait;
        drain(&s, at).await;
        assert_eq!(rx.received().len(), first * (k + 2), "retry after {wait} s");
    }
    drain(&s, at + 3600).await;
    assert_eq!(
        rx.received().len(),
        first * 4,
        "three retries, then kept for replay"
    );

    // A 4xx is not retried.
    let rx4 = Receiver::start().await;
    rx4.answer(404, None);
    let hook4 = webhook(&s, &c, &rx4.url, None).await;
    subscribe(
        &s,
        &c,
        "call",
        json!({"endpoint_id": hook4, "call_states": ["ringing"]}),
    )
    .await;
    advance(&s, &c, 3700).await;
    dial(&s, &c, "+12125550124", &number).await;
    drain(&s, 0).await;
    let n = rx4.received().len();
    assert!(n >= 1);
    drain(&s, 60).await;
    assert_eq!(rx4.received().len(), n, "no retry after a 4xx");
}

pub(crate) async fn acme_named(s: &Server, name: &str) -> Company {
    crate::dialpad_kit::company(s, name).await
}

#[tokio::test]
async fn contact_change_log_and_agent_status_events_reach_their_subscribers() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let ops = operators(&s, &c, 1).await;
    let (cc, _) = call_center(&s, &c, routing("fixedorder"), &ops, "415").await;
    let rx = Receiver::start().await;
    let hook = contact_hook(&s, &c, &rx.url).await;
    subscribe(&s, &c, "changelog", json!({"endpoint_id": hook})).await;
    subscribe(
        &s,
        &c,
        "agent_status",
        json!({"endpoint_id": hook, "agent_type": "callcenter"}),
    )
    .await;
    drain(&s, 0).await;
    let before = rx.received().len();

    shared_contact(&s, &c).await;
    let r = dp(
        &s,
        "PATCH",
        &format!("/callcenters/operators/{}/dutystatus", ops[0]),
        &c.company_key,
        Some(json!({"on_duty": false})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    drain(&s, 0).await;
    let bodies: Vec<Value> = rx.received()[before..]
        .iter()
        .map(|r| serde_json::from_str(&r.body).unwrap())
        .collect();
    let contact = bodies
        .iter()
        .find(|b| b["event"] == "Created")
        .expect("a contact event");
    assert_eq!(contact["contact"]["display_name"], "Ada Lovelace");
    assert_eq!(contact["contact"]["type"], "shared");
    assert!(
        bodies.iter().any(|b| b["action"] == "contact_created"),
        "{bodies:?}"
    );
    let status = bodies
        .iter()
        .find(|b| b["on_duty_status"].is_string())
        .expect("agent status");
    assert_eq!(status["on_duty_status"], "unavailable");
    assert_eq!(status["target"]["id"], ops[0]);
    assert_eq!(status["target"]["type"], "user");
    assert_eq!(status["call_center_ids"], json!([]));
    let seen = rx.received().len();
    let r = dp(
        &s,
        "PATCH",
        &format!("/callcenters/operators/{}/dutystatus", ops[0]),
        &c.company_key,
        Some(json!({"on_duty": true})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    drain(&s, 0).await;
    let back: Value = serde_json::from_str(&rx.received()[seen].body).unwrap();
    assert_eq!(back["on_duty_status"], "available", "{back}");
    assert_eq!(back["call_center_ids"], json!([cc.to_string()]));
}

#[tokio::test]
async fn bad_subscriptions_and_hooks_are_refused_and_change_nothing() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let other = acme_named(&s, "Other").await;
    let rx = Receiver::start().await;
    let hook = webhook(&s, &c, &rx.url, None).await;
    let theirs = webhook(&s, &other, &rx.url, None).await;
    for (body, status) in [
        (json!({"hook_url": "ftp://example.com/x"}), 400),
        (json!({"hook_url": "https://user:pw@example.com/"}), 400),
        (json!({"hook_url": "not a url"}), 400),
        (json!({"secret": "x"}), 400),
        (json!({"hook_url": "https://example.com", "extra": 1}), 400),
    ] {
        let r = dp(&s, "POST", "/webhooks", &c.company_key, Some(body.clone())).await;
        assert_eq!(r.status, status, "{body} {}", r.text);
        assert!(r.body["error"]["message"].is_string());
    }
    for (kind, body, status) in [
        ("call", json!({"endpoint_id": theirs}), 404),
        (
            "call",
            json!({"endpoint_id": hook, "call_states": ["flying"]}),
            400,
        ),
        ("call", json!({"call_states": ["all"]}), 400),
        (
            "call",
            json!({"endpoint_id": hook, "target_type": "user", "target_id": 999}),
            404,
        ),
        (
            "call",
            json!({"endpoint_id": hook, "target_type": "user"}),
            400,
        ),
        (
            "call",
            json!({"endpoint_id": hook, "direction": "all"}),
            400,
        ),
        ("sms", json!({"endpoint_id": hook}), 400),
        (
            "agent_status",
            json!({"endpoint_id": hook, "agent_type": "robot"}),
            400,
        ),
        (
            "contact",
            json!({"endpoint_id": hook, "contact_type": "secret"}),
            400,
        ),
        (
            "changelog",
            json!({"endpoint_id": hook, "target_type": "user", "target_id": 1}),
            400,
        ),
        ("fax", json!({"endpoint_id": hook}), 404),
    ] {
        let r = dp(
            &s,
            "POST",
            &format!("/subscriptions/{kind}"),
            &c.company_key,
            Some(body.clone()),
        )
        .await;
        assert_eq!(r.status, status, "{kind} {body} {}", r.text);
    }
    let r = dp(
        &s,
        "GET",
        &format!("/webhooks/{theirs}"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(r.status, 404, "another company's webhook is missing");
    let list = dp(&s, "GET", "/subscriptions/call", &c.company_key, None).await;
    assert_eq!(
        list.body["items"].as_array().unwrap().len(),
        0,
        "nothing was made"
    );

    // Ten company-wide subscriptions of a type, then 400; a hundred in all.
    for _ in 0..10 {
        subscribe(&s, &c, "changelog", json!({"endpoint_id": hook})).await;
    }
    let r = dp(
        &s,
        "POST",
        "/subscriptions/changelog",
        &c.company_key,
        Some(json!({"endpoint_id": hook})),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.text);
    let user = operators(&s, &c, 1).await[0];
    for _ in 0..10 {
        subscribe(&s, &c, "call", json!({"endpoint_id": hook})).await;
    }
    for _ in 0..90 {
        subscribe(
            &s,
            &c,
            "call",
            json!({"endpoint_id": hook, "target_type": "user", "target_id": user}),
        )
        .await;
    }
    let r = dp(
        &s,
        "POST",
        "/subscriptions/call",
        &c.company_key,
        Some(json!({"endpoint_id": hook, "target_type": "user", "target_id": user})),
    )
    .await;
    assert_eq!(r.status, 400, "the 101st: {}", r.text);
    // Pages of the list follow the cursor; a target filter narrows it.
    let mut seen = 0;
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/subscriptions/call?cursor={c}"),
            None => "/subscriptions/call".into(),
        };
        let r = dp(&s, "GET", &path, &c.company_key, None).await;
        assert_eq!(r.status, 200, "{}", r.text);
        seen += r.body["items"].as_array().unwrap().len();
        match r.body["cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, 100);
    let narrowed = dp(
        &s,
        "GET",
        &format!("/subscriptions/call?target_type=user&target_id={user}"),
        &c.company_key,
        None,
    )
    .await;
    assert!(narrowed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["target_id"] == user));
    // Deleting the webhook deletes its subscriptions.
    let r = dp(
        &s,
        "DELETE",
        &format!("/webhooks/{hook}"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let list = dp(&s, "GET", "/subscriptions/changelog", &c.company_key, None).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn private_hook_urls_are_refused_unless_allowed() {
    let s = Server::start_configured(|c| c.webhook_allow_private = false).await;
    let c = crate::dialpad_kit::company(&s, "Acme").await;
    for url in [
        "http://127.0.0.1:9/x",
        "http://localhost/x",
        "http://10.0.0.5/x",
        "http://[::1]/x",
    ] {
        let r = dp(
            &s,
            "POST",
            "/webhooks",
            &c.company_key,
            Some(json!({"hook_url": url})),
        )
        .await;
        assert_eq!(r.status, 400, "{url}: {}", r.text);
    }
    let r = dp(
        &s,
        "POST",
        "/webhooks",
        &c.company_key,
        Some(json!({"hook_url": "https://example.com/hook"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
}
