//! Telephony: calls and their logs. Offices, groups (call centers, departments), numbers, call
//! routing and call control belong here too as they are built.

pub mod call;
mod service;
pub mod store;

crate::facade::context_service!(
    /// The telephony use cases: call logs.
    Telephony,
    telephony
);
