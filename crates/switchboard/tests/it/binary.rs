//! The real binary: `serve` starts, answers, survives `kill -9` with acknowledged writes intact,
//! and stops gracefully on SIGTERM; logs are JSON when asked.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::kit::Server;

pub(crate) struct Running {
    pub(crate) child: Child,
    pub(crate) base: String,
}

impl Drop for Running {
    /// A test that fails midway must not leave its server running: it would outlive the test
    /// run, holding the output the test command reads until it ends.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `switchboard serve` on a free port and waits for its "listening" log line.
pub(crate) fn serve(s: &Server) -> Running {
    serve_with(s, &[], |_| {})
}

/// [`serve`] with more environment; `seen` gets each JSON log line before "listening".
pub(crate) fn serve_with(
    s: &Server,
    env: &[(&str, &str)],
    mut seen: impl FnMut(&Value),
) -> Running {
    let mut child = s
        .command()
        .envs(env.iter().copied())
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
            // Kept in `SWITCHBOARD_TEST_TRACE_DIR` when set (for reading a failed run).
            let mut kept = trace_dir().map(|dir| {
                let port = address.rsplit(':').next().unwrap_or("0").to_owned();
                std::fs::File::create(dir.join(format!("server-{port}.log"))).unwrap()
            });
            std::thread::spawn(move || {
                for line in lines.by_ref().map_while(Result::ok) {
                    if let Some(file) = kept.as_mut() {
                        use std::io::Write;
                        let _ = writeln!(file, "{line}");
                    }
                }
            });
            return Running {
                child,
                base: format!("http://{address}"),
            };
        }
        seen(&entry);
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

/// `secrets rotate` while a server runs on the same data directory: the running server reads
/// the re-encrypted secrets at once and seals new ones readably, and after a restart every
/// secret opens.
#[tokio::test]
async fn secrets_rotate_beside_a_running_server_leaves_every_secret_readable() {
    let mut s = Server::start().await;
    let u = s.user().await;
    s.shutdown().await;
    let http = reqwest::Client::new();
    let mut running = serve(&s);
    let base = running.base.clone();
    let agent = |name: &'static str| {
        let http = http.clone();
        let base = base.clone();
        let key = u.key.clone();
        async move {
            let r = http
                .post(format!("{base}/partner/v1/agents"))
                .header("api_token", &key)
                .json(&json!({"agentName": name}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 201);
            r.json::<Value>().await.unwrap()["agent"]["agentId"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let credentials = |base: String, id: String, value: Option<&'static str>| {
        let http = http.clone();
        let key = u.key.clone();
        async move {
            let url = format!("{base}/partner/v1/agents/{id}/credentials");
            let req = match value {
                Some(v) => http.put(url).json(&json!([{"key": "K", "value": v}])),
                None => http.get(url),
            };
            let r = req.header("api_token", &key).send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let first = agent("Before").await;
    let (status, _) = credentials(base.clone(), first.clone(), Some("before")).await;
    assert_eq!(status, 200);

    let rotated = crate::accounts_cli::cli(&s, &["secrets", "rotate"]);
    assert_eq!(rotated["reencrypted"], 1);

    // The running server reads what the rotation re-encrypted, and what it seals now is
    // sealed with the new key.
    let expected = |v: &str| json!({"credentials": [{"key": "K", "value": v}]});
    assert_eq!(
        credentials(base.clone(), first.clone(), None).await,
        (200, expected("before"))
    );
    let second = agent("After").await;
    let (status, _) = credentials(base.clone(), second.clone(), Some("after")).await;
    assert_eq!(status, 200);
    let key_ids = s.raw_texts("SELECT key_id FROM secrets").await;
    assert_eq!(
        key_ids,
        vec![crate::accounts_cli::text(&rotated, "key_id"); 2]
    );

    signal(&running.child, "-TERM");
    assert!(wait(&mut running.child).success());
    let mut restarted = serve(&s);
    for (id, value) in [(first, "before"), (second, "after")] {
        assert_eq!(
            credentials(restarted.base.clone(), id, None).await,
            (200, expected(value))
        );
    }
    signal(&restarted.child, "-TERM");
    wait(&mut restarted.child);
}

/// Where a run keeps the servers' logs and sipp's message traces, when
/// `SWITCHBOARD_TEST_TRACE_DIR` names one.
pub(crate) fn trace_dir() -> Option<std::path::PathBuf> {
    std::env::var_os("SWITCHBOARD_TEST_TRACE_DIR").map(std::path::PathBuf::from)
}
