//! What a user does on their active call over the Dialpad API (recording, voice intelligence),
//! screen pops, and callbacks into a call center's queue.

use serde_json::{json, Value};

use crate::calls_kit::*;
use crate::dialpad_kit::{assert_error, company, dp};

#[tokio::test]
async fn recording_the_active_call_of_a_user_and_of_an_operator() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let other = company(&s, "Other").await;
    let (ann, number) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let path = format!("/users/{ann}/activecall");
    // No call yet: 409.
    let r = dp(
        &s,
        "PATCH",
        &path,
        &c.company_key,
        Some(json!({"is_recording": true})),
    )
    .await;
    assert_error(&r, 409, "conflict");
    let call = dial(&s, &c, "+12125550123", &number).await;
    let r = dp(
        &s,
        "PATCH",
        &path,
        &c.company_key,
        Some(json!({"is_recording": true})),
    )
    .await;
    assert_error(&r, 409, "conflict");
    sim(&s, &c, &format!("/devices/{ann}/answer"), json!({})).await;
    let r = dp(
        &s,
        "PATCH",
        &path,
        &c.company_key,
        Some(json!({"is_recording": true})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.body,
        json!({"call_state": "connected", "id": call, "is_recording": true})
    );
    let cases: [(Value, u16); 4] = [
        (json!({}), 400),
        (json!({"is_recording": "yes"}), 400),
        (json!({"is_recording": true, "recording_type": "team"}), 400),
        // A call to a user is not a group call.
        (
            json!({"is_recording": true, "recording_type": "group"}),
            400,
        ),
    ];
    for (body, status) in cases {
        let r = dp(&s, "PATCH", &path, &c.company_key, Some(body.clone())).await;
        assert_eq!(r.status, status, "{body}: {}", r.text);
        assert_eq!(r.body["error"]["code"], status);
    }
    let r = dp(
        &s,
        "PATCH",
        &path,
        &other.company_key,
        Some(json!({"is_recording": true})),
    )
    .await;
    assert_error(&r, 404, "notFound");
    let r = dp(
        &s,
        "PATCH",
        &path,
        &c.user_key,
        Some(json!({"is_recording": true})),
    )
    .await;
    assert_error(&r, 403, "forbidden");
    let r = dp(
        &s,
        "PATCH",
        &path,
        &c.company_key,
        Some(json!({"is_recording": false, "play_message": false})),
    )
    .await;
    assert_eq!(r.body["is_recording"], false);
    let v = dp(&s, "GET", &format!("/call/{call}"), &c.company_key, None).await;
    assert_eq!(v.body["was_recorded"], true);
    // Voice intelligence.
    let vi = format!("/users/{ann}/togglevi");
    let r = dp(
        &s,
        "PATCH",
        &vi,
        &c.company_key,
        Some(json!({"enable_vi": true, "vi_locale": "fr-ca"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.body,
        json!({"call_state": "connected", "enable_vi": true, "id": call, "vi_locale": "fr-ca"})
    );
    for body in [json!({}), json!({"enable_vi": true, "vi_locale": "xx-yy"})] {
        let r = dp(&s, "PATCH", &vi, &c.company_key, Some(body)).await;
        assert_error(&r, 400, "badRequest");
    }
    let r = dp(
        &s,
        "PATCH",
        &vi,
        &other.company_key,
        Some(json!({"enable_vi": false})),
    )
    .await;
    assert_error(&r, 404, "notFound");

    // An operator of a call center records the group call, their leg, or both.
    let (bob, _) = user_with_number(&s, &c, "bob@acme.example", "415").await;
    let (_, cc_number) = call_center(&s, &c, json!({}), &[bob], "646").await;
    let entry = dial(&s, &c, "+12125550124", &cc_number).await;
    let r = sim(&s, &c, &format!("/devices/{bob}/answer"), json!({})).await;
    let op_leg = r.body["call_id"].as_i64().unwrap();
    let r = dp(
        &s,
        "PATCH",
        &format!("/users/{bob}/activecall"),
        &c.company_key,
        Some(json!({"is_recording": true, "recording_type": "group"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["id"], op_leg);
    assert_eq!(r.body["is_recording"], false);
    let v = dp(&s, "GET", &format!("/call/{entry}"), &c.company_key, None).await;
    assert_eq!(v.body["was_recorded"], true);
    let v = dp(&s, "GET", &format!("/call/{op_leg}"), &c.company_key, None).await;
    assert_eq!(v.body["was_recorded"], false);
}

#[tokio::test]
async fn a_screen_pop_is_validated_and_answers_the_device() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let other = company(&s, "Other").await;
    let (ann, _) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let path = format!("/users/{ann}/screenpop");
    let r = dp(
        &s,
        "POST",
        &path,
        &c.company_key,
        Some(json!({"screen_pop_uri": "https://crm.example/contacts/7"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body, json!({}));
    let r = dp(
        &s,
        "POST",
        &path,
        &c.company_key,
        Some(json!({"screen_pop_uri": "customuri://domain.com/x"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    for body in [
        json!({}),
        json!({"screen_pop_uri": "no scheme"}),
        json!({"screen_pop_uri": "https://user:pw@crm.example/"}),
        json!({"screen_pop_uri": ""}),
        json!({"screen_pop_uri": "https://crm.example/", "extra": true}),
    ] {
        let r = dp(&s, "POST", &path, &c.company_key, Some(body.clone())).await;
        assert_eq!(r.status, 400, "{body}: {}", r.text);
    }
    let ok = json!({"screen_pop_uri": "https://crm.example/"});
    let r = dp(&s, "POST", &path, &other.company_key, Some(ok.clone())).await;
    assert_error(&r, 404, "notFound");
    let r = dp(&s, "POST", &path, &c.user_key, Some(ok)).await;
    assert_error(&r, 403, "forbidden");
}

#[tokio::test]
async fn callbacks_wait_in_the_call_center_queue() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let other = company(&s, "Other").await;
    let (ann, _) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let (cc, _) = call_center(
        &s,
        &c,
        json!({"hold_queue": {"max_hold_count": 1}}),
        &[ann],
        "646",
    )
    .await;
    let (other_cc, _) = call_center(&s, &other, json!({}), &[], "646").await;
    let body = |n: &str| json!({"call_center_id": cc, "phone_number": n});
    let post = |path: &'static str, b: Value| {
        let s = &s;
        let key = c.company_key.clone();
        async move { dp(s, "POST", path, &key, Some(b)).await }
    };
    let r = post("/callback/validate", body("+12125550123")).await;
    assert_eq!(r.body, json!({"success": true}), "{}", r.text);
    assert!(call_states(&s, &c).await.is_empty());
    // Ann is free: she is rung at once.
    let r = post("/callback", body("+12125550123")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body, json!({"position": 1}));
    let r = sim(&s, &c, &format!("/devices/{ann}/answer"), json!({})).await;
    assert_eq!(state(&r), "connected");
    let cb = r.body["entry_point_call_id"].as_i64().unwrap();
    let v = dp(&s, "GET", &format!("/call/{cb}"), &c.company_key, None).await;
    assert_eq!(v.body["direction"], "outbound");
    assert_eq!(v.body["state"], "connected");
    assert_eq!(v.body["external_number"], "+12125550123");
    // A pending callback to the same number: 409, and validation says no.
    let r = post("/callback", body("+12125550123")).await;
    assert_error(&r, 409, "conflict");
    let r = post("/callback/validate", body("+12125550123")).await;
    assert_eq!(r.body, json!({"success": false}));
    // Ann is busy: the next callback queues; the queue (one place) is then full.
    let r = post("/callback", body("+12125550124")).await;
    assert_eq!(r.body, json!({"position": 1}), "{}", r.text);
    let r = post("/callback/validate", body("+12125550125")).await;
    assert_eq!(r.body, json!({"success": false}));
    let r = post("/callback", body("+12125550125")).await;
    assert_error(&r, 400, "badRequest");
    // No international callbacks.
    let r = post("/callback/validate", body("+442071838750")).await;
    assert_eq!(r.body, json!({"success": false}));
    let before = call_states(&s, &c).await;
    let cases = [
        (json!({"phone_number": "+12125550126"}), 400),
        (json!({"call_center_id": cc}), 400),
        (json!({"call_center_id": cc, "phone_number": "555"}), 400),
        (
            json!({"call_center_id": "x", "phone_number": "+12125550126"}),
            400,
        ),
        (
            json!({"call_center_id": other_cc, "phone_number": "+12125550126"}),
            404,
        ),
        (
            json!({"call_center_id": cc, "phone_number": "+12125550126", "x": 1}),
            400,
        ),
    ];
    for (b, status) in cases {
        for path in ["/callback", "/callback/validate"] {
            let r = post(path, b.clone()).await;
            assert_eq!(r.status, status, "{path} {b}: {}", r.text);
            assert_eq!(r.body["error"]["code"], status);
        }
    }
    assert_eq!(call_states(&s, &c).await, before);
}
