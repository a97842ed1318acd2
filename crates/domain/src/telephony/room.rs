//! Rooms: shared phones that belong to an office (a meeting room's, a lobby's) rather than
//! to a person. A room is a directory entry like a user, with a name and a state; its numbers
//! come from the numbers resource.
//!
//! International calls from room phones may be protected by a PIN: a PIN is issued for a
//! `customer_ref` (who asked for it), lasts [`PIN_LIFETIME_SECONDS`], and is kept only as a
//! keyed hash ([`pin_hash`]), so the database never holds a usable PIN.

use hmac::{Hmac, Mac};
use jiff::Timestamp;
use rand::Rng;
use sha2::Sha256;

use crate::ids::{CompanyId, OfficeId, PinId, RoomId};
use crate::telephony::office::EntryState;
use crate::{DomainError, Result};

/// Longest room name.
pub const MAX_NAME: usize = 100;
/// How long an international-call PIN stays valid: 30 minutes.
pub const PIN_LIFETIME_SECONDS: i64 = 30 * 60;
/// Digits of an international-call PIN.
pub const PIN_DIGITS: usize = 6;
/// Longest `customer_ref`.
pub const MAX_CUSTOMER_REF: usize = 255;

/// A room.
#[derive(Debug, Clone, PartialEq)]
pub struct Room {
    pub id: RoomId,
    pub company_id: CompanyId,
    pub office_id: OfficeId,
    pub name: String,
    pub state: EntryState,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A room to create.
#[derive(Debug, Clone)]
pub struct NewRoom {
    pub office_id: OfficeId,
    pub name: String,
}

/// A change to a room: the fields given change.
#[derive(Debug, Clone, Default)]
pub struct RoomPatch {
    pub name: Option<String>,
    /// The numbers to keep, in order; numbers left out are unassigned.
    pub phone_numbers: Option<Vec<String>>,
}

/// Which rooms a list shows.
#[derive(Debug, Clone, Default)]
pub struct RoomFilter {
    pub office_id: Option<OfficeId>,
}

/// Checks a room name: 1 to [`MAX_NAME`] characters on one line.
pub fn room_name(raw: &str) -> Result<String> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.contains(['\n', '\r']) {
        return Err(DomainError::invalid(format!(
            "name must be 1 to {MAX_NAME} characters on one line"
        )));
    }
    Ok(name.to_owned())
}

/// A PIN for international calls from room phones, as stored: the keyed hash, never the PIN.
#[derive(Debug, Clone, PartialEq)]
pub struct InternationalPin {
    pub id: PinId,
    pub company_id: CompanyId,
    pub customer_ref: Option<String>,
    /// Hex HMAC-SHA256 of the PIN under the server's PIN key, bound to the company.
    pub pin_hash: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// A PIN just issued: the stored record and the PIN itself, shown once.
#[derive(Debug, Clone)]
pub struct IssuedPin {
    pub record: InternationalPin,
    pub pin: String,
}

/// A random PIN of [`PIN_DIGITS`] decimal digits.
pub fn new_pin() -> String {
    let mut rng = rand::thread_rng();
    (0..PIN_DIGITS)
        .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
        .collect()
}

/// The stored form of `pin` for `company`: HMAC-SHA256 under `key`, in hex. Keyed, so that
/// the few possible PINs cannot be tried against the database without the server's key.
pub fn pin_hash(key: &[u8], company: CompanyId, pin: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(&company.0.to_be_bytes());
    mac.update(pin.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks a `customer_ref`: one line of at most [`MAX_CUSTOMER_REF`] characters; empty is none.
pub fn customer_ref(raw: Option<&str>) -> Result<Option<String>> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    if raw.chars().count() > MAX_CUSTOMER_REF || raw.contains(['\n', '\r']) {
        return Err(DomainError::invalid(format!(
            "customer_ref must be one line of at most {MAX_CUSTOMER_REF} characters"
        )));
    }
    Ok(Some(raw.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_numbers_and_pins_follow_the_rules() {
        assert_eq!(room_name("  Lobby ").unwrap(), "Lobby");
        assert!(room_name(" ").is_err());
        assert!(room_name("a\nb").is_err());
        assert!(room_name(&"x".repeat(MAX_NAME + 1)).is_err());

        let pin = new_pin();
        assert_eq!(pin.len(), PIN_DIGITS);
        assert!(pin.bytes().all(|b| b.is_ascii_digit()));
        let h = pin_hash(b"key", CompanyId(1), "123456");
        assert_eq!(h.len(), 64);
        assert_eq!(h, pin_hash(b"key", CompanyId(1), "123456"));
        assert_ne!(h, pin_hash(b"key", CompanyId(2), "123456"));
        assert_ne!(h, pin_hash(b"other", CompanyId(1), "123456"));

        assert_eq!(customer_ref(Some(" ")).unwrap(), None);
        assert_eq!(
            customer_ref(Some("desk 4")).unwrap().as_deref(),
            Some("desk 4")
        );
        assert!(customer_ref(Some("a\nb")).is_err());
    }
}
