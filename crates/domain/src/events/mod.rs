//! Events: the outbox every change writes in its own transaction, the deliveries made of it and
//! their attempts, and the signing secrets of the receivers. The delivery worker that sends them
//! is the `switchboard-events` crate.

pub mod endpoint;
mod endpoint_service;
pub mod endpoint_store;
pub mod event;
mod service;
pub mod store;
pub mod subscription;

pub use endpoint_service::{SubscriptionChange, WebsocketGrant, WEBSOCKET_TOKEN_TTL};
pub use service::partner_signing_owner;

crate::facade::context_service!(
    /// The event use cases: signing secrets, delivery logs, replay.
    Events,
    events
);
