//! Dialgood's wire shapes and their translation to and from the domain.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use switchboard_domain::ai_agents::agent::{Access, AgentPatch, AgentVersion, VisibleAgent};
use switchboard_domain::clock::{iso_millis, to_millis};
use switchboard_domain::json::Change;
use switchboard_domain::telephony::call::Call;
use switchboard_domain::{DomainError, Result};
use utoipa::{IntoParams, ToSchema};

/// An agent as Dialgood renders it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgentOut {
    #[serde(rename = "agentId")]
    pub agent_id: String,
    #[serde(rename = "agentName")]
    pub agent_name: String,
    /// The owner's user id.
    #[serde(rename = "userId")]
    pub user_id: String,
    /// `true` for the caller's own agents, `false` for agents shared with them.
    pub owner: bool,
    /// Rights on a shared agent: `view`, `agents` (write), `agent-control` (credentials).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rights: Option<Vec<String>>,
    #[schema(value_type = Object)]
    pub settings: Map<String, Value>,
    #[serde(rename = "phoneNumbers")]
    #[schema(value_type = Vec<Object>)]
    pub phone_numbers: Vec<Value>,
    /// Agent metadata; on shared agents also `sharedByEmail`, `sharedByName`, `sharedAt`.
    #[schema(value_type = Object)]
    pub metadata: Map<String, Value>,
    pub created_at: String,
    pub updated_at: String,
    /// Fields written through other dialects (for example Callin's `direction` and `tags`).
    #[serde(flatten)]
    #[schema(ignore)]
    pub extra: Map<String, Value>,
}

/// The Dialgood key for a domain field name.
fn wire_key(domain: &str) -> &str {
    match domain {
        "name" => "agentName",
        other => other,
    }
}

impl AgentOut {
    /// Renders an agent for the user who sees it.
    pub fn new(visible: &VisibleAgent) -> Self {
        let agent = &visible.agent;
        let mut metadata = agent.metadata.clone();
        let (owner, rights) = match &visible.access {
            Access::Owner => (true, None),
            Access::Shared { share, shared_by } => {
                if let Some(by) = shared_by {
                    metadata.insert("sharedByEmail".into(), Value::from(by.email.as_str()));
                    metadata.insert("sharedByName".into(), Value::from(by.display_name()));
                }
                metadata.insert("sharedAt".into(), Value::from(iso_millis(share.shared_at)));
                (
                    false,
                    Some(share.rights.iter().map(|r| r.as_str().to_owned()).collect()),
                )
            }
        };
        const OWN: &[&str] = &[
            "agentId",
            "agentName",
            "userId",
            "owner",
            "rights",
            "settings",
            "phoneNumbers",
            "metadata",
            "created_at",
            "updated_at",
        ];
        let extra = agent
            .extra
            .iter()
            .filter(|(k, _)| !OWN.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Self {
            agent_id: agent.id.to_string(),
            agent_name: agent.name.clone(),
            user_id: agent.owner_id.to_string(),
            owner,
            rights,
            settings: agent.settings.clone(),
            phone_numbers: agent.phone_numbers.clone(),
            metadata,
            created_at: iso_millis(agent.created_at),
            updated_at: iso_millis(agent.updated_at),
            extra,
        }
    }
}

/// `{"agent": …}`
#[derive(Debug, Serialize, ToSchema)]
pub struct AgentEnvelope {
    pub agent: AgentOut,
}

/// A page of agents.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgentList {
    pub agents: Vec<AgentOut>,
    #[serde(rename = "totalCount")]
    pub total_count: u64,
    pub limit: u32,
    pub skip: u64,
    #[serde(rename = "hasMore")]
    pub has_more: bool,
}

/// `limit` and `skip` of the list endpoints.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Maximum number of items to return (default 25, at most 100).
    pub limit: Option<i64>,
    /// Number of items to skip (default 0).
    pub skip: Option<i64>,
}

/// Translates a Dialgood agent body into a domain patch: `agentName` is the name, a bare `name`
/// is not an agent field in this dialect and is ignored, protected fields are ignored.
pub fn agent_patch(body: &Value) -> Result<AgentPatch> {
    let Value::Object(map) = body else {
        return Err(DomainError::invalid(
            "the request body must be a JSON object",
        ));
    };
    let mut doc = Map::new();
    for (k, v) in map {
        match k.as_str() {
            "name" => {}
            "agentName" => {
                doc.insert("name".into(), v.clone());
            }
            _ => {
                doc.insert(k.clone(), v.clone());
            }
        }
    }
    AgentPatch::from_document(&Value::Object(doc)).map_err(|e| match e {
        DomainError::Invalid(m) => DomainError::Invalid(m.replace("the agent name", "agentName")),
        other => other,
    })
}

