//! Secrets at rest: AES-256-GCM under a master key, each ciphertext tagged with its key's id so
//! that a rotation can re-encrypt while both keys are known.
//!
//! The AEAD comes from the `aes-gcm` crate; this crate is the small wrapper that lets it be
//! swapped, plus the key file kept in the data directory on the embedded default.

mod keyfile;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use switchboard_domain::secret::{Cipher, Sealed};
use switchboard_domain::{DomainError, Result};

pub use keyfile::{FileKeyring, KeyFile, KeyFileError};

/// 256 bits of key material.
#[derive(Clone, PartialEq, Eq)]
pub struct MasterKey([u8; 32]);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MasterKey({})", self.id())
    }
}

impl MasterKey {
    /// A new random key.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// Reads the base64 (or 64-digit hex) text form.
    pub fn parse(text: &str) -> std::result::Result<Self, String> {
        let text = text.trim();
        let bytes = if text.len() == 64 && text.chars().all(|c| c.is_ascii_hexdigit()) {
            hex::decode(text).map_err(|e| e.to_string())?
        } else {
            B64.decode(text)
                .map_err(|_| "a master key must be 32 bytes in base64 or hex".to_string())?
        };
        let array: [u8; 32] = bytes
            .try_into()
            .map_err(|_| "a master key must be exactly 32 bytes".to_string())?;
        Ok(Self(array))
    }

    /// The base64 text form.
    pub fn encode(&self) -> String {
        B64.encode(self.0)
    }

    /// A short public fingerprint naming the key inside ciphertexts.
    pub fn id(&self) -> String {
        let digest = Sha256::new_with_prefix(b"switchboard master key id\0")
            .chain_update(self.0)
            .finalize();
        hex::encode(&digest[..6])
    }
}

/// The keys the server knows: the current one seals, any of them opens.
pub struct Keyring {
    current: (String, Aes256Gcm),
    older: Vec<(String, Aes256Gcm)>,
}

impl Keyring {
    /// A keyring sealing with `current` and also opening with `older`.
    pub fn new(current: &MasterKey, older: &[MasterKey]) -> Self {
        let entry = |k: &MasterKey| {
            (
                k.id(),
                Aes256Gcm::new_from_slice(&k.0).expect("32-byte key"),
            )
        };
        Self {
            current: entry(current),
            older: older.iter().map(entry).collect(),
        }
    }

    /// Id of the key new ciphertexts are sealed with.
    pub fn current_id(&self) -> &str {
        &self.current.0
    }

    fn find(&self, id: &str) -> Option<&Aes256Gcm> {
        std::iter::once(&self.current)
            .chain(&self.older)
            .find(|(kid, _)| kid == id)
            .map(|(_, c)| c)
    }
}

impl Cipher for Keyring {
    fn seal(&self, plaintext: &[u8], context: &str) -> Result<Sealed> {
        let mut nonce = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut nonce);
        let ct = self
            .current
            .1
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| DomainError::internal("encryption failed"))?;
        let mut data = nonce.to_vec();
        data.extend_from_slice(&ct);
        Ok(Sealed {
            key_id: self.current.0.clone(),
            data: B64.encode(data),
        })
    }

    fn open(&self, sealed: &Sealed, context: &str) -> Result<Vec<u8>> {
        let cipher = self.find(&sealed.key_id).ok_or_else(|| {
            DomainError::internal(format!("no master key with id {}", sealed.key_id))
        })?;
        let data = B64
            .decode(&sealed.data)
            .map_err(|_| DomainError::internal("corrupt ciphertext"))?;
        if data.len() < 12 {
            return Err(DomainError::internal("corrupt ciphertext"));
        }
        let (nonce, ct) = data.split_at(12);
        cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| DomainError::internal("a secret failed to decrypt"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_and_opens_with_context_and_key_id() {
        let old = MasterKey::generate();
        let new = MasterKey::generate();
        let before = Keyring::new(&old, &[]);
        let sealed = before.seal(b"secret", "ctx").unwrap();
        assert_eq!(sealed.key_id, old.id());
        assert!(!sealed.data.contains("secret"));
        assert_eq!(before.open(&sealed, "ctx").unwrap(), b"secret");
        assert!(before.open(&sealed, "other").is_err(), "context is bound");

        let both = Keyring::new(&new, std::slice::from_ref(&old));
        assert_eq!(both.open(&sealed, "ctx").unwrap(), b"secret");
        assert_eq!(both.seal(b"x", "c").unwrap().key_id, new.id());
        assert!(Keyring::new(&new, &[]).open(&sealed, "ctx").is_err());
    }

    #[test]
    fn keys_parse_from_base64_and_hex() {
        let k = MasterKey::generate();
        assert_eq!(MasterKey::parse(&k.encode()).unwrap(), k);
        assert_eq!(MasterKey::parse(&hex::encode(k.0)).unwrap(), k);
        assert!(MasterKey::parse("short").is_err());
    }
}
