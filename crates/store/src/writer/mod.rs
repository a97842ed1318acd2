//! SQLite's one writer, taken in turns in-process.
//!
//! Write transactions run on a connection of their own (a pool of one, kept by the lock
//! between turns: its page cache stays warm, since no other connection of the process writes,
//! and no turn pays for checking a connection out of a pool and back) and take turns through a
//! [`WriterLock`] instead of busy-waiting on the database lock. Turns are granted in the order
//! they were asked for, except that an urgent turn (the event worker's short claims and
//! records) goes before the ordinary ones waiting, so the time from an event's commit to its
//! delivery does not grow with a queue of request writes. Urgent work is a few transactions
//! per batch of deliveries, so ordinary writers are never starved.

mod held;

pub(crate) use held::Held;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use sqlx::pool::PoolConnection;
use sqlx::Any;
use tokio::sync::oneshot;

/// See the module documentation.
#[derive(Default)]
pub(crate) struct WriterLock {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    held: bool,
    /// The writer's connection between turns.
    conn: Option<Kept>,
    urgent: VecDeque<oneshot::Sender<WriterTurn>>,
    ordinary: VecDeque<oneshot::Sender<WriterTurn>>,
}

/// The writer's connection kept between turns.
pub(crate) struct Kept {
    pub(crate) conn: PoolConnection<Any>,
    /// Whether a transaction is open on it for the next turn: begun with the last commit while
    /// writers were waiting (nothing was written in it), or holding a group's work.
    pub(crate) begun: bool,
    /// The writers whose work is in that transaction, waiting for its commit (see [`held`]).
    pub(crate) group: held::Group,
}

/// The writer's turn: the holder may write until it drops this.
pub(crate) struct WriterTurn {
    lock: Arc<WriterLock>,
    /// Unset for a turn that was never handed over (its waiter had gone).
    armed: bool,
}

impl WriterLock {
    /// Waits for the writer's turn; `urgent` turns go before ordinary ones that wait.
    /// Cancel-safe: a waiter dropped before or after it was granted the turn passes it on.
    pub(crate) async fn turn(self: &Arc<Self>, urgent: bool) -> WriterTurn {
        loop {
            let granted = {
                let mut state = self.state();
                if !state.held {
                    state.held = true;
                    return WriterTurn {
                        lock: self.clone(),
                        armed: true,
                    };
                }
                let (tx, rx) = oneshot::channel();
                if urgent {
                    state.urgent.push_back(tx);
                } else {
                    state.ordinary.push_back(tx);
                }
                rx
            };
            // A sender is only ever dropped after it handed a turn over, so this waits for
            // the turn; should it ever not, ask again.
            if let Ok(turn) = granted.await {
                return turn;
            }
        }
    }

    /// Hands the turn to the next waiter (urgent ones first), or frees the writer.
    fn release(self: &Arc<Self>) {
        loop {
            let next = {
                let mut state = self.state();
                match state
                    .urgent
                    .pop_front()
                    .or_else(|| state.ordinary.pop_front())
                {
                    Some(next) => next,
                    None => {
                        if state.conn.as_ref().is_some_and(|kept| kept.begun) {
                            // Begun for a writer that went away, or holding a group whose next
                            // writer went away: SQLite's write lock must not stay taken while
                            // nobody writes (other processes wait for it).
                            drop(state);
                            held::end_begun(self.clone());
                        } else {
                            state.held = false;
                        }
                        return;
                    }
                }
            };
            let turn = WriterTurn {
                lock: self.clone(),
                armed: true,
            };
            match next.send(turn) {
                Ok(()) => return,
                // That waiter has gone: the next one.
                Err(mut turn) => turn.armed = false,
            }
        }
    }
}

impl WriterTurn {
    /// The writer's connection, if one is kept (else the caller checks one out).
    pub(crate) fn take_conn(&self) -> Option<Kept> {
        self.lock.state().conn.take()
    }

    /// Keeps the writer's connection for the next turn.
    pub(crate) fn keep_conn(&self, kept: Kept) {
        self.lock.state().conn = Some(kept);
    }

    /// The same turn, moved out of `self` (which no longer releases it).
    fn take(&mut self) -> WriterTurn {
        let turn = WriterTurn {
            lock: self.lock.clone(),
            armed: self.armed,
        };
        self.armed = false;
        turn
    }

    /// Whether other writers wait for the turn.
    pub(crate) fn others_waiting(&self) -> bool {
        let state = self.lock.state();
        !(state.urgent.is_empty() && state.ordinary.is_empty())
    }
}

impl WriterLock {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Gives the kept connection back to its pool (before the pool closes), ending a
    /// transaction begun on it. Waits for the writer's turn first: a rollback or a group's
    /// commit still running in the background hands the connection back to the lock when it
    /// ends (and a group's transaction is always ended before the lock goes free). The turn is
    /// returned, to hold while the pool closes.
    pub(crate) async fn give_back_conn(self: &Arc<Self>) -> WriterTurn {
        let turn = self.turn(true).await;
        if let Some(mut kept) = turn.take_conn() {
            if !kept.group.is_empty() {
                // Handed over by a group's last writer as the store closes.
                held::commit_group(&mut kept.conn, kept.group).await;
            } else if kept.begun {
                // Nothing was written in it; closing would end it too.
                let _ = held::rollback(&mut kept.conn).await;
            }
        }
        turn
    }
}

impl Drop for WriterTurn {
    fn drop(&mut self) {
        if self.armed {
            self.lock.release();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiting(lock: &WriterLock) -> usize {
        let state = lock.state.lock().unwrap();
        state.urgent.len() + state.ordinary.len()
    }

    #[tokio::test]
    async fn urgent_turns_go_before_waiting_ordinary_ones_and_cancelled_waiters_pass_theirs_on() {
        let lock = Arc::new(WriterLock::default());
        let first = lock.turn(false).await;
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for (name, urgent) in [("a", false), ("b", false), ("u", true)] {
            let (mine, order) = (lock.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                let _turn = mine.turn(urgent).await;
                order.lock().unwrap().push(name);
            }));
            // Each waiter queues before the next is spawned.
            while waiting(&lock) < tasks.len() {
                tokio::task::yield_now().await;
            }
        }
        // A waiter that gives up: its place is skipped.
        let gone = {
            let mine = lock.clone();
            tokio::spawn(async move {
                let _turn = mine.turn(true).await;
                unreachable!("aborted before its turn");
            })
        };
        while waiting(&lock) < 4 {
            tokio::task::yield_now().await;
        }
        gone.abort();
        let _ = gone.await;
        drop(first);
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), ["u", "a", "b"]);
        assert!(!lock.state.lock().unwrap().held, "the writer is free again");
        drop(lock.turn(false).await);
    }
}

#[cfg(test)]
mod group_tests;
