//! OAuth apps, codes and tokens: queries and rows. Codes and tokens are read by their hash
//! (the primary key); revocations go through the grant, the (user, app) and the app indexes.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::{CompanyId, OAuthAppId, OAuthGrantId, UserId};
use switchboard_domain::oauth::app::OAuthApp;
use switchboard_domain::oauth::grant::{AuthCode, Token, TokenKind};
use switchboard_domain::tenancy::account::{CompanyStatus, User};
use switchboard_domain::{DomainError, Result};

use crate::error::db;
use crate::rows::{get, json, object, to_text};
use crate::Backend;

fn scopes(raw: &str) -> Vec<String> {
    raw.split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn app(row: &AnyRow) -> Result<OAuthApp> {
    Ok(OAuthApp {
        id: OAuthAppId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        name: get(row, "name")?,
        client_id: get(row, "client_id")?,
        secret_hash: get(row, "secret_hash")?,
        redirect_uris: serde_json::from_value(json(row, "redirect_uris")?)
            .map_err(DomainError::internal)?,
        settings: object(row, "settings")?,
        created_at: from_millis(get(row, "created_at")?),
    })
}

fn code(row: &AnyRow) -> Result<AuthCode> {
    Ok(AuthCode {
        hash: get(row, "hash")?,
        grant_id: OAuthGrantId(get(row, "grant_id")?),
        app_id: OAuthAppId(get(row, "app_id")?),
        user_id: UserId(get(row, "user_id")?),
        redirect_uri: get(row, "redirect_uri")?,
        scopes: scopes(&get::<String>(row, "scopes")?),
        code_challenge: get(row, "code_challenge")?,
        expires_at: from_millis(get(row, "expires_at")?),
        used_at: get::<Option<i64>>(row, "used_at")?.map(from_millis),
        created_at: from_millis(get(row, "created_at")?),
    })
}

/// A token row; `p` is the prefix of its columns in a join (`t_`), empty otherwise.
fn token(row: &AnyRow, p: &str) -> Result<Token> {
    let col = |c: &str| format!("{p}{c}");
    let kind: String = get(row, &col("kind"))?;
    Ok(Token {
        hash: get(row, &col("hash"))?,
        kind: TokenKind::parse(&kind)
            .ok_or_else(|| DomainError::internal(format!("stored token kind {kind}")))?,
        grant_id: OAuthGrantId(get(row, &col("grant_id"))?),
        app_id: OAuthAppId(get(row, &col("app_id"))?),
        user_id: UserId(get(row, &col("user_id"))?),
        company_id: CompanyId(get(row, &col("company_id"))?),
        scopes: scopes(&get::<String>(row, &col("scopes"))?),
        expires_at: from_millis(get(row, &col("expires_at"))?),
        revoked_at: get::<Option<i64>>(row, &col("revoked_at"))?.map(from_millis),
        created_at: from_millis(get(row, &col("created_at"))?),
    })
}

pub(crate) async fn app_by(
    c: &mut AnyConnection,
    column: &str,
    value: AppKey<'_>,
) -> Result<Option<OAuthApp>> {
    let sql = format!("SELECT * FROM oauth_apps WHERE {column} = $1");
    let q = sqlx::query(&sql);
    let q = match value {
        AppKey::Id(id) => q.bind(id.0),
        AppKey::ClientId(s) => q.bind(s.to_owned()),
    };
    let row = q.fetch_optional(c).await.map_err(db)?;
    row.as_ref().map(app).transpose()
}

/// What an app is looked up by.
pub(crate) enum AppKey<'a> {
    Id(OAuthAppId),
    ClientId(&'a str),
}

/// One query over `oauth_apps_company (company_id, id)`.
pub(crate) async fn apps_page(
    c: &mut AnyConnection,
    company: CompanyId,
    after: Option<OAuthAppId>,
    limit: u32,
) -> Result<Vec<OAuthApp>> {
    let rows = sqlx::query(
        "SELECT * FROM oauth_apps WHERE company_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(company.0)
    .bind(after.map_or(0, |a| a.0))
    .bind(i64::from(limit))
    .fetch_all(c)
    .await
    .map_err(db)?;
    rows.iter().map(app).collect()
}

/// The access token with its user and the company's status, by the token's primary key.
pub(crate) async fn access_token(
    c: &mut AnyConnection,
    hash: &str,
) -> Result<Option<(Token, User, CompanyStatus)>> {
    let row = sqlx::query(
        "SELECT t.hash AS t_hash, t.kind AS t_kind, t.grant_id AS t_grant_id, \
         t.app_id AS t_app_id, t.user_id AS t_user_id, t.company_id AS t_company_id, \
         t.scopes AS t_scopes, t.expires_at AS t_expires_at, t.revoked_at AS t_revoked_at, \
         t.created_at AS t_created_at, u.*, c.status AS company_status \
         FROM oauth_tokens t JOIN users u ON u.id = t.user_id \
         JOIN companies c ON c.id = t.company_id \
         WHERE t.hash = $1 AND t.kind = 'access' AND t.revoked_at IS NULL \
         AND u.state NOT IN ('suspended', 'cancelled', 'deleted')",
    )
    .bind(hash)
    .fetch_optional(c)
    .await
    .map_err(db)?;
    let Some(row) = row else { return Ok(None) };
    let status: String = get(&row, "company_status")?;
    let status = CompanyStatus::parse(&status)
        .map_err(|_| DomainError::internal("unknown company status"))?;
    Ok(Some((
        token(&row, "t_")?,
        crate::tenancy::rows::user(&row)?,
        status,
    )))
}

/// Over `oauth_tokens_user_app (user_id, app_id)`.
pub(crate) async fn authorized(
    c: &mut AnyConnection,
    app: OAuthAppId,
    user: UserId,
    now: i64,
) -> Result<bool> {
    let row = sqlx::query(
        "SELECT 1 AS one FROM oauth_tokens WHERE user_id = $1 AND app_id = $2 \
         AND revoked_at IS NULL AND expires_at > $3 LIMIT 1",
    )
    .bind(user.0)
    .bind(app.0)
    .bind(now)
    .fetch_optional(c)
    .await
    .map_err(db)?;
    Ok(row.is_some())
}

pub(crate) async fn insert_app(c: &mut AnyConnection, a: &OAuthApp) -> Result<()> {
    sqlx::query(
        "INSERT INTO oauth_apps (id, company_id, name, client_id, secret_hash, redirect_uris, \
         settings, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(a.id.0)
    .bind(a.company_id.0)
    .bind(&a.name)
    .bind(&a.client_id)
    .bind(&a.secret_hash)
    .bind(to_text(&a.redirect_uris))
    .bind(to_text(&a.settings))
    .bind(to_millis(a.created_at))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

/// Deletes the app's tokens, codes and the app itself.
pub(crate) async fn delete_app(
    c: &mut AnyConnection,
    company: CompanyId,
    id: OAuthAppId,
    backend: Backend,
) -> Result<bool> {
    let sql = format!(
        "SELECT id FROM oauth_apps WHERE id = $1 AND company_id = $2{}",
        backend.lock_clause()
    );
    let found = sqlx::query(&sql)
        .bind(id.0)
        .bind(company.0)
        .fetch_optional(&mut *c)
        .await
        .map_err(db)?;
    if found.is_none() {
        return Ok(false);
    }
    crate::sql::run_with_id(
        c,
        &[
            "DELETE FROM oauth_tokens WHERE app_id = $1",
            "DELETE FROM oauth_codes WHERE app_id = $1",
            "DELETE FROM oauth_apps WHERE id = $1",
        ],
        id.0,
    )
    .await?;
    Ok(true)
}

pub(crate) async fn insert_code(c: &mut AnyConnection, k: &AuthCode) -> Result<()> {
    sqlx::query(
        "INSERT INTO oauth_codes (hash, grant_id, app_id, user_id, redirect_uri, scopes, \
         code_challenge, expires_at, used_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&k.hash)
    .bind(k.grant_id.0)
    .bind(k.app_id.0)
    .bind(k.user_id.0)
    .bind(&k.redirect_uri)
    .bind(k.scopes.join(" "))
    .bind(&k.code_challenge)
    .bind(to_millis(k.expires_at))
    .bind(k.used_at.map(to_millis))
    .bind(to_millis(k.created_at))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn code_for_update(
    c: &mut AnyConnection,
    hash: &str,
    backend: Backend,
) -> Result<Option<AuthCode>> {
    crate::sql::by_hash(c, "oauth_codes", hash, backend, code).await
}

pub(crate) async fn insert_token(c: &mut AnyConnection, t: &Token) -> Result<()> {
    sqlx::query(
        "INSERT INTO oauth_tokens (hash, kind, grant_id, app_id, user_id, company_id, scopes, \
         expires_at, revoked_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&t.hash)
    .bind(t.kind.as_str())
    .bind(t.grant_id.0)
    .bind(t.app_id.0)
    .bind(t.user_id.0)
    .bind(t.company_id.0)
    .bind(t.scopes.join(" "))
    .bind(to_millis(t.expires_at))
    .bind(t.revoked_at.map(to_millis))
    .bind(to_millis(t.created_at))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn token_for_update(
    c: &mut AnyConnection,
    hash: &str,
    backend: Backend,
) -> Result<Option<Token>> {
    crate::sql::by_hash(c, "oauth_tokens", hash, backend, |r| token(r, "")).await
}

/// Runs an update with `$1` = the time and `$2`, `$3` = `keys`; answers the rows changed.
pub(crate) async fn execute(
    c: &mut AnyConnection,
    sql: &str,
    at: i64,
    keys: &[Key<'_>],
) -> Result<u64> {
    let mut q = sqlx::query(sql).bind(at);
    for k in keys {
        q = match k {
            Key::Int(i) => q.bind(*i),
            Key::Text(s) => q.bind(s.to_string()),
        };
    }
    Ok(q.execute(c).await.map_err(db)?.rows_affected())
}

/// A bind value of [`execute`].
pub(crate) enum Key<'a> {
    Int(i64),
    Text(&'a str),
}
