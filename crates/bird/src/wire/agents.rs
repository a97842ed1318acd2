//! Agents, availability and workload as Bird renders them.

use serde::Serialize;
use serde_json::Value;
use switchboard_domain::workforce::collab::{RuleWithAgents, WorkloadView};
use switchboard_domain::workforce::presence::Presence;
use switchboard_domain::workforce::profile::{AgentSummary, ForwardNumber, HumanAgent};
use utoipa::ToSchema;

use super::{ts, uuid};

/// An agent's availability.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AvailabilityOut {
    /// `active`, `away` or `offline`.
    pub status: String,
    /// `available`, `busy`, `break`, `lunch`, `meeting`, `training` or `outOfOffice`.
    pub activity: String,
    /// Seconds the current activity was set for; `null` when it does not lapse.
    pub activity_ttl: Option<i64>,
    pub activity_text: Option<String>,
    pub last_status_set: Option<String>,
    pub last_activity_set: Option<String>,
    pub updated_at: String,
}

impl AvailabilityOut {
    /// Renders a presence (already taken at the current time).
    pub fn new(p: &Presence) -> Self {
        Self {
            status: p.status.as_str().into(),
            activity: p.activity.as_str().into(),
            activity_ttl: p.activity_ttl,
            activity_text: p.activity_text.clone(),
            last_status_set: p.last_status_set.map(ts),
            last_activity_set: p.last_activity_set.map(ts),
            updated_at: ts(p.updated_at),
        }
    }
}

/// Per-channel counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelsOut {
    pub messaging: i64,
    pub email: i64,
}

/// An agent's open work: per channel, and (an extension) the calls the agent rings for or
/// talks on now.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoadOut {
    pub messaging: i64,
    pub email: i64,
    pub voice: i64,
}

/// A capacity rule.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CapacityRuleOut {
    pub id: String,
    pub workspace_id: String,
    pub name: String,
    pub description: String,
    pub default: bool,
    pub capacity: ChannelsOut,
    pub assigned_agent_ids: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl CapacityRuleOut {
    /// Renders a rule with its agents.
    pub fn new(r: &RuleWithAgents) -> Self {
        Self {
            id: uuid(r.rule.id),
            workspace_id: uuid(r.rule.company_id),
            name: r.rule.name.clone(),
            description: r.rule.description.clone(),
            default: r.rule.is_default,
            capacity: ChannelsOut {
                messaging: r.rule.capacity.messaging,
                email: r.rule.capacity.email,
            },
            assigned_agent_ids: r.agents.iter().map(|a| uuid(*a)).collect(),
            created_at: ts(r.rule.created_at),
            updated_at: ts(r.rule.updated_at),
        }
    }
}

/// An agent's open work per channel and the capacity rule it is measured against.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkloadOut {
    /// The agent's id.
    pub id: String,
    pub workload: LoadOut,
    pub rule: Option<CapacityRuleOut>,
    pub rule_id: Option<String>,
    pub updated_at: String,
}

impl WorkloadOut {
    /// Renders a workload.
    pub fn new(w: &WorkloadView) -> Self {
        Self {
            id: uuid(w.user_id),
            workload: LoadOut {
                messaging: w.load.messaging,
                email: w.load.email,
                voice: w.calls,
            },
            rule: w.rule.as_ref().map(CapacityRuleOut::new),
            rule_id: w.rule.as_ref().map(|r| uuid(r.rule.id)),
            updated_at: ts(w.updated_at),
        }
    }
}

/// A team the agent belongs to.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentTeamOut {
    pub id: String,
    pub name: String,
    pub member_since: String,
    pub active_member_count: i64,
    pub pending_member_count: i64,
}

/// A skill value.
#[derive(Debug, Serialize, ToSchema)]
pub struct SelectedValueOut {
    pub id: String,
    pub value: String,
    pub icon: String,
}

/// A skill given to the agent.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AssignedSkillOut {
    pub id: String,
    pub name: String,
    pub value_type: String,
    pub selected_values: Vec<SelectedValueOut>,
}

/// The user behind the agent.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentUserOut {
    pub id: String,
    pub name: String,
    pub avatar_url: Option<String>,
    pub default_email: String,
    pub phone_number: Option<String>,
}

/// An IAM role held by the agent.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleOut {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub workspaces: Vec<String>,
}

/// A workspace agent.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentOut {
    /// The user's id in UUID form.
    pub id: String,
    pub status: String,
    pub status_before_offline: Option<String>,
    pub name: String,
    /// Whether `name` overrides the user's own name.
    pub override_name: bool,
    pub workspace_id: String,
    /// Always `user`.
    #[serde(rename = "type")]
    pub kind: String,
    pub user_emails: Vec<String>,
    pub bio: Option<String>,
    pub avatar_url: Option<String>,
    #[schema(value_type = Vec<Object>)]
    pub drop_vms: Vec<Value>,
    pub tag_count: i64,
    pub wrap_up_time: i64,
    pub last_assigned_at: Option<String>,
    pub last_set_to_away_at: Option<String>,
    pub teams: Vec<AgentTeamOut>,
    pub workload: WorkloadOut,
    pub created_at: String,
    pub updated_at: String,
    pub availability: AvailabilityOut,
    pub timezone: Option<String>,
    pub default_country_code: Option<String>,
    pub default_caller_id: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub forward_number: Option<ForwardNumberOut>,
    pub transcription_locale: Option<String>,
    pub roles: Vec<RoleOut>,
    pub user: AgentUserOut,
    #[schema(value_type = Option<Object>)]
    pub weekly_schedule: Option<Value>,
    #[schema(value_type = Vec<Object>)]
    pub holidays: Vec<Value>,
    pub assigned_skills: Vec<AssignedSkillOut>,
    pub default_sender_id: Option<String>,
    pub out_of_office_response: Option<String>,
}

