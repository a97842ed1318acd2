//! The two servers under load: a bare axum handler in this process, and the real `switchboard`
//! binary as a child process on a throwaway SQLite data directory.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

/// Starts the bare baseline, `GET /` returning a small JSON object, on 127.0.0.1:0. It runs on
/// its own multi-threaded runtime and OS threads, like the child server has its own process,
/// so it does not share a scheduler with the load generator. It lives until the process exits.
pub fn start_bare() -> anyhow::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").context("bare axum: bind")?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("bare-axum")
        .build()?;
    std::thread::Builder::new()
        .name("bare-axum".into())
        .spawn(move || {
            runtime.block_on(async move {
                let app = Router::new().route(
                    "/",
                    get(|| async { Json(json!({"status": "ok", "service": "bare"})) }),
                );
                match tokio::net::TcpListener::from_std(listener) {
                    Ok(listener) => {
                        if let Err(e) = axum::serve(listener, app).await {
                            eprintln!("bare axum: {e}");
                        }
                    }
                    Err(e) => eprintln!("bare axum: {e}"),
                }
            });
        })?;
    Ok(addr)
}

/// The `switchboard` child process. Dropping it kills the server and waits for it, then
/// removes the data directory.
pub struct Switchboard {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    log: PathBuf,
    // Declared last: removed after the child is gone.
    _dir: tempfile::TempDir,
}

/// An account made with the CLI before the server starts.
pub struct Account {
    pub api_key: String,
}

impl Drop for Switchboard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `switchboard --data-dir DIR ARGS…` with no `SWITCHBOARD_*` variables from our
/// environment (a configured database URL must not leak in) and parses its JSON stdout.
fn cli(bin: &Path, data_dir: &Path, args: &[&str]) -> anyhow::Result<Value> {
    let out = command(bin, data_dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("cannot run {}", bin.display()))?;
    if !out.status.success() {
        bail!(
            "`switchboard {}` failed ({}): {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    serde_json::from_slice(&out.stdout)
        .with_context(|| format!("`switchboard {}` printed no JSON", args.join(" ")))
}

fn command(bin: &Path, data_dir: &Path) -> Command {
    let mut cmd = Command::new(bin);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("SWITCHBOARD_") {
            cmd.env_remove(name);
        }
    }
    cmd.arg("--data-dir").arg(data_dir);
    cmd
}

fn field(v: &Value, name: &str) -> anyhow::Result<String> {
    v.get(name)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .with_context(|| format!("no \"{name}\" in {v}"))
}

/// Creates a company, a user and an API key with the CLI, then starts `serve` on a free
/// loopback port and waits (at most `ready_within`) for `GET /readyz` to answer 200.
pub async fn start_switchboard(
    bin: &Path,
    client: &reqwest::Client,
    ready_within: Duration,
) -> anyhow::Result<(Switchboard, Account)> {
    let dir = tempfile::Builder::new()
        .prefix("switchboard-bench.")
        .tempdir()?;
    let data = dir.path().join("data");
    let company = field(
        &cli(bin, &data, &["company", "create", "--name", "Bench"])?,
        "company_id",
    )?;
    let user = cli(
        bin,
        &data,
        &[
            "user",
            "create",
            "--company",
            &company,
            "--email",
            "bench@example.com",
        ],
    )?;
    let key = cli(
        bin,
        &data,
        &["key", "create", "--user", &field(&user, "user_id")?],
    )?;
    let account = Account {
        api_key: field(&key, "api_key")?,
    };

    // Ask the OS for a free port, release it, hand it to the server.
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let log = dir.path().join("server.log");
    let child = command(bin, &data)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log)?)
        .spawn()
        .with_context(|| format!("cannot start {}", bin.display()))?;
    let mut server = Switchboard {
        child,
        base: format!("http://127.0.0.1:{port}"),
        log,
        _dir: dir,
    };

    let started = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait()? {
            bail!(
                "switchboard serve exited ({status}):\n{}",
                server.log_tail()
            );
        }
        let ready = client
            .get(format!("{}/readyz", server.base))
            .timeout(Duration::from_secs(2))
            .send()
            .await;
        if matches!(&ready, Ok(r) if r.status().is_success()) {
            return Ok((server, account));
        }
        if started.elapsed() > ready_within {
            bail!(
                "switchboard was not ready within {ready_within:?}:\n{}",
                server.log_tail()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

impl Switchboard {
    /// The last lines the server wrote to stderr.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// Creates one agent over the API and returns its id.
    pub async fn create_agent(
        &self,
        client: &reqwest::Client,
        key: &str,
    ) -> anyhow::Result<String> {
        let response = client
            .post(format!("{}/partner/v1/agents", self.base))
            .header("api_token", key)
            .json(&json!({"agentName": "Bench", "settings": {}}))
            .send()
            .await?;
        let status = response.status();
        let body: Value = response.json().await.context("create agent: body")?;
        if status.as_u16() != 201 {
            bail!("create agent: expected 201, got {status}: {body}");
        }
        body.pointer("/agent/agentId")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .with_context(|| format!("create agent: no agent.agentId in {body}"))
    }
}
