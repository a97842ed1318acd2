//! Storage of OAuth apps, codes and tokens: reads on [`OAuthStore`], writes inside an
//! [`OAuthTx`]. Codes and tokens are found by their hash, in one indexed read.

use async_trait::async_trait;
use jiff::Timestamp;

use crate::ids::{CompanyId, OAuthAppId, OAuthGrantId, UserId};
use crate::oauth::app::OAuthApp;
use crate::oauth::grant::{AuthCode, Token};
use crate::tenancy::account::{CompanyStatus, User};
use crate::Result;

/// Reads of OAuth apps and tokens.
#[async_trait]
pub trait OAuthStore: Send + Sync {
    async fn oauth_app(&self, id: OAuthAppId) -> Result<Option<OAuthApp>>;
    async fn oauth_app_by_client_id(&self, client_id: &str) -> Result<Option<OAuthApp>>;
    /// One page of the company's apps in id order, after `after`.
    async fn oauth_apps_page(
        &self,
        company: CompanyId,
        after: Option<OAuthAppId>,
        limit: u32,
    ) -> Result<Vec<OAuthApp>>;
    /// The unrevoked access token with this hash, with its user (not suspended or deleted) and
    /// the company's status, in one read: what authenticating a request takes.
    async fn oauth_access_token(&self, hash: &str) -> Result<Option<(Token, User, CompanyStatus)>>;
    /// Whether the user holds an unrevoked token of the app that has not expired at `now`.
    async fn oauth_authorized(&self, app: OAuthAppId, user: UserId, now: Timestamp)
        -> Result<bool>;
}

/// Writes of OAuth apps, codes and tokens, inside a write transaction.
#[async_trait]
pub trait OAuthTx: Send {
    async fn insert_oauth_app(&mut self, app: &OAuthApp) -> Result<()>;
    /// Deletes one of the company's apps with its codes and tokens; `false` when it has none
    /// of that id.
    async fn delete_oauth_app(&mut self, company: CompanyId, id: OAuthAppId) -> Result<bool>;
    async fn insert_oauth_code(&mut self, code: &AuthCode) -> Result<()>;
    /// Reads a code and holds it until commit.
    async fn oauth_code_for_update(&mut self, hash: &str) -> Result<Option<AuthCode>>;
    async fn mark_oauth_code_used(&mut self, hash: &str, at: Timestamp) -> Result<()>;
    async fn insert_oauth_token(&mut self, token: &Token) -> Result<()>;
    /// Reads a token (revoked or not) and holds it until commit.
    async fn oauth_token_for_update(&mut self, hash: &str) -> Result<Option<Token>>;
    /// Revokes one token.
    async fn revoke_oauth_token(&mut self, hash: &str, at: Timestamp) -> Result<()>;
    /// Revokes every unrevoked token of a grant; answers how many.
    async fn revoke_oauth_grant(&mut self, grant: OAuthGrantId, at: Timestamp) -> Result<u64>;
    /// Revokes every unrevoked token of the app held by the user; answers how many.
    async fn revoke_oauth_tokens_of(
        &mut self,
        app: OAuthAppId,
        user: UserId,
        at: Timestamp,
    ) -> Result<u64>;
    /// Forgets codes and tokens that expired before `before`.
    async fn prune_oauth(&mut self, before: Timestamp) -> Result<()>;
}
