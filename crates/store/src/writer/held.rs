//! A write transaction on SQLite's writer connection, opened and ended by hand.
//!
//! The transaction is plain SQL (`BEGIN IMMEDIATE`, `COMMIT`, `ROLLBACK`) rather than the
//! driver's transaction manager, which would pay for a custom `BEGIN` of its own.
//!
//! **Group commit.** When other writers wait for the turn as a *grouped* writer commits (one
//! begun by `Store::begin_grouped`), it does not commit alone: its work stays in the open
//! transaction, it hands the turn on and waits for the commit that ends the group, at most
//! [`MAX_GROUP`] writers later (the last writer of a group is the one that finds nobody
//! waiting, or the group full, or that is not grouped itself: such a writer commits the group
//! before it begins, so that everything written before its turn is committed and visible to
//! reads through the pool, as it always was). Every grouped writer after the first runs inside
//! a savepoint, so one that fails takes back only its own work. A commit answers each
//! writer of the group only once SQLite committed the whole group, so an acknowledged write is
//! as durable as before; should the shared commit fail, every writer of the group is told it
//! failed. A group costs one `COMMIT` (the WAL frames of pages that several writers touched,
//! written once) instead of one per writer. When writers wait and the group is full, the commit
//! also begins the next writer's transaction in the same command (`COMMIT; BEGIN IMMEDIATE`).
//!
//! Every way out is safe: a transaction dropped before its commit (an error, or a client that
//! went away while a statement ran) is rolled back (to its savepoint, in a group) by a task
//! that holds the turn until the rollback ran, so the next writer never starts inside it; a
//! connection that fails is given back to its pool (which replaces it) rather than kept; a
//! transaction left open when the lock goes free (begun for a writer that went away, or
//! holding a group whose next writer went away) is ended then: committed if a group's work is
//! in it, else rolled back (see [`super::WriterLock`]).

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection};
use tokio::sync::oneshot;

use super::{Kept, WriterLock, WriterTurn};
use crate::sqlite::BEGIN_WRITE;

/// Commits, and begins the next writer's transaction.
const COMMIT_AND_BEGIN: &str = "COMMIT; BEGIN IMMEDIATE";

/// The most writers one commit serves.
pub(crate) const MAX_GROUP: usize = 16;

/// The writers whose work waits in the open transaction for its commit, each to be told how
/// that went.
pub(crate) type Group = Vec<oneshot::Sender<Result<(), String>>>;

/// Tells a group's writers how their commit went.
fn notify(group: Group, outcome: Result<(), String>) {
    for writer in group {
        let _ = writer.send(outcome.clone());
    }
}

/// SQLite's writer connection during a turn, in a transaction.
pub(crate) struct Held {
    /// Always there until dropped.
    conn: Option<PoolConnection<Any>>,
    /// Whether the transaction may hold writes not yet committed (or released to the group).
    dirty: bool,
    /// Whether a transaction is open on the connection (after a commit: the next one).
    open: bool,
    /// Whether this writer may leave its work to a later commit.
    grouped: bool,
    /// The writers before this one whose work is in the open transaction: when there are
    /// any, this writer joined their group, its own work in the savepoint `member`.
    group: Group,
    turn: WriterTurn,
}

impl Held {
    /// Opens the turn's transaction on `kept` (unless one was begun for it); a `grouped`
    /// writer joins the group whose work it holds, any other commits that group first.
    pub(crate) async fn begin(
        mut kept: Kept,
        turn: WriterTurn,
        grouped: bool,
    ) -> Result<Held, sqlx::Error> {
        if !grouped && !kept.group.is_empty() {
            let group = std::mem::take(&mut kept.group);
            if !commit_group(&mut kept.conn, group).await {
                // Neither committed nor rolled back: the pool replaces the connection.
                drop(kept.conn);
                return Err(sqlx::Error::Protocol(
                    "the writer's connection failed".into(),
                ));
            }
            kept.begun = false;
        }
        // Held (and so rolled back when dropped) before `BEGIN` is sent: should the caller go
        // away while SQLite begins, the rollback runs after the `BEGIN`.
        let joins = !kept.group.is_empty();
        let mut held = Held {
            conn: Some(kept.conn),
            dirty: true,
            open: true,
            grouped,
            group: kept.group,
            turn,
        };
        let begin = if joins {
            Some("SAVEPOINT member")
        } else if !kept.begun {
            Some(BEGIN_WRITE)
        } else {
            None
        };
        if let Some(begin) = begin {
            if let Err(error) = sqlx::query(begin).execute(&mut *held).await {
                held.discard().await;
                return Err(error);
            }
        }
        Ok(held)
    }

