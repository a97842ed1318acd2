//! Offices: where a company's people and numbers sit. Every company has one main office, made
//! with the company (and back-filled for companies that predate offices); secondary offices
//! are added later. A user always belongs to one office: the main one unless moved.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::ids::{CompanyId, Id, OfficeId};
use crate::json::JsonObject;
use crate::tenancy::account::Company;
use crate::{DomainError, Result};

/// Country of a main office until one is set (ISO 3166-1 alpha-2, lower case).
pub const DEFAULT_COUNTRY: &str = "us";
/// Time zone of a main office until one is set (IANA).
pub const DEFAULT_TIMEZONE: &str = "America/New_York";

/// Where a directory entry (an office, a user) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryState {
    Active,
    Pending,
    Suspended,
    Cancelled,
    Deleted,
}

impl EntryState {
    /// Every state.
    pub const ALL: [Self; 5] = [
        Self::Active,
        Self::Pending,
        Self::Suspended,
        Self::Cancelled,
        Self::Deleted,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Pending => "pending",
            Self::Suspended => "suspended",
            Self::Cancelled => "cancelled",
            Self::Deleted => "deleted",
        }
    }

    /// Reads a name; unknown names are invalid input.
    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| DomainError::invalid(format!("unknown state '{s}'")))
    }
}

/// A postal address (an office's or a user's emergency address).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Address {
    pub address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address2: Option<String>,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub country: String,
}

/// An office.
#[derive(Debug, Clone, PartialEq)]
pub struct Office {
    pub id: OfficeId,
    pub company_id: CompanyId,
    pub name: String,
    /// The main office (exactly one per company).
    pub is_primary: bool,
    pub state: EntryState,
    /// ISO 3166-1 alpha-2, lower case.
    pub country: String,
    /// IANA time zone.
    pub timezone: String,
    pub e911_address: Option<Address>,
    /// Opening hours, routing and the other settings a dialect keeps with the office.
    pub settings: JsonObject,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Office {
    /// The main office of a new company: named after it, active, with the default country
    /// and time zone.
    pub fn main_of(company: &Company) -> Self {
        Self {
            id: OfficeId::generate(),
            company_id: company.id,
            name: company.name.clone(),
            is_primary: true,
            state: EntryState::Active,
            country: DEFAULT_COUNTRY.into(),
            timezone: DEFAULT_TIMEZONE.into(),
            e911_address: None,
            settings: JsonObject::new(),
            created_at: company.created_at,
            updated_at: company.created_at,
        }
    }
}

/// A secondary office to add to a company.
#[derive(Debug, Clone)]
pub struct NewOffice {
    pub name: String,
    /// ISO 3166-1 alpha-2 (any case).
    pub country: String,
    /// IANA time zone; the main office's when `None`.
    pub timezone: Option<String>,
    pub e911_address: Option<Address>,
    pub settings: JsonObject,
}

/// Checks an office name: 1 to 256 characters on one line.
pub fn office_name(raw: &str) -> Result<String> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 256 || name.contains(['\n', '\r']) {
        return Err(DomainError::invalid(
            "name must be 1 to 256 characters on one line",
        ));
    }
    Ok(name.to_owned())
}

/// Checks an IANA time zone name.
pub fn timezone(raw: &str) -> Result<String> {
    jiff::tz::TimeZone::get(raw)
        .map(|_| raw.to_owned())
        .map_err(|_| DomainError::invalid(format!("unknown time zone '{raw}'")))
}

impl Address {
    /// Checks that the lines a postal address needs are there, each on one line, with a
    /// two-letter country (see `people::check_address`, the one rule for every address).
    pub fn checked(self) -> Result<Self> {
        crate::telephony::people::check_address(self)
    }
}
