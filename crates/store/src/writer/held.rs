//! A write transaction on SQLite's writer connection, opened and ended by hand.
//!
//! The transaction is plain SQL (`BEGIN IMMEDIATE`, `COMMIT`, `ROLLBACK`) rather than the
//! driver's transaction manager, which pays an extra round trip to the connection's thread for
//! a custom `BEGIN`: every round trip is a pair of thread wake-ups, and a write is a handful of
//! them. When writers wait for the turn, a commit also begins the next writer's transaction in
//! the same command (`COMMIT; BEGIN IMMEDIATE`), so under load a write pays for neither a
//! `BEGIN` of its own nor a wait for one.
//!
//! Every way out is safe: a transaction dropped before its commit (an error, or a client that
//! went away while a statement ran) is rolled back by a task that holds the turn until the
//! rollback ran, so the next writer never starts inside it; a connection that fails is given
//! back to its pool (which replaces it) rather than kept; a transaction begun for a writer that
//! went away is ended when the lock goes free (see [`super::WriterLock`]).

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection};

use super::{Kept, WriterLock, WriterTurn};
use crate::sqlite::BEGIN_WRITE;

/// Commits, and begins the next writer's transaction.
const COMMIT_AND_BEGIN: &str = "COMMIT; BEGIN IMMEDIATE";

/// SQLite's writer connection during a turn, in a transaction.
pub(crate) struct Held {
    /// Always there until dropped.
    conn: Option<PoolConnection<Any>>,
    /// Whether the transaction may hold writes not yet committed.
    dirty: bool,
    /// Whether a transaction is open on the connection (after a commit: the next one).
    open: bool,
    turn: WriterTurn,
}

impl Held {
    /// Opens the turn's transaction on `kept` (unless one was begun for it).
    pub(crate) async fn begin(kept: Kept, turn: WriterTurn) -> Result<Held, sqlx::Error> {
        // Held (and so rolled back when dropped) before `BEGIN` is sent: should the caller go
        // away while SQLite begins, the rollback runs after the `BEGIN`.
        let mut held = Held {
            conn: Some(kept.conn),
            dirty: true,
            open: true,
            turn,
        };
        if !kept.begun {
            if let Err(error) = sqlx::query(BEGIN_WRITE).execute(&mut *held).await {
                held.discard().await;
                return Err(error);
            }
        }
        Ok(held)
    }

    /// Commits; when other writers wait, begins the next one's transaction with it.
    pub(crate) async fn commit(mut self) -> Result<(), sqlx::Error> {
        let chain = self.turn.others_waiting();
        let sql = if chain { COMMIT_AND_BEGIN } else { "COMMIT" };
        match sqlx::query(sql).execute(&mut *self).await {
            Ok(_) => {
                self.dirty = false;
                self.open = chain;
                Ok(())
            }
            // The `COMMIT` went through when no transaction is left to roll back: only the
            // `BEGIN` after it failed (another process held the write lock past the busy
            // timeout). Otherwise the transaction is rolled back here and the commit failed.
            // Should even the `ROLLBACK` fail, the transaction stays marked dirty, and dropping
            // it tries once more (or gives the connection back to its pool).
            Err(error) if chain => match rollback(&mut self).await {
                Ok(rolled_back) => {
                    self.dirty = false;
                    self.open = false;
                    if rolled_back {
                        Err(error)
                    } else {
                        Ok(())
                    }
                }
                Err(_) => Err(error),
            },
            Err(error) => Err(error),
        }
    }

    /// Gives the connection back to its pool rather than to the lock, rolled back.
    async fn discard(&mut self) {
        if let Some(mut conn) = self.conn.take() {
            // A connection that cannot even roll back is closed by the pool's test.
            let _ = rollback(&mut conn).await;
        }
    }
}

/// Rolls back the connection's transaction: `Ok(true)` when one was open, `Ok(false)` when none
/// was.
pub(super) async fn rollback(conn: &mut AnyConnection) -> Result<bool, sqlx::Error> {
    match sqlx::query("ROLLBACK").execute(conn).await {
        Ok(_) => Ok(true),
        Err(sqlx::Error::Database(error)) if error.message().contains("no transaction") => {
            Ok(false)
        }
        Err(error) => Err(error),
    }
}

/// Rolls back `conn` while holding `turn`, then keeps it for the next turn (or, should the
/// rollback fail, gives it back to its pool).
fn spawn_rollback(mut conn: PoolConnection<Any>, turn: WriterTurn) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        // No runtime left (shutting down): closing the connection rolls back.
        return;
    };
    runtime.spawn(async move {
        if rollback(&mut conn).await.is_ok() {
            turn.keep_conn(Kept { conn, begun: false });
        }
        drop(turn);
    });
}

/// Ends the transaction begun on the kept connection for a writer that went away (the lock
/// is still taken, for this).
pub(super) fn end_begun(lock: Arc<WriterLock>) {
    let turn = WriterTurn { lock, armed: true };
    match turn.take_conn() {
        Some(kept) => spawn_rollback(kept.conn, turn),
        None => drop(turn),
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else {
            return;
        };
        if self.dirty {
            spawn_rollback(conn, self.turn.take());
        } else {
            self.turn.keep_conn(Kept {
                conn,
                begun: self.open,
            });
        }
    }
}

impl Deref for Held {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        self.conn.as_ref().expect("held until dropped")
    }
}

impl DerefMut for Held {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        self.conn.as_mut().expect("held until dropped")
    }
}
