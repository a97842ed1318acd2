//! Turning outbox events into deliveries.

use async_trait::async_trait;
use jiff::Timestamp;
use serde_json::Value;
use switchboard_domain::events::event::{Delivery, DeliveryStatus, Event};
use switchboard_domain::ids::{DeliveryId, Id, PartnerId};
use switchboard_domain::{Core, Result};

/// One place an event goes to.
#[derive(Debug, Clone)]
pub struct Target {
    pub url: String,
    /// Whose signing secret signs the requests.
    pub signing_owner: String,
    /// The partner the target belongs to, if any (for listing).
    pub partner_id: Option<PartnerId>,
    /// The body, rendered in the receiver's wire form.
    pub body: Value,
}

/// A kind of destination (partner webhooks, and later others): says where an event goes.
/// Reads only; it runs while the dispatcher holds the outbox.
#[async_trait]
pub trait Destinations: Send + Sync + 'static {
    /// The targets of `event`; empty when nobody of this kind listens.
    async fn targets(&self, core: &Core, event: &Event) -> Result<Vec<Target>>;
}

/// Dispatches up to `limit` undispatched events; returns how many were handled.
pub(crate) async fn dispatch_batch(
    core: &Core,
    destinations: &[std::sync::Arc<dyn Destinations>],
    now: Timestamp,
    limit: u32,
) -> Result<usize> {
    let mut tx = core.store().begin().await?;
    let events = tx.undispatched_events(limit).await?;
    for event in &events {
        for dest in destinations {
            for target in dest.targets(core, event).await? {
                let delivery = Delivery {
                    id: DeliveryId::generate(),
                    event_id: event.id,
                    partner_id: target.partner_id,
                    url: target.url,
                    signing_owner: target.signing_owner,
                    body: serde_json::to_string(&target.body)
                        .map_err(switchboard_domain::DomainError::internal)?,
                    status: DeliveryStatus::Pending,
                    attempts: 0,
                    next_attempt_at: now,
                    last_error: None,
                    created_at: now,
                    finished_at: None,
                };
                tx.insert_delivery(&delivery).await?;
            }
        }
        tx.mark_event_dispatched(event.id, now).await?;
    }
    tx.commit().await?;
    Ok(events.len())
}
