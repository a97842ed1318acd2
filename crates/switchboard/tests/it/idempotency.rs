//! Idempotency-Key on creates: replay, mismatch, concurrent duplicates.

use serde_json::json;

use crate::kit::Server;

#[tokio::test]
async fn the_same_key_and_body_replays_the_first_response() {
    let s = Server::start().await;
    let u = s.user().await;
    let body = json!({"agentName": "Once"});
    let first = s
        .dg(&u, "POST", "/agents")
        .header("idempotency-key", "k-1")
        .json(body.clone())
        .send()
        .await;
    assert_eq!(first.status, 201);
    let again = s
        .dg(&u, "POST", "/agents")
        .header("idempotency-key", "k-1")
        .json(body.clone())
        .send()
        .await;
    assert_eq!(again.status, 201);
    assert_eq!(again.body, first.body);
    assert_eq!(again.header("idempotency-replayed"), Some("true"));
    assert_eq!(first.header("idempotency-replayed"), None);

    let other_body = s
        .dg(&u, "POST", "/agents")
        .header("idempotency-key", "k-1")
        .json(json!({"agentName": "Twice"}))
        .send()
        .await;
    assert_eq!(other_body.status, 422, "{}", other_body.text);
    assert!(other_body.body["error"].is_string());

    let other_key = s
        .dg(&u, "POST", "/agents")
        .header("idempotency-key", "k-2")
        .json(body.clone())
        .send()
        .await;
    assert_ne!(
        other_key.body["agent"]["agentId"],
        first.body["agent"]["agentId"]
    );
    // Another caller's key with the same name is a different key.
    let v = s.user().await;
    let theirs = s
        .dg(&v, "POST", "/agents")
        .header("idempotency-key", "k-1")
        .json(body)
        .send()
        .await;
    assert_eq!(theirs.status, 201);
    assert_ne!(
        theirs.body["agent"]["agentId"],
        first.body["agent"]["agentId"]
    );

    assert_eq!(
        s.dg(&u, "GET", "/agents").send().await.body["totalCount"],
        2
    );
}

#[tokio::test]
async fn concurrent_duplicates_have_one_effect() {
    let s = Server::start().await;
    let u = s.user().await;
    let sends = (0..12).map(|_| {
        s.dg(&u, "POST", "/agents")
            .header("idempotency-key", "burst")
            .json(json!({"agentName": "Burst"}))
            .send()
    });
    let results = futures::future::join_all(sends).await;
    let ids: std::collections::BTreeSet<String> = results
        .iter()
        .map(|r| {
            assert_eq!(r.status, 201, "{}", r.text);
            r.body["agent"]["agentId"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(
        s.dg(&u, "GET", "/agents").send().await.body["totalCount"],
        1
    );
}

#[tokio::test]
async fn failed_creates_replay_their_error_and_bad_keys_are_refused() {
    let s = Server::start().await;
    let u = s.user().await;
    let bad = s
        .dg(&u, "POST", "/agents")
        .header("idempotency-key", "e-1")
        .json(json!({}))
        .send()
        .await;
    assert_eq!(bad.status, 400);
    let again = s
        .dg(&u, "POST", "/agents")
        .header("idempotency-key", "e-1")
        .json(json!({}))
        .send()
        .await;
    assert_eq!((again.status, again.body.clone()), (400, bad.body));
    let long = "x".repeat(300);
    let r = s
        .dg(&u, "POST", "/agents")
        .header("idempotency-key", &long)
        .json(json!({"agentName": "L"}))
        .send()
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        s.dg(&u, "GET", "/agents").send().await.body["totalCount"],
        0
    );
}

#[tokio::test]
async fn keys_expire_after_24_hours_and_abandoned_claims_after_a_minute() {
    use jiff::{SignedDuration, Timestamp};
    use switchboard_domain::idempotency::{Claim, StoredResponse};

    let s = Server::start().await;
    let store = s.core.store();
    let t0 = Timestamp::now();
    let at = |secs: i64| t0 + SignedDuration::from_secs(secs);
    assert_eq!(
        store
            .claim_idempotency_key("scope", "k", "a", t0)
            .await
            .unwrap(),
        Claim::Claimed
    );
    let running = store
        .claim_idempotency_key("scope", "k", "a", at(1))
        .await
        .unwrap();
    assert!(
        matches!(running, Claim::Existing(ref r) if r.response.is_none()),
        "{running:?}"
    );
    let done = StoredResponse {
        status: 201,
        content_type: None,
        body: b"{}".to_vec(),
    };
    store
        .finish_idempotency_key("scope", "k", &done)
        .await
        .unwrap();
    let kept = store
        .claim_idempotency_key("scope", "k", "b", at(23 * 3600))
        .await
        .unwrap();
    assert!(
        matches!(kept, Claim::Existing(ref r) if r.response.as_ref() == Some(&done) && r.fingerprint == "a")
    );
    assert_eq!(
        store
            .claim_idempotency_key("scope", "k", "b", at(25 * 3600))
            .await
            .unwrap(),
        Claim::Claimed
    );

    assert_eq!(
        store
            .claim_idempotency_key("scope", "stuck", "a", t0)
            .await
            .unwrap(),
        Claim::Claimed
    );
    assert!(matches!(
        store
            .claim_idempotency_key("scope", "stuck", "a", at(30))
            .await
            .unwrap(),
        Claim::Existing(_)
    ));
    assert_eq!(
        store
            .claim_idempotency_key("scope", "stuck", "a", at(61))
            .await
            .unwrap(),
        Claim::Claimed
    );
}
