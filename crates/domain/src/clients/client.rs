//! Client companies as their partner sees them: the company plus what the partner recorded
//! about it (contact details, business profile, a free-form tag), and the queries over them.

use std::collections::BTreeMap;

use crate::ids::{CompanyId, PartnerId};
use crate::page::Page;
use crate::tenancy::account::{Company, CompanyStatus};
use crate::{DomainError, Result};

/// The optional text fields of a client, by their dotted names (the nesting of the wire form).
/// The store keeps one column per name, with `.` read as `_`.
pub const CLIENT_TEXT_FIELDS: &[&str] = &[
    "organisation",
    "partner_payload",
    "meta_info.business_vertical",
    "meta_info.timezone",
    "meta_info.about",
    "meta_info.business_description",
    "meta_info.use_case",
    "contact_info.webpage_url",
    "contact_info.phone",
    "contact_info.language",
    "contact_info.country",
    "contact_info.street_name",
    "contact_info.city",
    "contact_info.email",
    "contact_info.full_name",
    "contact_info.zip_code",
    "contact_user.phone",
    "contact_user.email",
    "contact_user.name",
];

/// Longest text field value accepted.
const MAX_TEXT: usize = 1000;
/// Default and largest channel allowance.
pub const DEFAULT_MAX_CHANNELS: i64 = 1;
const MAX_MAX_CHANNELS: i64 = 10_000;

/// What a partner recorded about one of its client companies.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientProfile {
    pub company_id: CompanyId,
    /// How many phone numbers the client may have.
    pub max_channels: i64,
    pub suspicious: bool,
    /// Values of [`CLIENT_TEXT_FIELDS`] that are set.
    pub text: BTreeMap<&'static str, String>,
    /// Who created and last modified the record (a display name).
    pub created_by: Option<String>,
    pub modified_by: Option<String>,
}

impl ClientProfile {
    /// An empty profile.
    pub fn new(company_id: CompanyId) -> Self {
        Self {
            company_id,
            max_channels: DEFAULT_MAX_CHANNELS,
            suspicious: false,
            text: BTreeMap::new(),
            created_by: None,
            modified_by: None,
        }
    }

    /// Sets a text field from input: `None` or an empty string clears it.
    pub fn set_text(&mut self, field: &str, value: Option<&str>) -> Result<()> {
        let key = text_field(field)
            .ok_or_else(|| DomainError::invalid(format!("unknown client field '{field}'")))?;
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            None => {
                self.text.remove(key);
            }
            Some(v) if v.chars().count() > MAX_TEXT => {
                return Err(DomainError::invalid(format!(
                    "{field} must be at most {MAX_TEXT} characters"
                )))
            }
            Some(v) => {
                self.text.insert(key, v.to_owned());
            }
        }
        Ok(())
    }

    /// Sets the channel allowance, which must be 0 to 10000.
    pub fn set_max_channels(&mut self, n: i64) -> Result<()> {
        if !(0..=MAX_MAX_CHANNELS).contains(&n) {
            return Err(DomainError::invalid(format!(
                "max_channels must be between 0 and {MAX_MAX_CHANNELS}"
            )));
        }
        self.max_channels = n;
        Ok(())
    }
}

/// The static name of a text field, if `name` is one.
pub fn text_field(name: &str) -> Option<&'static str> {
    CLIENT_TEXT_FIELDS.iter().copied().find(|f| *f == name)
}

/// A client: the company and the partner's record of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Client {
    pub company: Company,
    pub profile: ClientProfile,
}

/// A field clients can be filtered or sorted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKey {
    Id,
    Name,
    Status,
    MaxChannels,
    CreatedAt,
    ModifiedAt,
    /// One of [`CLIENT_TEXT_FIELDS`].
    Text(&'static str),
}

impl ClientKey {
    /// Reads a field name as the wire writes it.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "id" => Self::Id,
            "name" => Self::Name,
            "status" => Self::Status,
            "max_channels" => Self::MaxChannels,
            "created_at" => Self::CreatedAt,
            "modified_at" => Self::ModifiedAt,
            other => Self::Text(text_field(other)?),
        })
    }

    /// The field name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Name => "name",
            Self::Status => "status",
            Self::MaxChannels => "max_channels",
            Self::CreatedAt => "created_at",
            Self::ModifiedAt => "modified_at",
            Self::Text(f) => f,
        }
    }
}

/// One condition of a client list.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientFilter {
    Id(CompanyId),
    /// Case-insensitive substring of the name.
    NameContains(String),
    Status(CompanyStatus),
    /// Exact value of a text field.
    Text(&'static str, String),
}

/// A page of a partner's clients.
#[derive(Debug, Clone)]
pub struct ClientQuery {
    pub partner: PartnerId,
    pub filters: Vec<ClientFilter>,
    /// Keys with `true` for descending; the id breaks ties.
    pub sort: Vec<(ClientKey, bool)>,
    pub page: Page,
}

/// What creating a client takes.
#[derive(Debug, Clone)]
pub struct NewClient {
    pub name: String,
    pub status: Option<CompanyStatus>,
    pub max_channels: Option<i64>,
    /// Values for [`CLIENT_TEXT_FIELDS`] by dotted name.
    pub text: Vec<(String, String)>,
}

/// A change to a client; `None` leaves a field alone, `Some(None)` clears a text field.
#[derive(Debug, Clone, Default)]
pub struct ClientChange {
    pub status: Option<CompanyStatus>,
    pub max_channels: Option<i64>,
    pub text: Vec<(String, Option<String>)>,
}
