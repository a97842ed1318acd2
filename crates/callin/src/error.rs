//! Callin's error shape. The vendor documents only the success envelope
//! (`{"success": true, "data": …}`); errors mirror it as
//! `{"success": false, "error": {"code": "not_found", "message": "agent not found"}}`, where
//! `code` is a stable word for the HTTP status and `message` says what and where.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::json;
use switchboard_domain::DomainError;
use switchboard_http::Dialect;
use utoipa::ToSchema;

/// The Callin dialect.
pub struct Callin;

/// The stable `error.code` of an HTTP status.
pub fn code_of(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "invalid_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "conflict",
        412 => "precondition_failed",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        422 => "unprocessable_entity",
        s if s >= 500 => "internal_error",
        _ => "error",
    }
}

impl Dialect for Callin {
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
        let body = json!({
            "success": false,
            "error": {"code": code_of(status), "message": message},
        });
        (status, Json(body)).into_response()
    }

    /// Bad bodies are 400, except a body that is too large (413) or not JSON (415).
    fn body_rejection_status(actual: StatusCode) -> StatusCode {
        match actual {
            StatusCode::PAYLOAD_TOO_LARGE | StatusCode::UNSUPPORTED_MEDIA_TYPE => actual,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable word for the status: `invalid_request`, `unauthorized`, `forbidden`,
    /// `not_found`, `method_not_allowed`, `conflict`, `precondition_failed`, …
    pub code: String,
    /// A human-readable explanation.
    pub message: String,
}

/// `{"success": false, "error": {code, message}}`
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorOut {
    /// Always `false`.
    pub success: bool,
    pub error: ErrorDetail,
}

/// A domain error on its way out as a Callin response.
#[derive(Debug)]
pub struct ApiError(pub DomainError);

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        Self(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        Callin::domain_error(&self.0)
    }
}

/// Result of a Callin handler.
pub type ApiResult<T> = Result<T, ApiError>;

pub use switchboard_http::extract::{JsonBody, QueryParams};

/// A JSON body; bad ones get Callin's 400.
pub type Body<T> = JsonBody<T, Callin>;
/// Query parameters; bad ones get Callin's 400.
pub type Params<T> = QueryParams<T, Callin>;

pub use switchboard_http::extract::PathParams;

/// Path parameters; undecodable ones get this dialect's 400.
pub type Segments<T> = PathParams<T, Callin>;
