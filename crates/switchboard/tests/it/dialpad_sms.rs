//! Text messages through Dialpad's `POST /sms` and the simulator: sent from a user, a call
//! center or an office (with media), delivered pending → sent → delivered (the outbox's SMS
//! events and the simulator's view), received, STOP and START keeping the opt-out list that
//! `GET /company/{id}/smsoptout` shows. Bad input and paging: `dialpad_sms_input.rs`.

use base64::Engine;
use serde_json::{json, Value};

use crate::calls_kit::{acme, call_center, sim, user_with_number};
use crate::dialpad_kit::{assert_error, dp, main_office, Company};
use crate::kit::{Resp, Server};

pub(crate) const OUTSIDE: &str = "+12125550123";

/// The company's SMS events, oldest first, as (kind, payload).
pub(crate) async fn sms_events(s: &Server, c: &Company) -> Vec<(String, Value)> {
    let kinds = s
        .raw_texts(&format!(
            "SELECT kind FROM events WHERE kind IN ('sms', 'sms_status') AND company_id = {} \
             ORDER BY created_at, id",
            c.id.0
        ))
        .await;
    let payloads = s
        .raw_texts(&format!(
            "SELECT payload FROM events WHERE kind IN ('sms', 'sms_status') AND company_id = {} \
             ORDER BY created_at, id",
            c.id.0
        ))
        .await;
    let mut out: Vec<(String, Value)> = kinds
        .into_iter()
        .zip(payloads.iter().map(|p| serde_json::from_str(p).unwrap()))
        .collect();
    // Events of one instant: order them by what they report, as the network did.
    let rank = |p: &Value| match p["status"].as_str() {
        Some("pending") => 0,
        Some("sent") => 1,
        _ => 2,
    };
    out.sort_by_key(|(_, p)| (p["event_timestamp"].as_i64(), rank(p)));
    out
}

/// The statuses the events of message `id` report, in order.
pub(crate) async fn statuses(s: &Server, c: &Company, id: i64) -> Vec<(String, String)> {
    sms_events(s, c)
        .await
        .into_iter()
        .filter(|(_, p)| p["id"] == id)
        .map(|(k, p)| (k, p["status"].as_str().unwrap().to_owned()))
        .collect()
}

/// The simulator's list of the company's messages of one direction.
pub(crate) async fn carried(s: &Server, c: &Company, direction: &str) -> Vec<Value> {
    let r = s
        .req("GET", &format!("/sim/v1/sms?direction={direction}"))
        .header("authorization", &format!("Bearer {}", c.company_key))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["items"].as_array().unwrap().clone()
}

pub(crate) async fn send(s: &Server, key: &str, body: Value) -> Resp {
    dp(s, "POST", "/sms", key, Some(body)).await
}

pub(crate) async fn opt_outs(s: &Server, c: &Company, state: &str) -> Vec<String> {
    let r = dp(
        s,
        "GET",
        &format!("/company/{}/smsoptout?opt_out_state={state}", c.id.0),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["external_endpoint"].as_str().unwrap().to_owned())
        .collect()
}

pub(crate) async fn inbound(s: &Server, c: &Company, from: &str, to: &str, text: &str) -> Resp {
    sim(
        s,
        c,
        "/inbound_sms",
        json!({"from": from, "to": to, "text": text}),
    )
    .await
}