/// A domain document (snapshot, updates) with Dialgood's key names.
pub fn document_out(doc: &Value) -> Value {
    match doc {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (wire_key(k).to_owned(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Who made a version and when.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionMeta {
    /// The author's name.
    pub user: String,
    #[serde(rename = "userId")]
    pub user_id: String,
    /// Milliseconds since the Unix epoch.
    pub timestamp: i64,
    /// What kind of write made the version: create, update, settings, credentials, clone, restore.
    pub action: String,
}

/// One version of an agent.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionOut {
    pub version_id: String,
    pub version_number: i64,
    pub commit_message: Option<String>,
    pub agent_id: String,
    /// The update that was applied (single-version reads only; credential values never appear).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub updates: Option<Value>,
    /// The agent's whole state after this version (single-version reads only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub snapshot: Option<Value>,
    pub metadata: VersionMeta,
}

impl VersionOut {
    /// Renders a version; `full` includes `updates` and `snapshot`.
    pub fn new(v: &AgentVersion, full: bool) -> Self {
        Self {
            version_id: v.id.to_string(),
            version_number: v.number,
            commit_message: v.commit_message.clone(),
            agent_id: v.agent_id.to_string(),
            updates: full.then(|| document_out(&v.updates)),
            snapshot: full.then(|| document_out(&v.snapshot)),
            metadata: VersionMeta {
                user: v.author_name.clone(),
                user_id: v.author_id.to_string(),
                timestamp: to_millis(v.created_at),
                action: v.action.as_str().to_owned(),
            },
        }
    }
}

/// A page of versions, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionList {
    pub versions: Vec<VersionOut>,
    #[serde(rename = "totalCount")]
    pub total_count: u64,
    pub limit: u32,
    pub skip: u64,
    #[serde(rename = "hasMore")]
    pub has_more: bool,
}

/// `{"version": …}`
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionEnvelope {
    pub version: VersionOut,
}

/// One changed field between two versions.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeOut {
    /// Dotted path, e.g. `settings.language`.
    pub path: String,
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
    #[schema(value_type = Option<Object>)]
    pub before: Option<Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<Value>,
}

impl ChangeOut {
    /// Renders a change with Dialgood's key names.
    pub fn new(c: &Change) -> Self {
        let path = match c.path.split_once('.') {
            Some((head, rest)) => format!("{}.{rest}", wire_key(head)),
            None => wire_key(&c.path).to_owned(),
        };
        let change = match (&c.before, &c.after) {
            (None, _) => "added",
            (_, None) => "removed",
            _ => "changed",
        };
        Self {
            path,
            change,
            before: c.before.clone(),
            after: c.after.clone(),
        }
    }
}

/// Field-level differences between two versions.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiffOut {
    #[serde(rename = "fromVersionId")]
    pub from_version_id: String,
    #[serde(rename = "fromVersionNumber")]
    pub from_version_number: i64,
    #[serde(rename = "toVersionId")]
    pub to_version_id: String,
    #[serde(rename = "toVersionNumber")]
    pub to_version_number: i64,
    pub changes: Vec<ChangeOut>,
}

/// `{"diff": …}`
#[derive(Debug, Serialize, ToSchema)]
pub struct DiffEnvelope {
    pub diff: DiffOut,
}

/// `{"status": true}`
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusOut {
    pub status: bool,
}

impl StatusOut {
    /// `{"status": true}`
    pub fn ok() -> Self {
        Self { status: true }
    }
}

/// `{"settings": …}`
#[derive(Debug, Serialize, ToSchema)]
pub struct SettingsOut {
    #[schema(value_type = Object)]
    pub settings: Map<String, Value>,
}

/// One credential.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CredentialOut {
    pub key: String,
    pub value: String,
}

/// `{"credentials": […]}`
#[derive(Debug, Serialize, ToSchema)]
pub struct CredentialsOut {
    pub credentials: Vec<CredentialOut>,
}

/// One call-log record.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallLogOut {
    #[serde(rename = "callId")]
    pub call_id: String,
    #[serde(rename = "botId")]
    pub bot_id: String,
    #[serde(rename = "conversationId")]
    pub conversation_id: Option<String>,
    #[serde(rename = "contactId")]
    pub contact_id: Option<String>,
    #[serde(rename = "campaignId")]
    pub campaign_id: Option<String>,
    pub created_at: String,
    pub data: CallDataOut,
    /// The version of the agent that handled the call (an extension: calls routed to the agent
    /// by a call center); absent for calls recorded otherwise.
    #[serde(rename = "agentVersion", skip_serializing_if = "Option::is_none")]
    pub agent_version: Option<i64>,
}

/// The call itself.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallDataOut {
    pub from: String,
    pub to: String,
    pub direction: String,
    #[serde(rename = "callStatus")]
    pub call_status: String,
    /// Seconds.
    #[serde(rename = "callDuration")]
    pub call_duration: i64,
    #[serde(rename = "webCall")]
    pub web_call: bool,
}

impl CallLogOut {
    /// Renders a call.
    pub fn new(c: &Call) -> Self {
        Self {
            call_id: c.id.to_string(),
            bot_id: c.ai_agent_id.map(|a| a.to_string()).unwrap_or_default(),
            conversation_id: c.conversation_id.clone(),
            contact_id: c.contact_id.clone(),
            campaign_id: c.campaign_id.clone(),
            created_at: iso_millis(c.started_at),
            data: CallDataOut {
                from: c.from_number.clone(),
                to: c.to_number.clone(),
                direction: c.direction.clone(),
                call_status: c.status.clone(),
                call_duration: c.duration_secs.unwrap_or(0),
                web_call: c.is_web_call,
            },
            agent_version: c.agent_version,
        }
    }
}

/// A page of call-log records.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallLogList {
    pub data: Vec<CallLogOut>,
    #[serde(rename = "totalPages")]
    pub total_pages: u64,
    #[serde(rename = "totalRecords")]
    pub total_records: u64,
    #[serde(rename = "currentPage")]
    pub current_page: u64,
}

/// A share of an agent (extension).
#[derive(Debug, Serialize, ToSchema)]
pub struct ShareOut {
    #[serde(rename = "userId")]
    pub user_id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub rights: Vec<String>,
    #[serde(rename = "sharedAt")]
    pub shared_at: String,
}

/// `{"share": …}`
#[derive(Debug, Serialize, ToSchema)]
pub struct ShareEnvelope {
    pub share: ShareOut,
}

/// `{"shares": […]}`
#[derive(Debug, Serialize, ToSchema)]
pub struct ShareList {
    pub shares: Vec<ShareOut>,
}
