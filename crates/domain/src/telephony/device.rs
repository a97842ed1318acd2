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
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Which devices a list shows.
#[derive(Debug, Clone, Default)]
pub struct DeviceFilter {
    /// One user's devices; `None` for every device of the company.
    pub user_id: Option<UserId>,
}
