//! Digest nonces: the time they were issued, signed with a key of this process, so that any
//! nonce the server issued in the last [`LIFETIME_SECS`] is accepted without keeping a list,
//! and an altered or old one is not (the phone is then challenged again, `stale=true`).

use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use rsipstack::sip::headers::auth::{Algorithm, Qop};
use rsipstack::sip::headers::untyped;
use rsipstack::sip::typed::WwwAuthenticate;
use rsipstack::sip::{Header, StatusCode};
use sha2::Sha256;

/// How long a nonce is accepted (seconds).
pub const LIFETIME_SECS: u64 = 300;

/// Who asks for a digest: the registrar (401 with `WWW-Authenticate`) or the endpoint taking
/// calls as a proxy would (407 with `Proxy-Authenticate`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Asker {
    Registrar,
    Proxy,
}

/// Issues and checks nonces.
pub(crate) struct Nonces {
    key: [u8; 32],
}

impl Nonces {
    pub(crate) fn new() -> Self {
        let mut key = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut key);
        Self { key }
    }

    /// The MAC of an issue time.
    fn mac(&self, issued: u64) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("any key length");
        mac.update(&issued.to_be_bytes());
        mac
    }

    /// A digest challenge of `realm` (MD5, `qop=auth`) with a fresh nonce: its status and
    /// header. `stale` says the old nonce only aged (the password was right).
    pub(crate) fn challenge(&self, asker: Asker, realm: &str, stale: bool) -> (StatusCode, Header) {
        let challenge = WwwAuthenticate {
            realm: realm.to_owned(),
            nonce: self.issue(),
            algorithm: Some(Algorithm::Md5),
            qop: Some(Qop::Auth),
            stale: stale.then(|| "true".to_owned()),
            ..Default::default()
        };
        match asker {
            Asker::Registrar => (StatusCode::Unauthorized, challenge.into()),
            Asker::Proxy => (
                StatusCode::ProxyAuthenticationRequired,
                Header::ProxyAuthenticate(untyped::ProxyAuthenticate::new(challenge.to_string())),
            ),
        }
    }

    /// A new nonce.
    pub(crate) fn issue(&self) -> String {
        let issued = now();
        let mut bytes = issued.to_be_bytes().to_vec();
        bytes.extend_from_slice(&self.mac(issued).finalize().into_bytes()[..16]);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// Whether `nonce` was issued here and is still young.
    pub(crate) fn is_fresh(&self, nonce: &str) -> bool {
        let Ok(bytes) = URL_SAFE_NO_PAD.decode(nonce) else {
            return false;
        };
        let Ok(parts): Result<[u8; 24], _> = bytes.try_into() else {
            return false;
        };
        let issued = u64::from_be_bytes(parts[..8].try_into().expect("8 bytes"));
        self.mac(issued).verify_truncated_left(&parts[8..]).is_ok()
            && now().saturating_sub(issued) <= LIFETIME_SECS
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_nonces_are_fresh_and_altered_ones_are_not() {
        let nonces = Nonces::new();
        let nonce = nonces.issue();
        assert!(nonces.is_fresh(&nonce));
        assert!(!Nonces::new().is_fresh(&nonce), "another process's key");
        let mut altered = nonce.into_bytes();
        altered[2] = if altered[2] == b'A' { b'B' } else { b'A' };
        assert!(!nonces.is_fresh(&String::from_utf8(altered).unwrap()));
        assert!(!nonces.is_fresh("not a nonce"));
    }
}
