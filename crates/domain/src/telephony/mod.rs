//! Telephony: the company directory (offices, users' directory entries) and calls with their
//! logs. Groups (call centers, departments), call routers, office main-line operators; numbers,
//! call routing and call control belong here too as they are built.

pub mod call;
pub mod changelog;
pub mod directory;
mod directory_service;
pub mod driver;
pub mod group;
mod group_service;
pub mod number;
mod number_lines;
mod number_service;
pub mod office;
pub mod office_extras;
mod office_extras_service;
pub mod people;
mod people_service;
pub mod router;
mod router_service;
mod service;
pub mod store;

pub(crate) use directory_service::insert_main_office;
pub use directory_service::CompanyProfile;
pub use number_lines::{FaxLine, ImportOutcome};
pub use people_service::{Person, MAX_STATUS_SECONDS};

crate::facade::context_service!(
    /// The telephony use cases: the company directory, call logs.
    Telephony,
    telephony
);
