//! The token endpoint's use cases and what tokens are worth afterwards.
//!
//! - `authorization_code`: the client authenticates (secret in the body or HTTP Basic), the
//!   code must be its own, unexpired and unused, `redirect_uri` (when given) the one the code
//!   was sent to, and `code_verifier` must hash to the code's challenge. A code presented a
//!   second time is refused and every token issued from it is revoked (RFC 6749 §4.1.2).
//! - `refresh_token`: rotates the pair; the old refresh token stops working, and presenting it
//!   again revokes every token of its grant (a leaked refresh token is caught the same way).
//!   The old access token works until it expires.
//! - Access tokens act as their user while the user is active and the company in service;
//!   `deauthorize` revokes every token of the app the user holds.

use std::collections::BTreeSet;

use jiff::Timestamp;

use crate::clock::{from_millis, to_millis};
use crate::ids::OAuthAppId;
use crate::oauth::app::{self, OAuthApp};
use crate::oauth::grant::{
    self, AccessGrant, OAuthErrorCode, Refusal, Token, TokenError, TokenKind, TokenPair,
    TokenRequest, ACCESS_PREFIX, ACCESS_SECONDS, REFRESH_PREFIX, REFRESH_SECONDS,
};
use crate::oauth::OAuth;
use crate::store::WriteTx;
use crate::telephony::office::EntryState;
use crate::tenancy::account::{CompanyStatus, User};
use crate::{DomainError, Result};

fn refuse(code: OAuthErrorCode, why: &str) -> TokenError {
    TokenError::Refused(Refusal::new(code, why))
}

fn invalid_grant(why: &str) -> TokenError {
    refuse(OAuthErrorCode::InvalidGrant, why)
}

fn required<'a>(v: &'a Option<String>, name: &str) -> std::result::Result<&'a str, TokenError> {
    v.as_deref().filter(|s| !s.is_empty()).ok_or_else(|| {
        refuse(
            OAuthErrorCode::InvalidRequest,
            &format!("{name} is required"),
        )
    })
}

