//! Switchboard's storage: one SQL implementation of the domain's storage traits over sqlx's
//! `Any` driver, so that each fact is written once, with the parts that differ per database
//! (connection set-up, write locking, migrations) in [`sqlite`] and [`postgres`].
//!
//! One folder per bounded context, as in the domain: its queries, the reading of its rows, and
//! its `XStore`/`XTx` implementations. `tx.rs` opens transactions; `sql` holds the helpers the
//! queries share; `kernel` stores secrets and idempotency records.
//!
//! Queries are built at run time with `$n` placeholders, which both databases accept.

mod backend;
mod error;
mod files;
mod rows;
mod sql;
mod tx;

mod ai_agents;
mod clients;
mod events;
mod kernel;
mod media;
mod telephony;
mod tenancy;
mod workforce;

pub mod postgres;
pub mod sqlite;

use std::sync::Arc;

use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use switchboard_domain::store::Store;

pub use backend::{redact_url, Backend};
pub use error::StoreError;
pub use files::DirFileStore;

/// A connected database.
#[derive(Clone)]
pub struct SqlStore {
    pool: AnyPool,
    backend: Backend,
    /// SQLite has one writer; taking turns in-process spares writers the busy-wait.
    writer: Arc<tokio::sync::Mutex<()>>,
}

impl SqlStore {
    /// Connects to `url` (`sqlite://…` or `postgres://…`). Does not migrate.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let pool = match backend {
            Backend::Sqlite => sqlite::pool_options(),
            Backend::Postgres => AnyPoolOptions::new().max_connections(16),
        }
        .connect(&backend.connect_url(url))
        .await
        .map_err(StoreError::connect)?;
        Ok(Self {
            pool,
            backend,
            writer: Arc::default(),
        })
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

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
