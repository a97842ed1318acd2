//! Endpoints, subscriptions and websocket frames: queries, rows and the domain's
//! [`EndpointStore`] and [`EndpointTx`] over them. Every read but the token's is scoped to its
//! company.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::events::endpoint::{Endpoint, EndpointKind};
use switchboard_domain::events::endpoint_store::{Frame, NewFrame};
use switchboard_domain::events::subscription::{Subscription, SubscriptionKind};
use switchboard_domain::ids::{CompanyId, EndpointId, EventId, SubscriptionId};
use switchboard_domain::store::{EndpointStore, EndpointTx};
use switchboard_domain::telephony::number::{Target, TargetKind};
use switchboard_domain::workforce::store::KeysetPage;
use switchboard_domain::{DomainError, Result};

use crate::error::db;
use crate::rows::{flag, get, to_text};
use crate::sql::filter::Arg;
use crate::sql::keyset::{after, order_limit, Sql};
use crate::tx::SqlTx;
use crate::{Backend, SqlStore};

fn endpoint(row: &AnyRow) -> Result<Endpoint> {
    let kind: String = get(row, "kind")?;
    Ok(Endpoint {
        id: EndpointId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        kind: EndpointKind::parse(&kind)
            .ok_or_else(|| DomainError::internal("unknown endpoint kind"))?,
        hook_url: get(row, "hook_url")?,
        has_secret: flag(row, "has_secret")?,
        created_at: from_millis(get(row, "created_at")?),
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

fn subscription(row: &AnyRow) -> Result<Subscription> {
    let filter: String = get(row, "filter")?;
    let scopes: Option<String> = get(row, "scopes")?;
    let target = match get::<Option<String>>(row, "target_kind")? {
        Some(kind) => Some(Target {
            kind: TargetKind::parse(&kind)?,
            id: get(row, "target_id")?,
        }),
        None => None,
    };
    Ok(Subscription {
        id: SubscriptionId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        endpoint_id: EndpointId(get(row, "endpoint_id")?),
        enabled: flag(row, "enabled")?,
        target,
        filter: serde_json::from_str(&filter).map_err(DomainError::internal)?,
        scopes: scopes
            .map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(DomainError::internal)?,
        created_at: from_millis(get(row, "created_at")?),
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

fn frame(row: &AnyRow) -> Result<Frame> {
    Ok(Frame {
        endpoint_id: EndpointId(get(row, "endpoint_id")?),
        subscription_id: SubscriptionId(get(row, "subscription_id")?),
        seq: get(row, "seq")?,
        event_id: EventId(get(row, "event_id")?),
        body: get(row, "body")?,
        created_at: from_millis(get(row, "created_at")?),
    })
}

async fn endpoint_where(
    c: &mut AnyConnection,
    company: Option<CompanyId>,
    id: EndpointId,
    lock: Option<Backend>,
) -> Result<Option<Endpoint>> {
    let sql = format!(
        "SELECT * FROM endpoints WHERE id = $1 AND ($2 = 0 OR company_id = $2){}",
        lock.map_or("", Backend::lock_clause)
    );
    sqlx::query(&sql)
        .bind(id.0)
        .bind(company.map_or(0, |c| c.0))
        .fetch_optional(c)
        .await
        .map_err(db)?
        .as_ref()
        .map(endpoint)
        .transpose()
}

async fn subscription_where(
    c: &mut AnyConnection,
    company: CompanyId,
    kind: Option<SubscriptionKind>,
    id: SubscriptionId,
    lock: Option<Backend>,
) -> Result<Option<Subscription>> {
    let sql = format!(
        "SELECT * FROM event_subscriptions WHERE id = $1 AND company_id = $2 \
         AND ($3 = '' OR kind = $3){}",
        lock.map_or("", Backend::lock_clause)
    );
    sqlx::query(&sql)
        .bind(id.0)
        .bind(company.0)
        .bind(kind.map_or("", SubscriptionKind::as_str))
        .fetch_optional(c)
        .await
        .map_err(db)?
        .as_ref()
        .map(subscription)
        .transpose()
}

/// One indexed query: `endpoints_company (company_id, kind, id)`.
async fn endpoints_page(
    c: &mut AnyConnection,
    company: CompanyId,
    kind: EndpointKind,
    page: KeysetPage<'_, i64>,
) -> Result<Vec<Endpoint>> {
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    let k = sql.arg(Arg::Text(kind.as_str().into()));
    sql.push(&format!(
        "SELECT * FROM endpoints WHERE company_id = {co} AND kind = {k}"
    ));
    if let Some(id) = page.after {
        after(&mut sql, "id", vec![Arg::Int(*id)], page.reverse);
    }
    order_limit(&mut sql, "id", page.reverse, page.limit);
    sql.fetch(c).await?.iter().map(endpoint).collect()
}

/// One indexed query: `event_subscriptions_company (company_id, kind, id)`.
async fn subscriptions_page(
    c: &mut AnyConnection,
    company: CompanyId,
    kind: SubscriptionKind,
    only_enabled: bool,
    target: Option<Target>,
    page: KeysetPage<'_, i64>,
) -> Result<Vec<Subscription>> {
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    let k = sql.arg(Arg::Text(kind.as_str().into()));
    sql.push(&format!(
        "SELECT * FROM event_subscriptions WHERE company_id = {co} AND kind = {k}"
    ));
    if only_enabled {
        let on = sql.arg(Arg::Bool(true));
        sql.push(&format!(" AND enabled = {on}"));
    }
    if let Some(t) = target {
        let k = sql.arg(Arg::Text(t.kind.as_str().into()));
        let id = sql.arg(Arg::Int(t.id));
        sql.push(&format!(" AND target_kind = {k} AND target_id = {id}"));
    }
    if let Some(id) = page.after {
        after(&mut sql, "id", vec![Arg::Int(*id)], page.reverse);
    }
    order_limit(&mut sql, "id", page.reverse, page.limit);
    sql.fetch(c).await?.iter().map(subscription).collect()
}

async fn write_endpoint(c: &mut AnyConnection, e: &Endpoint, insert: bool) -> Result<()> {
    let sql = if insert {
        "INSERT INTO endpoints (id, company_id, kind, hook_url, has_secret, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    } else {
        "UPDATE endpoints SET company_id = $2, kind = $3, hook_url = $4, has_secret = $5, \
         created_at = $6, updated_at = $7 WHERE id = $1"
    };
    sqlx::query(sql)
        .bind(e.id.0)
        .bind(e.company_id.0)
        .bind(e.kind.as_str())
        .bind(e.hook_url.as_deref())
        .bind(e.has_secret)
        .bind(to_millis(e.created_at))
        .bind(to_millis(e.updated_at))
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

async fn write_subscription(c: &mut AnyConnection, s: &Subscription, insert: bool) -> Result<()> {
    let sql = if insert {
        "INSERT INTO event_subscriptions (id, company_id, kind, endpoint_id, enabled, target_kind, \
         target_id, filter, scopes, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    } else {
        "UPDATE event_subscriptions SET company_id = $2, kind = $3, endpoint_id = $4, enabled = $5, \
         target_kind = $6, target_id = $7, filter = $8, scopes = $9, created_at = $10, \
         updated_at = $11 WHERE id = $1"
    };
    sqlx::query(sql)
        .bind(s.id.0)
        .bind(s.company_id.0)
        .bind(s.kind().as_str())
        .bind(s.endpoint_id.0)
        .bind(s.enabled)
        .bind(s.target.map(|t| t.kind.as_str()))
        .bind(s.target.map(|t| t.id))
        .bind(to_text(&s.filter))
        .bind(s.scopes.as_ref().map(to_text))
        .bind(to_millis(s.created_at))
        .bind(to_millis(s.updated_at))
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

#[async_trait]
impl EndpointStore for SqlStore {
    async fn endpoint(&self, company: CompanyId, id: EndpointId) -> Result<Option<Endpoint>> {
        endpoint_where(&mut *self.conn().await?, Some(company), id, None).await
    }
    async fn endpoint_by_id(&self, id: EndpointId) -> Result<Option<Endpoint>> {
        endpoint_where(&mut *self.conn().await?, None, id, None).await
    }
    async fn endpoints_by_ids(
        &self,
        company: CompanyId,
        ids: &[EndpointId],
    ) -> Result<Vec<Endpoint>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::default();
        let co = sql.arg(Arg::Int(company.0));
        let list = sql.ints(ids.iter().map(|i| i.0));
        sql.push(&format!(
            "SELECT * FROM endpoints WHERE company_id = {co} AND id IN ({list})"
        ));
        sql.fetch(&mut *self.conn().await?)
            .await?
            .iter()
            .map(endpoint)
            .collect()
    }
    async fn endpoints_page(
        &self,
        company: CompanyId,
        kind: EndpointKind,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<Endpoint>> {
        endpoints_page(&mut *self.conn().await?, company, kind, page).await
    }
    async fn subscription(
        &self,
        company: CompanyId,
        kind: SubscriptionKind,
        id: SubscriptionId,
    ) -> Result<Option<Subscription>> {
        subscription_where(&mut *self.conn().await?, company, Some(kind), id, None).await
    }
    async fn subscription_any(
        &self,
        company: CompanyId,
        id: SubscriptionId,
    ) -> Result<Option<Subscription>> {
        subscription_where(&mut *self.conn().await?, company, None, id, None).await
    }
    async fn subscriptions_page(
        &self,
        company: CompanyId,
        kind: SubscriptionKind,
        target: Option<Target>,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<Subscription>> {
        subscriptions_page(&mut *self.conn().await?, company, kind, false, target, page).await
    }
    async fn active_subscriptions(
        &self,
        company: CompanyId,
        kind: SubscriptionKind,
    ) -> Result<Vec<Subscription>> {
        let page = KeysetPage {
            after: None,
            limit: switchboard_domain::events::subscription::MAX_PER_TYPE as usize,
            reverse: false,
        };
        subscriptions_page(&mut *self.conn().await?, company, kind, true, None, page).await
    }
    async fn frames_after(
        &self,
        endpoint: EndpointId,
        subscription: Option<SubscriptionId>,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<Frame>> {
        sqlx::query(
            "SELECT * FROM websocket_frames WHERE endpoint_id = $1 AND seq > $2 \
             AND ($3 = 0 OR subscription_id = $3) ORDER BY seq LIMIT $4",
        )
        .bind(endpoint.0)
        .bind(after_seq)
        .bind(subscription.map_or(0, |s| s.0))
        .bind(i64::from(limit))
        .fetch_all(&mut *self.conn().await?)
        .await
        .map_err(db)?
        .iter()
        .map(frame)
        .collect()
    }
    async fn frame_position(
        &self,
        endpoint: EndpointId,
        event: Option<EventId>,
        since: Option<Timestamp>,
    ) -> Result<Option<i64>> {
        // The frame of the event itself was seen: start after it.
        let seq: Option<i64> = if let Some(event) = event {
            sqlx::query_scalar(
                "SELECT seq FROM websocket_frames WHERE endpoint_id = $1 AND event_id = $2 \
                 ORDER BY seq DESC LIMIT 1",
            )
            .bind(endpoint.0)
            .bind(event.0)
            .fetch_optional(&mut *self.conn().await?)
            .await
            .map_err(db)?
        } else if let Some(since) = since {
            sqlx::query_scalar(
                "SELECT seq - 1 FROM websocket_frames WHERE endpoint_id = $1 AND created_at >= $2 \
                 ORDER BY seq LIMIT 1",
            )
            .bind(endpoint.0)
            .bind(to_millis(since))
            .fetch_optional(&mut *self.conn().await?)
            .await
            .map_err(db)?
        } else {
            None
        };
        Ok(seq)
    }
    async fn last_frame_seq(&self, endpoint: EndpointId) -> Result<i64> {
        let seq: Option<i64> = sqlx::query_scalar("SELECT frame_seq FROM endpoints WHERE id = $1")
            .bind(endpoint.0)
            .fetch_optional(&mut *self.conn().await?)
            .await
            .map_err(db)?;
        Ok(seq.unwrap_or(0))
    }
    async fn prune_frames(&self, before: Timestamp, limit: u32) -> Result<u64> {
        let mut tx = self.begin_turn(false).await?;
        let done = sqlx::query(
            "DELETE FROM websocket_frames WHERE (endpoint_id, seq) IN (SELECT endpoint_id, seq \
             FROM websocket_frames WHERE created_at < $1 LIMIT $2)",
        )
        .bind(to_millis(before))
        .bind(i64::from(limit))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(done.rows_affected())
    }
}

#[async_trait]
impl EndpointTx for SqlTx {
    async fn insert_endpoint(&mut self, endpoint: &Endpoint) -> Result<()> {
        write_endpoint(&mut self.tx, endpoint, true).await
    }
    async fn update_endpoint(&mut self, endpoint: &Endpoint) -> Result<()> {
        write_endpoint(&mut self.tx, endpoint, false).await
    }
    async fn endpoint_for_update(
        &mut self,
        company: CompanyId,
        id: EndpointId,
    ) -> Result<Option<Endpoint>> {
        endpoint_where(&mut self.tx, Some(company), id, Some(self.backend)).await
    }
    async fn delete_endpoint(&mut self, id: EndpointId) -> Result<()> {
        for sql in [
            "DELETE FROM websocket_frames WHERE endpoint_id = $1",
            "DELETE FROM event_subscriptions WHERE endpoint_id = $1",
            "DELETE FROM endpoints WHERE id = $1",
        ] {
            sqlx::query(sql)
                .bind(id.0)
                .execute(&mut *self.tx)
                .await
                .map_err(db)?;
        }
        Ok(())
    }
    async fn count_endpoints(&mut self, company: CompanyId, kind: EndpointKind) -> Result<u64> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM endpoints WHERE company_id = $1 AND kind = $2",
        )
        .bind(company.0)
        .bind(kind.as_str())
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(n as u64)
    }
    async fn insert_subscription(&mut self, subscription: &Subscription) -> Result<()> {
        write_subscription(&mut self.tx, subscription, true).await
    }
    async fn update_subscription(&mut self, subscription: &Subscription) -> Result<()> {
        write_subscription(&mut self.tx, subscription, false).await
    }
    async fn subscription_for_update(
        &mut self,
        company: CompanyId,
        kind: SubscriptionKind,
        id: SubscriptionId,
    ) -> Result<Option<Subscription>> {
        subscription_where(&mut self.tx, company, Some(kind), id, Some(self.backend)).await
    }
    async fn delete_subscription(&mut self, id: SubscriptionId) -> Result<()> {
        sqlx::query("DELETE FROM event_subscriptions WHERE id = $1")
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(())
    }
    async fn count_subscriptions(
        &mut self,
        company: CompanyId,
        kind: SubscriptionKind,
    ) -> Result<(u64, u64)> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS all_of_them, \
             COALESCE(SUM(CASE WHEN target_kind IS NULL THEN 1 ELSE 0 END), 0) AS company_level \
             FROM event_subscriptions WHERE company_id = $1 AND kind = $2",
        )
        .bind(company.0)
        .bind(kind.as_str())
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db)?;
        let all: i64 = get(&row, "all_of_them")?;
        let company_level: i64 = get(&row, "company_level")?;
        Ok((all as u64, company_level as u64))
    }
    async fn append_frames(&mut self, frames: &[NewFrame]) -> Result<()> {
        for f in frames {
            let seq: Option<i64> = sqlx::query_scalar(
                "UPDATE endpoints SET frame_seq = frame_seq + 1 WHERE id = $1 RETURNING frame_seq",
            )
            .bind(f.endpoint_id.0)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db)?;
            // Deleted since the dispatcher read it: nobody can read the frame.
            let Some(seq) = seq else { continue };
            sqlx::query(
                "INSERT INTO websocket_frames (endpoint_id, seq, subscription_id, event_id, body, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(f.endpoint_id.0)
            .bind(seq)
            .bind(f.subscription_id.0)
            .bind(f.event_id.0)
            .bind(&f.body)
            .bind(to_millis(f.created_at))
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        }
        if !frames.is_empty() {
            self.wake = true;
        }
        Ok(())
    }
}
