//! What each dialect tells the shared mechanisms: how its errors look.

use std::future::Future;

use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use switchboard_domain::{Core, DomainError};

/// A vendor API surface.
pub trait Dialect: Send + Sync + 'static {
    /// An error response in the vendor's envelope.
    fn error(status: StatusCode, message: &str) -> Response;

    /// The caller a request authenticates as, under this dialect's own rules, as the scope of
    /// its `Idempotency-Key` records (`user:<id>` or `partner:<id>`); `None` when it does not
    /// authenticate (it then runs without idempotency and gets the dialect's auth error).
    fn caller_scope(parts: &mut Parts, core: &Core) -> impl Future<Output = Option<String>> + Send;

    /// The status a domain error maps to in this dialect.
    fn status_of(err: &DomainError) -> StatusCode {
        default_status(err)
    }

    /// The status of a request body the server could not read (malformed, wrong types, too
    /// large). Dialects whose contract knows only 400 keep the default.
    fn body_rejection_status(actual: StatusCode) -> StatusCode {
        let _ = actual;
        StatusCode::BAD_REQUEST
    }

    /// A domain error in the vendor's envelope. Internal details are logged, never sent.
    fn domain_error(err: &DomainError) -> Response {
        let status = Self::status_of(err);
        if let DomainError::Internal(detail) = err {
            tracing::error!(error = %detail, "internal error");
            return Self::error(status, "internal server error");
        }
        Self::error(status, &err.to_string())
    }
}

/// The usual HTTP status of each domain error.
pub fn default_status(err: &DomainError) -> StatusCode {
    match err {
        DomainError::NotFound(_) => StatusCode::NOT_FOUND,
        DomainError::Invalid(_) => StatusCode::BAD_REQUEST,
        DomainError::BadCursor(_) => StatusCode::BAD_REQUEST,
        DomainError::Conflict(_) => StatusCode::CONFLICT,
        DomainError::Forbidden(_) => StatusCode::FORBIDDEN,
        DomainError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        DomainError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
        DomainError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}
