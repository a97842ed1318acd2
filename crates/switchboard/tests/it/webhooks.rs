//! Durable event delivery to the partner's webhook: signed with Standard Webhooks, retried while
//! the receiver fails, every attempt recorded, private addresses refused, replay.

use jiff::{SignedDuration, Timestamp};
use serde_json::{json, Value};

use crate::d360_partner::{d3, partner, TestPartner};
use crate::kit::Server;
use crate::receiver::{verify, Receiver};

async fn hooked_partner(s: &Server, url: &str) -> TestPartner {
    let p = partner(s, "Brand").await;
    let r = d3(s, &p, "PATCH", "")
        .json(json!({"webhook_url": url}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    p
}

async fn secret(s: &Server, p: &TestPartner) -> String {
    let r = d3(s, p, "GET", "/webhook_secret").send().await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["secret"].as_str().unwrap().to_owned()
}

async fn deliveries(s: &Server, p: &TestPartner) -> Value {
    let r = d3(s, p, "GET", "/webhook_deliveries").send().await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
}

fn later(hours: i64) -> Timestamp {
    Timestamp::now() + SignedDuration::from_hours(hours)
}

#[tokio::test]
async fn a_new_client_delivers_one_signed_webhook() {
    let s = Server::start().await;
    let rx = Receiver::start().await;
    let p = hooked_partner(&s, &rx.url).await;
    let secret = secret(&s, &p).await;
    assert!(secret.starts_with("whsec_"));

    let c = d3(&s, &p, "POST", "/clients")
        .json(json!({"name": "Acme"}))
        .send()
        .await;
    assert_eq!(c.status, 201);
    assert!(
        rx.received().is_empty(),
        "nothing is sent before the worker runs"
    );
    let report = s.worker.try_execute_task(Timestamp::now()).await.unwrap();
    assert_eq!(
        (report.dispatched, report.delivered, report.failed),
        (1, 1, 0)
    );
    // Draining again sends nothing more.
    let report = s.worker.try_execute_task(later(48)).await.unwrap();
    assert_eq!((report.dispatched, report.delivered), (0, 0));

    let got = rx.received();
    assert_eq!(got.len(), 1);
    let hook = &got[0];
    assert!(verify(&secret, hook), "the signature verifies: {hook:?}");
    assert!(!verify("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", hook));
    assert!(hook.header("webhook-id").starts_with("msg_"));
    let ts: i64 = hook.header("webhook-timestamp").parse().unwrap();
    assert!((ts - Timestamp::now().as_second()).abs() < 300);
    let body: Value = serde_json::from_str(&hook.body).unwrap();
    assert_eq!(body["event"], "client_created");
    assert!(body["id"].is_string());
    assert_eq!(body["data"]["id"], c.body["id"]);
    assert_eq!(body["data"]["name"], "Acme");
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["id", "event", "data"]);

    let d = deliveries(&s, &p).await;
    assert_eq!(d["total"], 1);
    assert_eq!(d["deliveries"][0]["status"], "delivered");
    assert_eq!(d["deliveries"][0]["id"], hook.header("webhook-id"));
    assert_eq!(d["deliveries"][0]["attempts"][0]["status_code"], 200);
}

#[tokio::test]
async fn a_failing_receiver_gets_retries_with_the_same_id() {
    let s = Server::start().await;
    let rx = Receiver::start().await;
    rx.answer(500, None);
    let p = hooked_partner(&s, &rx.url).await;
    let secret = secret(&s, &p).await;
    d3(&s, &p, "POST", "/clients")
        .json(json!({"name": "Acme"}))
        .send()
        .await;

    let report = s.worker.try_execute_task(Timestamp::now()).await.unwrap();
    assert_eq!(report.failed, 1);
    let d = deliveries(&s, &p).await;
    assert_eq!(d["deliveries"][0]["status"], "pending");
    assert_eq!(d["deliveries"][0]["attempts"][0]["status_code"], 500);
    assert!(d["deliveries"][0]["last_error"]
        .as_str()
        .unwrap()
        .contains("500"));
    // Not due again right away: the backoff holds it.
    let report = s.worker.try_execute_task(Timestamp::now()).await.unwrap();
    assert_eq!((report.delivered, report.failed), (0, 0));

    // Retry-After is honoured: the next attempt waits at least that long.
    rx.answer(503, Some("7200"));
    let report = s.worker.try_execute_task(later(1)).await.unwrap();
    assert_eq!(report.failed, 1);
    let report = s.worker.try_execute_task(later(2)).await.unwrap();
    assert_eq!(report.failed, 0, "still waiting for Retry-After");

    rx.answer(200, None);
    let report = s.worker.try_execute_task(later(4)).await.unwrap();
    assert_eq!(report.delivered, 1);

    let got = rx.received();
    assert_eq!(got.len(), 3);
    let id = got[0].header("webhook-id").to_owned();
    assert!(
        got.iter().all(|g| g.header("webhook-id") == id),
        "same id on every attempt"
    );
    assert!(
        got.iter().all(|g| g.body == got[0].body),
        "same body on every attempt"
    );
    assert!(got.iter().all(|g| verify(&secret, g)));
    let d = deliveries(&s, &p).await;
    let attempts = d["deliveries"][0]["attempts"].as_array().unwrap();
    let codes: Vec<i64> = attempts
        .iter()
        .map(|a| a["status_code"].as_i64().unwrap())
        .collect();
    assert_eq!(codes, [500, 503, 200]);
    assert!(attempts.iter().all(|a| a["duration_ms"].is_i64()));
    assert_eq!(d["deliveries"][0]["status"], "delivered");
}

#[tokio::test]
async fn a_receiver_that_is_down_gets_the_delivery_once_back() {
    let s = Server::start().await;
    // Reserve a port, then leave it closed: the receiver is down.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    // A token in the URL is the receiver's secret: attempts record the cause, not the URL.
    let p = hooked_partner(&s, &format!("http://{addr}/hook?token=receiver-token-77")).await;
    let secret = secret(&s, &p).await;
    d3(&s, &p, "POST", "/clients")
        .json(json!({"name": "Acme"}))
        .send()
        .await;
    for hours in [0, 1] {
        let report = s.worker.try_execute_task(later(hours)).await.unwrap();
        assert_eq!(report.failed, 1);
    }
    let d = deliveries(&s, &p).await;
    let delivery = d["deliveries"][0].clone();
    assert_eq!(delivery["status"], "pending");
    let attempts = delivery["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 2);
    assert!(attempts.iter().all(|a| a["status_code"].is_null()));
    assert!(
        attempts[0]["error"]
            .as_str()
            .unwrap()
            .contains("connection"),
        "{delivery}"
    );
    assert!(
        attempts
            .iter()
            .all(|a| !a["error"].as_str().unwrap().contains("receiver-token-77")),
        "{delivery}"
    );

    let rx = Receiver::start_at(addr).await;
    let report = s.worker.try_execute_task(later(24)).await.unwrap();
    assert_eq!(report.delivered, 1);
    let got = rx.received();
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].header("webhook-id"),
        delivery["id"].as_str().unwrap(),
        "the same id"
    );
    assert!(verify(&secret, &got[0]));
}

