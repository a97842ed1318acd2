//! 360dialog's error body: `{"meta": {"success": false, "http_code", "developer_message",
//! "details": [...]}}`, for every failure.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use switchboard_domain::DomainError;
use switchboard_http::Dialect;

/// The 360dialog dialect.
pub struct D360;

impl Dialect for D360 {
    async fn caller_scope(
        parts: &mut axum::http::request::Parts,
        core: &switchboard_domain::Core,
    ) -> Option<String> {
        use axum::extract::FromRequestParts;
        crate::auth::PartnerCaller::from_request_parts(parts, core)
            .await
            .ok()
            .map(|c| switchboard_domain::idempotency::partner_scope(c.0.id))
    }

    fn error(status: StatusCode, message: &str) -> Response {
        let body = json!({
            "meta": {
                "success": false,
                "http_code": status.as_u16(),
                "developer_message": message,
                "details": [message],
            }
        });
        (status, Json(body)).into_response()
    }
}

/// A domain error on its way out as a 360dialog response.
#[derive(Debug)]
pub struct ApiError(pub DomainError);

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        Self(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        D360::domain_error(&self.0)
    }
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

/// Invalid input.
pub fn invalid(message: impl Into<String>) -> ApiError {
    ApiError(DomainError::Invalid(message.into()))
}

pub use switchboard_http::extract::{JsonBody, QueryParams};

/// A JSON body; bad ones get 360dialog's error body with 400.
pub type Body<T> = JsonBody<T, D360>;
/// Query parameters; bad ones get 360dialog's error body with 400.
pub type Params<T> = QueryParams<T, D360>;

pub use switchboard_http::extract::PathParams;

/// Path parameters; undecodable ones get this dialect's 400.
pub type Segments<T> = PathParams<T, D360>;
