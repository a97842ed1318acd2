//! Calls test helpers: a server on a manual clock, the simulator's control API, users and call
//! centers with numbers, and a company's call events.

use serde_json::{json, Value};

use crate::dialpad_kit::{company, dp, main_office, new_user, Company};
use crate::kit::{Resp, Server};

/// A server whose clock stands still until the simulator moves it.
pub async fn manual_server() -> Server {
    Server::start_configured(|c| c.manual_clock = true).await
}

/// `POST /sim/v1{path}` with the company's key.
pub async fn sim(s: &Server, c: &Company, path: &str, body: Value) -> Resp {
    s.req("POST", &format!("/sim/v1{path}"))
        .header("authorization", &format!("Bearer {}", c.company_key))
        .json(body)
        .send()
        .await
}

/// An outside caller dials `to`; answers the call's id.
pub async fn dial(s: &Server, c: &Company, from: &str, to: &str) -> i64 {
    let r = sim(s, c, "/inbound_calls", json!({"from": from, "to": to})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["call_id"].as_i64().unwrap()
}

/// The outside party hangs up `call`.
pub async fn caller_hangs_up(s: &Server, c: &Company, call: i64) {
    let r = sim(
        s,
        c,
        &format!("/calls/{call}/hangup"),
        json!({"side": "external"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

/// Moves the manual clock.
pub async fn advance(s: &Server, c: &Company, seconds: i64) {
    let r = sim(s, c, "/clock/advance", json!({"seconds": seconds})).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

/// A user of the company's main office with a number of area code `area`; answers (id, number).
pub async fn user_with_number(s: &Server, c: &Company, email: &str, area: &str) -> (i64, String) {
    let id = new_user(s, c, email, json!({})).await;
    let r = dp(
        s,
        "POST",
        &format!("/users/{id}/assign_number"),
        &c.company_key,
        Some(json!({"area_code": area})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    (id, r.body["number"].as_str().unwrap().to_owned())
}

/// A call center of the main office with `settings`, its operators in order, and a number;
/// answers (id, number).
pub async fn call_center(
    s: &Server,
    c: &Company,
    settings: Value,
    operators: &[i64],
    area: &str,
) -> (i64, String) {
    let mut body = json!({"name": "Support", "office_id": main_office(s, c).await});
    for (k, v) in settings.as_object().unwrap() {
        body[k] = v.clone();
    }
    let r = dp(s, "POST", "/callcenters", &c.company_key, Some(body)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let cc = r.body["id"].as_i64().unwrap();
    for op in operators {
        let r = dp(
            s,
            "POST",
            &format!("/callcenters/{cc}/operators"),
            &c.company_key,
            Some(json!({"user_id": op})),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text);
        // Join order is the fixed order; a second apart on a manual clock, so that it is never
        // a tie (a wall clock refuses to move, and need not).
        sim(s, c, "/clock/advance", json!({"seconds": 1})).await;
    }
    let r = dp(
        s,
        "POST",
        "/numbers/assign",
        &c.company_key,
        Some(json!({"target_type": "callcenter", "target_id": cc, "area_code": area})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    (cc, r.body["number"].as_str().unwrap().to_owned())
}

/// A company for call tests.
pub async fn acme(s: &Server) -> Company {
    company(s, "Acme").await
}

/// The company's call events (state changes), oldest first, as (call id, state).
pub async fn call_states(s: &Server, c: &Company) -> Vec<(i64, String)> {
    s.raw_texts(&format!(
        "SELECT payload FROM events WHERE kind = 'call' AND company_id = {} ORDER BY created_at, id",
        c.id.0
    ))
    .await
    .iter()
    .map(|p| {
        let v: Value = serde_json::from_str(p).unwrap();
        (v["id"].as_i64().unwrap(), v["state"].as_str().unwrap().to_owned())
    })
    .collect()
}

/// The simulator's view of a call after an action: its state.
pub fn state(r: &Resp) -> &str {
    r.body["state"].as_str().unwrap_or("")
}

/// The users whose devices ring for the company's calls now, in user id order.
pub async fn ringing(s: &Server, c: &Company) -> Vec<i64> {
    let mut users: Vec<i64> = s
        .raw_texts(&format!(
            "SELECT CAST(user_id AS TEXT) FROM calls WHERE company_id = {} AND state = 'ringing' \
             AND user_id IS NOT NULL",
            c.id.0
        ))
        .await
        .iter()
        .map(|u| u.parse().unwrap())
        .collect();
    users.sort();
    users
}

/// The user's device answers; answers the simulator's view of the call.
pub async fn answer(s: &Server, c: &Company, user: i64) -> Resp {
    let r = sim(s, c, &format!("/devices/{user}/answer"), json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r
}

/// A call's state through Dialpad's `GET /call/{id}`.
pub async fn call_state(s: &Server, c: &Company, call: i64) -> String {
    let r = dp(s, "GET", &format!("/call/{call}"), &c.company_key, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["state"].as_str().unwrap().to_owned()
}

/// Call-center settings with open routing by `strategy` (voicemail when nobody answers).
pub fn routing(strategy: &str) -> Value {
    json!({
        "ring_seconds": 20,
        "routing_options": {
            "open": {"action": "voicemail", "try_dial_operators": true, "operator_routing": strategy},
            "closed": {"action": "voicemail", "try_dial_operators": false}
        }
    })
}

/// `n` users of the main office, answers their ids in creation order.
pub async fn operators(s: &Server, c: &Company, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(new_user(s, c, &format!("op{i}@acme.example"), json!({})).await);
    }
    ids
}