#[tokio::test]
async fn exhausted_deliveries_are_kept_and_replayed_with_the_same_id() {
    let s = Server::start().await;
    let rx = Receiver::start().await;
    rx.answer(500, None);
    let p = hooked_partner(&s, &rx.url).await;
    d3(&s, &p, "POST", "/clients")
        .json(json!({"name": "Acme"}))
        .send()
        .await;
    // Eight attempts, each once due: then the delivery is kept as exhausted, not dropped.
    for day in 0..8 {
        let report = s.worker.try_execute_task(later(24 * day)).await.unwrap();
        assert_eq!(report.failed, 1, "day {day}");
    }
    let d = deliveries(&s, &p).await;
    let delivery = d["deliveries"][0].clone();
    assert_eq!(delivery["status"], "exhausted");
    assert_eq!(delivery["attempts"].as_array().unwrap().len(), 8);
    let report = s.worker.try_execute_task(later(24 * 30)).await.unwrap();
    assert_eq!(
        report.failed, 0,
        "exhausted deliveries are not retried by themselves"
    );

    rx.answer(200, None);
    let id = delivery["id"].as_str().unwrap();
    let r = d3(&s, &p, "POST", &format!("/webhook_deliveries/{id}/replay"))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "pending");
    assert_eq!(r.body["id"], id);
    let report = s.worker.try_execute_task(Timestamp::now()).await.unwrap();
    assert_eq!(report.delivered, 1);
    let got = rx.received();
    assert_eq!(got.len(), 9);
    assert!(got.iter().all(|g| g.header("webhook-id") == id));
    let d = deliveries(&s, &p).await;
    assert_eq!(d["deliveries"][0]["status"], "delivered");
    assert_eq!(d["deliveries"][0]["attempts"].as_array().unwrap().len(), 9);

    let r = d3(
        &s,
        &p,
        "POST",
        "/webhook_deliveries/msg_1000000000000001/replay",
    )
    .send()
    .await;
    assert_eq!(r.status, 404);
    let other = partner(&s, "Other").await;
    let r = d3(
        &s,
        &other,
        "POST",
        &format!("/webhook_deliveries/{id}/replay"),
    )
    .send()
    .await;
    assert_eq!(r.status, 404, "another partner's delivery is not found");
}

