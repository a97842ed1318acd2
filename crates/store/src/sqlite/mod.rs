//! SQLite, the embedded default: one file in the data directory, WAL journal.

use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::{Connection, Executor};

pub(crate) mod checkpoint;
pub(crate) mod direct;

/// SQLite's migrations; version numbers match [`crate::postgres::MIGRATOR`].
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// The statement that opens a write transaction: it takes the write lock at once, so a
/// transaction that reads before it writes cannot lose its snapshot to another process.
pub(crate) const BEGIN_WRITE: &str = "BEGIN IMMEDIATE";

pub(crate) fn pool_options() -> AnyPoolOptions {
    options().max_connections(8)
}

/// The pool of write transactions: one connection, taken in turns (see `writer`), run on the
/// caller's thread by [`direct`] (which sets the connection up itself: connect with
/// [`direct::url`]).
pub(crate) fn writer_pool_options() -> AnyPoolOptions {
    common().max_connections(1)
}

fn options() -> AnyPoolOptions {
    common().after_connect(|conn, _| {
        Box::pin(async move {
            conn.execute(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
            )
            .await?;
            Ok(())
        })
    })
}

fn common() -> AnyPoolOptions {
    AnyPoolOptions::new()
        .min_connections(1)
        // A connection is checked when it is used; a ping per acquire would double the
        // round trips to the connection's worker thread.
        .test_before_acquire(false)
        // A connection handed back inside a transaction (its owner went away at the wrong
        // moment) is closed rather than lent out again still holding SQLite's lock. A rollback
        // queued on it (a transaction dropped without a commit) is let through first.
        .after_release(|conn, _| {
            Box::pin(async move {
                if conn.is_in_transaction() {
                    conn.ping().await?;
                }
                Ok(!conn.is_in_transaction())
            })
        })
}
