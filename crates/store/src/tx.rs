//! The domain's [`Store`] and [`WriteTx`] traits, implemented by delegating to the queries.

use async_trait::async_trait;
use sqlx::pool::PoolConnection;
use sqlx::{Any, Transaction};
use switchboard_domain::store::{Store, WriteTx};
use switchboard_domain::Result;
use tokio::sync::OwnedMutexGuard;

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
    _turn: Option<OwnedMutexGuard<()>>,
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
        let (tx, turn) = match self.backend {
            Backend::Sqlite => {
                let turn = self.writer.clone().lock_owned().await;
                (
                    self.pool
                        .begin_with(crate::sqlite::BEGIN_WRITE)
                        .await
                        .map_err(db)?,
                    Some(turn),
                )
            }
            Backend::Postgres => (self.pool.begin().await.map_err(db)?, None),
        };
        Ok(Box::new(SqlTx {
            tx,
            backend: self.backend,
            _turn: turn,
        }))
    }
}

impl SqlStore {
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
        self.tx.commit().await.map_err(db)
    }
}
