//! Switchboard's domain core.
//!
//! Entities, commands and errors shared by every dialect, the storage trait that the database
//! implementations fulfil, and the use-case services that hold the business rules. Nothing here
//! knows about HTTP or SQL.

pub mod account;
pub mod agent;
pub mod agent_config;
pub mod agent_list;
pub mod agent_patch;
pub mod call;
pub mod client;
pub mod clock;
pub mod collab;
pub mod error;
pub mod event;
pub mod human_agent;
pub mod idempotency;
pub mod ids;
pub mod json;
pub mod media;
pub mod page;
pub mod presence;
pub mod schedule;
pub mod secret;
pub mod services;
pub mod store;
pub mod workflow;

pub use clock::{Clock, OffsetClock, SystemClock};
pub use error::{DomainError, Result};
pub use services::Core;
