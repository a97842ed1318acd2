//! What can change about a person in the directory: the update of their entry (names and
//! emails are the tenancy user's, the rest the directory's), their status message, their
//! caller id, their emergency address. Do-not-disturb is not stored here: it is the
//! workforce presence (see [`do_not_disturb`]), one fact that every dialect shows.

use crate::ids::OfficeId;
use crate::telephony::office::{Address, EntryState};
use crate::workforce::presence::{Activity, Presence};
use crate::{DomainError, Result};

/// Longest single-line text (job title, extension, status message, address lines).
pub const MAX_TEXT: usize = 200;
/// Most emails or forwarding numbers a user keeps.
pub const MAX_LIST: usize = 20;
/// The caller id that hides the number.
pub const BLOCKED_CALLER_ID: &str = "blocked";

/// A change to a user: every `Some` field is written, every `None` left as it is.
#[derive(Debug, Clone, Default)]
pub struct DirectoryPatch {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// Every email of the user; the first is the primary one (the sign-in email every dialect
    /// shows), which must not belong to another user.
    pub emails: Option<Vec<String>>,
    pub extension: Option<String>,
    pub job_title: Option<String>,
    /// Checked against the dialect's licence names by the dialect.
    pub license: Option<String>,
    pub office_id: Option<OfficeId>,
    /// Only `active` and `suspended` may be set; a suspended user's keys stop working.
    pub state: Option<EntryState>,
    /// E.164 numbers.
    pub forwarding_numbers: Option<Vec<String>>,
    pub international_dialing_enabled: Option<bool>,
    pub is_super_admin: Option<bool>,
    /// Offices of the company the user administers.
    pub admin_office_ids: Option<Vec<OfficeId>>,
    /// A status message without expiry (`Some("")` clears it).
    pub status_message: Option<String>,
    /// The user's numbers to keep, primary first (the others go back to the pool).
    pub phone_numbers: Option<Vec<String>>,
}

/// A status message and how long it lasts.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusChange {
    /// `None` or empty clears the message.
    pub message: Option<String>,
    /// Seconds from now; `None` for no expiry.
    pub expires_in: Option<i64>,
}

/// A user's status message as it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct UserStatus {
    pub message: Option<String>,
    /// Seconds left until it lapses; `None` for no expiry.
    pub expires_in: Option<i64>,
}

/// Do-not-disturb is the workforce presence: on while the activity is `busy` (Bird's
/// "unavailable for new work"), off otherwise. Turning it on sets the activity to `busy`,
/// turning it off sets it to `available`; the status (active, away, offline) is kept.
pub fn do_not_disturb(presence: &Presence) -> bool {
    presence.activity == Activity::Busy
}

/// A single line of at most [`MAX_TEXT`] characters, trimmed.
pub fn single_line(field: &str, raw: &str) -> Result<String> {
    let t = raw.trim();
    if t.chars().count() > MAX_TEXT || t.contains(['\n', '\r']) {
        return Err(DomainError::invalid(format!(
            "{field} must be a single line of at most {MAX_TEXT} characters"
        )));
    }
    Ok(t.to_owned())
}

/// An E.164 number: `+`, then 2 to 15 digits not starting with 0.
pub fn e164(field: &str, raw: &str) -> Result<String> {
    let digits = raw.strip_prefix('+').unwrap_or("");
    let ok = (2..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if !ok {
        return Err(DomainError::invalid(format!(
            "{field} must be an E.164 number such as +14155550100; got '{raw}'"
        )));
    }
    Ok(raw.to_owned())
}

/// An emergency address with every required line present and single-line; the country is
/// ISO 3166-1 alpha-2, stored lower case.
pub fn check_address(a: Address) -> Result<Address> {
    let required = |field: &str, v: &str| {
        let v = single_line(field, v)?;
        if v.is_empty() {
            return Err(DomainError::invalid(format!("{field} is required")));
        }
        Ok(v)
    };
    let country = required("country", &a.country)?.to_lowercase();
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(DomainError::invalid(
            "country must be a two-letter ISO 3166-1 code",
        ));
    }
    Ok(Address {
        address: required("address", &a.address)?,
        address2: a
            .address2
            .map(|v| single_line("address2", &v))
            .transpose()?
            .filter(|v| !v.is_empty()),
        city: required("city", &a.city)?,
        state: required("state", &a.state)?,
        zip: required("zip", &a.zip)?,
        country,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e164_numbers() {
        assert!(e164("n", "+14155550100").is_ok());
        for bad in [
            "14155550100",
            "+0123",
            "+1",
            "+1415555010011111",
            "+1415a",
            "",
        ] {
            assert!(e164("n", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn addresses_need_every_line() {
        let a = Address {
            address: "1 Main St".into(),
            address2: Some("".into()),
            city: "Springfield".into(),
            state: "IL".into(),
            zip: "62701".into(),
            country: "US".into(),
        };
        let ok = check_address(a.clone()).unwrap();
        assert_eq!(ok.country, "us");
        assert_eq!(ok.address2, None);
        assert!(check_address(Address {
            city: " ".into(),
            ..a.clone()
        })
        .is_err());
        assert!(check_address(Address {
            country: "usa".into(),
            ..a
        })
        .is_err());
    }
}
