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

/// Keys are looked at only after authentication and belong to the authenticated caller: a
/// revoked key replays nothing, two partners' equal keys are two keys, and one caller's key is
/// the same whichever way the caller presents its credentials.
#[tokio::test]
async fn keys_are_claimed_after_authentication_and_scoped_to_the_caller() {
    use crate::d360_partner::{d3, partner};

    let s = Server::start().await;
    let u = s.user().await;
    let spare = s.core.tenancy().create_user_key(u.user.id).await.unwrap();
    let body = json!({"agentName": "Mine"});
    let first = s
        .req("POST", "/partner/v1/agents")
        .header("api_token", &spare.secret)
        .header("idempotency-key", "shared")
        .json(body.clone())
        .send()
        .await;
    assert_eq!(first.status, 201, "{}", first.text);
    // The same user by its other key, and in the query string: the same caller, a replay.
    let other_key = s
        .dg(&u, "POST", "/agents")
        .header("idempotency-key", "shared")
        .json(body.clone())
        .send()
        .await;
    assert_eq!(other_key.header("idempotency-replayed"), Some("true"));
    assert_eq!(other_key.body, first.body);

    // Once revoked, the key that sent the first request gets a 401, not the kept answer.
    s.core.tenancy().revoke_key(spare.key.id).await.unwrap();
    let revoked = s
        .req("POST", "/partner/v1/agents")
        .header("api_token", &spare.secret)
        .header("idempotency-key", "shared")
        .json(body.clone())
        .send()
        .await;
    assert_eq!(
        (revoked.status, revoked.body.clone()),
        (401, json!({"error": "invalid api_token"}))
    );
    assert_eq!(revoked.header("idempotency-replayed"), None);
    // An unauthenticated request with a malformed key is a 401 too (nothing is looked at).
    let r = s
        .req("POST", "/partner/v1/agents")
        .header("api_token", "sbu_nope")
        .header("idempotency-key", "x".repeat(300).as_str())
        .json(body.clone())
        .send()
        .await;
    assert_eq!(r.status, 401, "{}", r.text);

    // Two partners (tenants) with the same key string each get their own new secret.
    let a = partner(&s, "A").await;
    let b = partner(&s, "B").await;
    let rotate = |p| {
        d3(&s, p, "POST", "/webhook_secret/rotate")
            .header("idempotency-key", "shared")
            .send()
    };
    let ra = rotate(&a).await;
    let rb = rotate(&b).await;
    assert_eq!(
        (ra.status, rb.status),
        (200, 200),
        "{} {}",
        ra.text,
        rb.text
    );
    assert_eq!(rb.header("idempotency-replayed"), None);
    assert_ne!(ra.body["secret"], rb.body["secret"]);
    let ra2 = rotate(&a).await;
    assert_eq!(ra2.header("idempotency-replayed"), Some("true"));
    assert_eq!(ra2.body, ra.body);
    let current = d3(&s, &b, "GET", "/webhook_secret").send().await;
    assert_eq!(current.body["secret"], rb.body["secret"]);

    // Bird's callers (workspace in the path) are scoped the same way (the same user's key
    // from Dialgood above is the same key: another request under it is refused).
    let reused = s
        .bird(&u, "POST", "/agents")
        .header("idempotency-key", "shared")
        .json(json!({"name": "Zed", "email": "zed@example.com", "type": "user"}))
        .send()
        .await;
    assert_eq!(reused.status, 422, "{}", reused.text);
    let create = || {
        s.bird(&u, "POST", "/agents")
            .header("idempotency-key", "bird-1")
            .json(json!({"name": "Zed", "email": "zed@example.com", "type": "user"}))
            .send()
    };
    let (one, two) = (create().await, create().await);
    assert_eq!(one.status, 201, "{}", one.text);
    assert_eq!(two.header("idempotency-replayed"), Some("true"));
    assert_eq!(two.body, one.body);
}

/// A kept response is sealed at rest: a rotated signing secret never lands in the database
/// in plaintext, and the replay still gives it back.
#[tokio::test]
async fn kept_responses_are_sealed_at_rest() {
    use crate::d360_partner::{d3, partner};
    use crate::kit::on_postgres;

    let s = Server::start().await;
    let p = partner(&s, "Sealed").await;
    let r = d3(&s, &p, "POST", "/webhook_secret/rotate")
        .header("idempotency-key", "rotate-1")
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let secret = r.body["secret"].as_str().unwrap().to_owned();
    let again = d3(&s, &p, "POST", "/webhook_secret/rotate")
        .header("idempotency-key", "rotate-1")
        .send()
        .await;
    assert_eq!(again.header("idempotency-replayed"), Some("true"));
    assert_eq!(again.body["secret"], secret);

    // The secret's distinctive part, as it would appear in any plain copy.
    let needle = secret.trim_start_matches("whsec_").to_owned();
    if on_postgres() {
        let kept = s
            .raw_texts("SELECT encode(body, 'escape') FROM idempotency_keys")
            .await;
        assert_eq!(kept.len(), 1);
        assert!(!kept[0].is_empty());
        assert!(kept.iter().all(|b| !b.contains(&needle)), "{kept:?}");
    } else {
        let kept = s
            .raw_texts("SELECT CAST(body AS TEXT) FROM idempotency_keys")
            .await;
        assert_eq!(kept.len(), 1);
        assert!(!kept[0].is_empty());
        assert!(!kept[0].contains(&needle), "{kept:?}");
        // Nor anywhere in the database files (the WAL included).
        for entry in std::fs::read_dir(s.data_dir()).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                let bytes = std::fs::read(&path).unwrap();
                let text = String::from_utf8_lossy(&bytes);
                assert!(
                    !text.contains(&needle),
                    "{} holds the secret",
                    path.display()
                );
            }
        }
    }
}

/// The header does not shrink a route's body limit: a media upload over 1 MiB with an
/// `Idempotency-Key` is accepted like one without.
#[tokio::test]
async fn bodies_over_a_mebibyte_pass_where_the_route_takes_them() {
    use switchboard_domain::ids::Id;

    let s = Server::start().await;
    let u = s.user().await;
    let me = u.user.id.to_uuid();
    let r = s
        .bird(&u, "GET", &format!("/agents/{me}/presigned-upload"))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in r.body["formData"].as_object().unwrap() {
        form = form.text(k.clone(), v.as_str().unwrap().to_owned());
    }
    let big = vec![7u8; 3 * 1024 * 1024 / 2];
    form = form.part(
        "file",
        reqwest::multipart::Part::bytes(big.clone()).file_name("a.png"),
    );
    let up = reqwest::Client::new()
        .post(r.body["url"].as_str().unwrap())
        .header("idempotency-key", "big-1")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(up.status(), 204, "{}", up.text().await.unwrap());

    // And an authenticated JSON create over 1 MiB still gets the route's own answer (too large).
    let huge = json!({"agentName": "Big", "settings": {"prompt": "x".repeat(1_200_000)}});
    let r = s
        .dg(&u, "POST", "/agents")
        .header("idempotency-key", "big-2")
        .json(huge)
        .send()
        .await;
    let plain = s
        .dg(&u, "POST", "/agents")
        .json(json!({"agentName": "Big", "settings": {"prompt": "x".repeat(1_200_000)}}))
        .send()
        .await;
    assert_eq!((r.status, r.body.clone()), (plain.status, plain.body));
}
