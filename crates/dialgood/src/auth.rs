//! Authentication: the `api_token` header or `?api_token=`, resolved to a user.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use switchboard_domain::tenancy::account::{Principal, User};
use switchboard_domain::{Core, DomainError};
use switchboard_http::Dialect;

use crate::Dialgood;

/// The user a request acts for; 401 without a valid user key, 403 when the user's partner API
/// access is off.
pub struct Caller(pub User);

impl FromRequestParts<Core> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, core: &Core) -> Result<Self, Response> {
        let token = parts
            .headers
            .get("api_token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .or_else(|| query_token(parts.uri.query()));
        let Some(token) = token.filter(|t| !t.trim().is_empty()) else {
            return Err(Dialgood::error(
                StatusCode::UNAUTHORIZED,
                "api_token is required",
            ));
        };
        match core.tenancy().authenticate(&token).await {
            Ok(Principal::User(user)) if user.partner_api_enabled => Ok(Self(user)),
            Ok(Principal::User(_)) => Err(Dialgood::error(
                StatusCode::FORBIDDEN,
                "Partner API access is not enabled for this user",
            )),
            Ok(Principal::Partner(_) | Principal::Company(_))
            | Err(DomainError::Unauthenticated(_)) => Err(Dialgood::error(
                StatusCode::UNAUTHORIZED,
                "invalid api_token",
            )),
            Err(other) => Err(Dialgood::domain_error(&other)),
        }
    }
}

fn query_token(query: Option<&str>) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == "api_token")
        .map(|(_, v)| v.into_owned())
}
