//! Tenancy: partners, the companies they resell to, users and API keys, and the master-key
//! rotation of every stored secret. Who is calling and which company they act for is decided
//! here, for every dialect.

pub mod account;
mod accounts;
mod partners;
mod rotation;
pub mod sessions;
pub mod store;

pub(crate) use accounts::name;
pub use accounts::NewUser;
pub use partners::{parse_http_url, PartnerChange};

crate::facade::context_service!(
    /// Tenancy's use cases: partners, companies, users, keys, authentication.
    Tenancy,
    tenancy
);
