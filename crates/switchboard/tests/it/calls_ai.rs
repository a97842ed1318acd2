//! AI agents as operators: an AI agent of the company operates a call center, answers at once,
//! its call shows in its Dialgood call logs with the version that handled it, and a transfer
//! to a person carries the transcript so far.

use serde_json::json;
use switchboard_domain::ids::{CallId, Id};
use switchboard_domain::tenancy::account::Principal;

use crate::calls_kit::*;
use crate::dialpad_kit::dp;
use crate::kit::TestUser;

#[tokio::test]
async fn an_ai_agent_answers_hands_over_with_the_transcript_and_logs_the_call() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let Principal::User(user) = s.core.tenancy().authenticate(&c.admin_key).await.unwrap() else {
        panic!("an admin user key")
    };
    let admin = TestUser {
        user,
        key: c.admin_key.clone(),
    };
    let agent = s.agent(&admin, "Receptionist").await;
    let agent_id: i64 = agent.parse().unwrap();
    let people = operators(&s, &c, 1).await;
    let (cc, number) = call_center(&s, &c, routing("fixedorder"), &[], "415").await;
    let r = dp(
        &s,
        "POST",
        &format!("/callcenters/{cc}/ai_operators"),
        &c.company_key,
        Some(json!({"agent_id": agent_id})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["items"][0]["agent_id"], agent_id);
    // A plain user may not; another company's agent or group is not found.
    let r = dp(
        &s,
        "POST",
        &format!("/callcenters/{cc}/ai_operators"),
        &c.user_key,
        Some(json!({"agent_id": agent_id})),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.text);
    let other = crate::dialpad_kit::company(&s, "Other").await;
    let r = dp(
        &s,
        "POST",
        &format!("/callcenters/{cc}/ai_operators"),
        &other.company_key,
        Some(json!({"agent_id": agent_id})),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.text);

    let call = dial(&s, &c, "+12125550123", &number).await;
    assert_eq!(call_state(&s, &c, call).await, "connected");
    let r = dp(&s, "GET", &format!("/call/{call}"), &c.company_key, None).await;
    let ai_leg = r.body["operator_call_id"].as_i64().unwrap();
    let r = dp(&s, "GET", &format!("/call/{ai_leg}"), &c.company_key, None).await;
    assert_eq!(r.body["target"]["type"], "aiagent");
    assert_eq!(r.body["target"]["id"], agent);
    assert_eq!(r.body["entry_point_call_id"], call);

    for (side, text) in [
        ("external", "I have a billing question"),
        ("internal", "Let me find someone"),
    ] {
        let r = sim(
            &s,
            &c,
            &format!("/calls/{ai_leg}/say"),
            json!({"side": side, "text": text}),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    advance(&s, &c, 30).await;
    let r = dp(
        &s,
        "POST",
        &format!("/call/{call}/transfer"),
        &c.company_key,
        Some(json!({"to": {"target_type": "user", "target_id": people[0]}})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["call_id"], call);
    assert_eq!(ringing(&s, &c).await, vec![people[0]]);
    let r = answer(&s, &c, people[0]).await;
    assert_eq!(r.body["call_id"], call);
    // The person reads what was said with the AI agent.
    let lines = s
        .core
        .calls()
        .transcript(c.id, CallId::from_raw(call))
        .await
        .unwrap();
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts, ["I have a billing question", "Let me find someone"]);
    let r = dp(&s, "GET", &format!("/call/{call}"), &c.company_key, None).await;
    assert_eq!(r.body["is_transferred"], true);
    assert_eq!(r.body["state"], "connected");
    sim(
        &s,
        &c,
        &format!("/calls/{call}/hangup"),
        json!({"side": "external"}),
    )
    .await;

    // The AI agent's call logs show the call it answered, with its version.
    let logs = s
        .dg(&admin, "GET", &format!("/agents/{agent}/call-logs?tz=UTC"))
        .send()
        .await;
    assert_eq!(logs.status, 200, "{}", logs.text);
    let data = logs.body["data"].as_array().unwrap();
    assert_eq!(data.len(), 1, "{}", logs.text);
    assert_eq!(data[0]["callId"], ai_leg.to_string());
    assert_eq!(data[0]["agentVersion"], 1);
    assert_eq!(data[0]["data"]["from"], "+12125550123");
    assert_eq!(data[0]["data"]["to"], number);
    assert_eq!(data[0]["data"]["direction"], "inbound");
    assert_eq!(data[0]["data"]["callStatus"], "completed");
    assert_eq!(data[0]["data"]["callDuration"], 30);
    let r = s
        .dg(
            &admin,
            "GET",
            &format!("/agents/{agent}/call-logs?fromnumber=%2B19999999999"),
        )
        .send()
        .await;
    assert_eq!(r.body["data"].as_array().unwrap().len(), 0, "{}", r.text);
    assert_eq!(logs.body["totalRecords"], 1);
}

#[tokio::test]
async fn transfers_to_numbers_voicemail_and_bad_targets() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let (ann, number) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let call = dial(&s, &c, "+12125550123", &number).await;
    // A ringing call cannot be transferred yet.
    let to_number = json!({"to": {"number": "+13035550111"}});
    let r = dp(
        &s,
        "POST",
        &format!("/call/{call}/transfer"),
        &c.company_key,
        Some(to_number.clone()),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.text);
    answer(&s, &c, ann).await;
    for (body, code) in [
        (json!({}), 400),
        (json!({"to": {"number": "12"}}), 400),
        (json!({"to": {"call_id": 1}}), 400),
        (json!({"to": {"target_type": "room", "target_id": 1}}), 400),
        (json!({"to": {"target_type": "user", "target_id": 1}}), 404),
        (
            json!({"to": {"number": "+13035550111"}, "transfer_state": "gone"}),
            400,
        ),
    ] {
        let r = dp(
            &s,
            "POST",
            &format!("/call/{call}/transfer"),
            &c.company_key,
            Some(body.clone()),
        )
        .await;
        assert_eq!(r.status, code, "{body} {}", r.text);
    }
    let other = crate::dialpad_kit::company(&s, "Other").await;
    let r = dp(
        &s,
        "POST",
        &format!("/call/{call}/transfer"),
        &other.company_key,
        Some(to_number.clone()),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.text);
    assert_eq!(call_state(&s, &c, call).await, "connected");

    let r = dp(
        &s,
        "POST",
        &format!("/call/{call}/transfer"),
        &c.company_key,
        Some(to_number),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["transferred_to_number"], "+13035550111");
    assert_eq!(call_state(&s, &c, call).await, "connected");
    // Ann is free again: a second call rings her, and she sends it to voicemail by transfer.
    let second = dial(&s, &c, "+12125550124", &number).await;
    answer(&s, &c, ann).await;
    let r = dp(
        &s,
        "POST",
        &format!("/call/{second}/transfer"),
        &c.company_key,
        Some(
            json!({"to": {"target_type": "user", "target_id": ann}, "transfer_state": "voicemail"}),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(call_state(&s, &c, second).await, "voicemail");
}

#[tokio::test]
async fn an_ai_agents_post_call_webhook_gets_one_signed_delivery_when_its_call_ends() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let Principal::User(user) = s.core.tenancy().authenticate(&c.admin_key).await.unwrap() else {
        panic!("an admin user key")
    };
    let admin = TestUser {
        user,
        key: c.admin_key.clone(),
    };
    let rx = crate::receiver::Receiver::start().await;
    let agent = s.callin_agent(&admin, "Receptionist").await;
    let r = s
        .cl(&admin, "PATCH", &format!("/agents/{agent}"))
        .json(json!({"platformSettings": {"callActions": {"postCallWebhook": rx.url}}}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let (cc, number) = call_center(&s, &c, routing("fixedorder"), &[], "415").await;
    let agent_id: i64 = agent.parse().unwrap();
    let r = dp(
        &s,
        "POST",
        &format!("/callcenters/{cc}/ai_operators"),
        &c.company_key,
        Some(json!({"agent_id": agent_id})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let call = dial(&s, &c, "+12125550123", &number).await;
    advance(&s, &c, 42).await;
    sim(
        &s,
        &c,
        &format!("/calls/{call}/hangup"),
        json!({"side": "external"}),
    )
    .await;
    s.worker
        .try_execute_task(s.core.clock().now())
        .await
        .unwrap();
    let got = rx.received();
    assert_eq!(got.len(), 1, "one delivery: {got:?}");
    let body: serde_json::Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(body["event"], "call.ended");
    assert_eq!(body["agentId"], agent);
    assert_eq!(body["call"]["durationSeconds"], 42);
    assert_eq!(body["call"]["from"], "+12125550123");
    let owner = switchboard_domain::events::endpoint::company_signing_owner(c.id);
    let secret = s.core.events().signing_secret(&owner).await.unwrap();
    assert!(crate::receiver::verify(&secret, &got[0]));
}
