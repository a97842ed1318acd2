//! Switchboard's domain core, one folder per bounded context.
//!
//! Each context has its model (entities and their rules), its service (the use cases, reached
//! through [`Core`]: `core.ai_agents()`, `core.workforce()`, …) and its storage traits
//! (`store.rs`), which the SQLite and PostgreSQL implementations in `switchboard-store` fulfil.
//! The files at the top are the kernel every context shares: ids, errors, the clock, paging,
//! JSON helpers, encrypted secrets and idempotency records. Nothing here knows about HTTP or SQL.

pub mod ai_agents;
pub mod calls;
pub mod clients;
pub mod events;
pub mod media;
pub mod messaging;
pub mod oauth;
pub mod reporting;
pub mod routing;
pub mod telephony;
pub mod tenancy;
pub mod workforce;

pub mod clock;
pub mod cursor;
mod epoch_cache;
pub mod error;
mod facade;
pub mod idempotency;
pub mod ids;
pub mod json;
pub mod page;
pub mod phone;
pub mod secret;
pub mod store;

pub use ai_agents::AiAgents;
pub use calls::Calls;
pub use clients::PartnerClients;
pub use clock::{Clock, ManualClock, OffsetClock, SystemClock};
pub use error::{DomainError, Result};
pub use events::Events;
pub use facade::Core;
pub use media::Media;
pub use messaging::Messaging;
pub use oauth::OAuth;
pub use reporting::Reporting;
pub use telephony::Telephony;
pub use tenancy::Tenancy;
pub use workforce::Workforce;
