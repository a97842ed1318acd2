//! Switchboard's storage: one SQL implementation of the domain's storage traits over sqlx's
//! `Any` driver, so that each fact is written once, with the parts that differ per database
//! (connection set-up, write locking, migrations) in [`sqlite`] and [`postgres`].
//!
//! One folder per bounded context, as in the domain: its queries, the reading of its rows, and
//! its `XStore`/`XTx` implementations. `tx.rs` opens transactions; `sql` holds the helpers the
//! queries share; `kernel` stores secrets and idempotency records.
//!
//! Queries are built at run time with `$n` placeholders, which both databases accept.
//!
//! **Commit signals.** A write transaction that inserts an event or a delivery, or puts a
//! delivery back in the queue, marks itself; when it commits, the store bumps an in-process
//! `tokio::sync::watch` counter that every [`Store::subscribe_commits`] subscriber observes.
//! On PostgreSQL the store then issues `NOTIFY switchboard_events`, after the commit and
//! coalesced across commits (see `postgres::Announcer`: a `NOTIFY` inside each transaction would
//! make event writes commit one at a time), and the first subscription in a process opens a
//! `PgListener` on the same URL that bumps the counter for every notification, so a commit in any server process wakes the workers of all of them. When the
//! listener loses its connection it reconnects and signals once, since notifications sent
//! meanwhile are gone. SQLite has no such channel: other processes on the same file (the command
//! line's `webhooks replay`, say) are picked up by the worker's periodic poll.
//!
//! **Authentication epoch.** Writes of partners, companies, users and keys move an epoch that
//! the domain's cache of resolved keys checks on every request; it moves in every process
//! (see [`auth_epoch`]), so a revocation or a suspension applies to the next request anywhere.

mod auth_epoch;
mod backend;
mod error;
mod files;
mod rows;
mod sql;
mod tx;
mod writer;

mod ai_agents;
mod calls;
mod clients;
mod events;
mod kernel;
mod media;
mod messaging;
mod oauth;
mod reporting;
mod telephony;
mod tenancy;
mod workforce;

pub mod postgres;
pub mod sqlite;

use std::sync::Arc;

use sqlx::AnyPool;
use switchboard_domain::store::Store;

pub use auth_epoch::AUTH_CHANNEL;
pub use backend::{redact_url, Backend};
pub use error::StoreError;
pub use files::DirFileStore;

/// The PostgreSQL channel that announces commits of event work.
pub const EVENTS_CHANNEL: &str = "switchboard_events";

/// Installs the database drivers (PostgreSQL, SQLite, and SQLite for the writer), once; call
/// it instead of `sqlx::any::install_default_drivers` before connecting an `AnyPool` yourself.
pub fn install_drivers() {
    static DRIVERS: &[sqlx_core::any::driver::AnyDriver] = &[
        sqlx::postgres::any::DRIVER,
        sqlx::sqlite::any::DRIVER,
        sqlite::direct::DRIVER,
    ];
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        sqlx::any::install_drivers(DRIVERS).expect("no other drivers are installed");
    });
}

/// A connected database.
#[derive(Clone)]
pub struct SqlStore {
    pool: AnyPool,
    backend: Backend,
    /// SQLite: the connection write transactions run on (a pool of one), and the turns of
    /// the one writer (see [`writer`]).
    writers: Option<AnyPool>,
    writer: Arc<writer::WriterLock>,
    /// SQLite: checkpoints the log beside the writer (see [`sqlite::checkpoint`]).
    checkpointer: Option<Arc<sqlite::checkpoint::Checkpointer>>,
    /// PostgreSQL write transactions open at once: half the pool (see `tx::Turn`).
    tx_permits: Arc<tokio::sync::Semaphore>,
    /// Bumped after every commit that made event work (see the module documentation).
    commits: Arc<tokio::sync::watch::Sender<u64>>,
    /// The PostgreSQL listener task, started by the first subscription or key lookup.
    listener: Arc<std::sync::OnceLock<tokio::task::JoinHandle<()>>>,
    /// Whether the listener is in force.
    listening: Arc<tokio::sync::watch::Sender<bool>>,
    /// The epoch of authentication data (see [`auth_epoch`]).
    auth: Arc<auth_epoch::AuthEpoch>,
    /// The epoch of AI agents' rows (SQLite; see [`auth_epoch`]).
    agents: Arc<auth_epoch::AuthEpoch>,
    /// PostgreSQL: announces event work to other processes.
    announcer: Option<Arc<postgres::Announcer>>,
    /// The URL, for the listener's own connection (never logged: it may hold a password).
    url: Arc<str>,
    /// How long an idempotency record is honoured.
    idempotency_retention_secs: i64,
}

