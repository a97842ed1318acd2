//! Dashboard sessions. Signing in with an API key (a company's, a user's or a partner's) gives a
//! session token that the browser keeps in an HTTP-only cookie. The store keeps only the
//! token's digest and the key's digest, never either secret; every request resolves the key
//! again, so a revoked key or a suspended company ends its sessions at once, and signing out
//! deletes the session.

use base64::Engine;
use jiff::{SignedDuration, Timestamp};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::tenancy::account::{hash_api_key, Principal};
use crate::tenancy::Tenancy;
use crate::{DomainError, Result};

/// How long a session lasts after signing in.
pub const SESSION_HOURS: i64 = 12;

/// A stored session: digests only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleSession {
    /// SHA-256 of the session token, hex.
    pub token_hash: String,
    /// The signing-in key's stored digest.
    pub key_hash: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// A new session: its token (given to the browser once, never stored) and who signed in.
pub struct SignedIn {
    pub token: String,
    pub principal: Principal,
    pub expires_at: Timestamp,
}

impl std::fmt::Debug for SignedIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedIn")
            .field("principal", &self.principal)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

/// The anti-forgery token of a session's forms: derived from the session token, which only
/// the signed-in browser has, so it need not be stored.
pub fn form_token(session_token: &str) -> String {
    let mut digest = Sha256::new();
    digest.update(b"switchboard form token\0");
    digest.update(session_token.trim().as_bytes());
    hex::encode(digest.finalize())
}

fn expired() -> DomainError {
    DomainError::Unauthenticated("the session has ended; sign in again".into())
}

impl Tenancy<'_> {
    /// Signs in with an API key: a new session of [`SESSION_HOURS`].
    pub async fn sign_in(&self, api_key: &str) -> Result<SignedIn> {
        let principal = self.authenticate(api_key).await?;
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let now = self.clock.now();
        let expires_at = now
            .checked_add(SignedDuration::from_hours(SESSION_HOURS))
            .map_err(|_| DomainError::internal("the session's end is out of range"))?;
        let session = ConsoleSession {
            token_hash: token_hash(&token),
            key_hash: hash_api_key(api_key.trim()),
            created_at: now,
            expires_at,
        };
        let mut tx = self.store.begin().await?;
        tx.prune_console_sessions(now, 100).await?;
        tx.insert_console_session(&session).await?;
        tx.commit().await?;
        Ok(SignedIn {
            token,
            principal,
            expires_at,
        })
    }

    /// Who a session token is signed in as: 401 when there is no such session, it has ended,
    /// or its key no longer works.
    pub async fn session(&self, token: &str) -> Result<(Principal, ConsoleSession)> {
        let session = self
            .store
            .console_session(&token_hash(token))
            .await?
            .ok_or_else(expired)?;
        if session.expires_at <= self.clock.now() {
            return Err(expired());
        }
        let principal = self.authenticate_hash(session.key_hash.clone()).await?;
        Ok((principal, session))
    }

    /// Ends the session (nothing to do when there is none).
    pub async fn sign_out(&self, token: &str) -> Result<()> {
        let mut tx = self.store.begin().await?;
        tx.delete_console_session(&token_hash(token)).await?;
        tx.commit().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_tokens_follow_the_session_and_reveal_nothing_of_it() {
        let a = form_token("session-a");
        assert_eq!(a, form_token("session-a"));
        assert_ne!(a, form_token("session-b"));
        assert!(!a.contains("session-a"));
        assert_ne!(token_hash("session-a"), a);
    }
}
