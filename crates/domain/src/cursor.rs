//! Signed keyset cursors: the page tokens of every list that pages by position.
//!
//! A cursor holds the sort key of the last row a page showed (any serialisable position, such
//! as `(created_at, id)`), serialised as JSON and followed by an HMAC-SHA256 over the list's
//! scope and the JSON, all in unpadded base64url. The scope names the list, its tenant and its
//! order (`workforce.agents:<company>:name:asc`), so a token is only accepted by the list that
//! issued it: a token altered, truncated, forged without the key, or taken to another company
//! or another order fails with [`DomainError::BadCursor`]. The key is the server's, generated
//! once and stored sealed (see `Core::cursor_key`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::Sha256;

use rand::RngCore;

use crate::secret::{secret_context, SecretPurpose};
use crate::{DomainError, Result};

/// Bytes of the HMAC-SHA256 tag at the end of a token.
const TAG_LEN: usize = 32;
/// Longest token accepted (Bird documents 8000 characters).
pub const MAX_TOKEN_LEN: usize = 8000;

/// The server key that signs and checks cursors.
#[derive(Clone)]
pub struct CursorKey(Vec<u8>);

impl std::fmt::Debug for CursorKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CursorKey(..)")
    }
}

fn bad() -> DomainError {
    DomainError::BadCursor("pageToken is not a page token of this list".into())
}

impl CursorKey {
    /// A key of the given bytes (32 random bytes in practice).
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    fn tag(&self, scope: &str, payload: &[u8]) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        // The scope's length first, so no scope/payload split can be shifted.
        mac.update(&(scope.len() as u64).to_be_bytes());
        mac.update(scope.as_bytes());
        mac.update(payload);
        mac
    }

    /// The token of `position` in the list named by `scope`.
    pub fn seal<T: Serialize>(&self, scope: &str, position: &T) -> String {
        let mut bytes = serde_json::to_vec(position).expect("positions serialise");
        let tag = self.tag(scope, &bytes).finalize().into_bytes();
        bytes.extend_from_slice(&tag);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// The position in `token`, if this key signed it for `scope`.
    pub fn open<T: DeserializeOwned>(&self, scope: &str, token: &str) -> Result<T> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(bad());
        }
        let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| bad())?;
        if bytes.len() <= TAG_LEN {
            return Err(bad());
        }
        let (payload, tag) = bytes.split_at(bytes.len() - TAG_LEN);
        self.tag(scope, payload)
            .verify_slice(tag)
            .map_err(|_| bad())?;
        serde_json::from_slice(payload).map_err(|_| bad())
    }
}

/// Whose key a server key is (there is one per server and purpose).
const SERVER_KEY_OWNER: &str = "server";

impl crate::Core {
    /// A 32-byte server key for `purpose`, generated on first use and stored sealed.
    pub(crate) async fn server_key(&self, purpose: SecretPurpose) -> Result<Vec<u8>> {
        let context = secret_context(purpose, SERVER_KEY_OWNER);
        if let Some(sealed) = self.store.secret(purpose, SERVER_KEY_OWNER).await? {
            return self.cipher.open(&sealed, &context);
        }
        let mut tx = self.store.begin().await?;
        // Another request may have made it meanwhile; the transaction holds the writer.
        if let Some(sealed) = tx.secret(purpose, SERVER_KEY_OWNER).await? {
            return self.cipher.open(&sealed, &context);
        }
        let mut key = vec![0u8; 32];
        rand::thread_rng().fill_bytes(&mut key);
        let sealed = self.cipher.seal(&key, &context)?;
        tx.put_secret(purpose, SERVER_KEY_OWNER, &sealed, self.clock.now())
            .await?;
        tx.commit().await?;
        Ok(key)
    }

    /// The key that signs page tokens; read once, then kept for the life of the core.
    pub(crate) async fn cursor_key(&self) -> Result<CursorKey> {
        if let Some(k) = self.cursor_key.get() {
            return Ok(k.clone());
        }
        let key = CursorKey::new(self.server_key(SecretPurpose::CursorSigning).await?);
        Ok(self.cursor_key.get_or_init(|| key).clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(b: u8) -> CursorKey {
        CursorKey::new(vec![b; 32])
    }

    #[test]
    fn a_token_opens_to_its_position() {
        let t = key(1).seal("teams:1", &(17_i64, "ann".to_owned()));
        let back: (i64, String) = key(1).open("teams:1", &t).unwrap();
        assert_eq!(back, (17, "ann".to_owned()));
        assert!(t
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }

    #[test]
    fn altered_truncated_forged_and_foreign_tokens_fail() {
        let k = key(1);
        let t = k.seal("teams:1", &(17_i64, 5_i64));
        let open = |token: &str, scope: &str| k.open::<(i64, i64)>(scope, token);
        // Another scope (another company or order).
        assert!(matches!(
            open(&t, "teams:2"),
            Err(DomainError::BadCursor(_))
        ));
        // Every single-character change.
        for i in 0..t.len() {
            let mut chars: Vec<char> = t.chars().collect();
            chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
            let altered: String = chars.into_iter().collect();
            assert!(open(&altered, "teams:1").is_err(), "position {i}");
        }
        // Truncated, empty, not base64.
        assert!(open(&t[..t.len() - 1], "teams:1").is_err());
        assert!(open(&t[..10], "teams:1").is_err());
        assert!(open("", "teams:1").is_err());
        assert!(open("!!!", "teams:1").is_err());
        // Signed with another key, or an unsigned position.
        assert!(open(&key(2).seal("teams:1", &(17_i64, 5_i64)), "teams:1").is_err());
        assert!(open(&URL_SAFE_NO_PAD.encode(b"[17,5]"), "teams:1").is_err());
        // Too long.
        assert!(open(&"A".repeat(MAX_TOKEN_LEN + 4), "teams:1").is_err());
    }

    #[test]
    fn a_valid_tag_over_the_wrong_shape_still_fails_cleanly() {
        let k = key(1);
        let t = k.seal("teams:1", &"text");
        assert!(k.open::<(i64, i64)>("teams:1", &t).is_err());
    }
}