impl SqlStore {
    /// Connects to `url` (`sqlite://…` or `postgres://…`). Does not migrate.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        install_drivers();
        let backend = Backend::from_url(url)?;
        let pool = match backend {
            Backend::Sqlite => sqlite::pool_options(),
            Backend::Postgres => postgres::pool_options(),
        }
        .connect(&backend.connect_url(url))
        .await
        .map_err(StoreError::connect)?;
        let writers = match backend {
            Backend::Sqlite => Some(
                sqlite::writer_pool_options()
                    .connect(&sqlite::direct::url(&backend.connect_url(url)))
                    .await
                    .map_err(StoreError::connect)?,
            ),
            Backend::Postgres => None,
        };
        let checkpointer = writers
            .is_some()
            .then(|| Arc::new(sqlite::checkpoint::Checkpointer::new(pool.clone())));
        let announcer = (backend == Backend::Postgres)
            .then(|| Arc::new(postgres::Announcer::new(pool.clone())));
        Ok(Self {
            pool,
            backend,
            checkpointer,
            writers,
            writer: Arc::default(),
            tx_permits: Arc::new(tokio::sync::Semaphore::new(postgres::MAX_CONNECTIONS / 2)),
            commits: Arc::new(tokio::sync::watch::channel(0).0),
            listener: Arc::default(),
            listening: Arc::new(tokio::sync::watch::channel(false).0),
            announcer,
            auth: Arc::new(match backend {
                Backend::Sqlite => auth_epoch::AuthEpoch::sqlite(url),
                Backend::Postgres => auth_epoch::AuthEpoch::postgres(),
            }),
            agents: Arc::new(match backend {
                Backend::Sqlite => auth_epoch::AuthEpoch::sqlite_file(url, "agents-epoch"),
                Backend::Postgres => auth_epoch::AuthEpoch::unknown(),
            }),
            url: backend.connect_url(url).into(),
            idempotency_retention_secs: switchboard_domain::idempotency::RETENTION_SECS,
        })
    }

    /// The store honouring idempotency records for `retention` (24 hours by default).
    pub fn with_idempotency_retention(mut self, retention: jiff::SignedDuration) -> Self {
        self.idempotency_retention_secs = retention.as_secs().max(0);
        self
    }

    /// Applies the pending migrations of this database.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => &sqlite::MIGRATOR,
            Backend::Postgres => &postgres::MIGRATOR,
        };
        migrator
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Migrate(e.to_string()))
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Where uploaded media go: the database on PostgreSQL, else files under `dir`.
    pub fn file_store(
        &self,
        dir: std::path::PathBuf,
    ) -> Arc<dyn switchboard_domain::media::FileStore> {
        match self.backend {
            Backend::Postgres => Arc::new(self.clone()),
            Backend::Sqlite => Arc::new(DirFileStore::new(dir)),
        }
    }

    /// The store as the domain sees it.
    pub fn into_dyn(self) -> Arc<dyn Store> {
        Arc::new(self)
    }

    /// Starts the PostgreSQL listener unless it runs (outside a runtime, nothing starts).
    pub(crate) fn ensure_listener(&self) {
        if self.backend != Backend::Postgres || self.listener.get().is_some() {
            return;
        }
        if tokio::runtime::Handle::try_current().is_err() {
            return;
        }
        self.listener.get_or_init(|| {
            postgres::spawn_listener(
                self.url.clone(),
                self.commits.clone(),
                self.auth.clone(),
                self.listening.clone(),
            )
        });
    }

    /// Closes every connection (the commit listener's too).
    pub async fn close(&self) {
        if let Some(task) = self.listener.get() {
            task.abort();
        }
        if let Some(announcer) = &self.announcer {
            announcer.stop();
        }
        if let Some(writers) = &self.writers {
            let _turn = self.writer.give_back_conn().await;
            writers.close().await;
        }
        self.pool.close().await;
    }
}
