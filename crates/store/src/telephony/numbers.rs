//! A company's numbers: queries and rows of `phone_numbers`. Every read by number is scoped to
//! its company; a target's numbers are read by `(status, target_id)`, the status being the
//! target kind's name.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::*;
use switchboard_domain::telephony::number::{LineKind, PhoneNumber, Target, TargetKind};
use switchboard_domain::workforce::store::KeysetPage;
use switchboard_domain::{DomainError, Result};

use crate::error::db;
use crate::rows::{flag, get};
use crate::sql::filter::Arg;
use crate::sql::keyset::{after, order_limit, Sql};
use crate::Backend;

/// A target's numbers: the primary first, then in the order they were assigned.
const TARGET_ORDER: &str = "ORDER BY is_primary DESC, assigned_at, number";

fn number(row: &AnyRow) -> Result<PhoneNumber> {
    let status: String = get(row, "status")?;
    let target = match status.as_str() {
        "available" => None,
        kind => Some(Target {
            kind: TargetKind::parse(kind)
                .map_err(|_| DomainError::internal("unknown stored number status"))?,
            id: get::<Option<i64>>(row, "target_id")?
                .ok_or_else(|| DomainError::internal("an assigned number without a target"))?,
        }),
    };
    Ok(PhoneNumber {
        number: get(row, "number")?,
        company_id: CompanyId(get(row, "company_id")?),
        office_id: get::<Option<i64>>(row, "office_id")?.map(OfficeId),
        area_code: get(row, "area_code")?,
        line: LineKind::parse(&get::<String>(row, "line")?)
            .map_err(|_| DomainError::internal("unknown stored line kind"))?,
        target,
        primary: flag(row, "is_primary")?,
        fax: flag(row, "is_fax")?,
        assigned_at: get::<Option<i64>>(row, "assigned_at")?.map(from_millis),
        created_at: from_millis(get(row, "created_at")?),
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

pub(crate) async fn by_number(
    c: &mut AnyConnection,
    company: CompanyId,
    n: &str,
    lock: Option<Backend>,
) -> Result<Option<PhoneNumber>> {
    let sql = format!(
        "SELECT * FROM phone_numbers WHERE number = $1 AND company_id = $2{}",
        lock.map_or("", Backend::lock_clause)
    );
    sqlx::query(&sql)
        .bind(n)
        .bind(company.0)
        .fetch_optional(c)
        .await
        .map_err(db)?
        .as_ref()
        .map(number)
        .transpose()
}

/// The primary key.
pub(crate) async fn anywhere(c: &mut AnyConnection, n: &str) -> Result<Option<PhoneNumber>> {
    sqlx::query("SELECT * FROM phone_numbers WHERE number = $1")
        .bind(n)
        .fetch_optional(c)
        .await
        .map_err(db)?
        .as_ref()
        .map(number)
        .transpose()
}

/// One indexed query: `phone_numbers_company` or, with a status, `phone_numbers_status`.
pub(crate) async fn page(
    c: &mut AnyConnection,
    company: CompanyId,
    status: Option<&str>,
    page: KeysetPage<'_, String>,
) -> Result<Vec<PhoneNumber>> {
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    sql.push(&format!(
        "SELECT * FROM phone_numbers WHERE company_id = {co}"
    ));
    if let Some(s) = status {
        let s = sql.arg(Arg::Text(s.into()));
        sql.push(&format!(" AND status = {s}"));
    }
    if let Some(n) = page.after {
        after(&mut sql, "number", vec![Arg::Text(n.clone())], page.reverse);
    }
    order_limit(&mut sql, "number", page.reverse, page.limit);
    sql.fetch(c).await?.iter().map(number).collect()
}

/// `phone_numbers_target`, for any number of targets of one kind.
pub(crate) async fn of_targets(
    c: &mut AnyConnection,
    kind: TargetKind,
    ids: &[i64],
    lock: Option<Backend>,
) -> Result<Vec<PhoneNumber>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::default();
    let k = sql.arg(Arg::Text(kind.as_str().into()));
    let ids = sql.ints(ids.iter().copied());
    sql.push(&format!(
        "SELECT * FROM phone_numbers WHERE status = {k} AND target_id IN ({ids}) {TARGET_ORDER}{}",
        lock.map_or("", Backend::lock_clause)
    ));
    sql.fetch(c).await?.iter().map(number).collect()
}

/// Which of `numbers` are in the table, whoever holds them.
pub(crate) async fn held(c: &mut AnyConnection, numbers: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for chunk in numbers.chunks(500) {
        let mut sql = Sql::default();
        let marks: Vec<String> = chunk
            .iter()
            .map(|n| sql.arg(Arg::Text(n.clone())))
            .collect();
        sql.push(&format!(
            "SELECT number FROM phone_numbers WHERE number IN ({})",
            marks.join(", ")
        ));
        for row in sql.fetch(&mut *c).await? {
            out.push(get(&row, "number")?);
        }
    }
    Ok(out)
}

/// The first pool number of the company (of the area code, when given): `phone_numbers_pool`.
pub(crate) async fn first_in_pool(
    c: &mut AnyConnection,
    company: CompanyId,
    area_code: Option<&str>,
    toll_free: bool,
    lock: Backend,
) -> Result<Option<PhoneNumber>> {
    let area = match (area_code, toll_free) {
        (Some(_), _) => " AND area_code = $2",
        (None, true) => " AND line = 'tollfree'",
        (None, false) => "",
    };
    let sql = format!(
        "SELECT * FROM phone_numbers WHERE company_id = $1 AND status = 'available'{area} \
         ORDER BY number LIMIT 1{}",
        lock.lock_clause()
    );
    let mut q = sqlx::query(&sql).bind(company.0);
    if let Some(a) = area_code {
        q = q.bind(a);
    }
    q.fetch_optional(c)
        .await
        .map_err(db)?
        .as_ref()
        .map(number)
        .transpose()
}

pub(crate) async fn write(c: &mut AnyConnection, n: &PhoneNumber, insert: bool) -> Result<()> {
    let sql = if insert {
        "INSERT INTO phone_numbers (office_id, area_code, line, status, target_id, is_primary, \
         assigned_at, is_fax, updated_at, number, company_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    } else {
        "UPDATE phone_numbers SET office_id = $1, area_code = $2, line = $3, status = $4, \
         target_id = $5, is_primary = $6, assigned_at = $7, is_fax = $8, updated_at = $9 \
         WHERE number = $10 AND company_id = $11"
    };
    let mut q = sqlx::query(sql)
        .bind(n.office_id.map(|o| o.0))
        .bind(n.area_code.as_deref())
        .bind(n.line.as_str())
        .bind(n.status())
        .bind(n.target.map(|t| t.id))
        .bind(n.primary)
        .bind(n.assigned_at.map(to_millis))
        .bind(n.fax)
        .bind(to_millis(n.updated_at))
        .bind(n.number.as_str())
        .bind(n.company_id.0);
    if insert {
        q = q.bind(to_millis(n.created_at));
    }
    q.execute(c).await.map_err(|e| match db(e) {
        DomainError::Conflict(_) => DomainError::Conflict(format!("{} is already held", n.number)),
        other => other,
    })?;
    Ok(())
}

pub(crate) async fn delete(c: &mut AnyConnection, n: &str) -> Result<()> {
    sqlx::query("DELETE FROM phone_numbers WHERE number = $1")
        .bind(n)
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

/// Every number of the target back to the pool.
pub(crate) async fn release_target(c: &mut AnyConnection, t: Target, at: i64) -> Result<()> {
    sqlx::query(
        "UPDATE phone_numbers SET status = 'available', target_id = NULL, is_primary = FALSE, \
         is_fax = FALSE, assigned_at = NULL, updated_at = $1 WHERE status = $2 AND target_id = $3",
    )
    .bind(at)
    .bind(t.kind.as_str())
    .bind(t.id)
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}
