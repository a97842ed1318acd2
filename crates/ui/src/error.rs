//! What a failed dashboard request shows: the sign-in page when nobody is signed in (or the
//! session ended), a plain page with the status otherwise. Another tenant's resource is
//! "not found", exactly as a missing one; an internal error is logged and shown without detail.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::html;
use switchboard_domain::DomainError;

use crate::layout;

/// A dashboard request that failed.
#[derive(Debug)]
pub(crate) enum UiError {
    /// Nobody is signed in, or the session ended: to the sign-in page.
    SignIn,
    NotFound,
    /// The request itself is wrong (a forged form, a bad value in the URL).
    Bad(String),
    /// The page's view is out of date, or the action is not allowed now.
    Conflict(String),
    Forbidden(String),
    Internal,
}

impl From<DomainError> for UiError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::NotFound(_) => Self::NotFound,
            DomainError::Unauthenticated(_) => Self::SignIn,
            DomainError::Invalid(m) | DomainError::BadCursor(m) => Self::Bad(m),
            DomainError::Conflict(m) => Self::Conflict(m),
            DomainError::PreconditionFailed => Self::Conflict(
                "it changed since this page was shown; reload it and try again".into(),
            ),
            DomainError::Forbidden(m) => Self::Forbidden(m),
            DomainError::Internal(detail) => {
                tracing::error!(%detail, "a dashboard request failed");
                Self::Internal
            }
        }
    }
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            Self::SignIn => return crate::to_login().into_response(),
            Self::NotFound => (StatusCode::NOT_FOUND, "There is nothing here.".to_owned()),
            Self::Bad(m) => (StatusCode::BAD_REQUEST, m),
            Self::Conflict(m) => (StatusCode::CONFLICT, m),
            Self::Forbidden(m) => (StatusCode::FORBIDDEN, m),
            Self::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on the server; it has been logged.".to_owned(),
            ),
        };
        let title = status.canonical_reason().unwrap_or("Error");
        let body = html! {
            h1 { (status.as_u16()) " " (title) }
            p role="alert" { (message) }
            p { a href=(crate::MOUNT) { "Back to the dashboard" } }
        };
        (status, Html(layout::bare(title, body).into_string())).into_response()
    }
}
