//! The domain's [`Store`] and [`WriteTx`] traits, implemented by delegating to the queries.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use async_trait::async_trait;
use sqlx::pool::PoolConnection;
use sqlx::AnyConnection;
use sqlx::{Any, Transaction};
use switchboard_domain::events::event::CommitWatch;
use switchboard_domain::store::{Store, WriteTx};
use switchboard_domain::Result;

use crate::error::db;
use crate::writer::Held;
use crate::{Backend, SqlStore};

impl SqlStore {
    pub(crate) async fn conn(&self) -> Result<PoolConnection<Any>> {
        self.pool.acquire().await.map_err(db)
    }
}

/// An open write transaction, holding SQLite's in-process writer turn when on SQLite.
pub(crate) struct SqlTx {
    pub(crate) tx: TxConn,
    pub(crate) backend: Backend,
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
        self.begin_tx(false, false).await
    }
    async fn begin_first(&self) -> Result<Box<dyn WriteTx>> {
        self.begin_tx(true, false).await
    }
    async fn begin_grouped(&self) -> Result<Box<dyn WriteTx>> {
        self.begin_tx(false, true).await
    }
}

impl SqlStore {
    async fn begin_tx(&self, urgent: bool, grouped: bool) -> Result<Box<dyn WriteTx>> {
        let tx = self.begin_turn_as(urgent, grouped).await?;
        Ok(Box::new(SqlTx {
            tx,
            backend: self.backend,
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

/// The connection of a write transaction, in its transaction.
///
/// On SQLite, the writer's own connection for the writer's turn, its transaction opened and
/// ended by hand (see [`Held`]). On PostgreSQL, a pooled transaction with a permit of the
/// transaction budget: write transactions may read through the pool while they run (a use case
/// reads settings beside what it holds), and holding at most half of the pool's connections in
/// transactions leaves those reads a connection, so many concurrent writers can never starve
/// each other of one.
pub(crate) enum TxConn {
    /// With the checkpointer that counts its commit.
    Writer(Held, Arc<crate::sqlite::checkpoint::Checkpointer>),
    Pooled(
        Transaction<'static, Any>,
        #[allow(dead_code)] tokio::sync::OwnedSemaphorePermit,
    ),
}

impl Deref for TxConn {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        match self {
            Self::Writer(held, _) => held,
            Self::Pooled(tx, _) => tx,
        }
    }
}

impl DerefMut for TxConn {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match self {
            Self::Writer(held, _) => held,
            Self::Pooled(tx, _) => tx,
        }
    }
}

impl TxConn {
    /// Commits the transaction.
    pub(crate) async fn commit(self) -> std::result::Result<(), sqlx::Error> {
        match self {
            Self::Writer(held, checkpointer) => {
                held.commit().await?;
                checkpointer.wrote();
                Ok(())
            }
            Self::Pooled(tx, _) => tx.commit().await,
        }
    }
}

impl SqlStore {
    /// A write transaction: on SQLite in the writer's turn (`urgent`: before the ordinary
    /// writers waiting) on the writer's connection.
    pub(crate) async fn begin_turn(&self, urgent: bool) -> Result<TxConn> {
        self.begin_turn_as(urgent, false).await
    }

    /// [`Self::begin_turn`]; `grouped`: a transaction that may share its commit (see
    /// `Store::begin_grouped`).
    pub(crate) async fn begin_turn_as(&self, urgent: bool, grouped: bool) -> Result<TxConn> {
        match (self.backend, &self.writers, &self.checkpointer) {
            (Backend::Sqlite, Some(writers), Some(checkpointer)) => {
                let turn = self.writer.turn(urgent).await;
                let kept = match turn.take_conn() {
                    Some(kept) => kept,
                    None => crate::writer::Kept {
                        conn: writers.acquire().await.map_err(db)?,
                        begun: false,
                        group: Vec::new(),
                    },
                };
                Held::begin(kept, turn, grouped)
                    .await
                    .map(|held| TxConn::Writer(held, checkpointer.clone()))
                    .map_err(db)
            }
            _ => {
                let permit = self
                    .tx_permits
                    .clone()
                    .acquire_owned()
                    .await
                    .map_err(switchboard_domain::DomainError::internal)?;
                Ok(TxConn::Pooled(self.pool.begin().await.map_err(db)?, permit))
            }
        }
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

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::pin::pin;
    use std::str::FromStr;
    use std::task::{Context, Poll, Waker};
    use std::time::Duration;

    use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
    use sqlx::ConnectOptions;

    use crate::SqlStore;

    /// A store on a fresh SQLite file, and a second connection that never waits for a lock.
    async fn store_and_probe() -> (tempfile::TempDir, SqlStore, SqliteConnection) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = SqlStore::connect(&url).await.unwrap();
        let probe = SqliteConnectOptions::from_str(&url)
            .unwrap()
            .busy_timeout(Duration::ZERO)
            .connect()
            .await
            .unwrap();
        (dir, store, probe)
    }

    /// Whether another connection could take SQLite's write lock just now (it never waits).
    async fn write_lock_free(probe: &mut SqliteConnection) -> bool {
        match sqlx::query("BEGIN IMMEDIATE").execute(&mut *probe).await {
            Ok(_) => {
                sqlx::query("ROLLBACK").execute(&mut *probe).await.unwrap();
                true
            }
            Err(_) => false,
        }
    }

    /// A client that hangs up while its write transaction begins, or just after, must not leave
    /// the writer's connection inside a transaction: every later write would fail.
    #[tokio::test]
    async fn a_writer_turn_dropped_once_sqlite_began_leaves_the_writer_usable() {
        let (_dir, store, mut probe) = store_and_probe().await;
        let mut cx = Context::from_waker(Waker::noop());
        let mut dropped_after_begin = 0;
        for _ in 0..20 {
            {
                let mut begin = pin!(store.begin_turn(false));
                // Driven by hand until SQLite has begun (the probe cannot write), then dropped
                // before it could return, or as soon as it returned.
                loop {
                    if let Poll::Ready(tx) = begin.as_mut().poll(&mut cx) {
                        if !write_lock_free(&mut probe).await {
                            dropped_after_begin += 1;
                        }
                        drop(tx);
                        break;
                    }
                    if !write_lock_free(&mut probe).await {
                        dropped_after_begin += 1;
                        break;
                    }
                    tokio::task::yield_now().await;
                }
            }
            let tx = store
                .begin_turn(false)
                .await
                .expect("the writer begins again after a dropped turn");
            tx.commit().await.unwrap();
            assert!(write_lock_free(&mut probe).await, "the commit let go");
        }
        assert!(
            dropped_after_begin > 0,
            "no turn was dropped after SQLite began: the test proved nothing"
        );
        store.close().await;
    }

    /// A write dropped without a commit just before the store closes (a command-line run
    /// that fails) is rolled back, and closing waits for that rather than for ever.
    #[tokio::test]
    async fn the_store_closes_after_a_dropped_write() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = SqlStore::connect(&url).await.unwrap();
        let mut tx = store.begin_turn(false).await.unwrap();
        sqlx::query("CREATE TABLE t (x INTEGER)")
            .execute(&mut *tx)
            .await
            .unwrap();
        drop(tx);
        tokio::time::timeout(Duration::from_secs(60), store.close())
            .await
            .expect("the store closed");
        let store = SqlStore::connect(&url).await.unwrap();
        let tables: i64 = sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE name = 't'")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(tables, 0, "rolled back");
        store.close().await;
    }

    async fn count(store: &SqlStore) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM t")
            .fetch_one(&store.pool)
            .await
            .unwrap()
    }

    /// Yields until SQLite's write lock is free (the writer's background rollback ran).
    async fn until_write_lock_free(probe: &mut SqliteConnection) {
        for _ in 0..10_000 {
            if write_lock_free(probe).await {
                return;
            }
            tokio::task::yield_now().await;
        }
        panic!("SQLite's write lock stayed taken");
    }

    /// A commit while another writer waits begins that writer's transaction; should that writer
    /// go away, the begun transaction is ended and SQLite's write lock let go. A transaction
    /// dropped without a commit leaves nothing behind.
    #[tokio::test]
    async fn chained_and_dropped_transactions_never_keep_the_write_lock() {
        let (_dir, store, mut probe) = store_and_probe().await;
        let mut tx = store.begin_turn(false).await.unwrap();
        sqlx::query("CREATE TABLE t (x INTEGER)")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();

        // Dropped without a commit: rolled back.
        let mut tx = store.begin_turn(false).await.unwrap();
        sqlx::query("INSERT INTO t VALUES (1)")
            .execute(&mut *tx)
            .await
            .unwrap();
        drop(tx);
        until_write_lock_free(&mut probe).await;
        assert_eq!(count(&store).await, 0);

        // Committed while another writer waits: the waiter's transaction is begun with it.
        let mut tx = store.begin_turn(false).await.unwrap();
        sqlx::query("INSERT INTO t VALUES (2)")
            .execute(&mut *tx)
            .await
            .unwrap();
        let mut cx = Context::from_waker(Waker::noop());
        let mut waiter = Box::pin(store.begin_turn(false));
        assert!(waiter.as_mut().poll(&mut cx).is_pending());
        tx.commit().await.unwrap();
        assert_eq!(count(&store).await, 1, "committed");
        assert!(!write_lock_free(&mut probe).await, "begun for the waiter");
        // The waiter goes away before it runs: the writer lets go of the lock.
        drop(waiter);
        until_write_lock_free(&mut probe).await;

        // And the writer still writes.
        let mut tx = store.begin_turn(false).await.unwrap();
        sqlx::query("INSERT INTO t VALUES (3)")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(count(&store).await, 2);
        assert!(write_lock_free(&mut probe).await);
        store.close().await;
    }
}
