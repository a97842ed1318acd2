//! Outbound calls over the Dialpad API: a user's call (`POST /call`,
//! `POST /users/{id}/initiate_call`) rings their device, connects when it answers, rings out
//! as missed; an IVR's call (`POST /call/initiate_ivr_call`) connects at once; participants
//! join a connected call; unparking is refused. Bad input changes nothing.

use serde_json::{json, Value};

use crate::calls_kit::*;
use crate::dialpad_kit::{assert_error, company, dp, Company};
use crate::kit::{Resp, Server};

async fn ring(s: &Server, c: &Company, body: Value) -> Resp {
    dp(s, "POST", "/call", &c.company_key, Some(body)).await
}

async fn get_call(s: &Server, c: &Company, id: i64) -> Value {
    let r = dp(s, "GET", &format!("/call/{id}"), &c.company_key, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
}

#[tokio::test]
async fn a_user_rings_out_and_the_outside_party_answers_when_they_do() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let (ann, number) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let r = ring(
        &s,
        &c,
        json!({"user_id": ann, "phone_number": "+12125550123", "custom_data": "crm-7"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let call = r.body["call_id"].as_i64().unwrap();
    assert_eq!(r.body, json!({"call_id": call}));
    let v = get_call(&s, &c, call).await;
    assert_eq!(v["state"], "calling");
    assert_eq!(v["direction"], "outbound");
    assert_eq!(v["internal_number"], number);
    assert_eq!(v["external_number"], "+12125550123");
    assert_eq!(v["target"]["id"], ann.to_string());
    assert_eq!(v["custom_data"], "crm-7");
    advance(&s, &c, 4).await;
    let r = sim(&s, &c, &format!("/devices/{ann}/answer"), json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["call_id"], call);
    assert_eq!(state(&r), "connected");
    // A user on a call cannot place another one: 409, nothing recorded.
    let before = call_states(&s, &c).await;
    let r = ring(
        &s,
        &c,
        json!({"user_id": ann, "phone_number": "+12125550124"}),
    )
    .await;
    assert_error(&r, 409, "conflict");
    assert_eq!(call_states(&s, &c).await, before);
    advance(&s, &c, 10).await;
    let r = dp(
        &s,
        "PUT",
        &format!("/call/{call}/actions/hangup"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["state"], "hangup");
    assert_eq!(r.body["duration"], 10_000.0);
    assert_eq!(r.body["total_duration"], 14_000.0);
    assert_eq!(
        call_states(&s, &c).await,
        vec![
            (call, "calling".to_owned()),
            (call, "connected".to_owned()),
            (call, "hangup".to_owned()),
        ]
    );
    let r = dp(&s, "GET", "/call", &c.company_key, None).await;
    assert_eq!(r.body["items"][0]["call_id"], call);
    // Free again: the user's own key may call for themselves, with `me`.
    let r = dp(
        &s,
        "POST",
        "/users/me/initiate_call",
        &c.company_key,
        Some(json!({"phone_number": "+12125550124"})),
    )
    .await;
    assert_error(&r, 400, "badRequest");
    let r = dp(
        &s,
        "POST",
        &format!("/users/{ann}/initiate_call"),
        &c.company_key,
        Some(json!({"phone_number": "+12125550124", "outbound_caller_id": "blocked"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body, json!({}));
    let r = sim(&s, &c, &format!("/devices/{ann}/answer"), json!({})).await;
    assert_eq!(state(&r), "connected");
    let second = r.body["call_id"].as_i64().unwrap();
    assert_eq!(get_call(&s, &c, second).await["internal_number"], "blocked");
}

#[tokio::test]
async fn an_unanswered_outbound_call_is_missed_not_voicemail() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let (ann, _) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let r = ring(
        &s,
        &c,
        json!({"user_id": ann, "phone_number": "+12125550123"}),
    )
    .await;
    let call = r.body["call_id"].as_i64().unwrap();
    advance(&s, &c, 29).await;
    assert_eq!(get_call(&s, &c, call).await["state"], "calling");
    advance(&s, &c, 1).await;
    let v = get_call(&s, &c, call).await;
    assert_eq!(v["state"], "missed");
    assert!(v["date_connected"].is_null());
    // Declined: missed at once; the user is free for the next call.
    let r = ring(
        &s,
        &c,
        json!({"user_id": ann, "phone_number": "+12125550123"}),
    )
    .await;
    let call = r.body["call_id"].as_i64().unwrap();
    let r = sim(&s, &c, &format!("/devices/{ann}/reject"), json!({})).await;
    assert_eq!(r.body["call_id"], call);
    assert_eq!(state(&r), "missed");
    // An auto-answering device connects at once.
    sim(
        &s,
        &c,
        &format!("/users/{ann}/auto_answer"),
        json!({"enabled": true}),
    )
    .await;
    let r = ring(
        &s,
        &c,
        json!({"user_id": ann, "phone_number": "+12125550123"}),
    )
    .await;
    let call = r.body["call_id"].as_i64().unwrap();
    assert_eq!(get_call(&s, &c, call).await["state"], "connected");
}

#[tokio::test]
async fn a_call_may_show_a_group_number_and_bad_input_changes_nothing() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let other = company(&s, "Other").await;
    let (ann, _) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let (bob, _) = user_with_number(&s, &c, "bob@acme.example", "415").await;
    let (cc, cc_number) = call_center(&s, &c, json!({}), &[ann], "646").await;
    let (stranger, _) = user_with_number(&s, &other, "x@other.example", "415").await;
    let (other_cc, _) = call_center(&s, &other, json!({}), &[stranger], "646").await;
    let ok = json!({"user_id": ann, "phone_number": "+12125550123"});
    let with = |extra: Value| {
        let mut b = ok.clone();
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let cases = [
        (json!({"phone_number": "+12125550123"}), 400),
        (json!({"user_id": ann}), 400),
        (with(json!({"phone_number": "2125550123"})), 400),
        (with(json!({"user_id": "abc"})), 400),
        (with(json!({"surprise": 1})), 400),
        (with(json!({"is_consult": true})), 400),
        (with(json!({"group_id": cc})), 400),
        (with(json!({"group_id": cc, "group_type": "team"})), 400),
        (with(json!({"outbound_caller_id": "+14155550999"})), 400),
        (with(json!({"custom_data": "x".repeat(2001)})), 400),
        (with(json!({"user_id": stranger})), 404),
        (with(json!({"user_id": 999_999_999})), 404),
        (
            with(json!({"group_id": other_cc, "group_type": "callcenter"})),
            404,
        ),
        (
            with(json!({"group_id": cc, "group_type": "department"})),
            404,
        ),
        (with(json!({"device_id": "12345"})), 404),
    ];
    for (body, status) in cases {
        let r = ring(&s, &c, body.clone()).await;
        assert_eq!(r.status, status, "{body}: {}", r.text);
        assert_eq!(r.body["error"]["code"], status);
    }
    // A plain user may call for themselves only.
    let r = dp(&s, "POST", "/call", &c.user_key, Some(ok.clone())).await;
    assert_error(&r, 403, "forbidden");
    let r = dp(
        &s,
        "POST",
        &format!("/users/{ann}/initiate_call"),
        &c.user_key,
        Some(json!({"phone_number": "+12125550123"})),
    )
    .await;
    assert_error(&r, 403, "forbidden");
    let r = dp(
        &s,
        "POST",
        &format!("/users/{stranger}/initiate_call"),
        &c.company_key,
        Some(json!({"phone_number": "+12125550123"})),
    )
    .await;
    assert_error(&r, 404, "notFound");
    assert!(call_states(&s, &c).await.is_empty());
    // The group's number, by default when the group is named, or asked for.
    let r = ring(
        &s,
        &c,
        with(json!({"group_id": cc, "group_type": "callcenter"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let call = r.body["call_id"].as_i64().unwrap();
    assert_eq!(get_call(&s, &c, call).await["internal_number"], cc_number);
    let r = ring(
        &s,
        &c,
        json!({"user_id": bob, "phone_number": "+12125550123", "group_id": cc,
               "group_type": "callcenter", "outbound_caller_id": cc_number}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn an_ivr_calls_a_number_and_connects_at_once() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let other = company(&s, "Other").await;
    let (ann, _) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let (cc, cc_number) = call_center(&s, &c, json!({}), &[ann], "646").await;
    let (other_cc, _) = call_center(&s, &other, json!({}), &[], "646").await;
    let r = dp(
        &s,
        "POST",
        "/call/initiate_ivr_call",
        &c.company_key,
        Some(json!({"target_type": "callcenter", "target_id": cc,
                    "phone_number": "+12125550123", "custom_data": "campaign"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let call = r.body["call_id"].as_i64().unwrap();
    let v = get_call(&s, &c, call).await;
    assert_eq!(v["state"], "connected");
    assert_eq!(v["direction"], "outbound");
    assert_eq!(v["target"]["type"], "callcenter");
    assert_eq!(v["target"]["id"], cc.to_string());
    assert_eq!(v["internal_number"], cc_number);
    // Both events at the same instant (the outbox orders them by time, then id).
    let mut states = call_states(&s, &c).await;
    states.sort();
    assert_eq!(
        states,
        vec![(call, "calling".to_owned()), (call, "connected".to_owned())]
    );
    let r = dp(
        &s,
        "PUT",
        &format!("/call/{call}/actions/hangup"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(r.body["state"], "hangup");
    let office = crate::dialpad_kit::main_office(&s, &c).await;
    let cases = [
        (json!({"target_type": "callcenter", "target_id": cc}), 400),
        (
            json!({"target_type": "room", "target_id": cc, "phone_number": "+12125550123"}),
            400,
        ),
        (
            json!({"target_type": "callcenter", "phone_number": "+12125550123"}),
            400,
        ),
        (
            json!({"target_type": "callcenter", "target_id": cc, "phone_number": "12"}),
            400,
        ),
        // The main office has no number: nothing to call from.
        (
            json!({"target_type": "office", "target_id": office, "phone_number": "+12125550123"}),
            400,
        ),
        (
            json!({"target_type": "callcenter", "target_id": other_cc, "phone_number": "+12125550123"}),
            404,
        ),
        (
            json!({"target_type": "department", "target_id": cc, "phone_number": "+12125550123"}),
            404,
        ),
    ];
    let before = call_states(&s, &c).await;
    for (body, status) in cases {
        let r = dp(
            &s,
            "POST",
            "/call/initiate_ivr_call",
            &c.company_key,
            Some(body.clone()),
        )
        .await;
        assert_eq!(r.status, status, "{body}: {}", r.text);
        assert_eq!(r.body["error"]["code"], status);
    }
    assert_eq!(call_states(&s, &c).await, before);
}

#[tokio::test]
async fn participants_join_a_connected_call_on_legs_of_their_own() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let other = company(&s, "Other").await;
    let (ann, number) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let (bob, bob_number) = user_with_number(&s, &c, "bob@acme.example", "415").await;
    let (carl, _) = user_with_number(&s, &c, "carl@acme.example", "415").await;
    let call = dial(&s, &c, "+12125550123", &number).await;
    let add = |body: Value| {
        let (s, c) = (&s, &c);
        async move {
            dp(
                s,
                "POST",
                &format!("/call/{call}/participants/add"),
                &c.company_key,
                Some(body),
            )
            .await
        }
    };
    // Not connected yet: 409.
    let r = add(json!({"participant": {"number": "+12125550777"}})).await;
    assert_error(&r, 409, "conflict");
    sim(&s, &c, &format!("/devices/{ann}/answer"), json!({})).await;
    let r = add(json!({"participant": {"number": "+12125550777"}})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let joined = r.body["call_id"].as_i64().unwrap();
    let v = get_call(&s, &c, joined).await;
    assert_eq!(v["state"], "connected");
    assert_eq!(v["master_call_id"], call);
    assert_eq!(v["external_number"], "+12125550777");
    assert_eq!(v["internal_number"], number);
    // A user is called on their number: their device rings, and answers.
    let r = add(json!({"participant": {"target_type": "user", "target_id": bob}})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let leg = r.body["call_id"].as_i64().unwrap();
    let v = get_call(&s, &c, leg).await;
    assert_eq!(v["state"], "ringing");
    assert_eq!(v["master_call_id"], call);
    assert_eq!(v["internal_number"], bob_number);
    let r = sim(&s, &c, &format!("/devices/{bob}/answer"), json!({})).await;
    assert_eq!(r.body["call_id"], leg);
    assert_eq!(state(&r), "connected");
    let (stranger, _) = user_with_number(&s, &other, "x@other.example", "415").await;
    let before = call_states(&s, &c).await;
    let cases = [
        (json!({}), 400),
        (json!({"participant": {}}), 400),
        (json!({"participant": {"number": "12"}}), 400),
        (
            json!({"participant": {"number": "+12125550777", "target_id": bob}}),
            400,
        ),
        (
            json!({"participant": {"target_type": "callrouter", "target_id": bob}}),
            400,
        ),
        (
            json!({"participant": {"target_type": "user", "target_id": stranger}}),
            404,
        ),
        (
            json!({"participant": {"target_type": "office", "target_id": 1}}),
            404,
        ),
    ];
    for (body, status) in cases {
        let r = add(body.clone()).await;
        assert_eq!(r.status, status, "{body}: {}", r.text);
        assert_eq!(r.body["error"]["code"], status);
    }
    let r = dp(
        &s,
        "POST",
        &format!("/call/{call}/participants/add"),
        &other.company_key,
        Some(json!({"participant": {"target_type": "user", "target_id": carl}})),
    )
    .await;
    assert_error(&r, 404, "notFound");
    assert_eq!(call_states(&s, &c).await, before);
}

#[tokio::test]
async fn unparking_a_call_that_is_not_parked_is_refused() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let other = company(&s, "Other").await;
    let (ann, number) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let call = dial(&s, &c, "+12125550123", &number).await;
    let unpark = |key: &str, body: Value| {
        let (s, key) = (&s, key.to_owned());
        async move { dp(s, "POST", &format!("/call/{call}/unpark"), &key, Some(body)).await }
    };
    let r = unpark(&c.company_key, json!({"user_id": ann})).await;
    assert_error(&r, 409, "conflict");
    assert_error(&unpark(&c.company_key, json!({})).await, 400, "badRequest");
    assert_error(
        &unpark(&c.company_key, json!({"user_id": 1})).await,
        404,
        "notFound",
    );
    assert_error(
        &unpark(&other.company_key, json!({"user_id": ann})).await,
        404,
        "notFound",
    );
    assert_error(
        &unpark(&c.user_key, json!({"user_id": ann})).await,
        403,
        "forbidden",
    );
    let r = dp(
        &s,
        "POST",
        "/call/abc/unpark",
        &c.company_key,
        Some(json!({"user_id": ann})),
    )
    .await;
    assert_error(&r, 400, "badRequest");
    assert_eq!(get_call(&s, &c, call).await["state"], "ringing");
}
