//! Partners, companies, users, API keys.

use sqlx::AnyConnection;
use switchboard_domain::clock::to_millis;
use switchboard_domain::ids::*;
use switchboard_domain::tenancy::account::{
    ApiKey, Company, CompanyStatus, KeyOwner, Partner, User,
};
use switchboard_domain::{DomainError, Result};

use super::rows;
use crate::error::db;
use crate::Backend;

/// A partner, held until commit when `lock` is given.
pub(crate) async fn partner(
    c: &mut AnyConnection,
    id: PartnerId,
    lock: Option<Backend>,
) -> Result<Option<Partner>> {
    crate::sql::by_id(c, "partners", id.0, lock, rows::partner).await
}

/// A company, held until commit when `lock` is given.
pub(crate) async fn company(
    c: &mut AnyConnection,
    id: CompanyId,
    lock: Option<Backend>,
) -> Result<Option<Company>> {
    crate::sql::by_id(c, "companies", id.0, lock, rows::company).await
}

/// A user, held until commit when `lock` is given.
pub(crate) async fn user(
    c: &mut AnyConnection,
    id: UserId,
    lock: Option<Backend>,
) -> Result<Option<User>> {
    crate::sql::by_id(c, "users", id.0, lock, rows::user).await
}

pub(crate) async fn user_by_email(c: &mut AnyConnection, email: &str) -> Result<Option<User>> {
    let row = sqlx::query("SELECT * FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(c)
        .await
        .map_err(db)?;
    row.as_ref().map(rows::user).transpose()
}

pub(crate) async fn api_key_by_hash(c: &mut AnyConnection, hash: &str) -> Result<Option<ApiKey>> {
    let row = sqlx::query("SELECT * FROM api_keys WHERE hash = $1")
        .bind(hash)
        .fetch_optional(c)
        .await
        .map_err(db)?;
    row.as_ref().map(rows::api_key).transpose()
}

pub(crate) async fn user_of_live_key(
    c: &mut AnyConnection,
    hash: &str,
) -> Result<Option<(User, CompanyStatus)>> {
    let row = sqlx::query(
        "SELECT u.*, c.status AS company_status FROM api_keys k \
         JOIN users u ON u.id = k.user_id JOIN companies c ON c.id = u.company_id \
         WHERE k.hash = $1 AND k.revoked_at IS NULL \
         AND u.state NOT IN ('suspended', 'cancelled', 'deleted')",
    )
    .bind(hash)
    .fetch_optional(c)
    .await
    .map_err(db)?;
    let Some(row) = row else { return Ok(None) };
    let status: String = crate::rows::get(&row, "company_status")?;
    let status = CompanyStatus::parse(&status)
        .map_err(|_| switchboard_domain::DomainError::internal("unknown company status"))?;
    Ok(Some((rows::user(&row)?, status)))
}

/// Inserts a partner, or (`update`) rewrites every column but the id and creation time.
pub(crate) async fn write_partner(c: &mut AnyConnection, p: &Partner, update: bool) -> Result<()> {
    let sql = if update {
        "UPDATE partners SET name = $2, logo_url = $3, webhook_url = $4, partner_redirect_url = $5, country = $6, \
         allow_client_to_add_phone_no = $7, settings = $8, created_at = $9, updated_at = $10 WHERE id = $1"
    } else {
        "INSERT INTO partners (id, name, logo_url, webhook_url, partner_redirect_url, country, \
         allow_client_to_add_phone_no, settings, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    };
    sqlx::query(sql)
        .bind(p.id.0)
        .bind(&p.name)
        .bind(p.logo_url.as_deref())
        .bind(p.webhook_url.as_deref())
        .bind(p.partner_redirect_url.as_deref())
        .bind(p.country.as_deref())
        .bind(p.allow_client_to_add_phone_no)
        .bind(p.settings.as_ref().map(crate::rows::to_text))
        .bind(to_millis(p.created_at))
        .bind(to_millis(p.updated_at))
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

/// Inserts a company, or (`update`) rewrites its name, status and modification time.
pub(crate) async fn write_company(c: &mut AnyConnection, co: &Company, update: bool) -> Result<()> {
    let sql = if update {
        "UPDATE companies SET name = $2, partner_id = $3, status = $4, created_at = $5, updated_at = $6 WHERE id = $1"
    } else {
        "INSERT INTO companies (id, name, partner_id, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)"
    };
    sqlx::query(sql)
        .bind(co.id.0)
        .bind(&co.name)
        .bind(co.partner_id.map(|p| p.0))
        .bind(co.status.as_str())
        .bind(to_millis(co.created_at))
        .bind(to_millis(co.updated_at))
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn insert_user(c: &mut AnyConnection, u: &User) -> Result<()> {
    sqlx::query(
        // A new user belongs to the main office until the directory says otherwise.
        "INSERT INTO users (id, company_id, email, first_name, last_name, is_admin, partner_api_enabled, created_at, office_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
                 (SELECT o.id FROM offices o WHERE o.company_id = $2 AND o.is_primary = TRUE))",
    )
    .bind(u.id.0)
    .bind(u.company_id.0)
    .bind(u.email.as_str())
    .bind(u.first_name.as_deref())
    .bind(u.last_name.as_deref())
    .bind(u.is_admin)
    .bind(u.partner_api_enabled)
    .bind(to_millis(u.created_at))
    .execute(&mut *c)
    .await
    .map_err(|e| match db(e) {
        DomainError::Conflict(_) => DomainError::Conflict(format!("a user with email {} exists", u.email.as_str())),
        other => other,
    })?;
    // Every user is an agent of its company with a blank profile until one is written.
    crate::workforce::people::insert_blank_profile(c, u).await
}

pub(crate) async fn insert_api_key(c: &mut AnyConnection, k: &ApiKey) -> Result<()> {
    let (user_id, partner_id, company_id) = match k.owner {
        KeyOwner::User(u) => (Some(u.0), None, None),
        KeyOwner::Partner(p) => (None, Some(p.0), None),
        KeyOwner::Company(c) => (None, None, Some(c.0)),
    };
    sqlx::query(
        "INSERT INTO api_keys (id, user_id, partner_id, company_id, hash, created_at, revoked_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(k.id.0)
    .bind(user_id)
    .bind(partner_id)
    .bind(company_id)
    .bind(&k.hash)
    .bind(to_millis(k.created_at))
    .bind(k.revoked_at.map(to_millis))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn revoke_api_key(c: &mut AnyConnection, id: ApiKeyId, at: i64) -> Result<bool> {
    let done =
        sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(at)
            .bind(id.0)
            .execute(c)
            .await
            .map_err(db)?;
    Ok(done.rows_affected() == 1)
}
