//! Client companies as their partner sees them: the company plus what the partner recorded
//! about it (contact details, business profile, a free-form tag), and the queries over them.

use std::collections::BTreeMap;

use crate::ids::{CompanyId, PartnerId};
use crate::page::Page;
use crate::tenancy::account::{Company, CompanyStatus};
use crate::{DomainError, Result};

/// What a partner may note about a client in free text: its organisation, a free-form tag of
/// the partner's, its business profile, the business's contact details and its contact person.
/// Each dialect names these in its own wire form (360dialog nests them under `meta_info`,
/// `contact_info` and `contact_user`); the store keeps one column per field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClientText {
    Organisation,
    PartnerPayload,
    BusinessVertical,
    Timezone,
    About,
    BusinessDescription,
    UseCase,
    WebpageUrl,
    Phone,
    Language,
    Country,
    StreetName,
    City,
    Email,
    FullName,
    ZipCode,
    ContactUserPhone,
    ContactUserEmail,
    ContactUserName,
}

impl ClientText {
    /// Every text field.
    pub const ALL: [Self; 19] = [
        Self::Organisation,
        Self::PartnerPayload,
        Self::BusinessVertical,
        Self::Timezone,
        Self::About,
        Self::BusinessDescription,
        Self::UseCase,
        Self::WebpageUrl,
        Self::Phone,
        Self::Language,
        Self::Country,
        Self::StreetName,
        Self::City,
        Self::Email,
        Self::FullName,
        Self::ZipCode,
        Self::ContactUserPhone,
        Self::ContactUserEmail,
        Self::ContactUserName,
    ];
}

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
    /// The text fields that are set.
    pub text: BTreeMap<ClientText, String>,
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

    /// Sets a text field from input: `None` or an empty string clears it. `name` is how the
    /// caller's dialect names the field, for the error.
    pub fn set_text(&mut self, field: ClientText, name: &str, value: Option<&str>) -> Result<()> {
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            None => {
                self.text.remove(&field);
            }
            Some(v) if v.chars().count() > MAX_TEXT => {
                return Err(DomainError::invalid(format!(
                    "{name} must be at most {MAX_TEXT} characters"
                )))
            }
            Some(v) => {
                self.text.insert(field, v.to_owned());
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

/// A client: the company and the partner's record of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Client {
    pub company: Company,
    pub profile: ClientProfile,
}

/// What a client has used, as its partner sees it: kept current by the writes that change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub company_id: CompanyId,
    /// Calls that reached or left the company (entry legs).
    pub calls: u64,
    /// Talk time of those calls, in seconds.
    pub talk_seconds: u64,
    /// Its people (workforce agents).
    pub agents: u64,
    pub ai_agents: u64,
}

impl Usage {
    /// A client that has used nothing yet.
    pub fn none(company_id: CompanyId) -> Self {
        Self {
            company_id,
            calls: 0,
            talk_seconds: 0,
            agents: 0,
            ai_agents: 0,
        }
    }
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
    Text(ClientText),
}

/// One condition of a client list.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientFilter {
    Id(CompanyId),
    /// Case-insensitive substring of the name.
    NameContains(String),
    Status(CompanyStatus),
    /// Exact value of a text field.
    Text(ClientText, String),
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
    /// Text fields to set, each with the name the dialect gave it (for errors).
    pub text: Vec<(ClientText, String, String)>,
}

/// A change to a client; `None` leaves a field alone, `Some(None)` clears a text field.
#[derive(Debug, Clone, Default)]
pub struct ClientChange {
    pub status: Option<CompanyStatus>,
    pub max_channels: Option<i64>,
    /// Text fields to set or (`None`) clear, each with the name the dialect gave it.
    pub text: Vec<(ClientText, String, Option<String>)>,
}
