//! The test kit: start a server, make accounts, send requests.

use std::path::PathBuf;
use std::sync::Arc;

use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::Value;
use switchboard::bootstrap::{self, KeySource};
use switchboard::config::{Config, Overrides};
use switchboard_domain::tenancy::account::User;
use switchboard_domain::tenancy::NewUser;
use switchboard_domain::{Core, OffsetClock};
use tempfile::TempDir;
use tokio::sync::oneshot;

/// A running server and what it runs on.
pub struct Server {
    pub base: String,
    pub core: Core,
    pub config: Config,
    /// The event delivery worker; tests drain it with `try_execute_task` instead of waiting.
    pub worker: switchboard_events::Worker,
    http: reqwest::Client,
    _tmp: Arc<TempDir>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

/// A user with an API key.
pub struct TestUser {
    pub user: User,
    pub key: String,
}

/// Whether this run uses PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var("SWITCHBOARD_TEST_POSTGRES_URL").is_ok_and(|v| !v.is_empty())
}

pub(crate) async fn fresh_database(_tmp: &TempDir) -> Option<String> {
    let admin = std::env::var("SWITCHBOARD_TEST_POSTGRES_URL")
        .ok()
        .filter(|v| !v.is_empty())?;
    use sqlx::Connection;
    switchboard_store::install_drivers();
    let name = format!("sbtest_{}", rand_suffix());
    let mut conn = sqlx::AnyConnection::connect(&admin)
        .await
        .expect("connect to the test PostgreSQL");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create database");
    conn.close().await.ok();
    let (base, _) = admin
        .rsplit_once('/')
        .expect("a database URL ends in /NAME");
    Some(format!("{base}/{name}"))
}

fn rand_suffix() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let t = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{}_{}_{n}", std::process::id(), t % 1_000_000_000)
}

impl Server {
    /// A server on a fresh data directory and database, with the key file in the data directory.
    pub async fn start() -> Self {
        Self::start_with(None).await
    }

    /// A server whose master key comes from configuration (`SWITCHBOARD_MASTER_KEY`).
    pub async fn start_with_master_key(key: &str) -> Self {
        Self::start_with(Some(key)).await
    }

    /// A server whose clock can be moved forward with [`OffsetClock::advance`].
    pub async fn start_with_clock(clock: Arc<OffsetClock>) -> Self {
        Self::start_full(None, Some(clock)).await
    }

    /// A server whose configuration `adjust` changes first.
    pub async fn start_configured(adjust: impl FnOnce(&mut Config)) -> Self {
        Self::start_adjusted(None, None, adjust).await
    }

    async fn start_with(master_key: Option<&str>) -> Self {
        Self::start_full(master_key, None).await
    }

    async fn start_full(master_key: Option<&str>, clock: Option<Arc<OffsetClock>>) -> Self {
        Self::start_adjusted(master_key, clock, |_| {}).await
    }

    /// The test configuration allows loopback webhook receivers and has no Dialpad rate limit;
    /// `adjust` may change it.
    async fn start_adjusted(
        master_key: Option<&str>,
        clock: Option<Arc<OffsetClock>>,
        adjust: impl FnOnce(&mut Config),
    ) -> Self {
        let tmp = Arc::new(tempfile::tempdir().unwrap());
        let database = fresh_database(&tmp).await;
        let overrides = Overrides {
            data_dir: Some(tmp.path().join("data")),
            database,
            listen: Some("127.0.0.1:0".into()),
            ..Default::default()
        };
        let env = master_key
            .map(|k| ("SWITCHBOARD_MASTER_KEY".to_owned(), k.to_owned()))
            .into_iter()
            .collect();
        let (mut config, _) = Config::resolve(&overrides, &env).unwrap();
        config.webhook_allow_private = true;
        // Tests that count Dialpad's rate limit set it themselves.
        config.dialpad_rate_limit = 0;
        adjust(&mut config);
        Self::launch(config, tmp, clock).await
    }

    /// Restarts on the same data with another configured master key.
    pub async fn restart_with_master_key(mut self, key: &str) -> Self {
        self.shutdown().await;
        let mut config = self.config.clone();
        config.master_key = Some(key.to_owned());
        Self::launch(config, self._tmp.clone(), None).await
    }