impl OAuth<'_> {
    /// Exchanges a code or a refresh token for a new token pair.
    pub async fn token(&self, req: &TokenRequest) -> std::result::Result<TokenPair, TokenError> {
        let grant_type = required(&req.grant_type, "grant_type")?;
        if !matches!(grant_type, "authorization_code" | "refresh_token") {
            return Err(refuse(
                OAuthErrorCode::UnsupportedGrantType,
                "grant_type must be authorization_code or refresh_token",
            ));
        }
        let app = self.client(req).await?;
        if grant_type == "authorization_code" {
            self.exchange_code(&app, req).await
        } else {
            self.refresh(&app, req).await
        }
    }

    /// The app whose credentials the request carries.
    async fn client(&self, req: &TokenRequest) -> std::result::Result<OAuthApp, TokenError> {
        let failed = || {
            refuse(
                OAuthErrorCode::InvalidClient,
                "client authentication failed",
            )
        };
        let (Some(id), Some(secret)) = (req.client_id.as_deref(), req.client_secret.as_deref())
        else {
            return Err(failed());
        };
        if !app::plausible_client_id(id) {
            return Err(failed());
        }
        let app = self
            .store
            .oauth_app_by_client_id(id)
            .await?
            .ok_or_else(failed)?;
        let hash = app::hash_secret(secret);
        if !grant::constant_time_eq(hash.as_bytes(), app.secret_hash.as_bytes()) {
            return Err(failed());
        }
        Ok(app)
    }

    async fn exchange_code(
        &self,
        app: &OAuthApp,
        req: &TokenRequest,
    ) -> std::result::Result<TokenPair, TokenError> {
        let code = required(&req.code, "code")?;
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let stored = tx
            .oauth_code_for_update(&app::hash_secret(code))
            .await?
            .filter(|c| c.app_id == app.id)
            .ok_or_else(|| invalid_grant("the code is not valid for this client"))?;
        if stored.used_at.is_some() {
            tx.revoke_oauth_grant(stored.grant_id, now).await?;
            tx.commit().await?;
            return Err(invalid_grant(
                "the code was already used; the tokens issued from it are revoked",
            ));
        }
        if stored.expires_at <= now {
            return Err(invalid_grant("the code has expired"));
        }
        if req
            .redirect_uri
            .as_deref()
            .is_some_and(|r| r != stored.redirect_uri)
        {
            return Err(invalid_grant(
                "redirect_uri is not the one the code was issued to",
            ));
        }
        let verifier = required(&req.code_verifier, "code_verifier")?;
        if !grant::verifier_matches(verifier, &stored.code_challenge) {
            return Err(invalid_grant(
                "code_verifier does not match the code_challenge",
            ));
        }
        tx.mark_oauth_code_used(&stored.hash, now).await?;
        let template = Token {
            hash: String::new(),
            kind: TokenKind::Access,
            grant_id: stored.grant_id,
            app_id: app.id,
            user_id: stored.user_id,
            company_id: app.company_id,
            scopes: stored.scopes,
            expires_at: now,
            revoked_at: None,
            created_at: now,
        };
        let pair = issue(tx.as_mut(), &template, now).await?;
        tx.commit().await?;
        Ok(pair)
    }

    async fn refresh(
        &self,
        app: &OAuthApp,
        req: &TokenRequest,
    ) -> std::result::Result<TokenPair, TokenError> {
        let presented = required(&req.refresh_token, "refresh_token")?;
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let old = tx
            .oauth_token_for_update(&app::hash_secret(presented))
            .await?
            .filter(|t| t.kind == TokenKind::Refresh && t.app_id == app.id)
            .ok_or_else(|| invalid_grant("the refresh token is not valid for this client"))?;
        if old.revoked_at.is_some() {
            tx.revoke_oauth_grant(old.grant_id, now).await?;
            tx.commit().await?;
            return Err(invalid_grant(
                "the refresh token was revoked or already used",
            ));
        }
        if old.expires_at <= now {
            return Err(invalid_grant("the refresh token has expired"));
        }
        if !self.user_in_service(&old).await? {
            return Err(invalid_grant("the user can no longer use the app"));
        }
        tx.revoke_oauth_token(&old.hash, now).await?;
        let pair = issue(tx.as_mut(), &old, now).await?;
        tx.commit().await?;
        Ok(pair)
    }

    /// Whether the token's user is still active in a company in service.
    async fn user_in_service(&self, token: &Token) -> Result<bool> {
        let user = self
            .store
            .directory_user(token.company_id, token.user_id)
            .await?;
        let company = self.store.company(token.company_id).await?;
        let user_ok = user.is_some_and(|u| {
            !matches!(
                u.entry.state,
                EntryState::Suspended | EntryState::Cancelled | EntryState::Deleted
            )
        });
        let company_ok = company.is_some_and(|c| {
            !matches!(
                c.status,
                CompanyStatus::Suspended | CompanyStatus::Terminated
            )
        });
        Ok(user_ok && company_ok)
    }

    /// What an access token stands for: refused (`Unauthenticated`) when it is unknown,
    /// revoked or expired, or its user or company is out of service. Kept in memory like API
    /// keys, with the expiry checked on every use.
    pub async fn authenticate(&self, secret: &str) -> Result<AccessGrant> {
        let hash = app::hash_secret(secret.trim());
        let epoch = self.store.auth_epoch();
        let grant = match epoch.and_then(|e| self.oauth_tokens.get(&hash, e)) {
            Some(g) => g,
            None => {
                let g = self.resolve_token(&hash).await?;
                if let Some(e) = epoch {
                    self.oauth_tokens.put(hash, g.clone(), e);
                }
                g
            }
        };
        if grant.expires_at <= self.clock.now() {
            return Err(DomainError::Unauthenticated(
                "the access token has expired".into(),
            ));
        }
        Ok(grant)
    }

    async fn resolve_token(&self, hash: &str) -> Result<AccessGrant> {
        let (token, user, status): (Token, User, CompanyStatus) = self
            .store
            .oauth_access_token(hash)
            .await?
            .ok_or_else(|| DomainError::Unauthenticated("invalid access token".into()))?;
        if matches!(status, CompanyStatus::Suspended | CompanyStatus::Terminated) {
            return Err(DomainError::Unauthenticated(format!(
                "the company is {}",
                status.as_str()
            )));
        }
        Ok(AccessGrant {
            user,
            app_id: token.app_id,
            scopes: token.scopes.into_iter().collect::<BTreeSet<_>>(),
            expires_at: token.expires_at,
        })
    }

    /// Revokes every token of the app that the user holds; they stop working at once.
    pub async fn deauthorize(&self, app: OAuthAppId, user: crate::ids::UserId) -> Result<()> {
        let mut tx = self.store.begin().await?;
        tx.revoke_oauth_tokens_of(app, user, self.clock.now())
            .await?;
        tx.commit().await
    }
}

/// Issues an access and a refresh token like `template` (grant, app, user, scopes).
async fn issue(tx: &mut dyn WriteTx, template: &Token, now: Timestamp) -> Result<TokenPair> {
    let now_ms = to_millis(now);
    let access = app::random_secret(ACCESS_PREFIX);
    let refresh = app::random_secret(REFRESH_PREFIX);
    for (secret, kind, seconds) in [
        (&access, TokenKind::Access, ACCESS_SECONDS),
        (&refresh, TokenKind::Refresh, REFRESH_SECONDS),
    ] {
        let token = Token {
            hash: app::hash_secret(secret),
            kind,
            expires_at: from_millis(now_ms + seconds * 1000),
            revoked_at: None,
            created_at: now,
            ..template.clone()
        };
        tx.insert_oauth_token(&token).await?;
    }
    Ok(TokenPair {
        access_token: access,
        refresh_token: refresh,
        expires_in: ACCESS_SECONDS,
        scopes: template.scopes.clone(),
    })
}
