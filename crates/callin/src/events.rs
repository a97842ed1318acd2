//! The post-call webhook as a destination of the event worker: when a call leg that an AI
//! agent handled ends (a `call` event in state `hangup` whose target is the agent), the URL in
//! the agent's `platformSettings.callActions.postCallWebhook` gets one delivery.
//!
//! Choices where the vendor is silent: the body is
//! `{"event": "call.ended", "agentId", "agentVersion", "call": {"id", "direction", "from",
//! "to", "startedAt", "connectedAt", "endedAt", "durationSeconds", "outcome"}}`
//! (times RFC 3339); it is signed with the Standard Webhooks headers keyed with the company's
//! signing secret (`switchboard webhooks secret --company ID` prints it), retried with the
//! standard backoff and kept for replay like every delivery. A URL that is not http(s) gets
//! nothing.

use async_trait::async_trait;
use jiff::Timestamp;
use serde_json::{json, Value};
use switchboard_domain::calls::event::CALL;
use switchboard_domain::calls::leg::CallLeg;
use switchboard_domain::events::endpoint::{check_hook_url, company_signing_owner};
use switchboard_domain::events::event::Event;
use switchboard_domain::ids::AgentId;
use switchboard_domain::{Core, Result};
use switchboard_events::{Destinations, Target};

/// The post-call webhook destination kind.
pub struct PostCallWebhooks;

fn rfc3339(t: Option<Timestamp>) -> Value {
    t.map_or(Value::Null, |t| json!(t.to_string()))
}

#[async_trait]
impl Destinations for PostCallWebhooks {
    async fn targets(&self, core: &Core, event: &Event) -> Result<Vec<Target>> {
        if event.kind != CALL
            || event.payload.get("state").and_then(Value::as_str) != Some("hangup")
            || event.payload["target"]["kind"] != "ai_agent"
        {
            return Ok(Vec::new());
        }
        let Ok(leg) = serde_json::from_value::<CallLeg>(event.payload.clone()) else {
            return Ok(Vec::new());
        };
        let Some(target) = leg.target else {
            return Ok(Vec::new());
        };
        let Some(agent) = core.store().agent(AgentId(target.id)).await? else {
            return Ok(Vec::new());
        };
        if agent.company_id != leg.company_id {
            return Ok(Vec::new());
        }
        let url = agent
            .extra
            .get("platformSettings")
            .and_then(|p| p.get("callActions"))
            .and_then(|c| c.get("postCallWebhook"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let Ok(url) = check_hook_url(url) else {
            return Ok(Vec::new());
        };
        let duration = match (leg.date_connected, leg.date_ended) {
            (Some(a), Some(b)) => b.duration_since(a).as_secs(),
            _ => 0,
        };
        let body = json!({
            "event": "call.ended",
            "agentId": agent.id.to_string(),
            "agentVersion": leg.ai_agent_version,
            "call": {
                "id": leg.id.to_string(),
                "direction": leg.direction,
                "from": leg.external_number,
                "to": leg.internal_number,
                "startedAt": rfc3339(Some(leg.date_started)),
                "connectedAt": rfc3339(leg.date_connected),
                "endedAt": rfc3339(leg.date_ended),
                "durationSeconds": duration,
                "outcome": leg.outcome,
            },
        });
        Ok(vec![Target::http_json(
            url,
            company_signing_owner(leg.company_id),
            None,
            &body,
        )?
        .for_company(leg.company_id)])
    }
}