#[tokio::test]
async fn private_addresses_are_refused_without_the_allow_flag() {
    let s = Server::start_configured(|c| c.webhook_allow_private = false).await;
    let rx = Receiver::start().await;
    let by_name = rx.url.replace("127.0.0.1", "localhost");
    for url in [rx.url.clone(), by_name] {
        let p = hooked_partner(&s, &url).await;
        d3(&s, &p, "POST", "/clients")
            .json(json!({"name": "Acme"}))
            .send()
            .await;
        let report = s.worker.try_execute_task(Timestamp::now()).await.unwrap();
        assert_eq!(report.failed, 1, "{url}");
        let d = deliveries(&s, &p).await;
        let error = d["deliveries"][0]["attempts"][0]["error"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(error.contains("private or loopback"), "{url}: {error}");
    }
    assert!(
        rx.received().is_empty(),
        "nothing reached the private address"
    );
}

#[tokio::test]
async fn status_changes_are_delivered_and_events_commit_with_the_change() {
    let s = Server::start().await;
    let rx = Receiver::start().await;
    let p = hooked_partner(&s, &rx.url).await;
    let c = d3(&s, &p, "POST", "/clients")
        .json(json!({"name": "Acme"}))
        .send()
        .await;
    let path = format!("/clients/{}", c.body["id"].as_str().unwrap());
    let r = d3(&s, &p, "PATCH", &path)
        .json(json!({"status": "suspended"}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "suspended");
    // The same status again is no change, and a refused write writes no event.
    d3(&s, &p, "PATCH", &path)
        .json(json!({"status": "suspended"}))
        .send()
        .await;
    let bad = d3(&s, &p, "PATCH", &path)
        .json(json!({"status": "active", "max_channels": -5}))
        .send()
        .await;
    assert_eq!(bad.status, 400);
    let events = s
        .raw_texts("SELECT kind FROM events ORDER BY created_at, id")
        .await;
    assert_eq!(events, ["client_created", "client_status_changed"]);

    s.worker.try_execute_task(Timestamp::now()).await.unwrap();
    let got = rx.received();
    let kinds: Vec<String> = got
        .iter()
        .map(|g| {
            serde_json::from_str::<Value>(&g.body).unwrap()["event"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(kinds.len(), 2);
    assert!(
        kinds.contains(&"client_created".to_owned())
            && kinds.contains(&"client_status_changed".to_owned())
    );
    let change: Value = got
        .iter()
        .map(|g| serde_json::from_str::<Value>(&g.body).unwrap())
        .find(|b| b["event"] == "client_status_changed")
        .unwrap();
    assert_eq!(change["data"]["status"], "suspended");
    assert_eq!(change["data"]["previous_status"], "active");
    assert_ne!(got[0].header("webhook-id"), got[1].header("webhook-id"));

    // The command line's use cases write the same events.
    let pid = switchboard_domain::ids::PartnerId(p.id.trim_end_matches("PA").parse().unwrap());
    let company = s
        .core
        .tenancy()
        .create_company("Via CLI", Some(pid))
        .await
        .unwrap();
    s.core
        .partner_clients()
        .set_company_status(
            company.id,
            switchboard_domain::tenancy::account::CompanyStatus::Terminated,
        )
        .await
        .unwrap();
    let report = s.worker.try_execute_task(Timestamp::now()).await.unwrap();
    assert_eq!((report.dispatched, report.delivered), (2, 2));
    let last: Value = rx.received()[2..]
        .iter()
        .map(|g| serde_json::from_str::<Value>(&g.body).unwrap())
        .find(|b| b["event"] == "client_status_changed")
        .unwrap();
    assert_eq!(last["data"]["status"], "terminated");
    assert_eq!(last["data"]["name"], "Via CLI");
}

#[tokio::test]
async fn the_signing_secret_is_sealed_rotates_and_survives_key_rotation() {
    let s = Server::start().await;
    let p = partner(&s, "Brand").await;
    let first = secret(&s, &p).await;
    assert_eq!(secret(&s, &p).await, first, "made once, then read");
    let stored = s
        .raw_texts("SELECT ciphertext FROM secrets WHERE purpose = 'webhook_signing'")
        .await;
    assert_eq!(stored.len(), 1);
    assert!(
        !stored[0].contains(first.trim_start_matches("whsec_")),
        "only sealed at rest"
    );

    // Master-key rotation re-encrypts it with everything else.
    let next = switchboard_crypto::MasterKey::generate();
    let n = s
        .core
        .tenancy()
        .reencrypt_secrets(&switchboard_crypto::Keyring::new(&next, &[]))
        .await
        .unwrap();
    assert_eq!(n, 1);
    let reopened = switchboard_domain::Core::new(
        s.core.store().clone(),
        std::sync::Arc::new(switchboard_crypto::Keyring::new(&next, &[])),
        std::sync::Arc::new(switchboard_domain::SystemClock),
    );
    let owner = format!("partner:{}", p.id.trim_end_matches("PA"));
    assert_eq!(
        reopened.events().signing_secret(&owner).await.unwrap(),
        first,
        "opens under the new key"
    );

    let r = d3(&s, &p, "POST", "/webhook_secret/rotate").send().await;
    assert_eq!(r.status, 200, "{}", r.text);
    let rotated = r.body["secret"].as_str().unwrap().to_owned();
    assert_ne!(rotated, first);
    assert!(rotated.starts_with("whsec_"));
}
