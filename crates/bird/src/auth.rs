//! Authentication and the workspace: `Authorization: AccessKey <key>` or `Bearer <key>` with a
//! user key; the workspace in the path must be the user's company in its UUID form.

use std::collections::HashMap;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use switchboard_domain::ids::{CompanyId, Id};
use switchboard_domain::tenancy::account::{Principal, User};
use switchboard_domain::{Core, DomainError};
use switchboard_http::Dialect;

use crate::Bird;

/// The user a request acts for and the workspace (company) it addresses.
pub struct Caller {
    pub user: User,
    pub company: CompanyId,
}

/// The key in an `Authorization` header of scheme `AccessKey` or `Bearer`.
fn key(header: &str) -> Option<&str> {
    let (scheme, rest) = header.trim().split_once(' ')?;
    let ok = scheme.eq_ignore_ascii_case("accesskey") || scheme.eq_ignore_ascii_case("bearer");
    let rest = rest.trim();
    (ok && !rest.is_empty()).then_some(rest)
}

impl FromRequestParts<Core> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, core: &Core) -> Result<Self, Response> {
        let unauthorized = |m: &str| Bird::error(StatusCode::UNAUTHORIZED, m);
        let Some(header) = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        else {
            return Err(unauthorized(
                "an Authorization header (AccessKey or Bearer) is required",
            ));
        };
        let Some(secret) = key(header) else {
            return Err(unauthorized(
                "the Authorization header must be 'AccessKey <key>' or 'Bearer <key>'",
            ));
        };
        let user = match core.tenancy().authenticate(secret).await {
            Ok(Principal::User(u)) => u,
            Ok(Principal::Partner(_) | Principal::Company(_))
            | Err(DomainError::Unauthenticated(_)) => {
                return Err(unauthorized("invalid access key"))
            }
            Err(other) => return Err(Bird::domain_error(&other)),
        };
        // An undecodable segment anywhere in the path is the request's fault (400, as in every
        // dialect), not a missing workspace.
        let switchboard_http::extract::PathParams(params, _) =
            switchboard_http::extract::PathParams::<HashMap<String, String>, Bird>::from_request_parts(
                parts, core,
            )
            .await?;
        let workspace = params.get("workspaceId").map(String::as_str).unwrap_or("");
        if CompanyId::from_uuid(workspace) != Some(user.company_id) {
            return Err(Bird::error(StatusCode::NOT_FOUND, "workspace not found"));
        }
        Ok(Self {
            company: user.company_id,
            user,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn both_schemes_are_read() {
        assert_eq!(key("AccessKey abc"), Some("abc"));
        assert_eq!(key("Bearer  abc "), Some("abc"));
        assert_eq!(key("bearer abc"), Some("abc"));
        assert_eq!(key("Basic abc"), None);
        assert_eq!(key("Bearer"), None);
    }
}
