//! OAuth apps: what a company registers so that its users can let a third-party application act
//! for them. An app has a public `client_id`, a secret shown once (only its hash is kept), the
//! exact redirect URIs it may send users back to, and its own settings.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jiff::Timestamp;
use rand::RngCore;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::ids::{CompanyId, OAuthAppId};
use crate::{DomainError, Result};

/// Longest app name.
const MAX_NAME: usize = 100;
/// Redirect URIs an app may register.
pub const MAX_REDIRECT_URIS: usize = 10;
/// Longest redirect URI.
const MAX_URI: usize = 2000;

/// The scopes the vendor documents; a token gets those its user consented to beyond the
/// user's own access (content that needs one is left out without it).
pub const SCOPES: [&str; 8] = [
    "calls:list",
    "change_log",
    "conference:all",
    "conference:read",
    "message_content_export",
    "message_content_export:all",
    "recordings_export",
    "screen_pop",
];

/// The settings every app has (`GET /app/settings`), off unless the app's own settings say
/// otherwise.
pub const STANDARD_SETTINGS: [&str; 4] = [
    "call_logging_enabled",
    "call_recording_logging_enabled",
    "voicemail_logging_enabled",
    "sms_logging_enabled",
];

/// An OAuth app of a company.
#[derive(Debug, Clone, PartialEq)]
pub struct OAuthApp {
    pub id: OAuthAppId,
    pub company_id: CompanyId,
    pub name: String,
    /// Public: names the app in authorization and token requests.
    pub client_id: String,
    /// Hex SHA-256 of the client secret.
    pub secret_hash: String,
    /// Where users may be sent back, compared exactly.
    pub redirect_uris: Vec<String>,
    /// The app's settings beyond the standard ones (or overriding them).
    pub settings: Map<String, Value>,
    pub created_at: Timestamp,
}

/// What registering an app takes.
#[derive(Debug, Clone)]
pub struct NewApp {
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub settings: Option<Map<String, Value>>,
}

/// A freshly registered app and its secret, shown once.
#[derive(Debug)]
pub struct RegisteredApp {
    pub app: OAuthApp,
    pub client_secret: String,
}

/// `prefix` and 32 random bytes in base64url: client secrets, codes, tokens.
pub(crate) fn random_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The stored form of a secret, code or token: each carries 256 random bits, so a plain
/// digest is enough (as for API keys).
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A new client id: 18 random bytes in base64url.
pub(crate) fn new_client_id() -> String {
    let mut bytes = [0u8; 18];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Whether `raw` could be a client id this server issued (so that anything else, such as text
/// with control characters, is unknown without a lookup).
pub fn plausible_client_id(raw: &str) -> bool {
    !raw.is_empty() && raw.len() <= 64 && raw.bytes().all(|b| b.is_ascii_graphic())
}

/// An app name: one line of 1 to 100 characters.
pub fn app_name(raw: &str) -> Result<String> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.contains(['\n', '\r']) {
        return Err(DomainError::invalid(format!(
            "name must be one line of 1 to {MAX_NAME} characters"
        )));
    }
    Ok(name.to_owned())
}

/// A redirect URI an app may register: absolute, without a fragment (`#`) or user info;
/// `https`, `http` only to a loopback host (an app on the user's machine), or a private-use
/// scheme with a dot (`com.example.app:/callback`, RFC 8252).
pub fn redirect_uri(raw: &str) -> Result<String> {
    let bad = |why: &str| DomainError::invalid(format!("redirect URI '{raw}' {why}"));
    if raw.len() > MAX_URI {
        return Err(bad("is too long"));
    }
    if raw.contains('#') {
        return Err(bad("must not contain '#'"));
    }
    if !raw.chars().all(|c| c.is_ascii_graphic()) {
        return Err(bad("must be printable ASCII without spaces"));
    }
    let url = url::Url::parse(raw).map_err(|_| bad("is not an absolute URI"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("must not carry a user name or password"));
    }
    let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    match url.scheme() {
        "https" if url.host_str().is_some() => Ok(raw.to_owned()),
        "http" if loopback => Ok(raw.to_owned()),
        "http" => Err(bad("must be https (http only to localhost)")),
        s if s.contains('.') => Ok(raw.to_owned()),
        _ => Err(bad(
            "must be https, http to localhost, or a private-use scheme",
        )),
    }
}

/// The app's settings as `GET /app/settings` shows them: the standard ones (off) with the
/// app's own over them.
pub fn effective_settings(app: &OAuthApp) -> Map<String, Value> {
    let mut out: Map<String, Value> = STANDARD_SETTINGS
        .iter()
        .map(|k| ((*k).to_owned(), Value::Bool(false)))
        .collect();
    for (k, v) in &app.settings {
        out.insert(k.clone(), v.clone());
    }
    out
}

/// Scopes from a space-separated list: known ones only, each once, in the order given.
pub fn parse_scopes(raw: Option<&str>) -> std::result::Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for s in raw.unwrap_or("").split(' ').filter(|s| !s.is_empty()) {
        if !SCOPES.contains(&s) {
            return Err(format!("unknown scope '{s}'"));
        }
        if !out.iter().any(|o| o == s) {
            out.push(s.to_owned());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_uris_are_checked() {
        for good in [
            "https://app.example/cb",
            "https://app.example/cb?tenant=7&x=%20y",
            "http://localhost:8000/cb",
            "http://127.0.0.1/cb",
            "com.example.app:/oauth",
        ] {
            assert_eq!(redirect_uri(good).unwrap(), good);
        }
        for bad in [
            "https://app.example/cb#frag",
            "http://app.example/cb",
            "/relative",
            "javascript:alert(1)",
            "https://user:pw@app.example/cb",
            "https://app.example/a b",
        ] {
            assert!(redirect_uri(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn scopes_are_the_documented_ones() {
        assert_eq!(
            parse_scopes(Some("recordings_export  screen_pop recordings_export")).unwrap(),
            ["recordings_export", "screen_pop"]
        );
        assert!(parse_scopes(None).unwrap().is_empty());
        assert!(parse_scopes(Some("admin")).is_err());
    }

    #[test]
    fn secrets_are_random_and_hashed() {
        let a = random_secret("x_");
        assert!(a.starts_with("x_") && a.len() == 45);
        assert_ne!(a, random_secret("x_"));
        assert_eq!(hash_secret(&a).len(), 64);
    }
}
