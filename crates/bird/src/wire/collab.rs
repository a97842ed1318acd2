//! Teams, skills and capacity rules as Bird renders and reads them.

use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::ids::{Id, UserId};
use switchboard_domain::workforce::collab::{Skill, TeamInfo, TeamMember};
use switchboard_domain::workforce::{RuleInput, SkillInput, TeamInput};
use utoipa::ToSchema;

use super::{ts, uuid};
use crate::error::{invalid, ApiError};
use crate::wire::input::value_type;

/// Renders a team.
pub fn team(t: &TeamInfo) -> Value {
    json!({
        "id": uuid(t.team.id),
        "workspaceId": uuid(t.team.company_id),
        "name": t.team.name,
        "description": t.team.description,
        "visibility": t.team.visibility,
        "accessibility": t.team.accessibility,
        "activeMemberCount": t.active_member_count,
        "pendingMemberCount": t.pending_member_count,
        "featuredMembers": t.featured_members.iter().map(|m| json!({"id": uuid(*m), "type": "user"})).collect::<Vec<_>>(),
        "hideFromViews": t.team.hide_from_views,
        "createdAt": ts(t.team.created_at),
        "updatedAt": ts(t.team.updated_at),
    })
}

/// Renders a team membership.
pub fn member(m: &TeamMember) -> Value {
    json!({
        "id": uuid(m.user_id),
        "type": "user",
        "status": m.status,
        "createdAt": ts(m.created_at),
        "updatedAt": ts(m.updated_at),
    })
}

/// Renders a skill.
pub fn skill(s: &Skill) -> Value {
    json!({
        "id": uuid(s.id),
        "workspaceId": uuid(s.company_id),
        "name": s.name,
        "description": s.description,
        "valueType": s.value_type.as_str(),
        "values": s.values.iter().map(|v| json!({
            "id": uuid(v.id),
            "value": v.value,
            "icon": v.icon,
            "createdAt": ts(switchboard_domain::clock::from_millis(v.created_at)),
        })).collect::<Vec<_>>(),
        "createdAt": ts(s.created_at),
        "updatedAt": ts(s.updated_at),
        "createdBy": uuid(s.created_by),
        "updatedBy": uuid(s.updated_by),
    })
}

/// A member reference `{id, type}`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MemberRef {
    pub id: String,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

impl MemberRef {
    /// The user named; only `type: user` exists.
    pub fn user(&self) -> Result<UserId, ApiError> {
        if self.kind.as_deref().is_some_and(|k| k != "user") {
            return Err(invalid("member type must be 'user'"));
        }
        agent_ref(&self.id)
    }
}

/// An agent id in a body: a non-UUID is invalid, a UUID of no agent here is not found.
pub fn agent_ref(raw: &str) -> Result<UserId, ApiError> {
    if !switchboard_domain::workforce::profile::is_uuid(raw) {
        return Err(invalid(format!("'{raw}' is not a UUID")));
    }
    UserId::from_uuid(raw).ok_or(ApiError(switchboard_domain::DomainError::NotFound("agent")))
}

/// A team to create or change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TeamIn {
    pub name: Option<String>,
    pub description: Option<String>,
    pub hide_from_views: Option<bool>,
    /// `public` or `private`.
    pub visibility: Option<String>,
    /// `open`, `request-to-join` or `invite-only`.
    pub accessibility: Option<String>,
    /// Members to add (create only).
    #[serde(default)]
    pub members: Vec<MemberRef>,
}

impl TeamIn {
    /// The domain input.
    pub fn input(self) -> Result<TeamInput, ApiError> {
        Ok(TeamInput {
            members: self
                .members
                .iter()
                .map(MemberRef::user)
                .collect::<Result<_, _>>()?,
            name: self.name,
            description: self.description,
            hide_from_views: self.hide_from_views,
            visibility: self.visibility,
            accessibility: self.accessibility,
        })
    }
}

/// A skill value as sent.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SkillValueIn {
    pub value: String,
    #[serde(default)]
    pub icon: Option<String>,
}

/// A skill to create or change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SkillIn {
    pub name: Option<String>,
    pub description: Option<String>,
    /// `single`, `multiple` or `boolean`.
    pub value_type: Option<String>,
    pub values: Option<Vec<SkillValueIn>>,
}

impl SkillIn {
    /// The domain input.
    pub fn input(self) -> Result<SkillInput, ApiError> {
        Ok(SkillInput {
            name: self.name,
            description: self.description,
            value_type: self.value_type.as_deref().map(value_type).transpose()?,
            values: self.values.map(|vs| {
                vs.into_iter()
                    .map(|v| (v.value, v.icon.unwrap_or_default()))
                    .collect()
            }),
        })
    }
}

/// Capacity per channel as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CapacityIn {
    pub messaging: Option<i64>,
    pub email: Option<i64>,
}

/// A capacity rule to create or change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RuleIn {
    pub name: Option<String>,
    pub description: Option<String>,
    pub default: Option<bool>,
    pub capacity: Option<CapacityIn>,
    /// Agent ids; they follow this rule (and no other).
    pub agents: Option<Vec<String>>,
}

impl RuleIn {
    /// The domain input.
    pub fn input(self) -> Result<RuleInput, ApiError> {
        Ok(RuleInput {
            name: self.name,
            description: self.description,
            is_default: self.default,
            messaging: self.capacity.as_ref().and_then(|c| c.messaging),
            email: self.capacity.as_ref().and_then(|c| c.email),
            agents: self
                .agents
                .map(|a| a.iter().map(|r| agent_ref(r)).collect::<Result<_, _>>())
                .transpose()?,
        })
    }
}

/// Reads an id of ours from a path segment; anything else is not found.
pub fn path_id<T: Id>(raw: &str, what: &'static str) -> Result<T, ApiError> {
    T::from_uuid(raw).ok_or(ApiError(switchboard_domain::DomainError::NotFound(what)))
}