    /// Commits: joins the group when other writers wait and it has room (and then waits for
    /// the group's commit), else commits the group; when other writers wait, begins the next
    /// one's transaction with it.
    pub(crate) async fn commit(mut self) -> Result<(), sqlx::Error> {
        let waiting = self.turn.others_waiting();
        if self.grouped && waiting && self.group.len() + 1 < MAX_GROUP {
            if !self.group.is_empty() {
                sqlx::query("RELEASE member").execute(&mut *self).await?;
            }
            let (told, outcome) = oneshot::channel();
            self.group.push(told);
            self.dirty = false;
            // Hands the turn on, the transaction open.
            drop(self);
            return match outcome.await {
                Ok(Ok(())) => Ok(()),
                Ok(Err(error)) => Err(sqlx::Error::Protocol(format!(
                    "the group commit failed: {error}"
                ))),
                Err(_) => Err(sqlx::Error::Protocol(
                    "the group commit was abandoned".into(),
                )),
            };
        }
        let group = std::mem::take(&mut self.group);
        let sql = if waiting { COMMIT_AND_BEGIN } else { "COMMIT" };
        let outcome = match sqlx::query(sql).execute(&mut *self).await {
            Ok(_) => {
                self.dirty = false;
                self.open = waiting;
                Ok(())
            }
            // The `COMMIT` went through when no transaction is left to roll back: only the
            // `BEGIN` after it failed (another process held the write lock past the busy
            // timeout). Otherwise the transaction is rolled back here and the commit failed.
            // Should even the `ROLLBACK` fail, the transaction stays marked dirty, and dropping
            // it tries once more (or gives the connection back to its pool).
            Err(error) if waiting => match rollback(&mut self).await {
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
        };
        notify(
            group,
            outcome.as_ref().map(drop).map_err(ToString::to_string),
        );
        outcome
    }

    /// Gives the connection back to its pool rather than to the lock, rolled back (the
    /// group's work with it).
    async fn discard(&mut self) {
        if let Some(mut conn) = self.conn.take() {
            // A connection that cannot even roll back is closed by the pool's test.
            let _ = rollback(&mut conn).await;
            notify(
                std::mem::take(&mut self.group),
                Err("the writer's connection failed".into()),
            );
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

/// Rolls back `conn` while holding `turn` (to the savepoint `member` when `group` is in the
/// transaction), then keeps it for the next turn (or, should the rollback fail, gives it back
/// to its pool).
fn spawn_rollback(mut conn: PoolConnection<Any>, turn: WriterTurn, group: Group) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        // No runtime left (shutting down): closing the connection rolls back.
        return;
    };
    runtime.spawn(async move {
        if !group.is_empty() {
            let undone = sqlx::query("ROLLBACK TO member; RELEASE member")
                .execute(&mut *conn)
                .await;
            if undone.is_ok() {
                turn.keep_conn(Kept {
                    conn,
                    begun: true,
                    group,
                });
                return;
            }
        }
        let rolled_back = rollback(&mut conn).await;
        notify(group, Err("rolled back with a failed writer".into()));
        if rolled_back.is_ok() {
            turn.keep_conn(Kept {
                conn,
                begun: false,
                group: Group::new(),
            });
        }
        drop(turn);
    });
}

/// Commits the group in the kept connection's transaction (its last writer went away), and
/// tells its writers.
fn spawn_commit(mut conn: PoolConnection<Any>, turn: WriterTurn, group: Group) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        notify(group, Err("shutting down".into()));
        return;
    };
    runtime.spawn(async move {
        if commit_group(&mut conn, group).await {
            turn.keep_conn(Kept {
                conn,
                begun: false,
                group: Group::new(),
            });
        }
        drop(turn);
    });
}

/// Commits the group whose work is in `conn`'s transaction and tells its writers; whether the
/// transaction ended (committed, or else rolled back).
pub(super) async fn commit_group(conn: &mut AnyConnection, group: Group) -> bool {
    let outcome = sqlx::query("COMMIT").execute(&mut *conn).await.map(drop);
    let ended = match &outcome {
        Ok(()) => true,
        Err(_) => rollback(conn).await.is_ok(),
    };
    notify(group, outcome.map_err(|e| e.to_string()));
    ended
}

/// Ends the transaction left open on the kept connection when the lock went free (the lock is
/// still taken, for this): commits a group's work, rolls back a transaction begun for a writer
/// that went away.
pub(super) fn end_begun(lock: Arc<WriterLock>) {
    let turn = WriterTurn { lock, armed: true };
    match turn.take_conn() {
        Some(kept) if !kept.group.is_empty() => spawn_commit(kept.conn, turn, kept.group),
        Some(kept) => spawn_rollback(kept.conn, turn, Group::new()),
        None => drop(turn),
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else {
            return;
        };
        let group = std::mem::take(&mut self.group);
        if self.dirty {
            // Only a writer that joined a group has a savepoint to roll back to.
            spawn_rollback(conn, self.turn.take(), group);
        } else {
            self.turn.keep_conn(Kept {
                conn,
                begun: self.open,
                group,
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
