//! The company directory's view of a user: the office they belong to, their state, and the
//! directory fields a phone system keeps (licence, extension, job title, …). The person
//! themselves (names, email, admin flag) is the tenancy [`User`], the same record every dialect
//! shows; presence is the workforce's.

use serde::{Deserialize, Serialize};

use crate::ids::{CompanyId, OfficeId, UserId};
use crate::telephony::office::EntryState;
use crate::tenancy::account::{Email, User};

/// A user's place in the directory.
#[derive(Debug, Clone, PartialEq)]
pub struct DirectoryEntry {
    pub office_id: OfficeId,
    pub state: EntryState,
    pub fields: DirectoryFields,
}

/// The directory fields of a user, kept as one document. Values a dialect constrains (such as
/// licence names) are checked by that dialect.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DirectoryFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub forwarding_numbers: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<String>,
    pub international_dialing_enabled: bool,
    pub is_super_admin: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub admin_office_ids: Vec<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_message: Option<String>,
    /// When the status message lapses (unix milliseconds); `None` for never.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_expires_at: Option<i64>,
    /// The number the user's outbound calls show, or `blocked`; `None` for their own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caller_id: Option<String>,
    /// The user's own emergency address; `None` for their office's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub e911_address: Option<crate::telephony::office::Address>,
}

/// A user with their directory entry.
#[derive(Debug, Clone, PartialEq)]
pub struct DirectoryUser {
    pub user: User,
    pub entry: DirectoryEntry,
}

/// Which users a directory list shows.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// `None`: every state but `deleted`.
    pub states: Option<Vec<EntryState>>,
    pub company_admin: Option<bool>,
    pub email: Option<Email>,
    /// Users who have this number (E.164).
    pub number: Option<String>,
    /// Only these users.
    pub ids: Option<Vec<UserId>>,
}

impl UserFilter {
    /// The states the list shows.
    pub fn states(&self) -> Vec<EntryState> {
        self.states.clone().unwrap_or_else(|| {
            EntryState::ALL
                .into_iter()
                .filter(|s| *s != EntryState::Deleted)
                .collect()
        })
    }
}

/// A new user made through the directory.
#[derive(Debug, Clone)]
pub struct NewDirectoryUser {
    pub company_id: CompanyId,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// The office; `None` for the main office.
    pub office_id: Option<OfficeId>,
    pub license: Option<String>,
    /// Assign the user a number at once (see `Pick::Auto`).
    pub auto_assign: bool,
}
