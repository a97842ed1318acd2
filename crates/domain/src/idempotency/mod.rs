//! Stored results of requests sent with an `Idempotency-Key`.

mod service;

use crate::ids::{PartnerId, UserId};

/// The scope of an authenticated user's `Idempotency-Key`s: the same whichever of the user's
/// API keys or dialects sends them.
pub fn user_scope(user: UserId) -> String {
    format!("user:{user}")
}

/// The scope of a company key's `Idempotency-Key`s.
pub fn company_scope(company: crate::ids::CompanyId) -> String {
    format!("company:{company}")
}

/// The scope of an authenticated partner's `Idempotency-Key`s.
pub fn partner_scope(partner: PartnerId) -> String {
    format!("partner:{partner}")
}

use jiff::Timestamp;

/// How long a key is remembered.
pub const RETENTION_SECS: i64 = 24 * 60 * 60;
/// After this long an unfinished claim is taken to be abandoned (its server died mid-request).
pub const ABANDONED_AFTER_SECS: i64 = 60;

/// A response kept for replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// A remembered key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyRecord {
    /// Digest of the request (method, path, query, body).
    pub fingerprint: String,
    /// `None` while the first request is still running.
    pub response: Option<StoredResponse>,
    pub created_at: Timestamp,
}

/// The outcome of claiming a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This request owns the key and must finish or release it.
    Claimed,
    /// Another request holds or held it.
    Existing(IdempotencyRecord),
}
