//! Grants: what a user's consent produces. A consent issues one authorization code (a grant);
//! the code is exchanged once for an access token and a refresh token, and each refresh
//! rotates the pair within the same grant, so that a replayed code or refresh token can revoke
//! everything issued from it. Codes and tokens are stored as hashes only.

use std::collections::BTreeSet;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jiff::Timestamp;
use sha2::{Digest, Sha256};

use crate::ids::{CompanyId, OAuthAppId, OAuthGrantId, UserId};
use crate::tenancy::account::User;
use crate::DomainError;

/// How long a code may be exchanged, in seconds (RFC 6749 recommends at most 10 minutes).
pub const CODE_SECONDS: i64 = 10 * 60;
/// How long an access token works, in seconds.
pub const ACCESS_SECONDS: i64 = 3600;
/// How long a refresh token works if it is not used, in seconds (each use gives a new one).
pub const REFRESH_SECONDS: i64 = 30 * 24 * 3600;
/// Prefix of access tokens (how a bearer is told from an API key).
pub const ACCESS_PREFIX: &str = "sboa_";
/// Prefix of refresh tokens.
pub const REFRESH_PREFIX: &str = "sbor_";

/// A stored authorization code.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthCode {
    /// Hex SHA-256 of the code.
    pub hash: String,
    pub grant_id: OAuthGrantId,
    pub app_id: OAuthAppId,
    pub user_id: UserId,
    /// The redirect URI the code was sent to.
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    /// The PKCE S256 challenge.
    pub code_challenge: String,
    pub expires_at: Timestamp,
    /// When it was exchanged; a second exchange is a replay.
    pub used_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

/// Access or refresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Access,
    Refresh,
}

impl TokenKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Access => "access",
            Self::Refresh => "refresh",
        }
    }

    /// Reads the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "access" => Some(Self::Access),
            "refresh" => Some(Self::Refresh),
            _ => None,
        }
    }
}

/// A stored token.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// Hex SHA-256 of the token.
    pub hash: String,
    pub kind: TokenKind,
    pub grant_id: OAuthGrantId,
    pub app_id: OAuthAppId,
    pub user_id: UserId,
    pub company_id: CompanyId,
    pub scopes: Vec<String>,
    pub expires_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

/// What a live access token stands for.
#[derive(Debug, Clone)]
pub struct AccessGrant {
    pub user: User,
    pub app_id: OAuthAppId,
    pub scopes: BTreeSet<String>,
    pub expires_at: Timestamp,
}

/// A token pair as the token endpoint answers it.
#[derive(Debug, Clone)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
    pub scopes: Vec<String>,
}

/// A token request, from a JSON body or a form, with the client's credentials from the body
/// or HTTP Basic.
#[derive(Debug, Clone, Default)]
pub struct TokenRequest {
    pub grant_type: Option<String>,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    pub refresh_token: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

/// An RFC 6749 error code (§4.1.2.1 and §5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthErrorCode {
    InvalidRequest,
    InvalidClient,
    InvalidGrant,
    UnauthorizedClient,
    UnsupportedGrantType,
    UnsupportedResponseType,
    InvalidScope,
    AccessDenied,
}

impl OAuthErrorCode {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::UnsupportedResponseType => "unsupported_response_type",
            Self::InvalidScope => "invalid_scope",
            Self::AccessDenied => "access_denied",
        }
    }
}

/// A request the protocol refuses, with what to tell the client.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub code: OAuthErrorCode,
    pub description: String,
}

impl Refusal {
    pub fn new(code: OAuthErrorCode, description: impl Into<String>) -> Self {
        Self {
            code,
            description: description.into(),
        }
    }
}

/// Why a token request failed: refused by the protocol, or an internal failure.
#[derive(Debug)]
pub enum TokenError {
    Refused(Refusal),
    Failed(DomainError),
}

impl From<DomainError> for TokenError {
    fn from(e: DomainError) -> Self {
        Self::Failed(e)
    }
}

impl From<Refusal> for TokenError {
    fn from(r: Refusal) -> Self {
        Self::Refused(r)
    }
}

/// Whether `raw` is an S256 challenge: 43 base64url characters (a SHA-256 digest).
pub fn is_s256_challenge(raw: &str) -> bool {
    raw.len() == 43
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether `verifier` (43 to 128 unreserved characters, RFC 7636 §4.1) hashes to `challenge`.
pub fn verifier_matches(verifier: &str, challenge: &str) -> bool {
    let shape = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    let digest = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    // Both sides are public digests of secrets; equal length is checked by the comparison.
    shape && constant_time_eq(digest.as_bytes(), challenge.as_bytes())
}

/// Compares without stopping at the first difference.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_rfc_7636_appendix_b() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(is_s256_challenge(challenge));
        assert!(verifier_matches(verifier, challenge));
        assert!(!verifier_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXx",
            challenge
        ));
        assert!(!verifier_matches("short", challenge));
        assert!(!is_s256_challenge("plain-challenge"));
    }
}
