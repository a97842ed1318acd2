//! Export jobs (`stats_jobs`) and their files' chunks (`stats_chunks`): queries and rows.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::{CompanyId, ReportId};
use switchboard_domain::reporting::export::{JobStatus, StatsJob};
use switchboard_domain::{DomainError, Result};

use crate::error::db;
use crate::rows::{get, json, to_text};

fn job(row: &AnyRow) -> Result<StatsJob> {
    let status: String = get(row, "status")?;
    let ms = |col: &str| -> Result<Option<jiff::Timestamp>> {
        Ok(get::<Option<i64>>(row, col)?.map(from_millis))
    };
    Ok(StatsJob {
        id: ReportId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        request_key: get(row, "request_key")?,
        spec: serde_json::from_value(json(row, "spec")?).map_err(DomainError::internal)?,
        status: JobStatus::parse(&status)
            .ok_or_else(|| DomainError::internal("unknown stored job status"))?,
        progress: json(row, "progress")?,
        chunks: get(row, "chunks")?,
        rows: get(row, "rows_written")?,
        failure: get(row, "failure")?,
        announce: get::<Option<String>>(row, "announce")?
            .map(|a| serde_json::from_str(&a))
            .transpose()
            .map_err(DomainError::internal)?,
        reuse_until: ms("reuse_until")?,
        created_at: from_millis(get(row, "created_at")?),
        completed_at: ms("completed_at")?,
        expires_at: ms("expires_at")?,
    })
}

/// One job by id; `lock` is the backend's lock clause.
pub(crate) async fn one(
    c: &mut AnyConnection,
    id: ReportId,
    lock: &str,
) -> Result<Option<StatsJob>> {
    let row = sqlx::query(&format!("SELECT * FROM stats_jobs WHERE id = $1{lock}"))
        .bind(id.0)
        .fetch_optional(c)
        .await
        .map_err(db)?;
    row.as_ref().map(job).transpose()
}

/// The newest job that may answer an equal request (index `stats_jobs_key`).
pub(crate) async fn reusable(
    c: &mut AnyConnection,
    company: CompanyId,
    key: &str,
    now: jiff::Timestamp,
) -> Result<Option<StatsJob>> {
    let row = sqlx::query(
        "SELECT * FROM stats_jobs WHERE company_id = $1 AND request_key = $2 \
         AND status <> 'failed' AND (expires_at IS NULL OR expires_at > $3) \
         AND (reuse_until IS NULL OR reuse_until > $3) ORDER BY created_at DESC LIMIT 1",
    )
    .bind(company.0)
    .bind(key)
    .bind(to_millis(now))
    .fetch_optional(c)
    .await
    .map_err(db)?;
    row.as_ref().map(job).transpose()
}

/// Processing jobs, oldest first (index `stats_jobs_status`).
pub(crate) async fn processing(c: &mut AnyConnection, limit: usize) -> Result<Vec<StatsJob>> {
    let rows = sqlx::query(
        "SELECT * FROM stats_jobs WHERE status = 'processing' ORDER BY created_at, id LIMIT $1",
    )
    .bind(limit as i64)
    .fetch_all(c)
    .await
    .map_err(db)?;
    rows.iter().map(job).collect()
}

/// Jobs expired by `now` (index `stats_jobs_expires`).
pub(crate) async fn expired(
    c: &mut AnyConnection,
    now: jiff::Timestamp,
    limit: usize,
) -> Result<Vec<ReportId>> {
    let rows = sqlx::query(
        "SELECT id FROM stats_jobs WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2",
    )
    .bind(to_millis(now))
    .bind(limit as i64)
    .fetch_all(c)
    .await
    .map_err(db)?;
    rows.iter().map(|r| Ok(ReportId(get(r, "id")?))).collect()
}

/// Inserts (`insert`) or rewrites a job.
pub(crate) async fn write(c: &mut AnyConnection, j: &StatsJob, insert: bool) -> Result<()> {
    let sql = if insert {
        "INSERT INTO stats_jobs (id, company_id, request_key, spec, status, progress, chunks, \
         rows_written, failure, announce, reuse_until, created_at, completed_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    } else {
        "UPDATE stats_jobs SET company_id = $2, request_key = $3, spec = $4, status = $5, \
         progress = $6, chunks = $7, rows_written = $8, failure = $9, announce = $10, \
         reuse_until = $11, created_at = $12, completed_at = $13, expires_at = $14 \
         WHERE id = $1"
    };
    sqlx::query(sql)
        .bind(j.id.0)
        .bind(j.company_id.0)
        .bind(j.request_key.as_str())
        .bind(to_text(&j.spec))
        .bind(j.status.as_str())
        .bind(to_text(&j.progress))
        .bind(j.chunks)
        .bind(j.rows)
        .bind(j.failure.as_deref())
        .bind(j.announce.as_ref().map(to_text))
        .bind(j.reuse_until.map(to_millis))
        .bind(to_millis(j.created_at))
        .bind(j.completed_at.map(to_millis))
        .bind(j.expires_at.map(to_millis))
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn insert_chunk(
    c: &mut AnyConnection,
    id: ReportId,
    seq: i64,
    text: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO stats_chunks (job_id, seq, data) VALUES ($1, $2, $3)")
        .bind(id.0)
        .bind(seq)
        .bind(text)
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

/// Chunks after `after`, in order (the primary key).
pub(crate) async fn chunks(
    c: &mut AnyConnection,
    id: ReportId,
    after: i64,
    limit: usize,
) -> Result<Vec<(i64, String)>> {
    let rows = sqlx::query(
        "SELECT seq, data FROM stats_chunks WHERE job_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(id.0)
    .bind(after)
    .bind(limit as i64)
    .fetch_all(c)
    .await
    .map_err(db)?;
    rows.iter()
        .map(|r| Ok((get(r, "seq")?, get(r, "data")?)))
        .collect()
}

/// Deletes jobs and their chunks.
pub(crate) async fn delete(c: &mut AnyConnection, ids: &[ReportId]) -> Result<()> {
    for id in ids {
        sqlx::query("DELETE FROM stats_chunks WHERE job_id = $1")
            .bind(id.0)
            .execute(&mut *c)
            .await
            .map_err(db)?;
        sqlx::query("DELETE FROM stats_jobs WHERE id = $1")
            .bind(id.0)
            .execute(&mut *c)
            .await
            .map_err(db)?;
    }
    Ok(())
}
