//! Dialgood's error shape: `{"error": "…"}` with the seed's status codes.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use switchboard_domain::DomainError;
use switchboard_http::Dialect;

/// The Dialgood dialect.
pub struct Dialgood;

impl Dialect for Dialgood {
    async fn caller_scope(
        parts: &mut axum::http::request::Parts,
        core: &switchboard_domain::Core,
    ) -> Option<String> {
        use axum::extract::FromRequestParts;
        crate::auth::Caller::from_request_parts(parts, core)
            .await
            .ok()
            .map(|c| switchboard_domain::idempotency::user_scope(c.0.id))
    }

    fn error(status: StatusCode, message: &str) -> Response {
        (status, Json(json!({ "error": message }))).into_response()
    }
}

/// A domain error on its way out as a Dialgood response.
#[derive(Debug)]
pub struct ApiError(pub DomainError);

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        Self(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        Dialgood::domain_error(&self.0)
    }
}

/// Result of a Dialgood handler.
pub type ApiResult<T> = Result<T, ApiError>;

pub use switchboard_http::extract::{JsonBody, OptionalJsonBody, QueryParams};

/// A JSON body; bad ones get `{"error"}` with 400.
pub type Body<T> = JsonBody<T, Dialgood>;
/// A JSON body that may be empty.
pub type MaybeBody<T> = OptionalJsonBody<T, Dialgood>;
/// Query parameters; bad ones get `{"error"}` with 400.
pub type Params<T> = QueryParams<T, Dialgood>;

pub use switchboard_http::extract::PathParams;

/// Path parameters; undecodable ones get this dialect's 400.
pub type Segments<T> = PathParams<T, Dialgood>;
