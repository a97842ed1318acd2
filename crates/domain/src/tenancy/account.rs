//! Partners, companies, users and API keys.

use base64::Engine;
use jiff::Timestamp;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::ids::{ApiKeyId, CompanyId, PartnerId, UserId};
use crate::{DomainError, Result};

/// A reseller that owns client companies.
#[derive(Debug, Clone, PartialEq)]
pub struct Partner {
    pub id: PartnerId,
    /// The brand name.
    pub name: String,
    pub logo_url: Option<String>,
    /// Where partner lifecycle events are POSTed.
    pub webhook_url: Option<String>,
    /// Where clients land after onboarding.
    pub partner_redirect_url: Option<String>,
    /// ISO 3166 country code.
    pub country: Option<String>,
    /// When false, the partner's clients may not add phone numbers.
    pub allow_client_to_add_phone_no: bool,
    /// Partner hub feature settings (free-form).
    pub settings: Option<serde_json::Map<String, serde_json::Value>>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Partner {
    /// A new partner with default settings.
    pub fn new(id: PartnerId, name: String, now: Timestamp) -> Self {
        Self {
            id,
            name,
            logo_url: None,
            webhook_url: None,
            partner_redirect_url: None,
            country: None,
            allow_client_to_add_phone_no: true,
            settings: None,
            created_at: now,
            updated_at: now,
        }
    }
}

/// A tenant: everything else belongs to exactly one company.
#[derive(Debug, Clone, PartialEq)]
pub struct Company {
    pub id: CompanyId,
    pub name: String,
    pub partner_id: Option<PartnerId>,
    pub status: CompanyStatus,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Where a company stands with its provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompanyStatus {
    /// Signed up, not yet in service.
    Pending,
    /// In service (the default).
    Active,
    /// Temporarily out of service.
    Suspended,
    /// Out of service for good.
    Terminated,
}

impl CompanyStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [Self; 4] = [
        Self::Pending,
        Self::Active,
        Self::Suspended,
        Self::Terminated,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Active => "active",
            Self::Suspended => "suspended",
            Self::Terminated => "terminated",
        }
    }

    /// Reads a name; unknown names are invalid input.
    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| {
                DomainError::invalid(format!(
                    "unknown status '{s}': use pending, active, suspended or terminated"
                ))
            })
    }
}

/// A person in a company.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: UserId,
    pub company_id: CompanyId,
    pub email: Email,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub is_admin: bool,
    /// Whether the user may call the Dialgood Partner API.
    pub partner_api_enabled: bool,
    pub created_at: Timestamp,
}

impl User {
    /// "First Last", or the email when the user has no name.
    pub fn display_name(&self) -> String {
        let name = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if name.is_empty() {
            self.email.as_str().to_owned()
        } else {
            name
        }
    }
}

/// An email address, trimmed and lower-cased; parsed once at the edge.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Parses an address of the form `local@domain.tld`.
    pub fn parse(raw: &str) -> Result<Self> {
        let s = raw.trim().to_lowercase();
        let valid = s.len() <= 254
            && !s.chars().any(char::is_whitespace)
            && matches!(s.split_once('@'), Some((local, domain))
                if !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
                    && !domain.ends_with('.') && !domain.contains('@'));
        if valid {
            Ok(Self(s))
        } else {
            Err(DomainError::invalid(format!(
                "'{raw}' is not a valid email address"
            )))
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Who an API key acts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOwner {
    User(UserId),
    Partner(PartnerId),
    /// A company key: acts for the whole company as its admin (Dialpad's company API key).
    Company(CompanyId),
}

/// A stored API key: only the hash of the secret is kept.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiKey {
    pub id: ApiKeyId,
    pub owner: KeyOwner,
    /// Hex SHA-256 of the whole key.
    pub hash: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// A freshly minted key: the secret is shown once and then only its hash exists.
#[derive(Debug)]
pub struct NewApiKey {
    pub key: ApiKey,
    pub secret: String,
}

impl NewApiKey {
    /// Mints a random key for `owner`. User keys start `sbu_`, partner keys `sbp_`, company
    /// keys `sbc_`.
    pub fn mint(owner: KeyOwner, now: Timestamp) -> Self {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let prefix = match owner {
            KeyOwner::User(_) => "sbu_",
            KeyOwner::Partner(_) => "sbp_",
            KeyOwner::Company(_) => "sbc_",
        };
        let secret = format!(
            "{prefix}{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
        );
        let key = ApiKey {
            id: crate::ids::Id::generate(),
            owner,
            hash: hash_api_key(&secret),
            created_at: now,
            revoked_at: None,
        };
        Self { key, secret }
    }
}

/// The stored form of a key. Keys carry 256 random bits, so a plain digest is enough.
pub fn hash_api_key(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub enum Principal {
    User(User),
    Partner(Partner),
    /// A company key's company (active or pending: keys of suspended or terminated companies
    /// are refused).
    Company(Company),
}

impl Principal {
    /// The company this caller administers: a company key's, or a company admin's (plain
    /// users and partners administer none).
    pub fn admin_company(&self) -> Option<CompanyId> {
        match self {
            Self::Company(c) => Some(c.id),
            Self::User(u) if u.is_admin => Some(u.company_id),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse(" Ann@Example.COM ").unwrap().as_str(),
            "ann@example.com"
        );
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.com",
            "ann@example",
            "a b@example.com",
            "a@b@c.d",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn minted_keys_are_prefixed_and_hashed() {
        let now = Timestamp::UNIX_EPOCH;
        let k = NewApiKey::mint(KeyOwner::User(UserId(7)), now);
        assert!(k.secret.starts_with("sbu_"));
        assert_eq!(k.key.hash, hash_api_key(&k.secret));
        assert_ne!(k.key.hash, k.secret);
        let p = NewApiKey::mint(KeyOwner::Partner(PartnerId(7)), now);
        assert!(p.secret.starts_with("sbp_"));
        assert_ne!(p.secret, k.secret);
    }
}
