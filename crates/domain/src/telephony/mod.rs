//! Telephony: the company directory (offices, users' directory entries) and calls with their
//! logs. Groups (call centers, departments), numbers, call routing and call control belong here
//! too as they are built.

pub mod access;
mod access_service;
mod blocked_service;
pub mod call;
pub mod changelog;
pub mod contact;
mod contact_service;
pub mod contact_store;
pub mod directory;
mod directory_service;
pub mod group;
mod group_service;
pub mod ivr;
mod ivr_service;
mod label_service;
pub mod office;
pub mod people;
mod people_service;
mod service;
pub mod store;

pub use access_service::UserTargets;
pub use blocked_service::{blocked_numbers, e164_only, MAX_BLOCKED_PER_REQUEST};
pub(crate) use directory_service::insert_main_office;
pub use directory_service::CompanyProfile;
pub use ivr_service::IvrKind;
pub use label_service::{call_labels, MAX_CALL_LABELS};
pub use people_service::{Person, MAX_STATUS_SECONDS};

crate::facade::context_service!(
    /// The telephony use cases: the company directory, call logs.
    Telephony,
    telephony
);
