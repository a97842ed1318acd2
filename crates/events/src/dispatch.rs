//! Turning outbox events into deliveries.

use async_trait::async_trait;
use jiff::Timestamp;
use serde_json::Value;
use switchboard_domain::events::event::{Delivery, DeliveryStatus, Event};
use switchboard_domain::ids::{DeliveryId, EventId, Id, PartnerId};
use switchboard_domain::store::WriteTx;
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

/// Dispatches up to `limit` undispatched events inside `tx` and returns how many there were
/// with their new deliveries. The deliveries are written already claimed, due at `lease_until`
/// (see the worker's module doc), so the caller sends them at once without claiming them again.
/// Targets are asked for while `tx` holds the events, so every event is dispatched once.
pub(crate) async fn dispatch_claimed(
    tx: &mut dyn WriteTx,
    core: &Core,
    destinations: &[std::sync::Arc<dyn Destinations>],
    now: Timestamp,
    lease_until: Timestamp,
    limit: u32,
) -> Result<(usize, Vec<Delivery>)> {
    let events = tx.undispatched_events(limit).await?;
    if events.is_empty() {
        return Ok((0, Vec::new()));
    }
    let mut deliveries = Vec::with_capacity(events.len());
    for event in &events {
        for dest in destinations {
            for target in dest.targets(core, event).await? {
                deliveries.push(Delivery {
                    id: DeliveryId::generate(),
                    event_id: event.id,
                    partner_id: target.partner_id,
                    url: target.url,
                    signing_owner: target.signing_owner,
                    body: serde_json::to_string(&target.body)
                        .map_err(switchboard_domain::DomainError::internal)?,
                    status: DeliveryStatus::Pending,
                    attempts: 0,
                    next_attempt_at: lease_until,
                    last_error: None,
                    created_at: now,
                    finished_at: None,
                });
            }
        }
    }
    tx.insert_deliveries(&deliveries).await?;
    let ids: Vec<EventId> = events.iter().map(|e| e.id).collect();
    tx.mark_events_dispatched(&ids, now).await?;
    Ok((events.len(), deliveries))
}
