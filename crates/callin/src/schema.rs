//! Schemas for the OpenAPI document only: the request bodies and the typed sections of an
//! agent. Handlers read bodies as JSON values and the domain checks them, so that every
//! mistake gets a message naming the field.

#![allow(dead_code)]

use serde_json::Value;
use utoipa::ToSchema;

/// Supported call direction.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum Direction {
    Outbound,
    Inbound,
    Both,
}

/// A phone number assigned to an agent (`number` required; the others default to "").
#[derive(ToSchema)]
pub struct PhoneNumberIn {
    pub provider: Option<String>,
    pub number: String,
    pub label: Option<String>,
}

/// `postCallEmail`
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct PostCallEmail {
    pub enabled: Option<bool>,
    #[schema(value_type = Option<Object>)]
    pub email_configuration: Option<Value>,
}

/// `scheduleOnCalendar`
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct ScheduleOnCalendar {
    pub enabled: Option<bool>,
    /// For example `google`.
    pub provider: Option<String>,
    pub events_ids: Option<Vec<String>>,
}

/// What happens after a call.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct CallActions {
    pub smart_opt_out: Option<bool>,
    pub issue_tracking: Option<bool>,
    /// URL called after each call.
    pub post_call_webhook: Option<String>,
    pub post_call_email: Option<PostCallEmail>,
    pub schedule_on_calendar: Option<ScheduleOnCalendar>,
}

/// `dataCollection`
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct DataCollection {
    #[schema(value_type = Option<Object>)]
    pub entities: Option<Value>,
    pub store_data: Option<bool>,
}

/// `callRetry` (non-negative integers)
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct CallRetry {
    pub retry_count: Option<u32>,
    pub retry_delay: Option<u32>,
}

/// `privacy`
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct Privacy {
    pub record_voice: Option<bool>,
}

/// `telephony`
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct Telephony {
    pub number_rotation_enabled: Option<bool>,
    pub rotation_numbers: Option<Vec<String>>,
    pub calls_per_number: Option<u32>,
    pub state_restriction_enabled: Option<bool>,
    pub state_restricted_numbers: Option<Vec<String>>,
}

/// Platform settings; in a write, only the fields to change. Unknown keys are kept.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct PlatformSettings {
    pub call_actions: Option<CallActions>,
    /// Website widget configuration.
    #[schema(value_type = Option<Object>)]
    pub widget: Option<Value>,
    pub data_collection: Option<DataCollection>,
    pub call_retry: Option<CallRetry>,
    pub summary_language: Option<String>,
    pub privacy: Option<Privacy>,
    pub telephony: Option<Telephony>,
}

/// A workflow graph: `nodes` and `edges` are maps keyed by id. A node has a `type` (`start`,
/// `end`, `override_agent` = subagent, `standalone_agent`, `phone_number`, `tool`); an edge
/// has `source` and `target` node ids and optional `forwardCondition`/`backwardCondition`
/// (`type` `unconditional`, `llm`, `result`, `expression`). In a write, a node or edge sent as
/// `null` is removed. With `preventSubagentLoops`, no cycle may pass through a subagent.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct Workflow {
    #[schema(value_type = Option<Object>)]
    pub nodes: Option<Value>,
    #[schema(value_type = Option<Object>)]
    pub edges: Option<Value>,
    pub prevent_subagent_loops: Option<bool>,
}

/// Partial update payload: include only the fields to change; omitted fields remain
/// unchanged at every depth. `agentId` and `metadata` are ignored; other fields are refused.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct UpdateAgent {
    /// Display name for the agent.
    pub name: Option<String>,
    pub direction: Option<Direction>,
    /// Tags for organizing agents.
    pub tags: Option<Vec<String>>,
    #[schema(value_type = Option<Object>)]
    pub conversation_config: Option<Value>,
    pub platform_settings: Option<PlatformSettings>,
    /// Replaces the agent's phone numbers.
    pub phone_numbers: Option<Vec<PhoneNumberIn>>,
    pub workflow: Option<Workflow>,
}

/// A new agent.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct CreateAgent {
    /// Display name for the agent.
    pub name: String,
    /// For example `{"agent": {"prompt": {"prompt": "You are a helpful assistant."}}}`.
    #[schema(value_type = Object)]
    pub conversation_config: Value,
    /// Default `outbound`.
    pub direction: Option<Direction>,
    pub tags: Option<Vec<String>>,
    pub platform_settings: Option<PlatformSettings>,
    pub phone_numbers: Option<Vec<PhoneNumberIn>>,
    pub workflow: Option<Workflow>,
}
