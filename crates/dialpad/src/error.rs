//! Dialpad's error body, for every failure:
//! `{"error": {"code": 404, "errors": [{"domain": "global", "message", "reason": "notFound"}],
//! "message"}}`. `message` repeats `errors[0].message`; `reason` follows the convention of the
//! envelope (`badRequest`, `required`, `forbidden`, `notFound`, `conflict`, …).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use switchboard_domain::DomainError;
use switchboard_http::Dialect;

/// The Dialpad dialect.
pub struct Dialpad;

/// The `reason` of a status.
fn reason(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "badRequest",
        401 => "required",
        403 => "forbidden",
        404 => "notFound",
        405 => "methodNotAllowed",
        409 => "conflict",
        412 => "conditionNotMet",
        413 => "requestEntityTooLarge",
        429 => "rateLimitExceeded",
        _ => "backendError",
    }
}

impl Dialect for Dialpad {
    async fn caller_scope(
        parts: &mut axum::http::request::Parts,
        core: &switchboard_domain::Core,
    ) -> Option<String> {
        use axum::extract::FromRequestParts;
        crate::auth::Caller::from_request_parts(parts, core)
            .await
            .ok()
            .map(|c| c.idempotency_scope())
    }

    fn error(status: StatusCode, message: &str) -> Response {
        let body = json!({
            "error": {
                "code": status.as_u16(),
                "errors": [{"domain": "global", "message": message, "reason": reason(status)}],
                "message": message,
            }
        });
        (status, Json(body)).into_response()
    }

    fn body_rejection_status(actual: StatusCode) -> StatusCode {
        // The vendor documents 413 for bodies that are too large.
        if actual == StatusCode::PAYLOAD_TOO_LARGE {
            actual
        } else {
            StatusCode::BAD_REQUEST
        }
    }
}

/// A domain error on its way out as a Dialpad response.
#[derive(Debug)]
pub struct ApiError(pub DomainError);

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        Self(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        Dialpad::domain_error(&self.0)
    }
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

/// Invalid input.
pub fn invalid(message: impl Into<String>) -> ApiError {
    ApiError(DomainError::Invalid(message.into()))
}

pub use switchboard_http::extract::{JsonBody, PathParams, QueryParams};

/// A JSON body; bad ones get Dialpad's error body with 400 (413 when too large).
pub type Body<T> = JsonBody<T, Dialpad>;
/// Query parameters; bad ones get Dialpad's error body with 400.
pub type Params<T> = QueryParams<T, Dialpad>;
/// Path parameters; undecodable ones get Dialpad's 400.
pub type Segments<T> = PathParams<T, Dialpad>;
