//! Authentication: a partner API key in `X-API-Key` (or, as the vendor's legacy scheme,
//! `Authorization: Bearer <key>`), resolved to the partner. The path's partner must be the
//! caller: any other id answers 404 exactly like a missing partner.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use switchboard_domain::tenancy::account::{Partner, Principal};
use switchboard_domain::{Core, DomainError};
use switchboard_http::Dialect;

use crate::error::{ApiError, ApiResult};
use crate::D360;

/// The partner a request acts for.
pub struct PartnerCaller(pub Partner);

impl FromRequestParts<Core> for PartnerCaller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, core: &Core) -> Result<Self, Response> {
        let header = |name: &str| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let key = header("x-api-key").or_else(|| {
            header("authorization").and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
        });
        let Some(key) = key else {
            return Err(D360::error(
                StatusCode::UNAUTHORIZED,
                "missing X-API-Key header with a partner API key",
            ));
        };
        match core.tenancy().authenticate(key).await {
            Ok(Principal::Partner(p)) => Ok(Self(p)),
            Ok(Principal::User(_) | Principal::Company(_))
            | Err(DomainError::Unauthenticated(_)) => Err(D360::error(
                StatusCode::UNAUTHORIZED,
                "invalid partner API key",
            )),
            Err(other) => Err(D360::domain_error(&other)),
        }
    }
}

impl PartnerCaller {
    /// The caller, if `raw` (the path's partner id) names it; otherwise not found.
    pub fn own(self, raw: &str) -> ApiResult<Partner> {
        match crate::ids::parse_partner(raw) {
            Some(id) if id == self.0.id => Ok(self.0),
            _ => Err(ApiError(DomainError::NotFound("partner"))),
        }
    }
}
