//! Dialpad event subscriptions as a destination of the event worker, and the websocket
//! connections that read them.
//!
//! For each outbox event of a company, the enabled subscriptions of its type that match it
//! (see `events::subscription`) each get one copy, rendered in the vendor's payload shape
//! ([`render`]). An endpoint with a secret gets a compact JWT (HS256 with the secret; the
//! payload's fields are the claims, plus `iat` and `jti` = the event id), one without a secret
//! plain JSON. Webhooks are POSTed by the worker on the vendor's retry schedule of the event
//! type; websockets get a frame ([`socket`]). Events that name an `endpoint_id` themselves
//! (scheduled reports) go to that endpoint as they are.

mod render;
pub mod socket;

use std::collections::HashMap;

use async_trait::async_trait;
use jsonwebtoken::{encode, EncodingKey, Header};
use serde_json::Value;
use switchboard_domain::calls::event::CALL;
use switchboard_domain::events::endpoint::{Endpoint, EndpointKind};
use switchboard_domain::events::event::{
    Event, RetrySchedule, AGENT_STATUS_CHANGED, SCHEDULED_REPORT, SMS, SMS_STATUS,
};
use switchboard_domain::events::subscription::{Subscription, SubscriptionKind, SCOPE_RECORDINGS};
use switchboard_domain::events::Events;
use switchboard_domain::ids::{CompanyId, EndpointId};
use switchboard_domain::messaging::SmsFacts;
use switchboard_domain::telephony::changelog::CHANGE_LOG;
use switchboard_domain::{Core, DomainError, Result};
use switchboard_events::{Channel, Destinations, Target};

use crate::handlers::sms_render;

/// The Dialpad subscriptions destination kind.
pub struct Subscriptions;

/// The types of subscription an event kind may concern, with its retry schedule.
fn kinds_of(event: &str) -> (&'static [SubscriptionKind], RetrySchedule) {
    match event {
        CALL => (&[SubscriptionKind::Call], RetrySchedule::DialpadCall),
        SMS | SMS_STATUS => (&[SubscriptionKind::Sms], RetrySchedule::DialpadSms),
        AGENT_STATUS_CHANGED => (
            &[SubscriptionKind::AgentStatus],
            RetrySchedule::DialpadOther,
        ),
        CHANGE_LOG => (
            &[SubscriptionKind::ChangeLog, SubscriptionKind::Contact],
            RetrySchedule::DialpadOther,
        ),
        _ => (&[], RetrySchedule::DialpadOther),
    }
}

/// What one dispatch batch has read: each company's subscriptions by type, its endpoints and
/// their secrets, so that a batch of events costs a few reads, not a few per event.
#[derive(Default)]
struct Batch {
    subscriptions: HashMap<(CompanyId, SubscriptionKind), Vec<Subscription>>,
    endpoints: HashMap<CompanyId, HashMap<EndpointId, Endpoint>>,
    signer: Signer,
}

impl Batch {
    async fn subscriptions(
        &mut self,
        core: &Core,
        company: CompanyId,
        kind: SubscriptionKind,
    ) -> Result<Vec<Subscription>> {
        if let Some(found) = self.subscriptions.get(&(company, kind)) {
            return Ok(found.clone());
        }
        let found = core.store().active_subscriptions(company, kind).await?;
        self.subscriptions.insert((company, kind), found.clone());
        Ok(found)
    }

    async fn endpoint(
        &mut self,
        core: &Core,
        company: CompanyId,
        subs: &[Subscription],
        id: EndpointId,
    ) -> Result<Option<Endpoint>> {
        let known = self.endpoints.entry(company).or_default();
        if !known.contains_key(&id) {
            let missing: Vec<Subscription> = subs
                .iter()
                .filter(|s| !known.contains_key(&s.endpoint_id))
                .cloned()
                .collect();
            known.extend(core.events().endpoints_of(company, &missing).await?);
        }
        Ok(known.get(&id).cloned())
    }

    async fn targets(&mut self, core: &Core, event: &Event) -> Result<Vec<Target>> {
        let Some(company) = event.company_id else {
            return Ok(Vec::new());
        };
        if event.kind == SCHEDULED_REPORT {
            return report(core, company, event, &mut self.signer).await;
        }
        let (kinds, schedule) = kinds_of(&event.kind);
        let mut out = Vec::new();
        for kind in kinds {
            let subs = self.subscriptions(core, company, *kind).await?;
            if subs.is_empty() {
                continue;
            }
            // The same for every subscriber: read once.
            let agent = if *kind == SubscriptionKind::AgentStatus {
                render::agent_status(core, company, &event.payload).await?
            } else {
                None
            };
            for sub in &subs {
                let body = match sub.kind() {
                    SubscriptionKind::AgentStatus => agent.clone(),
                    _ => body_for(event, sub),
                };
                let Some(body) = body else { continue };
                let Some(endpoint) = self.endpoint(core, company, &subs, sub.endpoint_id).await?
                else {
                    continue;
                };
                let body = self.signer.body(core, &endpoint, event, body).await?;
                out.push(target(&endpoint, Some(sub), body, schedule));
            }
        }
        Ok(out)
    }
}

