//! Checkpoints of SQLite's write-ahead log, off the writer's path.
//!
//! SQLite copies the log back into the database (a checkpoint, with its `fsync`s) inside
//! whichever commit finds the log past its threshold. On the writer's connection, which runs on
//! the runtime's threads (see [`super::direct`]), that would stall a thread and every writer
//! queued behind it for milliseconds. So the writer's connection never checkpoints
//! (`wal_autocheckpoint = 0`); instead, every [`EVERY`] writes a passive checkpoint runs on a
//! pooled connection, on that connection's own thread, beside the writers (a passive checkpoint
//! takes no lock that a writer or a reader waits for). Other processes' connections keep
//! SQLite's own checkpoints, and the last connection to close checkpoints as always.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;

use sqlx::AnyPool;

/// Writes between checkpoints (SQLite's own threshold is 1,000 pages of log).
pub(crate) const EVERY: u32 = 256;

/// Counts the writer's writes and starts a checkpoint every [`EVERY`] of them.
pub(crate) struct Checkpointer {
    pool: AnyPool,
    writes: AtomicU32,
    running: Arc<AtomicBool>,
    /// Checkpoints run so far.
    done: Arc<tokio::sync::watch::Sender<u64>>,
}

impl Checkpointer {
    pub(crate) fn new(pool: AnyPool) -> Self {
        Self {
            pool,
            writes: AtomicU32::new(0),
            running: Arc::default(),
            done: Arc::new(tokio::sync::watch::channel(0).0),
        }
    }

    /// Counts a committed write; starts a checkpoint when one is due and none runs.
    pub(crate) fn wrote(&self) {
        if self.writes.fetch_add(1, Ordering::Relaxed) + 1 < EVERY {
            return;
        }
        self.writes.store(0, Ordering::Relaxed);
        if self.running.swap(true, Ordering::AcqRel) {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            self.running.store(false, Ordering::Release);
            return;
        };
        let (pool, running, done) = (self.pool.clone(), self.running.clone(), self.done.clone());
        runtime.spawn(async move {
            if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .fetch_all(&pool)
                .await
            {
                tracing::warn!(%error, "the checkpoint of SQLite's log failed");
            }
            running.store(false, Ordering::Release);
            done.send_modify(|n| *n += 1);
        });
    }

    /// The number of checkpoints run, to wait on.
    #[cfg(test)]
    pub(crate) fn done(&self) -> tokio::sync::watch::Receiver<u64> {
        self.done.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::EVERY;
    use crate::SqlStore;

    /// A row of 20,000 bytes: five pages of log.
    const ROW: &str = "INSERT INTO t VALUES (zeroblob(20000))";

    async fn write(store: &SqlStore, sql: &str) {
        let mut tx = store.begin_turn(false).await.unwrap();
        sqlx::query(sql).execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
    }

    /// The writer's log reaches the database file by the checkpointer, not by the writer's
    /// commits.
    #[tokio::test]
    async fn the_log_is_checkpointed_every_so_many_writes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("t.db");
        let store = SqlStore::connect(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        write(&store, "CREATE TABLE t (x BLOB)").await;
        let mut done = store.checkpointer.as_ref().unwrap().done();
        let size = || std::fs::metadata(&file).unwrap().len();
        let before = size();
        // One write short of a checkpoint: the database file has not grown.
        for _ in 2..EVERY {
            write(&store, ROW).await;
        }
        assert_eq!(size(), before, "the writer's commits never checkpoint");
        assert_eq!(*done.borrow_and_update(), 0);
        write(&store, ROW).await;
        done.changed().await.unwrap();
        assert!(
            size() >= u64::from(EVERY - 1) * 20_000,
            "the rows reached the database file: {} bytes",
            size()
        );
        store.close().await;
    }
}
