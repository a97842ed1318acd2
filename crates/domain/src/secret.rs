//! Secrets at rest: the cipher trait and the sealed form stored in the database.

use crate::Result;

/// Ciphertext with the id of the master key that sealed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub key_id: String,
    /// Nonce and ciphertext, base64.
    pub data: String,
}

/// An authenticated cipher under the server's master key(s).
pub trait Cipher: Send + Sync + 'static {
    /// Encrypts under the current key. `context` binds the ciphertext to its owner, so a
    /// ciphertext copied to another row fails to open.
    fn seal(&self, plaintext: &[u8], context: &str) -> Result<Sealed>;
    /// Decrypts with whichever known key sealed it.
    fn open(&self, sealed: &Sealed, context: &str) -> Result<Vec<u8>>;
}

/// What a stored secret belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretPurpose {
    /// An AI agent's credential list (JSON).
    AgentCredentials,
    /// A webhook signing secret (`whsec_…`), owned by whatever signs with it.
    WebhookSigning,
    /// The server's key for signing upload forms and file links.
    MediaSigning,
    /// The server's key for signing list page tokens (cursors).
    CursorSigning,
    /// A call router's secret, which signs the routing requests sent to its URL.
    CallRouterSigning,
    /// The server's key for hashing international-call PINs (see `telephony::room`).
    PinHashing,
    /// The server's key for signing OAuth consent forms (see `oauth::authorize`).
    OAuthConsentSigning,
    /// The server's key for signing statistics download links (see `reporting`).
    ReportSigning,
    /// A SIP account's password (see `telephony::device`): digest authentication needs it.
    SipPassword,
    /// A SIP trunk's digest password (see `telephony::trunk`), owned by the trunk's id.
    SipTrunkPassword,
}

impl SecretPurpose {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AgentCredentials => "agent_credentials",
            Self::WebhookSigning => "webhook_signing",
            Self::MediaSigning => "media_signing",
            Self::CursorSigning => "cursor_signing",
            Self::CallRouterSigning => "call_router_signing",
            Self::PinHashing => "pin_hashing",
            Self::OAuthConsentSigning => "oauth_consent_signing",
            Self::ReportSigning => "report_signing",
            Self::SipPassword => "sip_password",
            Self::SipTrunkPassword => "sip_trunk_password",
        }
    }

    /// Reads the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "agent_credentials" => Some(Self::AgentCredentials),
            "webhook_signing" => Some(Self::WebhookSigning),
            "media_signing" => Some(Self::MediaSigning),
            "cursor_signing" => Some(Self::CursorSigning),
            "call_router_signing" => Some(Self::CallRouterSigning),
            "pin_hashing" => Some(Self::PinHashing),
            "oauth_consent_signing" => Some(Self::OAuthConsentSigning),
            "report_signing" => Some(Self::ReportSigning),
            "sip_password" => Some(Self::SipPassword),
            "sip_trunk_password" => Some(Self::SipTrunkPassword),
            _ => None,
        }
    }
}

/// The associated data a secret is sealed with: purpose and owner.
pub fn secret_context(purpose: SecretPurpose, owner: &str) -> String {
    format!("{}:{owner}", purpose.as_str())
}

/// A stored secret row, as the rotation job sees it.
#[derive(Debug, Clone)]
pub struct StoredSecret {
    pub purpose: String,
    pub owner: String,
    pub sealed: Sealed,
}
