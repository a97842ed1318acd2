//! Scheduled reports (`schedule_reports`): queries and rows.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::{CompanyId, ScheduleReportId};
use switchboard_domain::reporting::export::{ReportTarget, TargetKind};
use switchboard_domain::reporting::schedule::{Frequency, ReportType, ScheduleReport};
use switchboard_domain::workforce::store::KeysetPage;
use switchboard_domain::{DomainError, Result};

use crate::error::db;
use crate::rows::{flag, get};
use crate::sql::filter::Arg;
use crate::sql::keyset::{after, order_limit, Sql};
use crate::Backend;

fn schedule(row: &AnyRow) -> Result<ScheduleReport> {
    let bad = |what: &str| DomainError::internal(format!("unknown stored {what}"));
    let target = match (
        get::<Option<String>>(row, "target_kind")?,
        get::<Option<i64>>(row, "target_id")?,
    ) {
        (Some(k), Some(id)) => Some(ReportTarget {
            kind: TargetKind::parse(&k).ok_or_else(|| bad("target kind"))?,
            id,
        }),
        _ => None,
    };
    Ok(ScheduleReport {
        id: ScheduleReportId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        name: get(row, "name")?,
        endpoint_id: get(row, "endpoint_id")?,
        report_type: ReportType::parse(&get::<String>(row, "report_type")?)
            .ok_or_else(|| bad("report type"))?,
        frequency: Frequency::parse(&get::<String>(row, "frequency")?)
            .ok_or_else(|| bad("frequency"))?,
        at: get(row, "at_hour")?,
        on_day: get(row, "on_day")?,
        timezone: get(row, "timezone")?,
        target,
        enabled: flag(row, "enabled")?,
        next_run_at: get::<Option<i64>>(row, "next_run_at")?.map(from_millis),
        created_at: from_millis(get(row, "created_at")?),
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

pub(crate) async fn one(
    c: &mut AnyConnection,
    company: CompanyId,
    id: ScheduleReportId,
    lock: Option<Backend>,
) -> Result<Option<ScheduleReport>> {
    crate::sql::in_company(c, "schedule_reports", id.0, company, lock, schedule).await
}

/// One page in id order (index `schedule_reports_company`).
pub(crate) async fn page(
    c: &mut AnyConnection,
    company: CompanyId,
    page: KeysetPage<'_, i64>,
) -> Result<Vec<ScheduleReport>> {
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    sql.push(&format!(
        "SELECT * FROM schedule_reports WHERE company_id = {co}"
    ));
    if let Some(id) = page.after {
        after(&mut sql, "id", vec![Arg::Int(*id)], page.reverse);
    }
    order_limit(&mut sql, "id", page.reverse, page.limit);
    sql.fetch(c).await?.iter().map(schedule).collect()
}

/// Due schedules, earliest first (index `schedule_reports_due`; disabled ones have no next run).
pub(crate) async fn due(
    c: &mut AnyConnection,
    now: jiff::Timestamp,
    limit: usize,
) -> Result<Vec<ScheduleReport>> {
    let rows = sqlx::query(
        "SELECT * FROM schedule_reports WHERE next_run_at <= $1 ORDER BY next_run_at, id LIMIT $2",
    )
    .bind(to_millis(now))
    .bind(limit as i64)
    .fetch_all(c)
    .await
    .map_err(db)?;
    rows.iter().map(schedule).collect()
}

/// The company's schedules, counted up to `cap`.
pub(crate) async fn count(c: &mut AnyConnection, company: CompanyId, cap: u64) -> Result<u64> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM (SELECT id FROM schedule_reports WHERE company_id = $1 \
         LIMIT $2) capped",
    )
    .bind(company.0)
    .bind(cap as i64)
    .fetch_one(c)
    .await
    .map_err(db)?;
    Ok(get::<i64>(&row, "n")?.max(0) as u64)
}

/// Inserts (`insert`) or rewrites a schedule.
pub(crate) async fn write(c: &mut AnyConnection, s: &ScheduleReport, insert: bool) -> Result<()> {
    let sql = if insert {
        "INSERT INTO schedule_reports (id, company_id, name, endpoint_id, report_type, \
         frequency, at_hour, on_day, timezone, target_kind, target_id, enabled, next_run_at, \
         created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
    } else {
        "UPDATE schedule_reports SET company_id = $2, name = $3, endpoint_id = $4, \
         report_type = $5, frequency = $6, at_hour = $7, on_day = $8, timezone = $9, \
         target_kind = $10, target_id = $11, enabled = $12, next_run_at = $13, \
         created_at = $14, updated_at = $15 WHERE id = $1"
    };
    sqlx::query(sql)
        .bind(s.id.0)
        .bind(s.company_id.0)
        .bind(s.name.as_str())
        .bind(s.endpoint_id)
        .bind(s.report_type.as_str())
        .bind(s.frequency.as_str())
        .bind(s.at)
        .bind(s.on_day)
        .bind(s.timezone.as_str())
        .bind(s.target.map(|t| t.kind.as_str()))
        .bind(s.target.map(|t| t.id))
        .bind(s.enabled)
        .bind(s.next_run_at.map(to_millis))
        .bind(to_millis(s.created_at))
        .bind(to_millis(s.updated_at))
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn delete(c: &mut AnyConnection, id: ScheduleReportId) -> Result<()> {
    sqlx::query("DELETE FROM schedule_reports WHERE id = $1")
        .bind(id.0)
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}
