//! Telephony: the company directory (offices and their main-line operators, users' directory
//! entries, groups — call centers and departments —, rooms, devices, coaching teams, channels,
//! meeting rooms, call routers, numbers, the change log) and calls with their logs. Call
//! routing and call control belong here too as they are built.

pub mod access;
mod access_service;
mod blocked_service;
pub mod call;
pub mod changelog;
pub mod channel;
mod channel_service;
pub mod coaching;
mod coaching_service;
pub mod conference;
mod conference_service;
pub mod contact;
mod contact_service;
pub mod contact_store;
pub mod device;
mod device_service;
pub mod directory;
mod directory_service;
pub mod driver;
pub mod group;
mod group_service;
pub mod ivr;
mod ivr_service;
pub(crate) mod keyset;
mod label_service;
pub mod number;
mod number_lines;
mod number_service;
pub mod office;
pub mod office_extras;
mod office_extras_service;
pub mod people;
mod people_service;
pub mod room;
mod room_service;
pub mod router;
mod router_service;
mod service;
mod sip_service;
pub mod store;
pub mod trunk;
mod trunk_service;

pub use access_service::UserTargets;
pub use blocked_service::{blocked_numbers, e164_only, MAX_BLOCKED_PER_REQUEST};
pub(crate) use directory_service::insert_main_office;
pub use directory_service::CompanyProfile;
pub use ivr_service::IvrKind;
pub use label_service::{call_labels, MAX_CALL_LABELS};
pub use number_lines::{FaxLine, ImportOutcome};
pub use people_service::{Person, MAX_STATUS_SECONDS};
pub use sip_service::{NewSipAccount, RegisterRefusal, MAX_BINDINGS_PER_ACCOUNT};
pub use trunk_service::{e164_of, OutboundRoute, MAX_RUNG_PHONES};

crate::facade::context_service!(
    /// The telephony use cases: the company directory, call logs.
    Telephony,
    telephony
);
