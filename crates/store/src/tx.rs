//! The domain's [`Store`] and [`WriteTx`] traits, implemented by delegating to the queries.

use async_trait::async_trait;
use sqlx::pool::PoolConnection;
use sqlx::{Any, Transaction};
use switchboard_domain::events::event::CommitWatch;
use switchboard_domain::store::{Store, WriteTx};
use switchboard_domain::Result;

use crate::error::db;
use crate::{Backend, SqlStore};

impl SqlStore {
    pub(crate) async fn conn(&self) -> Result<PoolConnection<Any>> {
        self.pool.acquire().await.map_err(db)
    }
}

/// An open write transaction, holding SQLite's in-process writer turn when on SQLite.
pub(crate) struct SqlTx {
    pub(crate) tx: Transaction<'static, Any>,
    pub(crate) backend: Backend,
    _turn: Turn,
    /// Set when the transaction made event work; its commit then signals (see the crate docs).
    pub(crate) wake: bool,
    commits: std::sync::Arc<tokio::sync::watch::Sender<u64>>,
    /// Set when the transaction changed what authentication reads (see `auth_epoch`).
    pub(crate) auth_changed: bool,
    auth: std::sync::Arc<crate::auth_epoch::AuthEpoch>,
    /// Set when the transaction wrote an AI agent's row (see `auth_epoch`).
    pub(crate) agents_changed: bool,
    agents: std::sync::Arc<crate::auth_epoch::AuthEpoch>,
    /// PostgreSQL: tells other processes about event work after the commit.
    announcer: Option<std::sync::Arc<crate::postgres::Announcer>>,
}

/// A subscription to the store's commit counter.
pub(crate) struct WatchCommits(pub(crate) tokio::sync::watch::Receiver<u64>);

#[async_trait]
impl CommitWatch for WatchCommits {
    async fn changed(&mut self) -> bool {
        self.0.changed().await.is_ok()
    }
}

#[async_trait]
impl Store for SqlStore {
    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }
    async fn begin(&self) -> Result<Box<dyn WriteTx>> {
        self.begin_tx(false).await
    }
    async fn begin_first(&self) -> Result<Box<dyn WriteTx>> {
        self.begin_tx(true).await
    }
}

impl SqlStore {
    async fn begin_tx(&self, urgent: bool) -> Result<Box<dyn WriteTx>> {
        let (tx, turn) = self.begin_turn(urgent).await?;
        Ok(Box::new(SqlTx {
            tx,
            backend: self.backend,
            _turn: turn,
            wake: false,
            commits: self.commits.clone(),
            auth_changed: false,
            auth: self.auth.clone(),
            agents_changed: false,
            agents: self.agents.clone(),
            announcer: self.announcer.clone(),
        }))
    }
}

/// What a write transaction holds besides its connection: SQLite's in-process writer turn, or
/// on PostgreSQL a permit of the transaction budget. Write transactions may read through the
/// pool while they run (a use case reads settings beside what it holds); holding at most
/// half of the pool's connections in transactions leaves those reads a connection, so many
/// concurrent writers can never starve each other of one.
pub(crate) enum Turn {
    Writer(#[allow(dead_code)] crate::writer::WriterTurn),
    Permit(#[allow(dead_code)] tokio::sync::OwnedSemaphorePermit),
}

impl SqlStore {
    /// A write transaction, with SQLite's in-process writer turn (`urgent`: before the
    /// ordinary writers waiting) and its connection when on SQLite.
    pub(crate) async fn begin_turn(
        &self,
        urgent: bool,
    ) -> Result<(Transaction<'static, Any>, Turn)> {
        Ok(match (self.backend, &self.writers) {
            (Backend::Sqlite, Some(writers)) => {
                let turn = self.writer.turn(urgent).await;
                (
                    writers
                        .begin_with(crate::sqlite::BEGIN_WRITE)
                        .await
                        .map_err(db)?,
                    Turn::Writer(turn),
                )
            }
            _ => {
                let permit = self
                    .tx_permits
                    .clone()
                    .acquire_owned()
                    .await
                    .map_err(switchboard_domain::DomainError::internal)?;
                (self.pool.begin().await.map_err(db)?, Turn::Permit(permit))
            }
        })
    }

    /// A short transaction outside the writer turn (SQLite still serialises it with
    /// `BEGIN IMMEDIATE` and the busy timeout).
    pub(crate) async fn begin_plain(&self) -> Result<Transaction<'static, Any>> {
        match self.backend {
            Backend::Sqlite => self
                .pool
                .begin_with(crate::sqlite::BEGIN_WRITE)
                .await
                .map_err(db),
            Backend::Postgres => self.pool.begin().await.map_err(db),
        }
    }
}

#[async_trait]
impl WriteTx for SqlTx {
    async fn commit(self: Box<Self>) -> Result<()> {
        let mut this = *self;
        if this.backend == Backend::Postgres && this.auth_changed {
            // Delivered by PostgreSQL when (and only if) the transaction commits: another
            // process must never keep a revoked key for want of a signal.
            sqlx::query(&format!("NOTIFY {}", crate::auth_epoch::AUTH_CHANNEL))
                .execute(&mut *this.tx)
                .await
                .map_err(db)?;
        }
        this.tx.commit().await.map_err(db)?;
        if this.auth_changed {
            this.auth.bump();
        }
        if this.agents_changed {
            this.agents.bump();
        }
        if this.wake {
            this.commits.send_modify(|n| *n = n.wrapping_add(1));
            if let Some(announcer) = &this.announcer {
                announcer.poke();
            }
        }
        Ok(())
    }
}
