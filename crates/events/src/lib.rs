//! Durable event delivery, shared by every feature that tells the outside world about changes.
//!
//! Use cases write [`Event`](switchboard_domain::events::event::Event)s into the outbox in the same
//! transaction as the change they report. The [`Worker`] then:
//! 1. dispatches: asks each registered [`Destinations`] which targets an event has (for example
//!    the partner's `webhook_url` at the time of dispatch) and writes one delivery per target,
//!    with a stable id that is the `webhook-id` of every attempt;
//! 2. delivers: POSTs each due delivery with Standard Webhooks headers (`webhook-id`,
//!    `webhook-timestamp`, `webhook-signature`), records the attempt (status, error, duration),
//!    and on failure schedules the next one with exponential backoff and jitter (honouring
//!    `Retry-After`). A delivery whose retries are spent is kept as `exhausted` for replay.
//!
//! Outbound requests never reach private or loopback addresses (checked after DNS resolution)
//! unless the worker is configured to allow them.

mod dispatch;
pub mod net;
mod routing_client;
pub mod signature;
mod worker;

pub use dispatch::{Channel, Destinations, Target};
pub use routing_client::{routing_jwt, HttpRoutingClient};
pub use worker::{Report, RetryPolicy, Worker, WorkerConfig};
