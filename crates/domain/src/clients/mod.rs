//! Partner clients: the companies a partner resells to, with their profile and status, as the
//! 360dialog Partner API shows them.

pub mod client;
mod service;
pub mod store;

crate::facade::context_service!(
    /// The partner-client use cases: create, read, list, update, change status.
    PartnerClients,
    partner_clients
);