#[async_trait]
impl Destinations for Subscriptions {
    async fn targets(&self, core: &Core, event: &Event) -> Result<Vec<Target>> {
        Batch::default().targets(core, event).await
    }

    async fn targets_of(&self, core: &Core, events: &[Event]) -> Result<Vec<Vec<Target>>> {
        let mut batch = Batch::default();
        let mut out = Vec::with_capacity(events.len());
        for event in events {
            out.push(batch.targets(core, event).await?);
        }
        Ok(out)
    }
}

/// The subscription's copy of the event, or `None` when it does not match (agent-status
/// events are rendered once for all subscribers by the caller).
fn body_for(event: &Event, sub: &Subscription) -> Option<Value> {
    match sub.kind() {
        SubscriptionKind::Call if sub.wants_call(&event.payload) => {
            render::call(&event.payload, sub.has_scope(SCOPE_RECORDINGS))
        }
        SubscriptionKind::Sms => {
            let facts = SmsFacts::of(&event.payload)?.for_subscriptions();
            if !sub.wants_sms(&facts) {
                return None;
            }
            sms_render::sms_event(&event.payload, sub.may_read_messages())
        }
        SubscriptionKind::ChangeLog => Some(render::change_log(&event.payload)),
        SubscriptionKind::Contact => render::contact(&event.payload)
            .filter(|(_, kind)| sub.wants_contact(kind))
            .map(|(body, _)| body),
        _ => None,
    }
}

fn target(
    endpoint: &Endpoint,
    sub: Option<&Subscription>,
    body: String,
    schedule: RetrySchedule,
) -> Target {
    let channel = match (endpoint.kind, sub) {
        (EndpointKind::Websocket, Some(s)) => Channel::Websocket {
            endpoint: endpoint.id,
            subscription: s.id,
        },
        (EndpointKind::Websocket, None) => Channel::Websocket {
            endpoint: endpoint.id,
            subscription: switchboard_domain::ids::SubscriptionId(0),
        },
        (EndpointKind::Webhook, _) => Channel::Http {
            url: endpoint.hook_url.clone().unwrap_or_default(),
        },
    };
    Target {
        channel,
        signing_owner: Events::delivery_signing_owner(endpoint),
        partner_id: None,
        company_id: Some(endpoint.company_id),
        body,
        schedule,
    }
}

/// A scheduled report's event goes to the endpoint it names, if it is still the company's.
async fn report(
    core: &Core,
    company: CompanyId,
    event: &Event,
    signer: &mut Signer,
) -> Result<Vec<Target>> {
    let Some(id) = event.payload.get("endpoint_id").and_then(Value::as_i64) else {
        return Ok(Vec::new());
    };
    let Some(endpoint) = core.store().endpoint(company, EndpointId(id)).await? else {
        return Ok(Vec::new());
    };
    let body = signer
        .body(core, &endpoint, event, event.payload.clone())
        .await?;
    Ok(vec![target(
        &endpoint,
        None,
        body,
        RetrySchedule::DialpadOther,
    )])
}

/// Renders bodies, opening each endpoint's secret once per event.
#[derive(Default)]
struct Signer {
    secrets: HashMap<EndpointId, Option<Vec<u8>>>,
}

impl Signer {
    async fn body(
        &mut self,
        core: &Core,
        endpoint: &Endpoint,
        event: &Event,
        body: Value,
    ) -> Result<String> {
        if let std::collections::hash_map::Entry::Vacant(slot) = self.secrets.entry(endpoint.id) {
            slot.insert(core.events().endpoint_secret(endpoint).await?);
        }
        match self.secrets.get(&endpoint.id).and_then(Option::as_ref) {
            Some(secret) => jwt(secret, event, body),
            None => serde_json::to_string(&body).map_err(DomainError::internal),
        }
    }
}

/// The event as a compact JWT: its fields as claims, plus `iat` (the event's second) and
/// `jti` (the event id).
pub fn jwt(secret: &[u8], event: &Event, body: Value) -> Result<String> {
    let mut claims = match body {
        Value::Object(m) => m,
        other => {
            let mut m = serde_json::Map::new();
            m.insert("data".into(), other);
            m
        }
    };
    claims.insert("iat".into(), event.created_at.as_second().into());
    claims.insert("jti".into(), event.id.to_string().into());
    encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(secret),
    )
    .map_err(DomainError::internal)
}
