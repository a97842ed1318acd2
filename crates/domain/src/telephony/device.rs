//! User devices: the apps and phones a user signs in on (the SIP registrar records them as
//! they register). Each belongs to one user of the company. The device type is the vendor's
//! name, kept as given by whatever registered it.

use jiff::Timestamp;

use crate::ids::{CompanyId, DeviceId, UserId};

/// A user's device.
#[derive(Debug, Clone, PartialEq)]
pub struct Device {
    pub id: DeviceId,
    pub company_id: CompanyId,
    pub user_id: UserId,
    /// The device type (`iphone`, `web`, `yealink`, …).
    pub kind: String,
    pub display_name: Option<String>,
    /// The number the device calls from (E.164).
    pub phone_number: Option<String>,
    /// The firmware or app version the device reported.
    pub app_version: Option<String>,
    /// When it last registered.
    pub registered_at: Option<Timestamp>,
    /// How to reach it, for a phone registered over SIP.
    pub sip: Option<SipBinding>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A phone's SIP registration: where the registrar rings it, and until when.
#[derive(Debug, Clone, PartialEq)]
pub struct SipBinding {
    /// The account it registered with.
    pub username: String,
    /// What tells this phone from the account's others: its instance id (`+sip.instance`)
    /// when it sends one, else its contact.
    pub key: String,
    /// Its contact URI (where INVITEs go).
    pub contact: String,
    /// Past this the registration has lapsed: the phone is neither listed nor rung.
    pub expires_at: Timestamp,
}

/// Which devices a list shows (never a registration that has lapsed).
#[derive(Debug, Clone, Default)]
pub struct DeviceFilter {
    /// One user's devices; `None` for every device of the company.
    pub user_id: Option<UserId>,
}

/// An account that a user's phones register with over SIP. Its password is sealed in the
/// store's secrets, under [`crate::secret::SecretPurpose::SipPassword`] and the username.
#[derive(Debug, Clone, PartialEq)]
pub struct SipAccount {
    /// Unique across the server (the digest username).
    pub username: String,
    pub company_id: CompanyId,
    pub user_id: UserId,
    pub created_at: Timestamp,
}

/// What a phone asks to register (or, with no time left, to unregister).
#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    pub key: String,
    pub contact: String,
    /// Seconds the registration lasts; 0 removes it.
    pub expires: u32,
    /// The device type the registrar gives the phone (see [`Device::kind`]).
    pub kind: String,
    /// The `User-Agent` the phone sent.
    pub user_agent: Option<String>,
}
