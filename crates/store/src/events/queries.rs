//! The event outbox, deliveries and their attempts.

use jiff::Timestamp;
use sqlx::AnyConnection;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::events::event::{Delivery, DeliveryAttempt, DeliveryStatus, Event};
use switchboard_domain::ids::*;
use switchboard_domain::page::{Page, Paged};
use switchboard_domain::workforce::store::KeysetPage;
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

/// Rows written by one multi-row statement at most (well under both databases' limits on
/// bound parameters: 14 columns × 500 rows).
const ROWS_PER_STATEMENT: usize = 500;

/// Marks the events dispatched at `at`: one statement per [`ROWS_PER_STATEMENT`] events.
pub(crate) async fn mark_dispatched(c: &mut AnyConnection, ids: &[EventId], at: i64) -> Result<()> {
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let mut marks = Marks::of(c);
        let sql = format!(
            "UPDATE events SET dispatched_at = {} WHERE id IN ({})",
            marks.one(),
            marks.list(chunk.len())
        );
        let mut q = sqlx::query(&sql).bind(at);
        for id in chunk {
            q = q.bind(id.0);
        }
        q.execute(&mut *c).await.map_err(db)?;
    }
    Ok(())
}

/// Inserts deliveries: one multi-row `INSERT` per [`ROWS_PER_STATEMENT`] rows.
pub(crate) async fn insert_deliveries(c: &mut AnyConnection, ds: &[Delivery]) -> Result<()> {
    const COLUMNS: usize = 14;
    for chunk in ds.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO deliveries (id, event_id, partner_id, url, signing_owner, body, status, attempts, \
             next_attempt_at, last_error, created_at, finished_at, retry_schedule, company_id) VALUES {}",
            Marks::of(c).rows(COLUMNS, chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for d in chunk {
            q = q
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
                .bind(d.schedule.as_str())
                .bind(d.company_id.map(|c| c.0));
        }
        q.execute(&mut *c).await.map_err(db)?;
    }
    Ok(())
}

/// Writes the mutable state of deliveries (status, attempts, due time, last error, finish
/// time; the rest never changes): one `UPDATE … FROM (VALUES …)` per [`ROWS_PER_STATEMENT`]
/// rows. `VALUES` names its columns `column1`, `column2`, … on both databases.
pub(crate) async fn update_deliveries(c: &mut AnyConnection, ds: &[Delivery]) -> Result<()> {
    const COLUMNS: usize = 6;
    for chunk in ds.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "UPDATE deliveries SET status = v.column2, attempts = v.column3, \
             next_attempt_at = v.column4, last_error = v.column5, finished_at = v.column6 \
             FROM (VALUES {}) AS v WHERE deliveries.id = v.column1",
            Marks::of(c).rows(COLUMNS, chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for d in chunk {
            q = q
                .bind(d.id.0)
                .bind(d.status.as_str())
                .bind(d.attempts)
                .bind(to_millis(d.next_attempt_at))
                .bind(d.last_error.as_deref())
                .bind(d.finished_at.map(to_millis));
        }
        q.execute(&mut *c).await.map_err(db)?;
    }
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
    if claimed.is_empty() {
        return Ok(claimed);
    }
    let ids: Vec<i64> = claimed.iter().map(|d| d.id.0).collect();
    let mut marks = Marks::of(c);
    let sql = format!(
        "UPDATE deliveries SET next_attempt_at = {} WHERE id IN ({})",
        marks.one(),
        marks.list(ids.len())
    );
    let mut update = sqlx::query(&sql).bind(to_millis(lease_until));
    for id in &ids {
        update = update.bind(*id);
    }
    update.execute(&mut *c).await.map_err(db)?;
    for d in &mut claimed {
        d.next_attempt_at = lease_until;
    }
    Ok(claimed)
}

pub(crate) async fn partner_deliveries(
    c: &mut AnyConnection,
    partner: PartnerId,
    page: Page,
) -> Result<Paged<Delivery>> {
    // Kept by the writes (migration 0008); the page is served by `deliveries_partner_created`.
    let total = crate::sql::filter::counter(
        &mut *c,
        "SELECT deliveries FROM partner_delivery_counts WHERE partner_id = $1",
        partner.0,
    )
    .await?;
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
        total,
    })
}

/// A company's deliveries, newest first, served by `deliveries_company_created`.
pub(crate) async fn company_deliveries(
    c: &mut AnyConnection,
    company: CompanyId,
    page: KeysetPage<'_, (i64, i64)>,
) -> Result<Vec<Delivery>> {
    let (at, id) = page.after.copied().unwrap_or((i64::MAX, i64::MAX));
    let found = sqlx::query(
        "SELECT * FROM deliveries WHERE company_id = $1 AND (created_at, id) < ($2, $3) \
         ORDER BY created_at DESC, id DESC LIMIT $4",
    )
    .bind(company.0)
    .bind(at)
    .bind(id)
    .bind(page.limit as i64)
    .fetch_all(c)
    .await
    .map_err(db)?;
    found.iter().map(rows::delivery).collect()
}

