//! Authentication: the `x-api-key` header with a user's API key.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use switchboard_domain::tenancy::account::{Principal, User};
use switchboard_domain::{Core, DomainError};
use switchboard_http::Dialect;

use crate::Callin;

/// The header carrying the key.
pub const HEADER: &str = "x-api-key";

/// The user a request acts for; 401 without a valid, unrevoked user key (a partner key is not
/// a user key).
pub struct Caller(pub User);

impl FromRequestParts<Core> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, core: &Core) -> Result<Self, Response> {
        let key = parts
            .headers
            .get(HEADER)
            .and_then(|v| v.to_str().ok())
            .filter(|k| !k.trim().is_empty());
        let Some(key) = key else {
            return Err(Callin::error(
                StatusCode::UNAUTHORIZED,
                "the x-api-key header is required",
            ));
        };
        match core.tenancy().authenticate(key).await {
            Ok(Principal::User(user)) => Ok(Self(user)),
            Ok(Principal::Partner(_) | Principal::Company(_))
            | Err(DomainError::Unauthenticated(_)) => {
                Err(Callin::error(StatusCode::UNAUTHORIZED, "invalid API key"))
            }
            Err(other) => Err(Callin::domain_error(&other)),
        }
    }
}
