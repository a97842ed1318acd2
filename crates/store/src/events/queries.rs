//! The event outbox, deliveries and their attempts.

use jiff::Timestamp;
use sqlx::AnyConnection;
use switchboard_domain::clock::to_millis;
use switchboard_domain::events::event::{Delivery, DeliveryAttempt, DeliveryStatus, Event};
use switchboard_domain::ids::*;
use switchboard_domain::page::{Page, Paged};
use switchboard_domain::Result;

use super::rows;
use crate::error::db;
use crate::Backend;

pub(crate) async fn insert_event(c: &mut AnyConnection, e: &Event) -> Result<()> {
    sqlx::query(
        "INSERT INTO events (id, kind, partner_id, company_id, payload, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(e.id.0)
    .bind(&e.kind)
    .bind(e.partner_id.map(|p| p.0))
    .bind(e.company_id.map(|p| p.0))
    .bind(crate::rows::to_text(&e.payload))
    .bind(to_millis(e.created_at))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn event(c: &mut AnyConnection, id: EventId) -> Result<Option<Event>> {
    crate::sql::by_id(c, "events", id.0, None, rows::event).await
}

pub(crate) async fn undispatched(
    c: &mut AnyConnection,
    limit: u32,
    backend: Backend,
) -> Result<Vec<Event>> {
    let lock = match backend {
        Backend::Sqlite => "",
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
    };
    let sql = format!(
        "SELECT * FROM events WHERE dispatched_at IS NULL ORDER BY created_at, id LIMIT $1{lock}"
    );
    let found = sqlx::query(&sql)
        .bind(i64::from(limit))
        .fetch_all(c)
        .await
        .map_err(db)?;
    found.iter().map(rows::event).collect()
}

pub(crate) async fn mark_dispatched(c: &mut AnyConnection, id: EventId, at: i64) -> Result<()> {
    sqlx::query("UPDATE events SET dispatched_at = $1 WHERE id = $2")
        .bind(at)
        .bind(id.0)
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

/// Inserts a delivery, or (`update`) rewrites its mutable state.
pub(crate) async fn write_delivery(
    c: &mut AnyConnection,
    d: &Delivery,
    update: bool,
) -> Result<()> {
    let sql = if update {
        "UPDATE deliveries SET event_id = $2, partner_id = $3, url = $4, signing_owner = $5, body = $6, status = $7, \
         attempts = $8, next_attempt_at = $9, last_error = $10, created_at = $11, finished_at = $12 WHERE id = $1"
    } else {
        "INSERT INTO deliveries (id, event_id, partner_id, url, signing_owner, body, status, attempts, next_attempt_at, \
         last_error, created_at, finished_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    };
    sqlx::query(sql)
        .bind(d.id.0)
        .bind(d.event_id.0)
        .bind(d.partner_id.map(|p| p.0))
        .bind(&d.url)
        .bind(&d.signing_owner)
        .bind(&d.body)
        .bind(d.status.as_str())
        .bind(d.attempts)
        .bind(to_millis(d.next_attempt_at))
        .bind(d.last_error.as_deref())
        .bind(to_millis(d.created_at))
        .bind(d.finished_at.map(to_millis))
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn delivery(
    c: &mut AnyConnection,
    id: DeliveryId,
    lock: Option<Backend>,
) -> Result<Option<Delivery>> {
    crate::sql::by_id(c, "deliveries", id.0, lock, rows::delivery).await
}

pub(crate) async fn claim_due(
    c: &mut AnyConnection,
    now: Timestamp,
    lease_until: Timestamp,
    limit: u32,
    backend: Backend,
) -> Result<Vec<Delivery>> {
    let lock = match backend {
        Backend::Sqlite => "",
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
    };
    let sql = format!(
        "SELECT * FROM deliveries WHERE status = $1 AND next_attempt_at <= $2 \
         ORDER BY next_attempt_at, id LIMIT $3{lock}"
    );
    let found = sqlx::query(&sql)
        .bind(DeliveryStatus::Pending.as_str())
        .bind(to_millis(now))
        .bind(i64::from(limit))
        .fetch_all(&mut *c)
        .await
        .map_err(db)?;
    let mut claimed = found
        .iter()
        .map(rows::delivery)
        .collect::<Result<Vec<_>>>()?;
    for d in &mut claimed {
        sqlx::query("UPDATE deliveries SET next_attempt_at = $1 WHERE id = $2")
            .bind(to_millis(lease_until))
            .bind(d.id.0)
            .execute(&mut *c)
            .await
            .map_err(db)?;
        d.next_attempt_at = lease_until;
    }
    Ok(claimed)
}

pub(crate) async fn partner_deliveries(
    c: &mut AnyConnection,
    partner: PartnerId,
    page: Page,
) -> Result<Paged<Delivery>> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM deliveries WHERE partner_id = $1")
        .bind(partner.0)
        .fetch_one(&mut *c)
        .await
        .map_err(db)?;
    let found = sqlx::query(
        "SELECT * FROM deliveries WHERE partner_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(partner.0)
    .bind(i64::from(page.limit))
    .bind(page.skip as i64)
    .fetch_all(c)
    .await
    .map_err(db)?;
    Ok(Paged {
        items: found.iter().map(rows::delivery).collect::<Result<_>>()?,
        total: total as u64,
    })
}

pub(crate) async fn insert_attempt(c: &mut AnyConnection, a: &DeliveryAttempt) -> Result<()> {
    sqlx::query(
        "INSERT INTO delivery_attempts (id, delivery_id, attempted_at, status_code, error, duration_ms) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(a.id.0)
    .bind(a.delivery_id.0)
    .bind(to_millis(a.attempted_at))
    .bind(a.status_code)
    .bind(a.error.as_deref())
    .bind(a.duration_ms)
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn attempts(
    c: &mut AnyConnection,
    id: DeliveryId,
) -> Result<Vec<DeliveryAttempt>> {
    let found = sqlx::query(
        "SELECT * FROM delivery_attempts WHERE delivery_id = $1 ORDER BY attempted_at, id",
    )
    .bind(id.0)
    .fetch_all(c)
    .await
    .map_err(db)?;
    found.iter().map(rows::attempt).collect()
}