/// Inserts attempts: one multi-row `INSERT` per [`ROWS_PER_STATEMENT`] rows.
pub(crate) async fn insert_attempts(
    c: &mut AnyConnection,
    attempts: &[DeliveryAttempt],
) -> Result<()> {
    const COLUMNS: usize = 6;
    for chunk in attempts.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO delivery_attempts (id, delivery_id, attempted_at, status_code, error, duration_ms) \
             VALUES {}",
            Marks::of(c).rows(COLUMNS, chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for a in chunk {
            q = q
                .bind(a.id.0)
                .bind(a.delivery_id.0)
                .bind(to_millis(a.attempted_at))
                .bind(a.status_code)
                .bind(a.error.as_deref())
                .bind(a.duration_ms);
        }
        q.execute(&mut *c).await.map_err(db)?;
    }
    Ok(())
}

/// Attempts of several deliveries (one statement per [`ROWS_PER_STATEMENT`] ids), each
/// delivery's oldest first, through `delivery_attempts_delivery`.
pub(crate) async fn attempts_of(
    c: &mut AnyConnection,
    ids: &[DeliveryId],
) -> Result<Vec<DeliveryAttempt>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "SELECT * FROM delivery_attempts WHERE delivery_id IN ({}) \
             ORDER BY delivery_id, attempted_at, id",
            Marks::of(c).list(chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id.0);
        }
        let found = q.fetch_all(&mut *c).await.map_err(db)?;
        for row in &found {
            out.push(rows::attempt(row)?);
        }
    }
    Ok(out)
}

/// When the earliest pending delivery is due (through the index on status and due time).
pub(crate) async fn next_due(c: &mut AnyConnection) -> Result<Option<Timestamp>> {
    let due: Option<i64> =
        sqlx::query_scalar("SELECT MIN(next_attempt_at) FROM deliveries WHERE status = $1")
            .bind(DeliveryStatus::Pending.as_str())
            .fetch_one(c)
            .await
            .map_err(db)?;
    Ok(due.map(from_millis))
}

/// Deletes up to `limit` deliveries that finished before `before` (delivered or exhausted; never
/// pending ones), with their attempts; returns how many of each went. The chosen rows are held
/// first, so a concurrent replay either happens before (the delivery is pending, so kept) or
/// finds it gone.
pub(crate) async fn prune_deliveries(
    c: &mut AnyConnection,
    before: i64,
    limit: u32,
    backend: Backend,
) -> Result<(u64, u64)> {
    let sql = format!(
        "SELECT id FROM deliveries WHERE finished_at < $1 AND status IN ($2, $3) \
         ORDER BY finished_at, id LIMIT $4{}",
        backend.lock_clause()
    );
    let ids: Vec<i64> = sqlx::query_scalar(&sql)
        .bind(before)
        .bind(DeliveryStatus::Delivered.as_str())
        .bind(DeliveryStatus::Exhausted.as_str())
        .bind(i64::from(limit))
        .fetch_all(&mut *c)
        .await
        .map_err(db)?;
    if ids.is_empty() {
        return Ok((0, 0));
    }
    let list = Marks::of(c).list(ids.len());
    let mut deleted = [0; 2];
    for (n, table_where) in [
        format!("delivery_attempts WHERE delivery_id IN ({list})"),
        format!("deliveries WHERE id IN ({list})"),
    ]
    .iter()
    .enumerate()
    {
        let sql = format!("DELETE FROM {table_where}");
        let mut q = sqlx::query(&sql);
        for id in &ids {
            q = q.bind(*id);
        }
        deleted[n] = q.execute(&mut *c).await.map_err(db)?.rows_affected();
    }
    Ok((deleted[1], deleted[0]))
}

/// Deletes up to `limit` events dispatched before `before` that no delivery refers to any more.
/// Deliveries are only ever added to undispatched events, so none can appear meanwhile.
pub(crate) async fn prune_events(c: &mut AnyConnection, before: i64, limit: u32) -> Result<u64> {
    let done = sqlx::query(
        "DELETE FROM events WHERE id IN (SELECT id FROM events e WHERE dispatched_at < $1 \
         AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id) \
         ORDER BY dispatched_at LIMIT $2)",
    )
    .bind(before)
    .bind(i64::from(limit))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(done.rows_affected())
}

/// Placeholders for a statement with many parameters. SQLite gets anonymous `?` marks: binding
/// numbered ones makes it look every name up in a list of all of them, which is quadratic in
/// a multi-row statement (thousands of parameters). PostgreSQL gets `$1`, `$2`, ….
struct Marks {
    anonymous: bool,
    next: usize,
}

impl Marks {
    fn of(c: &AnyConnection) -> Self {
        Self {
            anonymous: c.backend_name() == "SQLite",
            next: 1,
        }
    }

    /// The next placeholder.
    fn one(&mut self) -> String {
        let n = self.next;
        self.next += 1;
        if self.anonymous {
            "?".to_owned()
        } else {
            format!("${n}")
        }
    }

    /// `count` placeholders for an `IN` list.
    fn list(&mut self, count: usize) -> String {
        (0..count)
            .map(|_| self.one())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `rows` rows of `columns` placeholders for a `VALUES` list.
    fn rows(&mut self, columns: usize, rows: usize) -> String {
        (0..rows)
            .map(|_| format!("({})", self.list(columns)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
