//! The command line's part in partner webhooks: partner brand name, clients created and their
//! status changed from the command line, delivery replay; and the worker's shutdown.

use std::process::{Command, Output};
use std::time::Duration;

use jiff::Timestamp;
use serde_json::{json, Value};

use crate::d360_partner::{d3, TestPartner};
use crate::kit::Server;
use crate::receiver::{verify, Receiver};

fn run(s: &Server, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["--data-dir", s.data_dir().to_str().unwrap()])
        .args(["--database", &s.config.database_url()])
        .args(args)
        .env_remove("SWITCHBOARD_MASTER_KEY")
        .output()
        .unwrap()
}

fn cli(s: &Server, args: &[&str]) -> Value {
    let out = run(s, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn event_of(body: &str) -> Value {
    serde_json::from_str(body).unwrap()
}

#[tokio::test]
async fn command_line_clients_and_status_changes_reach_the_partner_webhook() {
    let s = Server::start().await;
    let rx = Receiver::start().await;
    let made = cli(&s, &["partner", "create", "--name", "Acme Resellers"]);
    let p = TestPartner {
        id: format!("{}PA", made["partner_id"].as_str().unwrap()),
        key: made["api_key"].as_str().unwrap().to_owned(),
    };
    let r = d3(&s, &p, "GET", "").send().await;
    assert_eq!(r.body["brand_name"], "Acme Resellers");
    d3(&s, &p, "PATCH", "")
        .json(json!({"webhook_url": rx.url}))
        .send()
        .await;
    let secret = d3(&s, &p, "GET", "/webhook_secret").send().await.body["secret"]
        .as_str()
        .unwrap()
        .to_owned();

    let company = cli(
        &s,
        &[
            "company",
            "create",
            "--name",
            "Client One",
            "--partner",
            made["partner_id"].as_str().unwrap(),
        ],
    );
    let cid = company["company_id"].as_str().unwrap();
    let report = s.worker.try_execute_task(Timestamp::now()).await.unwrap();
    assert_eq!(report.delivered, 1);
    let got = rx.received();
    assert_eq!(got.len(), 1, "exactly one webhook");
    assert!(verify(&secret, &got[0]));
    let body = event_of(&got[0].body);
    assert_eq!(body["event"], "client_created");
    assert_eq!(body["data"]["id"], format!("{cid}CL"));

    let changed = cli(&s, &["company", "set-status", cid, "--status", "suspended"]);
    assert_eq!(changed, json!({"company_id": cid, "status": "suspended"}));
    let bad = run(&s, &["company", "set-status", cid, "--status", "asleep"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown status"));
    s.worker.try_execute_task(Timestamp::now()).await.unwrap();
    let got = rx.received();
    assert_eq!(got.len(), 2);
    let body = event_of(&got[1].body);
    assert_eq!(body["event"], "client_status_changed");
    assert_eq!(body["data"]["status"], "suspended");
    let r = d3(&s, &p, "GET", &format!("/clients/{cid}CL")).send().await;
    assert_eq!(
        r.body["status"], "suspended",
        "the company's status is one fact"
    );

    // Replay from the command line sends the same delivery again, with the same id.
    let id = got[0].header("webhook-id").to_owned();
    let replayed = cli(&s, &["webhooks", "replay", &id]);
    assert_eq!(replayed, json!({"replayed": true, "delivery_id": id}));
    s.worker.try_execute_task(Timestamp::now()).await.unwrap();
    let got = rx.received();
    assert_eq!(got.len(), 3);
    assert_eq!(got[2].header("webhook-id"), id);
    assert_eq!(got[2].body, got[0].body);
    assert!(!run(&s, &["webhooks", "replay", "msg_1000000000000001"])
        .status
        .success());
}

#[tokio::test]
async fn the_background_worker_stops_when_told() {
    let s = Server::start().await;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(s.worker.clone().run(async {
        let _ = stopped.await;
    }));
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), task)
        .await
        .expect("the worker stops")
        .unwrap();
}

/// `partner create` prints the id both ways: bare, and as the 360dialog API writes it; the
/// latter is the one the API answers with, and `company create --partner` takes either.
#[tokio::test]
async fn partner_create_prints_the_360dialog_id_too() {
    let s = Server::start().await;
    let made = cli(&s, &["partner", "create", "--name", "Both Forms"]);
    let bare = made["partner_id"].as_str().unwrap().to_owned();
    let wire = made["d360_partner_id"].as_str().unwrap().to_owned();
    assert_eq!(wire, format!("{bare}PA"));
    assert!(bare.chars().all(|c| c.is_ascii_digit()), "{made}");
    let p = TestPartner {
        id: wire.clone(),
        key: made["api_key"].as_str().unwrap().to_owned(),
    };
    let r = d3(&s, &p, "GET", "").send().await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["id"], wire.as_str());

    for (name, given) in [("By Bare", &bare), ("By Wire", &wire)] {
        let company = cli(
            &s,
            &["company", "create", "--name", name, "--partner", given],
        );
        assert!(company["company_id"].is_string(), "{company}");
    }
    let clients = d3(&s, &p, "GET", "/clients").send().await;
    assert_eq!(clients.status, 200, "{}", clients.text);
    assert_eq!(clients.body["total"], 2, "{}", clients.text);
    assert!(!run(
        &s,
        &["company", "create", "--name", "X", "--partner", "12xPA"]
    )
    .status
    .success());
}
