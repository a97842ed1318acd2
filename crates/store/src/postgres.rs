//! PostgreSQL, the scale-out backend.

use std::sync::Arc;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::PgListener;

/// PostgreSQL's migrations; version numbers match [`crate::sqlite::MIGRATOR`].
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// Listens on [`crate::EVENTS_CHANNEL`] and bumps `commits` for every notification. Returns
/// once the `LISTEN` is in force, with the task that keeps listening.
pub(crate) async fn listen_for_commits(
    url: &str,
    commits: Arc<tokio::sync::watch::Sender<u64>>,
) -> Result<tokio::task::JoinHandle<()>, sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(crate::EVENTS_CHANNEL).await?;
    Ok(tokio::spawn(async move {
        let bump = || commits.send_modify(|n| *n = n.wrapping_add(1));
        loop {
            match listener.try_recv().await {
                Ok(Some(_)) => bump(),
                // The connection dropped; the next call reconnects and listens again. What was
                // announced meanwhile is lost, so wake the subscribers to look for themselves.
                Ok(None) => bump(),
                Err(e) => {
                    tracing::warn!(error = %e, "event commit listener: reconnecting");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    bump();
                }
            }
        }
    }))
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
