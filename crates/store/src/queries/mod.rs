//! The SQL, grouped by resource. Every function takes a connection, so the same query serves
//! plain reads and reads inside a write transaction.

pub(crate) mod accounts;
pub(crate) mod agents;
pub(crate) mod calls;
pub(crate) mod clients;
pub(crate) mod collab;
pub(crate) mod events;
pub(crate) mod idempotency;
pub(crate) mod media;
pub(crate) mod people;
pub(crate) mod secrets;
pub(crate) mod teams;
