//! The OAuth context's storage: its queries and rows, and the domain's [`OAuthStore`] and
//! [`OAuthTx`] over them. Revocations and app deletions move the authentication epoch, so
//! that access tokens kept in memory stop working at the next request, in every process.

pub(crate) mod queries;

use async_trait::async_trait;
use jiff::Timestamp;
use switchboard_domain::clock::to_millis;
use switchboard_domain::ids::{CompanyId, OAuthAppId, OAuthGrantId, UserId};
use switchboard_domain::oauth::app::OAuthApp;
use switchboard_domain::oauth::grant::{AuthCode, Token};
use switchboard_domain::store::{OAuthStore, OAuthTx};
use switchboard_domain::tenancy::account::{CompanyStatus, User};
use switchboard_domain::Result;

use crate::tx::SqlTx;
use crate::SqlStore;
use queries::{AppKey, Key};

#[async_trait]
impl OAuthStore for SqlStore {
    async fn oauth_app(&self, id: OAuthAppId) -> Result<Option<OAuthApp>> {
        queries::app_by(&mut *self.conn().await?, "id", AppKey::Id(id)).await
    }
    async fn oauth_app_by_client_id(&self, client_id: &str) -> Result<Option<OAuthApp>> {
        queries::app_by(
            &mut *self.conn().await?,
            "client_id",
            AppKey::ClientId(client_id),
        )
        .await
    }
    async fn oauth_apps_page(
        &self,
        company: CompanyId,
        after: Option<OAuthAppId>,
        limit: u32,
    ) -> Result<Vec<OAuthApp>> {
        queries::apps_page(&mut *self.conn().await?, company, after, limit).await
    }
    async fn oauth_access_token(&self, hash: &str) -> Result<Option<(Token, User, CompanyStatus)>> {
        queries::access_token(&mut *self.conn().await?, hash).await
    }
    async fn oauth_authorized(
        &self,
        app: OAuthAppId,
        user: UserId,
        now: Timestamp,
    ) -> Result<bool> {
        queries::authorized(&mut *self.conn().await?, app, user, to_millis(now)).await
    }
}

#[async_trait]
impl OAuthTx for SqlTx {
    async fn insert_oauth_app(&mut self, app: &OAuthApp) -> Result<()> {
        queries::insert_app(&mut self.tx, app).await
    }
    async fn delete_oauth_app(&mut self, company: CompanyId, id: OAuthAppId) -> Result<bool> {
        self.auth_changed = true;
        queries::delete_app(&mut self.tx, company, id, self.backend).await
    }
    async fn insert_oauth_code(&mut self, code: &AuthCode) -> Result<()> {
        queries::insert_code(&mut self.tx, code).await
    }
    async fn oauth_code_for_update(&mut self, hash: &str) -> Result<Option<AuthCode>> {
        queries::code_for_update(&mut self.tx, hash, self.backend).await
    }
    async fn mark_oauth_code_used(&mut self, hash: &str, at: Timestamp) -> Result<()> {
        let sql = "UPDATE oauth_codes SET used_at = $1 WHERE hash = $2";
        queries::execute(&mut self.tx, sql, to_millis(at), &[Key::Text(hash)]).await?;
        Ok(())
    }
    async fn insert_oauth_token(&mut self, token: &Token) -> Result<()> {
        queries::insert_token(&mut self.tx, token).await
    }
    async fn oauth_token_for_update(&mut self, hash: &str) -> Result<Option<Token>> {
        queries::token_for_update(&mut self.tx, hash, self.backend).await
    }
    async fn revoke_oauth_token(&mut self, hash: &str, at: Timestamp) -> Result<()> {
        self.auth_changed = true;
        let sql = "UPDATE oauth_tokens SET revoked_at = $1 WHERE hash = $2 AND revoked_at IS NULL";
        queries::execute(&mut self.tx, sql, to_millis(at), &[Key::Text(hash)]).await?;
        Ok(())
    }
    async fn revoke_oauth_grant(&mut self, grant: OAuthGrantId, at: Timestamp) -> Result<u64> {
        self.auth_changed = true;
        let sql =
            "UPDATE oauth_tokens SET revoked_at = $1 WHERE grant_id = $2 AND revoked_at IS NULL";
        queries::execute(&mut self.tx, sql, to_millis(at), &[Key::Int(grant.0)]).await
    }
    async fn revoke_oauth_tokens_of(
        &mut self,
        app: OAuthAppId,
        user: UserId,
        at: Timestamp,
    ) -> Result<u64> {
        self.auth_changed = true;
        let sql = "UPDATE oauth_tokens SET revoked_at = $1 \
                   WHERE user_id = $2 AND app_id = $3 AND revoked_at IS NULL";
        let keys = [Key::Int(user.0), Key::Int(app.0)];
        queries::execute(&mut self.tx, sql, to_millis(at), &keys).await
    }
    async fn prune_oauth(&mut self, before: Timestamp) -> Result<()> {
        let at = to_millis(before);
        for sql in [
            "DELETE FROM oauth_codes WHERE expires_at < $1",
            "DELETE FROM oauth_tokens WHERE expires_at < $1",
        ] {
            queries::execute(&mut self.tx, sql, at, &[]).await?;
        }
        Ok(())
    }
}