    async fn launch(config: Config, tmp: Arc<TempDir>, clock: Option<Arc<OffsetClock>>) -> Self {
        let store = bootstrap::open_store(&config).await.expect("open store");
        let keyring = KeySource::from_config(&config).unwrap().keyring().unwrap();
        let core = match clock {
            Some(clock) => Core::new(store.clone().into_dyn(), keyring, clock),
            None => Core::new(store.clone().into_dyn(), keyring, bootstrap::clock(&config)),
        }
        .with_files(bootstrap::media_files(&config, &store))
        .with_private_hooks_allowed(config.webhook_allow_private)
        .with_routing_client(bootstrap::routing_client(&config).unwrap());
        let worker = bootstrap::worker(&core, &config).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        let app = switchboard::app::app(
            core.clone(),
            &switchboard::app::AppOptions::from_config(&config),
        );
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
            store.close().await;
        });
        Self {
            base,
            core,
            config,
            worker,
            http: reqwest::Client::new(),
            _tmp: tmp,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Stops the server and starts a new one on the same data directory and database.
    pub async fn restart(mut self) -> Self {
        self.shutdown().await;
        let tmp = self._tmp.clone();
        Self::launch(self.config.clone(), tmp, None).await
    }

    /// Stops the server and waits until it has closed its database.
    pub async fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// The `switchboard` binary, pointed at this server's data directory and database.
    pub fn command(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_switchboard"));
        let data_dir = self.data_dir();
        cmd.arg("--data-dir")
            .arg(data_dir)
            .args(["--database", &self.config.database_url()]);
        cmd.env_remove("SWITCHBOARD_MASTER_KEY");
        cmd
    }

    /// The data directory.
    pub fn data_dir(&self) -> PathBuf {
        self.config.data_dir.clone()
    }

    /// What a second server process (or a command line run) on the same database has: its own
    /// store, connections and domain core.
    pub async fn other_process(&self) -> (switchboard_store::SqlStore, Core) {
        let store = switchboard_store::SqlStore::connect(&self.config.database_url())
            .await
            .unwrap();
        let keyring = KeySource::from_config(&self.config)
            .unwrap()
            .keyring()
            .unwrap();
        let clock = Arc::new(switchboard_domain::SystemClock);
        let core = Core::new(store.clone().into_dyn(), keyring, clock);
        (store, core)
    }

    /// A company with one user (partner API access on) and a key.
    pub async fn user(&self) -> TestUser {
        let company = self
            .core
            .tenancy()
            .create_company("Test Co", None)
            .await
            .unwrap();
        self.user_in(company.id, true).await
    }

    /// A user in an existing company.
    pub async fn user_in(
        &self,
        company: switchboard_domain::ids::CompanyId,
        partner_api: bool,
    ) -> TestUser {
        let n = rand_suffix();
        let user = self
            .core
            .tenancy()
            .create_user(NewUser {
                company_id: company,
                email: format!("user{n}@example.com"),
                first_name: Some("Test".into()),
                last_name: Some(format!("User{n}")),
                is_admin: false,
                partner_api_enabled: partner_api,
            })
            .await
            .unwrap();
        let key = self.core.tenancy().create_user_key(user.id).await.unwrap();
        TestUser {
            user,
            key: key.secret,
        }
    }

    /// A request to `path` (relative to the server root).
    pub fn req(&self, method: &str, path: &str) -> Req {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        Req {
            inner: self.http.request(method, format!("{}{path}", self.base)),
        }
    }

    /// A request authenticated as `user` on the Dialgood dialect.
    pub fn dg(&self, user: &TestUser, method: &str, path: &str) -> Req {
        self.req(method, &format!("/partner/v1{path}"))
            .header("api_token", &user.key)
    }

    /// A request authenticated as `user` on the Callin dialect.
    pub fn cl(&self, user: &TestUser, method: &str, path: &str) -> Req {
        self.req(method, &format!("/api/public/v1{path}"))
            .header("x-api-key", &user.key)
    }

    /// Creates an agent for `user` through Callin and returns its id.
    pub async fn callin_agent(&self, user: &TestUser, name: &str) -> String {
        let r = self
            .cl(user, "POST", "/agents/create")
            .json(serde_json::json!({"name": name,
                "conversationConfig": {"agent": {"prompt": {"prompt": "You are a helpful assistant."}}}}))
            .send()
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.body["data"]["agentId"].as_str().unwrap().to_owned()
    }

    /// Creates an agent for `user` and returns its id.
    pub async fn agent(&self, user: &TestUser, name: &str) -> String {
        let r = self
            .dg(user, "POST", "/agents")
            .json(serde_json::json!({"agentName": name, "settings": {"language": "en"}}))
            .send()
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        r.body["agent"]["agentId"].as_str().unwrap().to_owned()
    }

    /// A request authenticated as `user` on the Bird dialect, in the user's workspace.
    pub fn bird(&self, user: &TestUser, method: &str, path: &str) -> Req {
        use switchboard_domain::ids::Id;
        let ws = user.user.company_id.to_uuid();
        self.req(method, &format!("/workspaces/{ws}{path}"))
            .header("authorization", &format!("AccessKey {}", user.key))
    }

    /// Runs `sql` directly on the server's database and returns the first column of every row
    /// as text (for checks of what is stored at rest).
    pub async fn raw_texts(&self, sql: &str) -> Vec<String> {
        use sqlx::{Connection, Row};
        let url = self.config.database_url();
        let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
        let rows = sqlx::query(sql).fetch_all(&mut conn).await.unwrap();
        let out = rows
            .iter()
            .map(|r| r.try_get::<String, _>(0).unwrap_or_default())
            .collect();
        conn.close().await.ok();
        out
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A request being built.
pub struct Req {
    inner: reqwest::RequestBuilder,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    /// The body as JSON (`Null` when it is not JSON).
    pub body: Value,
}

impl Req {
    pub fn header(self, name: &str, value: &str) -> Self {
        Self {
            inner: self.inner.header(name, value),
        }
    }
    pub fn json(self, body: Value) -> Self {
        Self {
            inner: self.inner.json(&body),
        }
    }
    /// A raw body with a JSON content type (for malformed input).
    pub fn raw(self, body: impl Into<reqwest::Body>) -> Self {
        Self {
            inner: self
                .inner
                .header("content-type", "application/json")
                .body(body),
        }
    }
    pub async fn send(self) -> Resp {
        let r = self.inner.send().await.expect("request");
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp {
            status,
            headers,
            text,
            body,
        }
    }
}

impl Resp {
    /// A response header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A database as an older release left it: fresh (PostgreSQL when the run uses it, else a
/// SQLite file), with only the migrations numbered before some version applied.
pub struct OldDatabase {
    pub conn: sqlx::AnyConnection,
    /// `sqlite` or `postgres`.
    pub db: &'static str,
    _tmp: TempDir,
}

impl OldDatabase {
    /// The database with the migrations before `version` (such as `"0010"`) applied.
    pub async fn before(version: &str) -> Self {
        use sqlx::Connection;
        switchboard_store::install_drivers();
        let tmp = tempfile::tempdir().unwrap();
        let (url, db) = match fresh_database(&tmp).await {
            Some(url) => (url, "postgres"),
            None => (
                format!("sqlite://{}?mode=rwc", tmp.path().join("old.db").display()),
                "sqlite",
            ),
        };
        let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("../store/migrations/{db}"));
        let dir = tmp.path().join(format!("old-{db}-{version}"));
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(&src).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            if name.as_str() < version {
                std::fs::copy(entry.path(), dir.join(&name)).unwrap();
            }
        }
        sqlx::migrate::Migrator::new(dir.as_path())
            .await
            .unwrap()
            .run(&mut conn)
            .await
            .unwrap();
        Self {
            conn,
            db,
            _tmp: tmp,
        }
    }

    /// Applies every remaining migration, as starting the current release does.
    pub async fn migrate(&mut self) {
        let full = if self.db == "postgres" {
            &switchboard_store::postgres::MIGRATOR
        } else {
            &switchboard_store::sqlite::MIGRATOR
        };
        full.run(&mut self.conn).await.unwrap();
    }
}
