//! Bird's error shape: `{"code": "…", "message": "…"}`; validation failures are 422.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use switchboard_domain::DomainError;
use switchboard_http::Dialect;

/// The Bird Collaborations dialect.
pub struct Bird;

/// The `code` of an error response with this status.
fn code(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "already_exists",
        412 => "precondition_failed",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        422 => "validation_failed",
        s if s >= 500 => "internal_error",
        _ => "error",
    }
}

impl Dialect for Bird {
    async fn caller_scope(
        parts: &mut axum::http::request::Parts,
        core: &switchboard_domain::Core,
    ) -> Option<String> {
        use axum::extract::FromRequestParts;
        crate::auth::Caller::from_request_parts(parts, core)
            .await
            .ok()
            .map(|c| switchboard_domain::idempotency::user_scope(c.user.id))
    }

    fn error(status: StatusCode, message: &str) -> Response {
        (
            status,
            Json(json!({ "code": code(status), "message": message })),
        )
            .into_response()
    }

    fn status_of(err: &DomainError) -> StatusCode {
        match err {
            DomainError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            other => switchboard_http::dialect::default_status(other),
        }
    }

    fn body_rejection_status(actual: StatusCode) -> StatusCode {
        match actual {
            StatusCode::BAD_REQUEST | StatusCode::PAYLOAD_TOO_LARGE => actual,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
}

impl Bird {
    /// An error response in Bird's shape (for handlers that answer outside [`ApiResult`]).
    pub fn error_response(status: StatusCode, message: &str) -> Response {
        <Self as Dialect>::error(status, message)
    }
}

/// A domain error on its way out as a Bird response.
#[derive(Debug)]
pub struct ApiError(pub DomainError);

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        Self(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        Bird::domain_error(&self.0)
    }
}

/// Result of a Bird handler.
pub type ApiResult<T> = Result<T, ApiError>;

/// A JSON body; malformed JSON is 400, a body of the wrong shape 422, both in Bird's shape.
pub type Body<T> = switchboard_http::extract::JsonBody<T, Bird>;

/// A 422 with `message`.
pub fn invalid(message: impl Into<String>) -> ApiError {
    ApiError(DomainError::Invalid(message.into()))
}

pub use switchboard_http::extract::JsonBody;

pub use switchboard_http::extract::PathParams;

/// Path parameters; undecodable ones get this dialect's 400.
pub type Segments<T> = PathParams<T, Bird>;
