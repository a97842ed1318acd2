//! Partner webhooks as a destination of the event worker: client events go to the partner's
//! `webhook_url` as of dispatch, in the envelope `{"id", "event", "data"}` with the client in
//! `data`.

use async_trait::async_trait;
use serde_json::{json, Value};
use switchboard_domain::events::event::{Event, CLIENT_CREATED, CLIENT_STATUS_CHANGED};
use switchboard_domain::events::partner_signing_owner;
use switchboard_domain::{Core, DomainError, Result};
use switchboard_events::{Destinations, Target};

use crate::wire::ClientOut;

/// The partner-webhook destination kind.
pub struct PartnerWebhooks;

#[async_trait]
impl Destinations for PartnerWebhooks {
    async fn targets(&self, core: &Core, event: &Event) -> Result<Vec<Target>> {
        if ![CLIENT_CREATED, CLIENT_STATUS_CHANGED].contains(&event.kind.as_str()) {
            return Ok(Vec::new());
        }
        let (Some(partner_id), Some(company_id)) = (event.partner_id, event.company_id) else {
            return Ok(Vec::new());
        };
        let Some(partner) = core.store().partner(partner_id).await? else {
            return Ok(Vec::new());
        };
        let Some(url) = partner.webhook_url else {
            return Ok(Vec::new());
        };
        let Some(client) = core.store().client(partner_id, company_id).await? else {
            return Ok(Vec::new());
        };
        let mut data =
            serde_json::to_value(ClientOut::new(&client)).map_err(DomainError::internal)?;
        // The status as of the event, not as of dispatch.
        if let Some(status) = event.payload.get("status") {
            data["status"] = status.clone();
        }
        if let Some(previous) = event.payload.get("previous_status") {
            data["previous_status"] = previous.clone();
        }
        let body: Value = json!({
            "id": event.id.to_string(),
            "event": event.kind,
            "data": data,
        });
        Ok(vec![Target::http_json(
            url,
            partner_signing_owner(partner_id),
            Some(partner_id),
            &body,
        )?])
    }
}
