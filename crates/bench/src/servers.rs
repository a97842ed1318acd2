//! The two servers under load: a bare axum handler in this process, and the real `switchboard`
//! binary as a child process on a throwaway data directory (SQLite there, or the database given
//! with `--database`).

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
    /// The database the server runs on, for seeding rows directly.
    pub database_url: String,
    // Declared last: removed after the child is gone.
    _dir: tempfile::TempDir,
}

/// An account made with the CLI before the server starts.
pub struct Account {
    pub api_key: String,
    pub company_id: i64,
    pub user_id: i64,
    /// The company's Bird workspace id.
    pub workspace_id: String,
}

impl Drop for Switchboard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `switchboard --data-dir DIR [--database URL] ARGS…` with no `SWITCHBOARD_*` variables
/// from our environment (a configured database URL must not leak in) and parses its JSON stdout.
fn cli(
    bin: &Path,
    data_dir: &Path,
    database: Option<&str>,
    args: &[&str],
) -> anyhow::Result<Value> {
    let out = command(bin, data_dir, database)
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

fn command(bin: &Path, data_dir: &Path, database: Option<&str>) -> Command {
    let mut cmd = Command::new(bin);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("SWITCHBOARD_") {
            cmd.env_remove(name);
        }
    }
    // The benchmark measures the server, not Dialpad's per-company rate limit.
    cmd.env("SWITCHBOARD_DIALPAD_RATE_LIMIT", "0");
    cmd.arg("--data-dir").arg(data_dir);
    if let Some(url) = database {
        cmd.arg("--database").arg(url);
    }
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
    database: Option<&str>,
    client: &reqwest::Client,
    ready_within: Duration,
) -> anyhow::Result<(Switchboard, Account)> {
    let dir = tempfile::Builder::new()
        .prefix("switchboard-bench.")
        .tempdir()?;
    let data = dir.path().join("data");
    let created = cli(
        bin,
        &data,
        database,
        &["company", "create", "--name", "Bench"],
    )?;
    let company = field(&created, "company_id")?;
    let user = cli(
        bin,
        &data,
        database,
        &[
            "user",
            "create",
            "--company",
            &company,
            "--email",
            "bench@example.com",
        ],
    )?;
    let user_id = field(&user, "user_id")?;
    let key = cli(bin, &data, database, &["key", "create", "--user", &user_id])?;
    let account = Account {
        api_key: field(&key, "api_key")?,
        company_id: company.parse().context("company_id")?,
        user_id: user_id.parse().context("user_id")?,
        workspace_id: field(&created, "workspace_id")?,
    };

    // Ask the OS for a free port, release it, hand it to the server.
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let log = dir.path().join("server.log");
    let child = command(bin, &data, database)
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
        database_url: database.map_or_else(
            || format!("sqlite://{}", data.join("switchboard.db").display()),
            str::to_owned,
        ),
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

/// A database made for one run on a PostgreSQL server, dropped at the end.
pub struct ScratchDatabase {
    admin: String,
    name: String,
    /// The URL of the scratch database.
    pub url: String,
}

impl ScratchDatabase {
    /// Creates `switchboard_bench_<pid>` on the server that `admin_url` names.
    pub async fn create(admin_url: &str) -> anyhow::Result<Self> {
        use sqlx::Connection;
        if !(admin_url.starts_with("postgres://") || admin_url.starts_with("postgresql://")) {
            bail!("--database takes a postgres:// URL (SQLite is the default)");
        }
        switchboard_store::install_drivers();
        let name = format!("switchboard_bench_{}", std::process::id());
        let mut conn = sqlx::AnyConnection::connect(admin_url)
            .await
            .context("connect to the PostgreSQL server given with --database")?;
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
            .execute(&mut conn)
            .await?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .context("create the scratch database")?;
        conn.close().await?;
        let base = admin_url
            .split('?')
            .next()
            .and_then(|u| u.rsplit_once('/'))
            .map(|(base, _)| base)
            .context("a database URL ends in /NAME")?;
        Ok(Self {
            admin: admin_url.to_owned(),
            url: format!("{base}/{name}"),
            name,
        })
    }

    /// Drops the scratch database (the server must have stopped).
    pub async fn drop_database(self) -> anyhow::Result<()> {
        use sqlx::Connection;
        let mut conn = sqlx::AnyConnection::connect(&self.admin).await?;
        sqlx::query(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(&mut conn)
        .await?;
        conn.close().await?;
        Ok(())
    }
}
