//! PostgreSQL, the scale-out backend.

use std::sync::Arc;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::PgListener;

use crate::auth_epoch::{AuthEpoch, AUTH_CHANNEL};

/// PostgreSQL's migrations; version numbers match [`crate::sqlite::MIGRATOR`].
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// Connections of the pool.
pub(crate) const MAX_CONNECTIONS: usize = 16;

/// The pool: up to 16 connections, not pinged before each use (a ping is a round trip to the
/// server per query; a connection the server dropped fails its query and is discarded).
pub(crate) fn pool_options() -> sqlx::any::AnyPoolOptions {
    sqlx::any::AnyPoolOptions::new()
        .max_connections(MAX_CONNECTIONS as u32)
        .test_before_acquire(false)
}

/// Announces commits of event work to every process's listener: after the commit, outside the
/// transaction (a transaction that issues `NOTIFY` takes a database-wide lock while it commits,
/// so event writes would commit one at a time), and coalesced: commits that come while one
/// `NOTIFY` is on its way are announced by the next one. Should the process die between a
/// commit and its announcement, the other workers find the work at their next poll.
pub(crate) struct Announcer {
    pool: sqlx::AnyPool,
    poke: Arc<tokio::sync::Notify>,
    task: std::sync::OnceLock<tokio::task::JoinHandle<()>>,
}

impl Announcer {
    pub(crate) fn new(pool: sqlx::AnyPool) -> Self {
        Self {
            pool,
            poke: Arc::default(),
            task: std::sync::OnceLock::new(),
        }
    }

    /// After a commit that made event work.
    pub(crate) fn poke(&self) {
        self.task.get_or_init(|| {
            let (pool, poke) = (self.pool.clone(), self.poke.clone());
            tokio::spawn(async move {
                loop {
                    poke.notified().await;
                    let sql = format!("NOTIFY {}", crate::EVENTS_CHANNEL);
                    if let Err(e) = sqlx::query(&sql).execute(&pool).await {
                        tracing::warn!(error = %e, "could not announce event work");
                    }
                }
            })
        });
        self.poke.notify_one();
    }

    /// Stops the task.
    pub(crate) fn stop(&self) {
        if let Some(task) = self.task.get() {
            task.abort();
        }
    }
}

/// The listener task: `LISTEN`s on [`crate::EVENTS_CHANNEL`] and
/// [`crate::auth_epoch::AUTH_CHANNEL`], bumps `commits` for every event notification and the
/// authentication epoch for every authentication one, and says in `ready` whether it is in force.
/// When it loses its connection it says so (the authentication epoch is then unknown), and
/// reconnects; notifications sent meanwhile are lost, so on every (re)connection it signals
/// once.
pub(crate) fn spawn_listener(
    url: Arc<str>,
    commits: Arc<tokio::sync::watch::Sender<u64>>,
    auth: Arc<AuthEpoch>,
    ready: Arc<tokio::sync::watch::Sender<bool>>,
) -> tokio::task::JoinHandle<()> {
    let bump = move || commits.send_modify(|n| *n = n.wrapping_add(1));
    tokio::spawn(async move {
        loop {
            match listen(&url).await {
                Ok(mut listener) => {
                    auth.set_listening(true);
                    ready.send_replace(true);
                    bump();
                    let lost = loop {
                        match listener.try_recv().await {
                            Ok(Some(n)) if n.channel() == AUTH_CHANNEL => auth.bump(),
                            Ok(Some(_)) => bump(),
                            Ok(None) => break None,
                            Err(e) => break Some(e),
                        }
                    };
                    auth.set_listening(false);
                    ready.send_replace(false);
                    match lost {
                        Some(e) => tracing::warn!(error = %e, "commit listener lost; reconnecting"),
                        None => tracing::warn!("commit listener lost its connection; reconnecting"),
                    }
                    bump();
                }
                Err(e) => tracing::warn!(error = %e, "commit listener: cannot connect; retrying"),
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    })
}

async fn listen(url: &str) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener
        .listen_all([crate::EVENTS_CHANNEL, AUTH_CHANNEL])
        .await?;
    Ok(listener)
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_databases_have_the_same_migration_versions() {
        let versions = |m: &sqlx::migrate::Migrator| {
            m.iter()
                .map(|m| (m.version, m.description.clone()))
                .collect::<Vec<_>>()
        };
        let sqlite = versions(&crate::sqlite::MIGRATOR);
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, versions(&super::MIGRATOR));
    }
}
