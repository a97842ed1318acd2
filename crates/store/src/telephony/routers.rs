//! Call routers: queries and rows. Every read is scoped to the router's company; the signing
//! secret is in `secrets`, not here.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::{CallRouterId, CompanyId, OfficeId};
use switchboard_domain::telephony::router::{CallRouter, RouterTarget, TargetKind};
use switchboard_domain::workforce::store::KeysetPage;
use switchboard_domain::{DomainError, Result};

use crate::error::db;
use crate::rows::{flag, get};
use crate::sql::filter::Arg;
use crate::sql::keyset::{after, order_limit, Sql};
use crate::Backend;

fn router(row: &AnyRow) -> Result<CallRouter> {
    let kind: String = get(row, "target_kind")?;
    Ok(CallRouter {
        id: CallRouterId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        office_id: OfficeId(get(row, "office_id")?),
        name: get(row, "name")?,
        routing_url: get(row, "routing_url")?,
        default_target: RouterTarget {
            kind: TargetKind::parse(&kind)
                .map_err(|_| DomainError::internal("unknown stored target kind"))?,
            id: get(row, "target_id")?,
        },
        enabled: flag(row, "enabled")?,
        signed: flag(row, "signed")?,
        error_count: u32::try_from(get::<i64>(row, "error_count")?)
            .map_err(DomainError::internal)?,
        created_at: from_millis(get(row, "created_at")?),
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

pub(crate) async fn router_by_id(
    c: &mut AnyConnection,
    company: CompanyId,
    id: CallRouterId,
    lock: Option<Backend>,
) -> Result<Option<CallRouter>> {
    crate::sql::in_company(c, "call_routers", id.0, company, lock, router).await
}

/// One indexed query: `call_routers_office (office_id, id)` with an office filter (the
/// company condition then only confirms), `call_routers_company (company_id, id)` without.
pub(crate) async fn routers_page(
    c: &mut AnyConnection,
    company: CompanyId,
    office: Option<OfficeId>,
    page: KeysetPage<'_, i64>,
) -> Result<Vec<CallRouter>> {
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    sql.push(&format!(
        "SELECT * FROM call_routers WHERE company_id = {co}"
    ));
    if let Some(o) = office {
        let o = sql.arg(Arg::Int(o.0));
        sql.push(&format!(" AND office_id = {o}"));
    }
    if let Some(id) = page.after {
        after(&mut sql, "id", vec![Arg::Int(*id)], page.reverse);
    }
    order_limit(&mut sql, "id", page.reverse, page.limit);
    sql.fetch(c).await?.iter().map(router).collect()
}

pub(crate) async fn write_router(
    c: &mut AnyConnection,
    r: &CallRouter,
    insert: bool,
) -> Result<()> {
    let sql = if insert {
        "INSERT INTO call_routers (id, company_id, office_id, name, routing_url, target_kind, \
         target_id, enabled, signed, error_count, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    } else {
        "UPDATE call_routers SET company_id = $2, office_id = $3, name = $4, routing_url = $5, \
         target_kind = $6, target_id = $7, enabled = $8, signed = $9, error_count = $10, \
         created_at = $11, updated_at = $12 WHERE id = $1"
    };
    sqlx::query(sql)
        .bind(r.id.0)
        .bind(r.company_id.0)
        .bind(r.office_id.0)
        .bind(&r.name)
        .bind(&r.routing_url)
        .bind(r.default_target.kind.as_str())
        .bind(r.default_target.id)
        .bind(r.enabled)
        .bind(r.signed)
        .bind(i64::from(r.error_count))
        .bind(to_millis(r.created_at))
        .bind(to_millis(r.updated_at))
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn delete_router(c: &mut AnyConnection, id: CallRouterId) -> Result<()> {
    sqlx::query("DELETE FROM call_routers WHERE id = $1")
        .bind(id.0)
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

/// Counts a routing error in the router's hour (see `RouterTx::count_router_error`).
pub(crate) async fn count_error(
    c: &mut sqlx::AnyConnection,
    id: CallRouterId,
    now: jiff::Timestamp,
) -> Result<u32> {
    let now = switchboard_domain::clock::to_millis(now);
    sqlx::query(
        "UPDATE call_routers SET \
         error_count = CASE WHEN error_window_start IS NULL OR error_window_start <= $2 - 3600000 \
         THEN 1 ELSE error_count + 1 END, \
         error_window_start = CASE WHEN error_window_start IS NULL \
         OR error_window_start <= $2 - 3600000 THEN $2 ELSE error_window_start END \
         WHERE id = $1",
    )
    .bind(id.0)
    .bind(now)
    .execute(&mut *c)
    .await
    .map_err(crate::error::db)?;
    let row = sqlx::query("SELECT error_count FROM call_routers WHERE id = $1")
        .bind(id.0)
        .fetch_one(&mut *c)
        .await
        .map_err(crate::error::db)?;
    let n: i64 = crate::rows::get(&row, "error_count")?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// The errors of the router's current hour (0 once the hour from its first error is over).
pub(crate) async fn recent_errors(
    c: &mut sqlx::AnyConnection,
    id: CallRouterId,
    now: jiff::Timestamp,
) -> Result<u32> {
    let row = sqlx::query(
        "SELECT error_count FROM call_routers WHERE id = $1 \
         AND error_window_start > $2 - 3600000",
    )
    .bind(id.0)
    .bind(switchboard_domain::clock::to_millis(now))
    .fetch_optional(c)
    .await
    .map_err(crate::error::db)?;
    match row {
        Some(r) => {
            Ok(u32::try_from(crate::rows::get::<i64>(&r, "error_count")?).unwrap_or(u32::MAX))
        }
        None => Ok(0),
    }
}
