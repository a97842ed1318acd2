//! Call routers: the call is described to the router's URL (a JWT signed with its secret), the
//! answer is followed, and anything else — garbage, a foreign target, an unreachable URL, a
//! router that failed too often — sends the call to the default target.

use std::sync::{Arc, Mutex};

use axum::http::HeaderMap;
use serde_json::{json, Value};

use crate::calls_kit::*;
use crate::dialpad_kit::{dp, main_office, Company};
use crate::kit::Server;

const SECRET: &str = "0123456789abcdef0123456789abcdef-router";

/// A routing URL that answers what the test says and records what it got.
#[derive(Clone, Default)]
struct Router {
    answer: Arc<Mutex<String>>,
    got: Arc<Mutex<Vec<(String, String)>>>,
}

impl Router {
    async fn start(&self) -> String {
        let me = self.clone();
        let app = axum::Router::new().route(
            "/route",
            axum::routing::post(move |headers: HeaderMap, body: String| {
                let me = me.clone();
                async move {
                    let kind = headers
                        .get("content-type")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_owned();
                    me.got.lock().unwrap().push((kind, body));
                    let answer = me.answer.lock().unwrap().clone();
                    ([("content-type", "application/json")], answer)
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/route", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        url
    }

    fn says(&self, answer: Value) {
        *self.answer.lock().unwrap() = answer.to_string();
    }

    fn requests(&self) -> usize {
        self.got.lock().unwrap().len()
    }
}

/// A router to `url` with the default target `fallback`; answers its number.
async fn router(s: &Server, c: &Company, url: &str, fallback: i64) -> String {
    let r = dp(
        s,
        "POST",
        "/callrouters",
        &c.company_key,
        Some(
            json!({"name": "Router", "routing_url": url, "office_id": main_office(s, c).await,
                    "default_target_id": fallback, "default_target_type": "user",
                    "secret": SECRET}),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.body["id"].as_i64().unwrap();
    let r = dp(
        s,
        "POST",
        &format!("/callrouters/{id}/assign_number"),
        &c.company_key,
        Some(json!({"area_code": "415"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["number"].as_str().unwrap().to_owned()
}

/// Checks an HS256 JWT with the router's secret; answers its claims.
fn claims(jwt: &str) -> Value {
    use base64::Engine;
    use hmac::{Hmac, Mac};
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3, "{jwt}");
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
    mac.verify_slice(&b64.decode(parts[2]).unwrap())
        .expect("signed with the router's secret");
    serde_json::from_slice(&b64.decode(parts[1]).unwrap()).unwrap()
}

#[tokio::test]
async fn a_router_answer_is_followed_and_failures_fall_back() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let people = operators(&s, &c, 2).await;
    let (chosen, fallback) = (people[0], people[1]);
    let url_router = Router::default();
    let url = url_router.start().await;
    let number = router(&s, &c, &url, fallback).await;

    url_router
        .says(json!({"action": "route", "target_id": chosen.to_string(), "target_type": "user"}));
    let call = dial(&s, &c, "+12125550123", &number).await;
    assert_eq!(ringing(&s, &c).await, vec![chosen]);
    let (kind, body) = url_router.got.lock().unwrap()[0].clone();
    assert_eq!(kind, "application/jwt");
    let claims = claims(&body);
    assert_eq!(claims["call_id"], call);
    assert_eq!(claims["external_number"], "+12125550123");
    assert_eq!(claims["internal_number"], number);
    let r = dp(&s, "GET", &format!("/call/{call}"), &c.company_key, None).await;
    let crumb = &r.body["routing_breadcrumbs"][0];
    assert_eq!(crumb["breadcrumb_type"], "callrouter");
    assert_eq!(crumb["url"], url);
    assert_eq!(crumb["target_id"], chosen);
    assert_eq!(crumb["response"]["action"], "route");
    sim(
        &s,
        &c,
        &format!("/calls/{call}/hangup"),
        json!({"side": "external"}),
    )
    .await;

    // Garbage, a foreign target and an unknown action fall back to the default target.
    for answer in [
        json!("not an answer"),
        json!({"action": "route", "target_id": "1", "target_type": "user"}),
        json!({"action": "dance"}),
    ] {
        url_router.says(answer.clone());
        let call = dial(&s, &c, "+12125550123", &number).await;
        assert_eq!(ringing(&s, &c).await, vec![fallback], "{answer}");
        let r = dp(&s, "GET", &format!("/call/{call}"), &c.company_key, None).await;
        assert!(
            r.body["routing_breadcrumbs"][0]["response"]["error"].is_string(),
            "{}",
            r.text
        );
        sim(
            &s,
            &c,
            &format!("/calls/{call}/hangup"),
            json!({"side": "external"}),
        )
        .await;
    }
    // `end` ends the call.
    url_router.says(json!({"action": "end"}));
    let call = dial(&s, &c, "+12125550123", &number).await;
    assert_eq!(call_state(&s, &c, call).await, "missed");

    // More than ten errors within the hour: calls go straight to the default target.
    url_router.says(json!("garbage"));
    for _ in 0..8 {
        let call = dial(&s, &c, "+12125550123", &number).await;
        sim(
            &s,
            &c,
            &format!("/calls/{call}/hangup"),
            json!({"side": "external"}),
        )
        .await;
    }
    let asked = url_router.requests();
    let call = dial(&s, &c, "+12125550123", &number).await;
    assert_eq!(
        url_router.requests(),
        asked,
        "the router is not asked any more"
    );
    assert_eq!(ringing(&s, &c).await, vec![fallback]);
    sim(
        &s,
        &c,
        &format!("/calls/{call}/hangup"),
        json!({"side": "external"}),
    )
    .await;
    // An hour later it is asked again.
    advance(&s, &c, 3601).await;
    url_router.says(json!({"action": "route", "target_id": chosen, "target_type": "user"}));
    dial(&s, &c, "+12125550123", &number).await;
    assert_eq!(ringing(&s, &c).await, vec![chosen]);
}

#[tokio::test]
async fn an_unreachable_router_falls_back_at_once() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let people = operators(&s, &c, 1).await;
    // A port nothing listens on.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/route", closed.local_addr().unwrap());
    drop(closed);
    let number = router(&s, &c, &url, people[0]).await;
    let call = dial(&s, &c, "+12125550123", &number).await;
    assert_eq!(ringing(&s, &c).await, vec![people[0]]);
    let r = dp(&s, "GET", &format!("/call/{call}"), &c.company_key, None).await;
    assert_eq!(
        r.body["routing_breadcrumbs"][0]["response"]["error"],
        "the routing URL could not be reached"
    );
}

#[tokio::test]
async fn a_router_that_never_answers_is_cut_off_and_the_call_falls_back() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let people = operators(&s, &c, 1).await;
    // A routing URL that takes the request and never answers.
    let app = axum::Router::new().route(
        "/route",
        axum::routing::post(std::future::pending::<&'static str>),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/route", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let number = router(&s, &c, &url, people[0]).await;
    // The dial returns once the client's time limit cut the request off.
    let call = dial(&s, &c, "+12125550123", &number).await;
    assert_eq!(ringing(&s, &c).await, vec![people[0]]);
    let r = dp(&s, "GET", &format!("/call/{call}"), &c.company_key, None).await;
    assert_eq!(
        r.body["routing_breadcrumbs"][0]["response"]["error"],
        format!(
            "no answer within {} s",
            switchboard_domain::calls::ROUTER_TIMEOUT_SECONDS
        )
    );
    assert_eq!(r.body["routing_breadcrumbs"][0]["target_id"], people[0]);
}
