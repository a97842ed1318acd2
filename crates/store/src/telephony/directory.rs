//! The company directory's queries and rows: offices, and users with their directory entry
//! (columns of `users`). Every read is scoped to its company.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::*;
use switchboard_domain::telephony::directory::{DirectoryEntry, DirectoryUser, UserFilter};
use switchboard_domain::telephony::office::{Address, EntryState, Office};
use switchboard_domain::workforce::store::KeysetPage;
use switchboard_domain::{DomainError, Result};

use crate::error::db;
use crate::rows::{flag, get, object, to_text};
use crate::sql::filter::Arg;
use crate::sql::keyset::{after, order_limit, Sql};

pub(crate) fn office(row: &AnyRow) -> Result<Office> {
    let e911: Option<String> = get(row, "e911_address")?;
    Ok(Office {
        id: OfficeId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        name: get(row, "name")?,
        is_primary: flag(row, "is_primary")?,
        state: EntryState::parse(&get::<String>(row, "state")?)
            .map_err(|_| DomainError::internal("unknown office state"))?,
        country: get(row, "country")?,
        timezone: get(row, "timezone")?,
        e911_address: e911
            .map(|t| serde_json::from_str::<Address>(&t))
            .transpose()
            .map_err(DomainError::internal)?,
        settings: object(row, "settings")?,
        created_at: from_millis(get(row, "created_at")?),
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

pub(crate) fn directory_user(row: &AnyRow) -> Result<DirectoryUser> {
    let fields: String = get(row, "directory")?;
    let office: Option<i64> = get(row, "office_id")?;
    Ok(DirectoryUser {
        user: crate::tenancy::rows::user(row)?,
        entry: DirectoryEntry {
            office_id: OfficeId(
                office.ok_or_else(|| DomainError::internal("a user without an office"))?,
            ),
            state: EntryState::parse(&get::<String>(row, "state")?)
                .map_err(|_| DomainError::internal("unknown user state"))?,
            fields: serde_json::from_str(&fields).map_err(DomainError::internal)?,
        },
    })
}

pub(crate) async fn office_by_id(
    c: &mut AnyConnection,
    company: CompanyId,
    id: OfficeId,
) -> Result<Option<Office>> {
    crate::sql::in_company(c, "offices", id.0, company, None, office).await
}

pub(crate) async fn main_office(
    c: &mut AnyConnection,
    company: CompanyId,
) -> Result<Option<Office>> {
    sqlx::query("SELECT * FROM offices WHERE company_id = $1 AND is_primary = TRUE")
        .bind(company.0)
        .fetch_optional(c)
        .await
        .map_err(db)?
        .as_ref()
        .map(office)
        .transpose()
}

pub(crate) async fn offices_page(
    c: &mut AnyConnection,
    company: CompanyId,
    active_only: bool,
    page: KeysetPage<'_, i64>,
) -> Result<Vec<Office>> {
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    sql.push(&format!("SELECT * FROM offices WHERE company_id = {co}"));
    if active_only {
        sql.push(" AND state = 'active'");
    }
    if let Some(id) = page.after {
        after(&mut sql, "id", vec![Arg::Int(*id)], page.reverse);
    }
    order_limit(&mut sql, "id", page.reverse, page.limit);
    sql.fetch(c).await?.iter().map(office).collect()
}

pub(crate) async fn office_count(c: &mut AnyConnection, company: CompanyId) -> Result<u64> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM offices WHERE company_id = $1")
        .bind(company.0)
        .fetch_one(c)
        .await
        .map_err(db)?;
    Ok(n.max(0) as u64)
}

pub(crate) async fn first_admin_email(
    c: &mut AnyConnection,
    company: CompanyId,
) -> Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT email FROM users WHERE company_id = $1 AND is_admin = TRUE AND state <> 'deleted' \
         ORDER BY created_at, id LIMIT 1",
    )
    .bind(company.0)
    .fetch_optional(c)
    .await
    .map_err(db)
}

pub(crate) async fn user_in_company(
    c: &mut AnyConnection,
    company: CompanyId,
    id: UserId,
) -> Result<Option<DirectoryUser>> {
    crate::sql::in_company(c, "users", id.0, company, None, directory_user).await
}

/// One indexed query: `users_company_state (company_id, state, id)` serves the state filter
/// and the order; the email filter reads the unique email index.
pub(crate) async fn users_page(
    c: &mut AnyConnection,
    company: CompanyId,
    filter: &UserFilter,
    page: KeysetPage<'_, i64>,
) -> Result<Vec<DirectoryUser>> {
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    sql.push(&format!("SELECT * FROM users WHERE company_id = {co}"));
    let states: Vec<String> = filter
        .states()
        .iter()
        .map(|s| sql.arg(Arg::Text(s.as_str().into())))
        .collect();
    sql.push(&format!(" AND state IN ({})", states.join(", ")));
    if let Some(admin) = filter.company_admin {
        let a = sql.arg(Arg::Bool(admin));
        sql.push(&format!(" AND is_admin = {a}"));
    }
    if let Some(email) = &filter.email {
        let e = sql.arg(Arg::Text(email.as_str().into()));
        sql.push(&format!(" AND email = {e}"));
    }
    if let Some(number) = &filter.number {
        let n = sql.arg(Arg::Text(number.clone()));
        sql.push(&format!(
            " AND id IN (SELECT target_id FROM phone_numbers WHERE number = {n} AND status = 'user')"
        ));
    }
    if let Some(ids) = &filter.ids {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = ids.iter().map(|u| sql.arg(Arg::Int(u.0))).collect();
        sql.push(&format!(" AND id IN ({})", ids.join(", ")));
    }
    if let Some(id) = page.after {
        after(&mut sql, "id", vec![Arg::Int(*id)], page.reverse);
    }
    order_limit(&mut sql, "id", page.reverse, page.limit);
    sql.fetch(c).await?.iter().map(directory_user).collect()
}

pub(crate) async fn insert_office(c: &mut AnyConnection, o: &Office) -> Result<()> {
    sqlx::query(
        "INSERT INTO offices (id, company_id, name, is_primary, state, country, timezone, e911_address, \
         settings, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(o.id.0)
    .bind(o.company_id.0)
    .bind(&o.name)
    .bind(o.is_primary)
    .bind(o.state.as_str())
    .bind(&o.country)
    .bind(&o.timezone)
    .bind(o.e911_address.as_ref().map(to_text))
    .bind(to_text(&o.settings))
    .bind(to_millis(o.created_at))
    .bind(to_millis(o.updated_at))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn update_office(c: &mut AnyConnection, o: &Office) -> Result<()> {
    sqlx::query(
        "UPDATE offices SET name = $1, state = $2, country = $3, timezone = $4, e911_address = $5, \
         settings = $6, updated_at = $7 WHERE id = $8 AND company_id = $9",
    )
    .bind(&o.name)
    .bind(o.state.as_str())
    .bind(&o.country)
    .bind(&o.timezone)
    .bind(o.e911_address.as_ref().map(to_text))
    .bind(to_text(&o.settings))
    .bind(to_millis(o.updated_at))
    .bind(o.id.0)
    .bind(o.company_id.0)
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn set_directory_entry(
    c: &mut AnyConnection,
    user: UserId,
    e: &DirectoryEntry,
) -> Result<()> {
    sqlx::query("UPDATE users SET office_id = $1, state = $2, directory = $3 WHERE id = $4")
        .bind(e.office_id.0)
        .bind(e.state.as_str())
        .bind(to_text(&e.fields))
        .bind(user.0)
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}