/// Call forwarding.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ForwardNumberOut {
    pub enabled: bool,
    pub number: Option<String>,
    pub mask_caller: bool,
}

fn forward(f: &ForwardNumber) -> ForwardNumberOut {
    ForwardNumberOut {
        enabled: f.enabled,
        number: f.number.clone(),
        mask_caller: f.mask_caller,
    }
}

impl AgentOut {
    /// Renders an agent.
    pub fn new(a: &HumanAgent) -> Self {
        let p = &a.profile;
        let workspace = uuid(a.user.company_id);
        Self {
            id: uuid(a.user.id),
            status: a.presence.status.as_str().into(),
            status_before_offline: a.presence.status_before_offline.map(|s| s.as_str().into()),
            name: a.name(),
            override_name: p.display_name.is_some(),
            workspace_id: workspace.clone(),
            kind: "user".into(),
            user_emails: vec![a.user.email.as_str().into()],
            bio: p.bio.clone(),
            avatar_url: p.avatar_url.clone(),
            drop_vms: p.drop_vms.clone(),
            tag_count: 0,
            wrap_up_time: p.wrap_up_time,
            last_assigned_at: a.workload.last_assigned_at.map(ts),
            last_set_to_away_at: a.presence.last_set_to_away_at.map(ts),
            teams: a
                .teams
                .iter()
                .map(|m| AgentTeamOut {
                    id: uuid(m.team.team.id),
                    name: m.team.team.name.clone(),
                    member_since: ts(m.member_since),
                    active_member_count: m.team.active_member_count,
                    pending_member_count: m.team.pending_member_count,
                })
                .collect(),
            workload: WorkloadOut::new(&a.workload),
            created_at: ts(p.created_at),
            updated_at: ts(p.updated_at.max(a.presence.updated_at)),
            availability: {
                // While the agent is on a call, their activity shows `busy`.
                let mut out = AvailabilityOut::new(&a.presence);
                if a.workload.calls > 0 && out.activity == "available" {
                    out.activity = "busy".into();
                }
                out
            },
            timezone: p.timezone.clone(),
            default_country_code: p.default_country_code.clone(),
            default_caller_id: p.default_caller_id.clone(),
            forward_number: p.forward_number.as_ref().map(forward),
            transcription_locale: p.transcription_locale.clone(),
            roles: p
                .role_ids
                .iter()
                .map(|id| RoleOut {
                    id: id.clone(),
                    kind: "organization".into(),
                    workspaces: vec![workspace.clone()],
                })
                .collect(),
            user: AgentUserOut {
                id: uuid(a.user.id),
                name: a.user.display_name(),
                avatar_url: p.avatar_url.clone(),
                default_email: a.user.email.as_str().into(),
                phone_number: None,
            },
            weekly_schedule: p
                .weekly_schedule
                .as_ref()
                .and_then(|s| serde_json::to_value(s).ok()),
            holidays: p
                .holidays
                .iter()
                .filter_map(|h| serde_json::to_value(h).ok())
                .collect(),
            assigned_skills: a
                .skills
                .iter()
                .map(|s| AssignedSkillOut {
                    id: uuid(s.skill.id),
                    name: s.skill.name.clone(),
                    value_type: s.skill.value_type.as_str().into(),
                    selected_values: s
                        .selected
                        .iter()
                        .map(|v| SelectedValueOut {
                            id: uuid(v.id),
                            value: v.value.clone(),
                            icon: v.icon.clone(),
                        })
                        .collect(),
                })
                .collect(),
            default_sender_id: p.default_sender_id.clone(),
            out_of_office_response: p.out_of_office_response.clone(),
        }
    }
}

/// A page of agents.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentList {
    pub results: Vec<AgentOut>,
    /// Present while more pages follow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<String>,
    /// Every agent of the workspace; with filters, the matches when there are at most 10,000
    /// (left out above that).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}

/// An agent's minimal fields.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentBrief {
    pub id: String,
    pub status: String,
    pub activity: String,
    pub name: String,
    pub avatar_url: Option<String>,
    pub created_at: String,
}

impl AgentBrief {
    /// Renders an agent's minimal fields.
    pub fn new(a: &AgentSummary) -> Self {
        Self {
            id: uuid(a.user.id),
            status: a.presence.status.as_str().into(),
            activity: a.presence.activity.as_str().into(),
            name: a.name(),
            avatar_url: a.profile.avatar_url.clone(),
            created_at: ts(a.profile.created_at),
        }
    }
}

/// Every agent's minimal fields.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AllAgents {
    pub results: Vec<AgentBrief>,
    /// Extension, only when the request paged the list (`limit`, `pageToken` or `reverse`):
    /// the token of the next page, absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<String>,
}
