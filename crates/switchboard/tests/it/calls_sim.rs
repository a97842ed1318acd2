//! Calls through the simulator: a call to a user rings, is answered, talks and ends; rings out
//! to voicemail on the manual clock; blocked callers are refused; bad input changes nothing.

use serde_json::json;

use crate::calls_kit::*;
use crate::dialpad_kit::{assert_error, dp};

#[tokio::test]
async fn a_call_to_a_user_rings_connects_and_ends() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let (ann, number) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let call = dial(&s, &c, "+12125550123", &number).await;
    let r = dp(&s, "GET", &format!("/call/{call}"), &c.company_key, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["state"], "ringing");
    advance(&s, &c, 3).await;

    let r = sim(&s, &c, &format!("/devices/{ann}/answer"), json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(state(&r), "connected");
    let r = sim(
        &s,
        &c,
        &format!("/calls/{call}/say"),
        json!({"side": "external", "text": "Hello?"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    advance(&s, &c, 42).await;
    let r = sim(
        &s,
        &c,
        &format!("/calls/{call}/hangup"),
        json!({"side": "external"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(state(&r), "hangup");
    assert_eq!(r.body["outcome"], "answered");
    let r = dp(&s, "GET", &format!("/call/{call}"), &c.company_key, None).await;
    assert_eq!(r.body["duration"], 42_000.0);
    assert_eq!(r.body["total_duration"], 45_000.0);
    assert_eq!(r.body["target"]["type"], "user");
    assert_eq!(r.body["target"]["id"], ann.to_string());
    assert_eq!(r.body["external_number"], "+12125550123");
    assert_eq!(r.body["internal_number"], number);
    assert_eq!(
        r.body["date_ended"].as_i64().unwrap() - r.body["date_started"].as_i64().unwrap(),
        45_000
    );
    assert_eq!(
        call_states(&s, &c).await,
        vec![
            (call, "ringing".to_owned()),
            (call, "connected".to_owned()),
            (call, "hangup".to_owned()),
        ]
    );
    // The user is free again: the next call rings them.
    let second = dial(&s, &c, "+12125550124", &number).await;
    let r = sim(&s, &c, &format!("/devices/{ann}/answer"), json!({})).await;
    assert_eq!(r.body["call_id"], second);
    // Hanging up an ended call is refused and changes nothing.
    let r = sim(
        &s,
        &c,
        &format!("/calls/{call}/hangup"),
        json!({"side": "internal"}),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.text);
}

#[tokio::test]
async fn an_unanswered_call_rings_out_to_voicemail_on_the_clock() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let (ann, number) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let call = dial(&s, &c, "+12125550123", &number).await;
    advance(&s, &c, 29).await;
    let r = dp(&s, "GET", &format!("/call/{call}"), &c.company_key, None).await;
    assert_eq!(r.body["state"], "ringing");
    advance(&s, &c, 1).await;
    let r = dp(&s, "GET", &format!("/call/{call}"), &c.company_key, None).await;
    assert_eq!(r.body["state"], "voicemail");
    // Nothing rings any more.
    let r = sim(&s, &c, &format!("/devices/{ann}/answer"), json!({})).await;
    assert_eq!(r.status, 409, "{}", r.text);
    // A declined call goes to voicemail at once.
    let call = dial(&s, &c, "+12125550123", &number).await;
    let r = sim(&s, &c, &format!("/devices/{ann}/reject"), json!({})).await;
    assert_eq!(r.body["call_id"], call);
    assert_eq!(state(&r), "voicemail");
}

#[tokio::test]
async fn auto_answering_devices_answer_at_once() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let (ann, number) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let r = sim(
        &s,
        &c,
        &format!("/users/{ann}/auto_answer"),
        json!({"enabled": true}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = sim(
        &s,
        &c,
        "/inbound_calls",
        json!({"from": "+12125550123", "to": number}),
    )
    .await;
    assert_eq!(state(&r), "connected", "{}", r.text);
}

#[tokio::test]
async fn blocked_callers_are_refused() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let (_, number) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let r = dp(
        &s,
        "POST",
        "/blockednumbers/add",
        &c.company_key,
        Some(json!({"numbers": ["+12125550199"]})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = sim(
        &s,
        &c,
        "/inbound_calls",
        json!({"from": "+12125550199", "to": number}),
    )
    .await;
    assert_eq!(state(&r), "blocked", "{}", r.text);
    assert_eq!(r.body["outcome"], "blocked");
}

#[tokio::test]
async fn bad_simulator_input_is_refused_and_changes_nothing() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let other = crate::dialpad_kit::company(&s, "Other").await;
    let (ann, number) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    for (body, code) in [
        (json!({"from": "12", "to": number}), 400),
        (json!({"from": "+12125550123", "to": "not a number"}), 400),
        (json!({"from": "+12125550123"}), 400),
        (json!({"from": "+12125550123", "to": "+14155550999"}), 404),
        (
            json!({"from": "+12125550123", "to": number, "extra": 1}),
            400,
        ),
    ] {
        let r = sim(&s, &c, "/inbound_calls", body.clone()).await;
        assert_eq!(r.status, code, "{body} {}", r.text);
        assert_eq!(r.body["error"]["code"], code);
    }
    // Another company's number is a missing one.
    let r = sim(
        &s,
        &other,
        "/inbound_calls",
        json!({"from": "+12125550123", "to": number}),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.text);
    assert!(call_states(&s, &c).await.is_empty());

    let call = dial(&s, &c, "+12125550123", &number).await;
    let r = sim(
        &s,
        &other,
        &format!("/calls/{call}/hangup"),
        json!({"side": "external"}),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.text);
    let r = sim(&s, &other, &format!("/devices/{ann}/answer"), json!({})).await;
    assert_eq!(r.status, 404, "{}", r.text);
    let r = sim(
        &s,
        &c,
        &format!("/calls/{call}/hangup"),
        json!({"side": "nobody"}),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.text);
    let r = sim(
        &s,
        &c,
        &format!("/calls/{call}/digits"),
        json!({"digits": "12a"}),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.text);
    let r = sim(
        &s,
        &c,
        &format!("/calls/{call}/say"),
        json!({"side": "external", "text": "hi"}),
    )
    .await;
    assert_eq!(
        r.status, 400,
        "a ringing call has no transcript yet: {}",
        r.text
    );
    let r = sim(&s, &c, "/calls/abc/hangup", json!({"side": "external"})).await;
    assert_eq!(r.status, 400, "{}", r.text);
    let r = sim(&s, &c, "/clock/advance", json!({"seconds": 0})).await;
    assert_eq!(r.status, 400, "{}", r.text);
    let r = s
        .req("POST", "/sim/v1/clock/advance")
        .json(json!({"seconds": 1}))
        .send()
        .await;
    assert_eq!(r.status, 401, "{}", r.text);
    let r = s
        .req("POST", "/sim/v1/clock/advance")
        .header("authorization", &format!("Bearer {}", c.user_key))
        .json(json!({"seconds": 1}))
        .send()
        .await;
    assert_eq!(r.status, 403, "{}", r.text);
    let r = dp(&s, "GET", &format!("/call/{call}"), &c.company_key, None).await;
    assert_eq!(r.body["state"], "ringing");
    let _ = assert_error;
}

#[tokio::test]
async fn the_wall_clock_cannot_be_advanced() {
    let s = crate::kit::Server::start().await;
    let c = acme(&s).await;
    let r = sim(&s, &c, "/clock/advance", json!({"seconds": 5})).await;
    assert_eq!(r.status, 409, "{}", r.text);
}

#[tokio::test]
async fn the_sim_command_drives_a_running_server() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let (ann, number) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let run = |args: Vec<String>| {
        let mut cmd = tokio::process::Command::from(s.command());
        cmd.args(["sim", "--url", &s.base, "--key", &c.company_key])
            .args(args);
        async move {
            let out = cmd.output().await.unwrap();
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            (
                out.status.success(),
                text,
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        }
    };
    let (ok, out, err) = run(vec![
        "inbound-call".into(),
        "--from".into(),
        "+12125550123".into(),
        "--to".into(),
        number.clone(),
    ])
    .await;
    assert!(ok, "{err}");
    let call: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(call["state"], "ringing");
    let (ok, out, err) = run(vec!["answer".into(), ann.to_string()]).await;
    assert!(ok, "{err}");
    assert!(out.contains("\"connected\""), "{out}");
    let (ok, _, err) = run(vec!["advance".into(), "5".into()]).await;
    assert!(ok, "{err}");
    let id = call["call_id"].to_string();
    let (ok, out, err) = run(vec!["hangup".into(), id.clone()]).await;
    assert!(ok, "{err}");
    assert!(out.contains("\"hangup\""), "{out}");
    // A refusal is an error with the server's answer.
    let (ok, _, err) = run(vec!["hangup".into(), id]).await;
    assert!(!ok);
    assert!(err.contains("400"), "{err}");
}

#[tokio::test]
async fn a_network_reports_calls_through_the_driver_port() {
    use switchboard_domain::ids::{CallId, Id, UserId};
    use switchboard_domain::telephony::driver::NetworkEvent;
    let s = manual_server().await;
    let c = acme(&s).await;
    let (ann, number) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let calls = s.core.calls();
    calls
        .network_event(NetworkEvent::Inbound {
            company: c.id,
            from: "+12125550123".into(),
            to: number.clone(),
        })
        .await
        .unwrap();
    // Events of one instant have no order among them: a second between each.
    advance(&s, &c, 1).await;
    let r = sim(&s, &c, &format!("/devices/{ann}/answer"), json!({})).await;
    advance(&s, &c, 1).await;
    let call = CallId::from_raw(r.body["call_id"].as_i64().unwrap());
    let path = format!("/call/{}", call.0);
    let get = || dp(&s, "GET", &path, &c.company_key, None);
    assert_eq!(get().await.body["state"], "connected");
    let hold = |on| NetworkEvent::Hold {
        company: c.id,
        leg: call,
        on,
    };
    calls.network_event(hold(true)).await.unwrap();
    assert_eq!(get().await.body["state"], "hold");
    advance(&s, &c, 7).await;
    calls.network_event(hold(false)).await.unwrap();
    assert_eq!(get().await.body["state"], "connected");
    advance(&s, &c, 1).await;
    calls
        .network_event(NetworkEvent::Digits {
            company: c.id,
            leg: call,
            digits: "12#".into(),
        })
        .await
        .unwrap();
    calls
        .network_event(NetworkEvent::HungUp {
            company: c.id,
            leg: call,
            by_caller: true,
        })
        .await
        .unwrap();
    let r = get().await;
    assert_eq!(r.body["state"], "hangup");
    assert_eq!(
        call_states(&s, &c)
            .await
            .iter()
            .map(|(_, st)| st.as_str())
            .collect::<Vec<_>>(),
        ["ringing", "connected", "hold", "connected", "hangup"]
    );
    // A declining device hangs up a ringing call as the company's side.
    calls
        .network_event(NetworkEvent::Inbound {
            company: c.id,
            from: "+12125550124".into(),
            to: number,
        })
        .await
        .unwrap();
    let ringing = s
        .core
        .calls()
        .calls(
            c.id,
            &Default::default(),
            &switchboard_domain::page::PageRequest {
                limit: 1,
                token: None,
                reverse: false,
            },
        )
        .await
        .unwrap()
        .items[0]
        .clone();
    assert_eq!(ringing.user_id, Some(UserId(ann)));
    calls
        .network_event(NetworkEvent::HungUp {
            company: c.id,
            leg: ringing.id,
            by_caller: false,
        })
        .await
        .unwrap();
    let r = dp(
        &s,
        "GET",
        &format!("/call/{}", ringing.id.0),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(r.body["state"], "voicemail");
}
