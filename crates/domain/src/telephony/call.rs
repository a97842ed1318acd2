//! Calls, as far as the call logs of AI agents read them.

use jiff::Timestamp;

use crate::ids::{AgentId, CallId, CompanyId};
use crate::page::Page;

/// A call handled by the contact center.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub id: CallId,
    pub company_id: CompanyId,
    pub ai_agent_id: Option<AgentId>,
    /// `inbound` or `outbound`.
    pub direction: String,
    /// Final or current status, e.g. `completed`.
    pub status: String,
    pub from_number: String,
    pub to_number: String,
    pub campaign_id: Option<String>,
    pub conversation_id: Option<String>,
    pub contact_id: Option<String>,
    pub is_web_call: bool,
    pub duration_secs: Option<i64>,
    pub started_at: Timestamp,
    /// The version of the AI agent that handled the call (calls routed to it).
    pub agent_version: Option<i64>,
}

/// Filters of an agent's call log.
#[derive(Debug, Clone, Default)]
pub struct CallLogFilter {
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub from_number: Option<String>,
    pub to_number: Option<String>,
    pub status: Option<String>,
    pub direction: Option<String>,
    pub campaign: Option<String>,
    pub conversation_id: Option<String>,
    pub hide_web_calls: bool,
}

/// A call-log query: agent, filters, page.
#[derive(Debug, Clone)]
pub struct CallLogQuery {
    pub agent_id: AgentId,
    pub filter: CallLogFilter,
    pub page: Page,
}
