//! The real binary: `serve` starts, answers, survives `kill -9` with acknowledged writes intact,
//! and stops gracefully on SIGTERM; logs are JSON when asked.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::kit::Server;

struct Running {
    child: Child,
    base: String,
}

/// Starts `switchboard serve` on a free port and waits for its "listening" log line.
fn serve(s: &Server) -> Running {
    let mut child = s
        .command()
        .args(["serve", "--listen", "127.0.0.1:0", "--log-format", "json"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        let Some(Ok(line)) = lines.next() else { break };
        let entry: Value =
            serde_json::from_str(&line).unwrap_or_else(|_| panic!("a JSON log line: {line}"));
        if entry["fields"]["message"] == "listening" {
            let address = entry["fields"]["address"].as_str().unwrap().to_owned();
            // Keep draining the log so the server never blocks on a full pipe.
            std::thread::spawn(move || for _ in lines.by_ref() {});
            return Running {
                child,
                base: format!("http://{address}"),
            };
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not start");
}

fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

fn wait(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test]
async fn serve_survives_kill_9_and_stops_on_sigterm() {
    let mut s = Server::start().await;
    let u = s.user().await;
    s.shutdown().await;
    let http = reqwest::Client::new();

    let mut first = serve(&s);
    let health = http
        .get(format!("{}/healthz", first.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let created = http
        .post(format!("{}/partner/v1/agents", first.base))
        .header("api_token", &u.key)
        .json(&json!({"agentName": "Durable"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let id = created.json::<Value>().await.unwrap()["agent"]["agentId"]
        .as_str()
        .unwrap()
        .to_owned();
    signal(&first.child, "-KILL");
    wait(&mut first.child);

    let mut second = serve(&s);
    let got = http
        .get(format!("{}/partner/v1/agents/{id}", second.base))
        .header("api_token", &u.key)
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), 200, "the acknowledged write survived kill -9");
    signal(&second.child, "-TERM");
    assert!(
        wait(&mut second.child).success(),
        "graceful shutdown exits 0"
    );
}
