//! HTTP mechanisms shared by every dialect.
//!
//! A dialect describes its error envelope once by implementing [`Dialect`]; the extractors and
//! middleware here then answer bad input, precondition failures and idempotency-key misuse in
//! that dialect's own shape.

pub mod dialect;
pub mod docs;
pub mod etag;
pub mod extract;
pub mod health;
pub mod idempotency;
pub mod metrics;
pub mod router;

pub use dialect::Dialect;

/// Largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
