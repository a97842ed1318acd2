//! Turning outbox events into deliveries.

use async_trait::async_trait;
use jiff::Timestamp;
use serde_json::Value;
use switchboard_domain::events::endpoint_store::NewFrame;
use switchboard_domain::events::event::{Delivery, DeliveryStatus, Event, RetrySchedule};
use switchboard_domain::ids::{
    CompanyId, DeliveryId, EndpointId, EventId, Id, PartnerId, SubscriptionId,
};
use switchboard_domain::store::WriteTx;
use switchboard_domain::{Core, Result};

/// How an event reaches a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Channel {
    /// POSTed to a URL by the worker, with retries and an attempt log.
    Http { url: String },
    /// Appended to a websocket's frames, which its connected clients read.
    Websocket {
        endpoint: EndpointId,
        subscription: SubscriptionId,
    },
}

/// One place an event goes to.
#[derive(Debug, Clone)]
pub struct Target {
    pub channel: Channel,
    /// Whose signing secret signs the requests (HTTP).
    pub signing_owner: String,
    /// The partner the target belongs to, if any (for listing).
    pub partner_id: Option<PartnerId>,
    /// The company the target belongs to, if any (for listing).
    pub company_id: Option<CompanyId>,
    /// The body, rendered in the receiver's wire form (JSON, or a JWT).
    pub body: String,
    /// How failed attempts are retried (HTTP).
    pub schedule: RetrySchedule,
}

impl Target {
    /// A JSON body POSTed to `url` on the standard retry schedule.
    pub fn http_json(
        url: String,
        signing_owner: String,
        partner_id: Option<PartnerId>,
        body: &Value,
    ) -> Result<Self> {
        Ok(Self {
            channel: Channel::Http { url },
            signing_owner,
            partner_id,
            company_id: None,
            body: serde_json::to_string(body).map_err(switchboard_domain::DomainError::internal)?,
            schedule: RetrySchedule::Standard,
        })
    }

    /// The same target, listed among `company`'s deliveries.
    pub fn for_company(self, company: CompanyId) -> Self {
        Self {
            company_id: Some(company),
            ..self
        }
    }
}

/// A kind of destination (partner webhooks, and later others): says where an event goes.
/// Reads only; it runs while the dispatcher holds the outbox.
#[async_trait]
pub trait Destinations: Send + Sync + 'static {
    /// The targets of `event`; empty when nobody of this kind listens.
    async fn targets(&self, core: &Core, event: &Event) -> Result<Vec<Target>>;

    /// The targets of each of `events`, in order. A kind whose reads can serve several events
    /// at once (who listens to a company) overrides this; by default it asks event by event.
    async fn targets_of(&self, core: &Core, events: &[Event]) -> Result<Vec<Vec<Target>>> {
        let mut out = Vec::with_capacity(events.len());
        for event in events {
            out.push(self.targets(core, event).await?);
        }
        Ok(out)
    }
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
    let mut frames = Vec::new();
    let mut per_destination = Vec::with_capacity(destinations.len());
    for dest in destinations {
        per_destination.push(dest.targets_of(core, &events).await?);
    }
    for (i, event) in events.iter().enumerate() {
        for targets in &mut per_destination {
            for target in targets.get_mut(i).map(std::mem::take).unwrap_or_default() {
                let url = match target.channel {
                    Channel::Http { url } => url,
                    Channel::Websocket {
                        endpoint,
                        subscription,
                    } => {
                        frames.push(NewFrame {
                            endpoint_id: endpoint,
                            subscription_id: subscription,
                            event_id: event.id,
                            body: target.body,
                            created_at: now,
                        });
                        continue;
                    }
                };
                deliveries.push(Delivery {
                    id: DeliveryId::generate(),
                    event_id: event.id,
                    partner_id: target.partner_id,
                    company_id: target.company_id,
                    url,
                    signing_owner: target.signing_owner,
                    body: target.body,
                    schedule: target.schedule,
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
    tx.append_frames(&frames).await?;
    let ids: Vec<EventId> = events.iter().map(|e| e.id).collect();
    tx.mark_events_dispatched(&ids, now).await?;
    Ok((events.len(), deliveries))
}
