//! Authentication: `Authorization: Bearer <key>` or `?apikey=<key>`, resolved to the company a
//! request acts for. A company key (`switchboard key create --company ID`) and a company-admin
//! user's key are admins; any other user key of the company is a plain user, refused with 403
//! where the vendor's document says "Requires a company admin API key" (and, stricter than the
//! document, on every write to the directory). Partner keys are not Dialpad keys (401). The
//! SDK's `DP-Company-ID` header may name the caller's company; naming any other is 404.
//! An OAuth access token (`sboa_…`, see [`crate::handlers`]' `oauth2`) acts as its user, with
//! the scopes the user consented to; expired or revoked, it is 401.
//! Every authenticated request counts against the company's rate limit (see [`crate::limits`]).

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::extract::{FromRequestParts, MatchedPath};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use switchboard_domain::ids::{CompanyId, Id, OAuthAppId};
use switchboard_domain::oauth::grant::ACCESS_PREFIX;
use switchboard_domain::telephony::changelog::Actor;
use switchboard_domain::tenancy::account::{Principal, User};
use switchboard_domain::{Core, DomainError};
use switchboard_http::Dialect;

use crate::error::ApiError;
use crate::limits::RateLimits;
use crate::Dialpad;

/// Who a request acts for.
#[derive(Debug, Clone)]
pub struct Caller {
    pub company: CompanyId,
    /// A company key, or a company admin's user key.
    pub admin: bool,
    /// The user, for a user key or an OAuth access token.
    pub user: Option<User>,
    /// The scopes of an OAuth access token; `None` for API keys (every scope).
    pub scopes: Option<BTreeSet<String>>,
    /// The app of an OAuth access token.
    pub oauth_app: Option<OAuthAppId>,
}

impl Caller {
    /// The scope of the caller's `Idempotency-Key`s.
    pub fn idempotency_scope(&self) -> String {
        match &self.user {
            Some(u) => switchboard_domain::idempotency::user_scope(u.id),
            None => switchboard_domain::idempotency::company_scope(self.company),
        }
    }

    /// Who acts, as the domain's change log records it.
    pub fn actor(&self) -> Actor {
        Actor {
            company: self.company,
            user: self.user.as_ref().map(|u| u.id),
        }
    }

    /// Whether the caller may see what `scope` guards: an API key may, an OAuth access token
    /// when its user consented to the scope.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.as_ref().is_none_or(|s| s.contains(scope))
    }

    /// The caller, if an admin; 403 otherwise.
    pub fn admin(self) -> Result<Self, ApiError> {
        if self.admin {
            Ok(self)
        } else {
            Err(ApiError(DomainError::Forbidden(
                "Requires a company admin API key".into(),
            )))
        }
    }

    /// Resolves the request's key without counting it against the rate limit.
    pub(crate) async fn resolve(parts: &Parts, core: &Core) -> Result<Self, Response> {
        let unauthorized = |m: &str| Dialpad::error(StatusCode::UNAUTHORIZED, m);
        let key = bearer(parts)
            .or_else(|| query_key(parts.uri.query()))
            .ok_or_else(|| {
                unauthorized("an API key is required: Authorization: Bearer <key> or ?apikey=<key>")
            })?;
        let caller = if key.starts_with(ACCESS_PREFIX) {
            match core.oauth().authenticate(&key).await {
                Ok(grant) => Self {
                    company: grant.user.company_id,
                    admin: grant.user.is_admin,
                    user: Some(grant.user),
                    scopes: Some(grant.scopes),
                    oauth_app: Some(grant.app_id),
                },
                Err(DomainError::Unauthenticated(m)) => return Err(unauthorized(&m)),
                Err(other) => return Err(Dialpad::domain_error(&other)),
            }
        } else {
            match core.tenancy().authenticate(&key).await {
                Ok(Principal::Company(c)) => Self {
                    company: c.id,
                    admin: true,
                    user: None,
                    scopes: None,
                    oauth_app: None,
                },
                Ok(Principal::User(u)) => Self {
                    company: u.company_id,
                    admin: u.is_admin,
                    user: Some(u),
                    scopes: None,
                    oauth_app: None,
                },
                Ok(Principal::Partner(_)) | Err(DomainError::Unauthenticated(_)) => {
                    return Err(unauthorized("invalid API key"))
                }
                Err(other) => return Err(Dialpad::domain_error(&other)),
            }
        };
        if let Some(named) = parts.headers.get("dp-company-id") {
            let named = named
                .to_str()
                .ok()
                .and_then(|v| CompanyId::parse_str(v.trim()));
            if named != Some(caller.company) {
                return Err(Dialpad::error(StatusCode::NOT_FOUND, "company not found"));
            }
        }
        Ok(caller)
    }
}

impl FromRequestParts<Core> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, core: &Core) -> Result<Self, Response> {
        let caller = Self::resolve(parts, core).await?;
        if let Some(limits) = parts.extensions.get::<Arc<RateLimits>>() {
            let operation = parts
                .extensions
                .get::<MatchedPath>()
                .map(|p| format!("{} {}", parts.method, p.as_str()));
            let over = limits.check(caller.company).err().or_else(|| {
                operation.and_then(|op| limits.check_operation(&op, caller.company).err())
            });
            if let Some(wait) = over {
                let mut response =
                    Dialpad::error(StatusCode::TOO_MANY_REQUESTS, "rate limit exceeded");
                let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
                response
                    .headers_mut()
                    .insert("retry-after", HeaderValue::from(secs.max(1)));
                return Err(response);
            }
        }
        Ok(caller)
    }
}

/// The caller, who must be an admin (403 otherwise).
pub struct Admin(pub Caller);

impl FromRequestParts<Core> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, core: &Core) -> Result<Self, Response> {
        let caller = Caller::from_request_parts(parts, core).await?;
        caller
            .admin()
            .map(Self)
            .map_err(IntoResponse::into_response)
    }
}

fn bearer(parts: &Parts) -> Option<String> {
    let value = parts.headers.get("authorization")?.to_str().ok()?.trim();
    let (scheme, key) = value.split_once(' ')?;
    let key = key.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !key.is_empty()).then(|| key.to_owned())
}

fn query_key(query: Option<&str>) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == "apikey")
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}