#[tokio::test]
async fn a_user_texts_and_the_network_delivers() {
    let s = Server::start().await;
    let c = acme(&s).await;
    let (ann, number) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let r = send(
        &s,
        &c.company_key,
        json!({"user_id": ann, "to_numbers": [OUTSIDE, "+1 212 555 0123"], "text": "Hello"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["message_status"], "pending");
    assert_eq!(r.body["direction"], "outbound");
    assert_eq!(r.body["from_number"], number.as_str());
    assert_eq!(r.body["to_numbers"], json!([OUTSIDE]));
    assert_eq!(r.body["target_type"], "user");
    assert_eq!(r.body["target_id"], ann);
    assert_eq!(r.body["user_id"], ann);
    assert_eq!(r.body["device_type"], "public_api");
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(
        statuses(&s, &c, id).await,
        vec![
            ("sms".into(), "pending".into()),
            ("sms_status".into(), "sent".into()),
            ("sms_status".into(), "delivered".into()),
        ]
    );
    let events = sms_events(&s, &c).await;
    let created = &events[0].1;
    assert_eq!(created["change"], "created");
    assert_eq!(created["target"]["kind"], "user");
    assert_eq!(created["target"]["name"], "ann@acme.example");
    assert_eq!(created["text"], "Hello");
    assert_eq!(created["is_internal"], false);
    assert_eq!(events[2].1["change"], "status");
    assert_eq!(events[2].1["delivery_result"], "accepted");
    let out = carried(&s, &c, "outbound").await;
    assert_eq!(out.len(), 1);
    assert_eq!(out[0]["status"], "delivered");
    assert_eq!(out[0]["to"], json!([OUTSIDE]));

    // The admin's key sends as its own user when it names nobody; a user without a number
    // has nothing to send from.
    let r = send(
        &s,
        &c.admin_key,
        json!({"to_numbers": [OUTSIDE], "text": "Hi"}),
    )
    .await;
    assert_error(&r, 400, "badRequest");
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("no number"));
}

#[tokio::test]
async fn a_plain_user_sends_only_as_themselves() {
    let s = Server::start().await;
    let c = acme(&s).await;
    let (ann, _) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let me = dp(
        &s,
        "GET",
        "/users?email=person1@acme.example",
        &c.company_key,
        None,
    )
    .await;
    let me = me.body["items"][0]["id"].as_i64().unwrap();
    let r = dp(
        &s,
        "POST",
        &format!("/users/{me}/assign_number"),
        &c.company_key,
        Some(json!({"area_code": "415"})),
    )
    .await;
    let mine = r.body["number"].as_str().unwrap().to_owned();
    let r = send(
        &s,
        &c.user_key,
        json!({"to_numbers": [OUTSIDE], "text": "Hi"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        (r.body["user_id"].as_i64(), r.body["from_number"].as_str()),
        (Some(me), Some(mine.as_str()))
    );
    for body in [
        json!({"user_id": ann, "to_numbers": [OUTSIDE], "text": "Hi"}),
        json!({"from_number": user_with_number(&s, &c, "bo@acme.example", "415").await.1,
               "to_numbers": [OUTSIDE], "text": "Hi"}),
    ] {
        let r = send(&s, &c.user_key, body).await;
        assert_error(&r, 403, "forbidden");
    }
    assert_eq!(carried(&s, &c, "outbound").await.len(), 1);
}

#[tokio::test]
async fn groups_and_offices_send_from_their_number_with_media() {
    let s = Server::start().await;
    let c = acme(&s).await;
    let (ann, _) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let (cc, cc_number) = call_center(&s, &c, json!({}), &[], "415").await;
    let gif = b"GIF89a-picture-";
    let media = base64::engine::general_purpose::STANDARD.encode(gif);
    let r = send(
        &s,
        &c.company_key,
        json!({"sender_group_id": cc, "sender_group_type": "callcenter", "user_id": ann,
               "to_numbers": [OUTSIDE], "media": media}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["from_number"], cc_number.as_str());
    assert_eq!(r.body["target_type"], "callcenter");
    assert_eq!(r.body["target_id"], cc);
    assert_eq!(r.body["user_id"], ann);
    let id = r.body["id"].as_i64().unwrap();
    let out = carried(&s, &c, "outbound").await;
    assert_eq!(
        out[0]["media"],
        json!({"content_type": "image/gif", "size": gif.len()})
    );
    assert_eq!(out[0]["status"], "delivered");
    let events = sms_events(&s, &c).await;
    assert_eq!(events[0].1["sender_user_id"], ann);
    assert_eq!(events[0].1["target"]["kind"], "call_center");
    let file = s
        .req("GET", &format!("/api/v2/sms/{id}/media"))
        .header("authorization", &format!("Bearer {}", c.company_key))
        .send()
        .await;
    assert_eq!(file.status, 200);
    assert_eq!(file.header("content-type"), Some("image/gif"));
    assert_eq!(file.text.as_bytes(), &gif[..]);

    // The office sends from its own number.
    let office = main_office(&s, &c).await;
    let r = dp(
        &s,
        "POST",
        &format!("/offices/{office}/assign_number"),
        &c.company_key,
        Some(json!({"area_code": "415"})),
    )
    .await;
    let office_number = r.body["number"].as_str().unwrap().to_owned();
    let r = send(
        &s,
        &c.company_key,
        json!({"sender_group_id": office, "sender_group_type": "office",
               "to_numbers": [OUTSIDE], "text": "Office hours changed"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["from_number"], office_number.as_str());
    assert_eq!(r.body["target_type"], "office");
    // So does the call center, named by its number.
    let r = send(
        &s,
        &c.company_key,
        json!({"from_number": cc_number, "to_numbers": [OUTSIDE], "text": "Hi"}),
    )
    .await;
    assert_eq!(
        (r.body["target_type"].as_str(), r.body["target_id"].as_i64()),
        (Some("callcenter"), Some(cc))
    );
}

#[tokio::test]
async fn inbound_texts_stop_and_start_keep_the_opt_out_list() {
    let s = Server::start().await;
    let c = acme(&s).await;
    let (ann, number) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let r = inbound(&s, &c, OUTSIDE, &number, "Are you open today?").await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["direction"], "inbound");
    assert_eq!(
        r.body["target"],
        json!({"type": "user", "id": ann, "name": "ann@acme.example"})
    );
    let events = sms_events(&s, &c).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].0, "sms");
    assert_eq!(events[0].1["direction"], "inbound");
    assert_eq!(events[0].1["from_number"], OUTSIDE);

    let r = inbound(&s, &c, OUTSIDE, &number, "  Stop ").await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        opt_outs(&s, &c, "opted_out").await,
        vec![OUTSIDE.to_owned()]
    );
    assert!(opt_outs(&s, &c, "opted_back_in").await.is_empty());
    let r = dp(
        &s,
        "GET",
        &format!("/company/{}/smsoptout?opt_out_state=opted_out", c.id.0),
        &c.company_key,
        None,
    )
    .await;
    let entry = &r.body["items"][0];
    assert_eq!(
        entry["opt_out_scope_info"],
        json!({"opt_out_scope_level": "company", "scope_id": c.id.0})
    );
    assert!(entry["date"].as_i64().is_some());

    // Sending to the number is refused, and nothing is stored or sent.
    let before = sms_events(&s, &c).await.len();
    let r = send(
        &s,
        &c.company_key,
        json!({"user_id": ann, "to_numbers": ["+12125550999", OUTSIDE], "text": "Deal!"}),
    )
    .await;
    assert_error(&r, 400, "badRequest");
    assert!(r.text.contains(OUTSIDE), "{}", r.text);
    assert_eq!(sms_events(&s, &c).await.len(), before);
    assert!(carried(&s, &c, "outbound").await.is_empty());

    let r = inbound(&s, &c, OUTSIDE, &number, "start").await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(opt_outs(&s, &c, "opted_out").await.is_empty());
    assert_eq!(
        opt_outs(&s, &c, "opted_back_in").await,
        vec![OUTSIDE.to_owned()]
    );
    let r = send(
        &s,
        &c.company_key,
        json!({"user_id": ann, "to_numbers": [OUTSIDE], "text": "Welcome back"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(carried(&s, &c, "inbound").await.len(), 3);
}

#[tokio::test]
async fn texts_between_the_companys_numbers_are_internal_and_unreachable_ones_fail() {
    let s = Server::start().await;
    let c = acme(&s).await;
    let (ann, _) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let (bo, bo_number) = user_with_number(&s, &c, "bo@acme.example", "415").await;
    let r = send(
        &s,
        &c.company_key,
        json!({"user_id": ann, "to_numbers": [bo_number], "text": "Lunch?"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let received = carried(&s, &c, "inbound").await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0]["target"]["id"], bo);
    assert_eq!(received[0]["is_internal"], true);
    assert_eq!(carried(&s, &c, "outbound").await[0]["is_internal"], true);
    // An internal STOP changes no opt-out.
    let r = inbound(&s, &c, &bo_number, &bo_number, "STOP").await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(opt_outs(&s, &c, "opted_out").await.is_empty());

    let r = sim(
        &s,
        &c,
        "/sms/unreachable",
        json!({"number": OUTSIDE, "unreachable": true}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = send(
        &s,
        &c.company_key,
        json!({"user_id": ann, "to_numbers": [OUTSIDE], "text": "Anyone?"}),
    )
    .await;
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(
        statuses(&s, &c, id).await,
        vec![
            ("sms".into(), "pending".into()),
            ("sms_status".into(), "sent".into()),
            ("sms_status".into(), "failed".into()),
        ]
    );
    let last = carried(&s, &c, "outbound").await.pop().unwrap();
    assert_eq!(
        (last["status"].as_str(), last["delivery_result"].as_str()),
        (Some("failed"), Some("no_route"))
    );
}

#[tokio::test]
async fn the_sim_command_texts_lists_and_marks_numbers_unreachable() {
    let s = Server::start().await;
    let c = acme(&s).await;
    let (_, number) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let run = |args: &[&str]| {
        let mut cmd = tokio::process::Command::from(s.command());
        cmd.args(["sim", "--url", &s.base, "--key", &c.company_key])
            .args(args);
        async move {
            let out = cmd.output().await.unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            serde_json::from_slice::<Value>(&out.stdout).unwrap()
        }
    };
    let got = run(&[
        "inbound-sms",
        "--from",
        OUTSIDE,
        "--to",
        &number,
        "--text",
        "END",
    ])
    .await;
    assert_eq!(got["direction"], "inbound");
    assert_eq!(
        opt_outs(&s, &c, "opted_out").await,
        vec![OUTSIDE.to_owned()]
    );
    let listed = run(&["sms", "--direction", "inbound"]).await;
    assert_eq!(listed["items"][0]["text"], "END");
    let marked = run(&["unreachable", "+12125550124"]).await;
    assert_eq!(
        marked,
        json!({"number": "+12125550124", "unreachable": true})
    );
}
