//! Partners, companies, users, API keys.

use sqlx::AnyConnection;
use switchboard_domain::account::{ApiKey, Company, KeyOwner, Partner, User};
use switchboard_domain::clock::to_millis;
use switchboard_domain::ids::*;
use switchboard_domain::{DomainError, Result};

use crate::error::db;
use crate::rows;

pub(crate) async fn partner(c: &mut AnyConnection, id: PartnerId) -> Result<Option<Partner>> {
    let row = sqlx::query("SELECT * FROM partners WHERE id = $1")
        .bind(id.0)
        .fetch_optional(c)
        .await
        .map_err(db)?;
    row.as_ref().map(rows::partner).transpose()
}

pub(crate) async fn company(c: &mut AnyConnection, id: CompanyId) -> Result<Option<Company>> {
    let row = sqlx::query("SELECT * FROM companies WHERE id = $1")
        .bind(id.0)
        .fetch_optional(c)
        .await
        .map_err(db)?;
    row.as_ref().map(rows::company).transpose()
}

pub(crate) async fn user(c: &mut AnyConnection, id: UserId) -> Result<Option<User>> {
    let row = sqlx::query("SELECT * FROM users WHERE id = $1")
        .bind(id.0)
        .fetch_optional(c)
        .await
        .map_err(db)?;
    row.as_ref().map(rows::user).transpose()
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

pub(crate) async fn insert_partner(c: &mut AnyConnection, p: &Partner) -> Result<()> {
    sqlx::query("INSERT INTO partners (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(p.id.0)
        .bind(&p.name)
        .bind(to_millis(p.created_at))
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn insert_company(c: &mut AnyConnection, co: &Company) -> Result<()> {
    sqlx::query("INSERT INTO companies (id, name, partner_id, created_at) VALUES ($1, $2, $3, $4)")
        .bind(co.id.0)
        .bind(&co.name)
        .bind(co.partner_id.map(|p| p.0))
        .bind(to_millis(co.created_at))
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn insert_user(c: &mut AnyConnection, u: &User) -> Result<()> {
    sqlx::query(
        "INSERT INTO users (id, company_id, email, first_name, last_name, is_admin, partner_api_enabled, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(u.id.0)
    .bind(u.company_id.0)
    .bind(u.email.as_str())
    .bind(u.first_name.as_deref())
    .bind(u.last_name.as_deref())
    .bind(u.is_admin)
    .bind(u.partner_api_enabled)
    .bind(to_millis(u.created_at))
    .execute(c)
    .await
    .map_err(|e| match db(e) {
        DomainError::Conflict(_) => DomainError::Conflict(format!("a user with email {} exists", u.email.as_str())),
        other => other,
    })?;
    Ok(())
}

pub(crate) async fn insert_api_key(c: &mut AnyConnection, k: &ApiKey) -> Result<()> {
    let (user_id, partner_id) = match k.owner {
        KeyOwner::User(u) => (Some(u.0), None),
        KeyOwner::Partner(p) => (None, Some(p.0)),
    };
    sqlx::query(
        "INSERT INTO api_keys (id, user_id, partner_id, hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(k.id.0)
    .bind(user_id)
    .bind(partner_id)
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
