//! Remembered idempotency keys.

use jiff::Timestamp;
use sqlx::AnyConnection;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::idempotency::{
    Claim, IdempotencyRecord, StoredResponse, ABANDONED_AFTER_SECS,
};
use switchboard_domain::Result;

use crate::error::db;
use crate::rows::get;

pub(crate) async fn claim(
    c: &mut AnyConnection,
    scope: &str,
    key: &str,
    fingerprint: &str,
    now: Timestamp,
    retention_secs: i64,
) -> Result<Claim> {
    let now_ms = to_millis(now);
    // Forget this key if it has expired (other expired records are pruned in bounded batches
    // by the maintenance task), and its claim if its request never finished.
    sqlx::query("DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND created_at < $3")
        .bind(scope)
        .bind(key)
        .bind(now_ms.saturating_sub(retention_secs.saturating_mul(1000)))
        .execute(&mut *c)
        .await
        .map_err(db)?;
    sqlx::query("DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status IS NULL AND created_at < $3")
        .bind(scope)
        .bind(key)
        .bind(now_ms - ABANDONED_AFTER_SECS * 1000)
        .execute(&mut *c)
        .await
        .map_err(db)?;
    let inserted = sqlx::query(
        "INSERT INTO idempotency_keys (scope, key, fingerprint, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (scope, key) DO NOTHING",
    )
    .bind(scope)
    .bind(key)
    .bind(fingerprint)
    .bind(now_ms)
    .execute(&mut *c)
    .await
    .map_err(db)?;
    if inserted.rows_affected() == 1 {
        return Ok(Claim::Claimed);
    }
    let row = sqlx::query("SELECT * FROM idempotency_keys WHERE scope = $1 AND key = $2")
        .bind(scope)
        .bind(key)
        .fetch_optional(c)
        .await
        .map_err(db)?;
    let Some(row) = row else {
        // Released between our insert and read: report it as in progress; the caller retries.
        return Ok(Claim::Existing(IdempotencyRecord {
            fingerprint: fingerprint.into(),
            response: None,
            created_at: now,
        }));
    };
    let status: Option<i32> = get(&row, "status")?;
    let response = match status {
        Some(s) => Some(StoredResponse {
            status: s as u16,
            content_type: get(&row, "content_type")?,
            body: get::<Option<Vec<u8>>>(&row, "body")?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(Claim::Existing(IdempotencyRecord {
        fingerprint: get(&row, "fingerprint")?,
        response,
        created_at: from_millis(get(&row, "created_at")?),
    }))
}

pub(crate) async fn finish(
    c: &mut AnyConnection,
    scope: &str,
    key: &str,
    r: &StoredResponse,
) -> Result<()> {
    sqlx::query("UPDATE idempotency_keys SET status = $1, content_type = $2, body = $3 WHERE scope = $4 AND key = $5")
        .bind(i32::from(r.status))
        .bind(r.content_type.as_deref())
        .bind(r.body.clone())
        .bind(scope)
        .bind(key)
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn release(c: &mut AnyConnection, scope: &str, key: &str) -> Result<()> {
    sqlx::query("DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status IS NULL")
        .bind(scope)
        .bind(key)
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

/// Deletes up to `limit` records created before `before` (through the index on `created_at`).
pub(crate) async fn prune(c: &mut AnyConnection, before: i64, limit: u32) -> Result<u64> {
    let done = sqlx::query(
        "DELETE FROM idempotency_keys WHERE (scope, key) IN \
         (SELECT scope, key FROM idempotency_keys WHERE created_at < $1 ORDER BY created_at LIMIT $2)",
    )
    .bind(before)
    .bind(i64::from(limit))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(done.rows_affected())
}
