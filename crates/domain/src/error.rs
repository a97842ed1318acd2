//! The errors every use case can return; each dialect renders them in its vendor's shape.

/// What went wrong, in terms a dialect can map onto its own status codes and bodies.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// The thing does not exist, or the caller may not know that it exists.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The input is malformed or out of range; the message says what and where.
    #[error("{0}")]
    Invalid(String),
    /// The request clashes with the current state (a duplicate, a reused idempotency key, ...).
    #[error("{0}")]
    Conflict(String),
    /// A page token (cursor) that this list did not issue: altered, truncated, forged, or from
    /// another tenant or order.
    #[error("{0}")]
    BadCursor(String),
    /// The caller is known but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// No credentials, or credentials that are unknown or revoked.
    #[error("{0}")]
    Unauthenticated(String),
    /// An `If-Match` precondition no longer holds.
    #[error("the resource was changed since it was read")]
    PreconditionFailed,
    /// The storage or another internal part failed; never caused by the caller's input.
    #[error("internal error: {0}")]
    Internal(String),
}

/// Result of a use case.
pub type Result<T, E = DomainError> = std::result::Result<T, E>;

impl DomainError {
    /// An `Invalid` error with a formatted message.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::Invalid(message.into())
    }

    /// An `Internal` error from anything displayable (storage, crypto).
    pub fn internal(err: impl std::fmt::Display) -> Self {
        Self::Internal(err.to_string())
    }
}
