//! Text messages: bad input to `POST /sms`, the opt-out list and the simulator is refused
//! with nothing stored; the opt-out list and the simulator's list page in order.

use serde_json::json;

use crate::calls_kit::{acme, call_center, sim, user_with_number};
use crate::dialpad_kit::{assert_error, company, dp, main_office};
use crate::dialpad_sms::{carried, inbound, opt_outs, send, sms_events, OUTSIDE};
use crate::kit::Server;

#[tokio::test]
async fn bad_input_is_refused_and_changes_nothing() {
    let s = Server::start().await;
    let c = acme(&s).await;
    let other = company(&s, "Other").await;
    let (ann, _) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let (their_user, their_number) = user_with_number(&s, &other, "zed@other.example", "415").await;
    let (their_cc, _) = call_center(&s, &other, json!({}), &[], "415").await;
    let r = dp(
        &s,
        "POST",
        "/departments",
        &c.company_key,
        Some(json!({"name": "Sales", "office_id": main_office(&s, &c).await})),
    )
    .await;
    let dept = r.body["id"].as_i64().unwrap();
    let to = json!([OUTSIDE]);
    for (body, code) in [
        (
            json!({"user_id": ann, "to_numbers": ["12125550123"], "text": "x"}),
            400,
        ),
        (
            json!({"user_id": ann, "to_numbers": ["+1"], "text": "x"}),
            400,
        ),
        (json!({"user_id": ann, "to_numbers": [], "text": "x"}), 400),
        (
            json!({"user_id": ann, "to_numbers": vec![OUTSIDE; 11], "text": "x"}),
            400,
        ),
        (json!({"user_id": ann, "to_numbers": to, "text": "  "}), 400),
        (
            json!({"user_id": ann, "to_numbers": to, "text": "x".repeat(1601)}),
            400,
        ),
        (
            json!({"user_id": ann, "to_numbers": to, "media": "not base64!"}),
            400,
        ),
        (json!({"to_numbers": to, "text": "x"}), 400),
        (
            json!({"user_id": ann, "channel_hashtag": "#sales", "text": "x"}),
            400,
        ),
        (
            json!({"user_id": ann, "to_numbers": to, "text": "x", "extra": 1}),
            400,
        ),
        (
            json!({"sender_group_id": dept, "to_numbers": to, "text": "x"}),
            400,
        ),
        (
            json!({"sender_group_id": dept, "sender_group_type": "room", "to_numbers": to, "text": "x"}),
            400,
        ),
        (
            json!({"sender_group_id": dept, "sender_group_type": "department", "to_numbers": to, "text": "x"}),
            400,
        ),
        (
            json!({"from_number": "+14155550999", "to_numbers": to, "text": "x"}),
            404,
        ),
        (
            json!({"user_id": their_user, "to_numbers": to, "text": "x"}),
            404,
        ),
        (
            json!({"sender_group_id": their_cc, "sender_group_type": "callcenter", "to_numbers": to, "text": "x"}),
            404,
        ),
        (
            json!({"from_number": their_number, "to_numbers": to, "text": "x"}),
            404,
        ),
    ] {
        let r = send(&s, &c.company_key, body.clone()).await;
        assert_eq!(r.status, code, "{body} {}", r.text);
        assert_eq!(r.body["error"]["code"], code, "{body}");
    }
    assert!(sms_events(&s, &c).await.is_empty());
    assert!(carried(&s, &c, "outbound").await.is_empty());

    // The opt-out list: the key's own company only, for admins, in a known state.
    let path = |id: i64, q: &str| format!("/company/{id}/smsoptout{q}");
    let r = dp(
        &s,
        "GET",
        &path(other.id.0, "?opt_out_state=opted_out"),
        &c.company_key,
        None,
    )
    .await;
    assert_error(&r, 404, "notFound");
    let r = dp(&s, "GET", &path(c.id.0, ""), &c.company_key, None).await;
    assert_error(&r, 400, "badRequest");
    let r = dp(
        &s,
        "GET",
        &path(c.id.0, "?opt_out_state=gone"),
        &c.company_key,
        None,
    )
    .await;
    assert_error(&r, 400, "badRequest");
    let q = "?opt_out_state=opted_back_in&a2p_campaign_id=5";
    let r = dp(&s, "GET", &path(c.id.0, q), &c.company_key, None).await;
    assert_error(&r, 400, "badRequest");
    let q = "?opt_out_state=opted_out&a2p_campaign_id=5";
    let r = dp(&s, "GET", &path(c.id.0, q), &c.company_key, None).await;
    assert_eq!((r.status, r.body["items"].clone()), (200, json!([])));
    let r = dp(
        &s,
        "GET",
        &path(c.id.0, "?opt_out_state=opted_out&cursor=forged"),
        &c.company_key,
        None,
    )
    .await;
    assert_error(&r, 400, "badRequest");
    let r = dp(
        &s,
        "GET",
        &path(c.id.0, "?opt_out_state=opted_out"),
        &c.user_key,
        None,
    )
    .await;
    assert_error(&r, 403, "forbidden");

    // Inbound texts: to a number the company does not have, or from a malformed one.
    for (body, code) in [
        (
            json!({"from": OUTSIDE, "to": their_number, "text": "x"}),
            404,
        ),
        (json!({"from": "12", "to": their_number, "text": "x"}), 400),
        (json!({"from": OUTSIDE, "to": their_number}), 400),
    ] {
        let r = sim(&s, &c, "/inbound_sms", body.clone()).await;
        assert_eq!(r.status, code, "{body} {}", r.text);
    }
    // A message of another company has no attachment here.
    let r = send(
        &s,
        &other.company_key,
        json!({"user_id": their_user, "to_numbers": to, "media": "aGk="}),
    )
    .await;
    let theirs = r.body["id"].as_i64().unwrap();
    let r = dp(
        &s,
        "GET",
        &format!("/sms/{theirs}/media"),
        &c.company_key,
        None,
    )
    .await;
    assert_error(&r, 404, "notFound");
    assert!(sms_events(&s, &c).await.is_empty());
}

#[tokio::test]
async fn lists_are_in_order_and_page_with_a_cursor() {
    let s = Server::start().await;
    let c = acme(&s).await;
    let (_, number) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    for i in 0..3 {
        let r = inbound(&s, &c, &format!("+1212555010{i}"), &number, "QUIT").await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    assert_eq!(
        opt_outs(&s, &c, "opted_out").await,
        vec!["+12125550100", "+12125550101", "+12125550102"]
    );
    // The simulator's list pages one at a time.
    let mut ids = Vec::new();
    let mut cursor = String::new();
    loop {
        let r = s
            .req(
                "GET",
                &format!("/sim/v1/sms?direction=inbound&limit=1&cursor={cursor}"),
            )
            .header("authorization", &format!("Bearer {}", c.company_key))
            .send()
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        ids.extend(
            r.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["id"].clone()),
        );
        match r.body["cursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(ids.len(), 3);
}
