//! Callin's wire shapes and their translation to and from the domain.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use switchboard_domain::ai_agents::agent::AgentPatch;
use switchboard_domain::ai_agents::config::{AgentConfig, Direction};
use switchboard_domain::ai_agents::list::{
    AgentListRequest, AgentPage, AgentSort, AgentView, SortDirection,
};
use switchboard_domain::clock::iso_millis;
use switchboard_domain::{DomainError, Result};
use utoipa::{IntoParams, ToSchema};

/// Who created an agent.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedBy {
    pub user_id: String,
    pub user_email: String,
}

/// When an agent was created and changed, and by whom.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MetadataOut {
    /// ISO 8601, UTC.
    pub created_at: String,
    /// ISO 8601, UTC.
    pub updated_at: String,
    pub created_by: CreatedBy,
}

impl MetadataOut {
    fn new(view: &AgentView) -> Self {
        let agent = &view.visible.agent;
        Self {
            created_at: iso_millis(agent.created_at),
            updated_at: iso_millis(agent.updated_at),
            created_by: CreatedBy {
                user_id: agent.owner_id.to_string(),
                user_email: view
                    .owner
                    .as_ref()
                    .map(|u| u.email.as_str().to_owned())
                    .unwrap_or_default(),
            },
        }
    }
}

/// A phone number assigned to an agent.
#[derive(Debug, Serialize, ToSchema)]
pub struct PhoneNumberOut {
    pub provider: String,
    pub number: String,
    pub label: String,
}

/// The full agent record.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentOut {
    pub agent_id: String,
    pub name: String,
    #[schema(value_type = crate::schema::Direction)]
    pub direction: String,
    pub tags: Vec<String>,
    #[schema(value_type = Object)]
    pub conversation_config: Value,
    /// Every section, unset settings showing their defaults.
    #[schema(value_type = crate::schema::PlatformSettings)]
    pub platform_settings: Value,
    pub phone_numbers: Vec<PhoneNumberOut>,
    #[schema(value_type = crate::schema::Workflow)]
    pub workflow: Value,
    pub metadata: MetadataOut,
}

impl AgentOut {
    /// Renders an agent.
    pub fn new(view: &AgentView) -> Self {
        let agent = &view.visible.agent;
        let config = AgentConfig::of(agent);
        let text = |v: &Value, k: &str| v[k].as_str().unwrap_or_default().to_owned();
        Self {
            agent_id: agent.id.to_string(),
            name: agent.name.clone(),
            direction: config.direction.as_str().to_owned(),
            tags: config.tags,
            conversation_config: config.conversation_config,
            platform_settings: crate::sections::platform_settings_view(&config.platform_settings),
            phone_numbers: config
                .phone_numbers
                .iter()
                .map(|p| PhoneNumberOut {
                    provider: text(p, "provider"),
                    number: text(p, "number"),
                    label: text(p, "label"),
                })
                .collect(),
            workflow: config.workflow,
            metadata: MetadataOut::new(view),
        }
    }
}

/// `{"success": true, "data": Agent}`
#[derive(Debug, Serialize, ToSchema)]
pub struct AgentEnvelope {
    pub success: bool,
    pub data: AgentOut,
}

/// An agent in a list.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentSummary {
    pub agent_id: String,
    pub name: String,
    pub tags: Vec<String>,
    pub metadata: MetadataOut,
}

/// How a list was paged.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    pub page_size: u32,
    pub has_more: bool,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
    /// `name` or `created_at`.
    pub sort_by: String,
    /// `asc` or `desc`.
    pub sort_direction: String,
}

/// `{"success": true, "data": [AgentSummary], "pagination": …}`
#[derive(Debug, Serialize, ToSchema)]
pub struct AgentList {
    pub success: bool,
    pub data: Vec<AgentSummary>,
    pub pagination: Pagination,
}

impl AgentList {
    /// Renders a page.
    pub fn new(page: &AgentPage) -> Self {
        Self {
            success: true,
            data: page
                .items
                .iter()
                .map(|view| AgentSummary {
                    agent_id: view.visible.agent.id.to_string(),
                    name: view.visible.agent.name.clone(),
                    tags: AgentConfig::of(&view.visible.agent).tags,
                    metadata: MetadataOut::new(view),
                })
                .collect(),
            pagination: Pagination {
                page_size: page.page_size,
                has_more: page.next.is_some(),
                next_cursor: page.next.clone(),
                sort_by: page.sort.as_str().to_owned(),
                sort_direction: page.direction.as_str().to_owned(),
            },
        }
    }
}

/// `{"success": true, "data": {"agentId": …}}`
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedOut {
    pub success: bool,
    pub data: CreatedId,
}

/// The new agent's id.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedId {
    pub agent_id: String,
}

/// `{"success": true}`
#[derive(Debug, Serialize, ToSchema)]
pub struct SuccessOut {
    pub success: bool,
}

/// The list's query parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct ListQuery {
    /// Case-insensitive partial match on the name.
    pub name: Option<String>,
    /// `name` or `created_at` (default).
    pub sort_by: Option<String>,
    /// `asc` or `desc` (default).
    pub sort_direction: Option<String>,
    /// The previous page's `pagination.nextCursor`.
    pub cursor: Option<String>,
    /// 1 to 100, default 30.
    pub page_size: Option<i64>,
}

impl ListQuery {
    /// The domain request.
    pub fn into_request(self) -> Result<AgentListRequest> {
        Ok(AgentListRequest {
            name: self.name,
            sort: self.sort_by.as_deref().map(AgentSort::parse).transpose()?,
            direction: self
                .sort_direction
                .as_deref()
                .map(SortDirection::parse)
                .transpose()?,
            cursor: self.cursor,
            page_size: self.page_size,
        })
    }
}

/// Body fields an agent write may carry.
const WRITABLE: &[&str] = &[
    "name",
    "direction",
    "tags",
    "conversationConfig",
    "platformSettings",
    "phoneNumbers",
    "workflow",
];
/// Read-only fields accepted (and ignored) so that a read agent can be sent back as it is.
const READ_ONLY: &[&str] = &["agentId", "metadata"];

/// Translates a Callin agent body into a deep partial update. Field names are the domain's;
/// unknown fields are refused so that a misspelt one does not pass silently.
pub fn agent_patch(body: &Value) -> Result<AgentPatch> {
    let Value::Object(map) = body else {
        return Err(DomainError::invalid(
            "the request body must be a JSON object",
        ));
    };
    let mut doc = Map::new();
    for (k, v) in map {
        if WRITABLE.contains(&k.as_str()) {
            doc.insert(k.clone(), v.clone());
        } else if !READ_ONLY.contains(&k.as_str()) {
            return Err(DomainError::invalid(format!(
                "unknown field '{k}' (writable: {})",
                WRITABLE.join(", ")
            )));
        }
    }
    let patch = AgentPatch::deep_from_document(&Value::Object(doc))?;
    crate::sections::check_write(&patch)?;
    Ok(patch)
}

/// Translates a create body: `name` and `conversationConfig` are required, `direction`
/// defaults to `outbound`.
pub fn new_agent(body: &Value) -> Result<AgentPatch> {
    let mut patch = agent_patch(body)?;
    if patch.name.is_none() {
        return Err(DomainError::invalid("name is required"));
    }
    if !patch.extra.contains_key("conversationConfig") {
        return Err(DomainError::invalid("conversationConfig is required"));
    }
    patch
        .extra
        .entry("direction")
        .or_insert_with(|| Value::from(Direction::Outbound.as_str()));
    Ok(patch)
}
