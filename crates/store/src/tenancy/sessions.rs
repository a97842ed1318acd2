//! Dashboard sessions: the [`SessionStore`] / [`SessionTx`] implementations.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::any::AnyRow;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::store::{SessionStore, SessionTx};
use switchboard_domain::tenancy::sessions::ConsoleSession;
use switchboard_domain::Result;

use crate::error::db;
use crate::rows::get;
use crate::tx::SqlTx;
use crate::SqlStore;

fn session(row: &AnyRow) -> Result<ConsoleSession> {
    Ok(ConsoleSession {
        token_hash: get(row, "token_hash")?,
        key_hash: get(row, "key_hash")?,
        created_at: from_millis(get(row, "created_at")?),
        expires_at: from_millis(get(row, "expires_at")?),
    })
}

#[async_trait]
impl SessionStore for SqlStore {
    /// The primary key.
    async fn console_session(&self, token_hash: &str) -> Result<Option<ConsoleSession>> {
        let row = sqlx::query("SELECT * FROM console_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&mut *self.conn().await?)
            .await
            .map_err(db)?;
        row.as_ref().map(session).transpose()
    }
}

#[async_trait]
impl SessionTx for SqlTx {
    async fn insert_console_session(&mut self, s: &ConsoleSession) -> Result<()> {
        sqlx::query(
            "INSERT INTO console_sessions (token_hash, key_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(&s.token_hash)
        .bind(&s.key_hash)
        .bind(to_millis(s.created_at))
        .bind(to_millis(s.expires_at))
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn delete_console_session(&mut self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM console_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(())
    }

    /// `console_sessions_expiry (expires_at)`.
    async fn prune_console_sessions(&mut self, now: Timestamp, limit: i64) -> Result<u64> {
        let done = sqlx::query(
            "DELETE FROM console_sessions WHERE token_hash IN (SELECT token_hash FROM \
             console_sessions WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2)",
        )
        .bind(to_millis(now))
        .bind(limit)
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(done.rows_affected())
    }
}
