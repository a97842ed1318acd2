//! `/agents`, `/agents/{agentId}`, `/agents/me` and `/all-agents`.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use switchboard_domain::workforce::profile::NewHumanAgent;
use switchboard_domain::Core;

use crate::auth::Caller;
use crate::error::{invalid, ApiResult, Body, JsonBody, PathParams, Segments};
use crate::wire::agents::{AgentBrief, AgentList, AgentOut, AllAgents};
use crate::wire::input::{
    agent_query, paging, team_ids, user_id, CreateAgentIn, QueryPairs, UpdateAgentIn,
};

/// The agent in the path.
#[derive(Deserialize)]
pub(crate) struct AgentPath {
    #[serde(rename = "agentId")]
    pub(crate) agent_id: String,
}

/// List agents, filtered, ordered and paged. `agentIds`, when given, overrides every filter.
#[utoipa::path(get, path = "/agents", tag = "agents",
    params(
        ("limit" = Option<i64>, Query, description = "1 to 100, default 10"),
        ("pageToken" = Option<String>, Query),
        ("reverse" = Option<bool>, Query),
        ("sortBy" = Option<String>, Query, description = "createdAt, statusAssignedCount, assignedCount or name"),
        ("name" = Option<String>, Query), ("email" = Option<String>, Query),
        ("roleIds" = Option<Vec<String>>, Query), ("status" = Option<Vec<String>>, Query),
        ("lastStatusActivitySince" = Option<String>, Query), ("lastStatusActivityUpto" = Option<String>, Query),
        ("agentIds" = Option<Vec<String>>, Query)),
    responses((status = 200, body = AgentList), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub(crate) async fn list(
    State(core): State<Core>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<AgentList>> {
    let q = agent_query(&QueryPairs::parse(raw.as_deref()))?;
    let page = core
        .workforce()
        .list_human_agents(caller.company, &q)
        .await?;
    Ok(Json(AgentList {
        results: page.items.iter().map(AgentOut::new).collect(),
        next_page_token: page.next,
        total: page.total,
    }))
}

/// Create an agent: make an existing user of the workspace an agent (`userId`), or create a
/// user (`email` and `name`). 409 when the agent or the email exists.
#[utoipa::path(post, path = "/agents", tag = "agents", request_body = CreateAgentIn,
    responses((status = 201, body = AgentOut), (status = 401), (status = 404), (status = 409), (status = 422)))]
pub(crate) async fn create(
    State(core): State<Core>,
    caller: Caller,
    JsonBody(body, _): Body<CreateAgentIn>,
) -> ApiResult<impl IntoResponse> {
    if body.kind.as_deref().is_some_and(|k| k != "user") {
        return Err(invalid("type must be 'user'"));
    }
    let user_id = body
        .user_id
        .as_deref()
        .map(|raw| {
            if !switchboard_domain::workforce::profile::is_uuid(raw) {
                return Err(invalid("userId must be a UUID"));
            }
            user_id(raw).map_err(|_| {
                crate::error::ApiError(switchboard_domain::DomainError::NotFound("user"))
            })
        })
        .transpose()?;
    let email = body
        .email
        .clone()
        .or_else(|| body.user_emails.as_ref().and_then(|e| e.first().cloned()));
    let teams = team_ids(body.team_ids.as_deref().unwrap_or_default())?;
    let (profile, status, skills) = body.fields.into_parts()?;
    let new = NewHumanAgent {
        user_id,
        email,
        profile,
        team_ids: teams,
        status,
        skills,
    };
    let agent = core
        .workforce()
        .create_human_agent(caller.company, new)
        .await?;
    Ok((StatusCode::CREATED, Json(AgentOut::new(&agent))))
}

/// Every agent of the workspace with minimal fields, oldest first. Extension: `limit`,
/// `pageToken` or `reverse` page it like the other lists (`nextPageToken` then names the next
/// page); without them the answer holds every agent, as the vendor documents, read in keyset
/// pages of 100 (each one indexed query).
#[utoipa::path(get, path = "/all-agents", tag = "agents",
    params(
        ("limit" = Option<i64>, Query, description = "extension: 1 to 100; pages the list"),
        ("pageToken" = Option<String>, Query, description = "extension: the previous page's nextPageToken"),
        ("reverse" = Option<bool>, Query, description = "extension: newest first")),
    responses((status = 200, body = AllAgents), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub(crate) async fn all(
    State(core): State<Core>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<AllAgents>> {
    let pairs = QueryPairs::parse(raw.as_deref());
    let paged = ["limit", "pageToken", "reverse"]
        .iter()
        .any(|k| pairs.one(k).is_some());
    let mut req = paging(&pairs)?;
    if paged {
        let page = core
            .workforce()
            .agent_summary_page(caller.company, &req)
            .await?;
        return Ok(Json(AllAgents {
            results: page.items.iter().map(AgentBrief::new).collect(),
            next_page_token: page.next,
        }));
    }
    req.limit = ALL_AGENTS_STEP;
    let mut results = Vec::new();
    loop {
        let page = core
            .workforce()
            .agent_summary_page(caller.company, &req)
            .await?;
        results.extend(page.items.iter().map(AgentBrief::new));
        match page.next {
            Some(next) => req.token = Some(next),
            None => break,
        }
    }
    Ok(Json(AllAgents {
        results,
        next_page_token: None,
    }))
}

/// Agents read per step when `/all-agents` answers with every agent.
const ALL_AGENTS_STEP: usize = 100;

/// Read an agent.
#[utoipa::path(get, path = "/agents/{agentId}", tag = "agents", params(("agentId" = String, Path)),
    responses((status = 200, body = AgentOut), (status = 401), (status = 404)))]
pub(crate) async fn get(
    State(core): State<Core>,
    caller: Caller,
    PathParams(p, _): Segments<AgentPath>,
) -> ApiResult<Json<AgentOut>> {
    let agent = core
        .workforce()
        .human_agent(caller.company, user_id(&p.agent_id)?)
        .await?;
    Ok(Json(AgentOut::new(&agent)))
}

/// Read the caller's own agent.
#[utoipa::path(get, path = "/agents/me", tag = "agents",
    responses((status = 200, body = AgentOut), (status = 401), (status = 404)))]
pub(crate) async fn get_me(State(core): State<Core>, caller: Caller) -> ApiResult<Json<AgentOut>> {
    let agent = core
        .workforce()
        .human_agent(caller.company, caller.user.id)
        .await?;
    Ok(Json(AgentOut::new(&agent)))
}

/// Update an agent: name 1–50, bio ≤240, wrapUpTime ≤900, outOfOfficeResponse ≤1000,
/// transcriptionLocale from the list; `status` sets the agent's presence; `assignedSkills`
/// replaces its skills. `null` clears a field.
#[utoipa::path(patch, path = "/agents/{agentId}", tag = "agents", params(("agentId" = String, Path)),
    request_body = UpdateAgentIn,
    responses((status = 200, body = AgentOut), (status = 401), (status = 404), (status = 422)))]
pub(crate) async fn update(
    State(core): State<Core>,
    caller: Caller,
    PathParams(p, _): Segments<AgentPath>,
    JsonBody(body, _): Body<UpdateAgentIn>,
) -> ApiResult<Json<AgentOut>> {
    let id = user_id(&p.agent_id)?;
    let (patch, status, skills) = body.into_parts()?;
    let agent = core
        .workforce()
        .update_human_agent(caller.company, id, patch, status, skills)
        .await?;
    Ok(Json(AgentOut::new(&agent)))
}

/// Update the caller's own agent (same fields as updating any agent).
#[utoipa::path(patch, path = "/agents/me", tag = "agents", request_body = UpdateAgentIn,
    responses((status = 200, body = AgentOut), (status = 401), (status = 404), (status = 422)))]
pub(crate) async fn update_me(
    State(core): State<Core>,
    caller: Caller,
    JsonBody(body, _): Body<UpdateAgentIn>,
) -> ApiResult<Json<AgentOut>> {
    let (patch, status, skills) = body.into_parts()?;
    let agent = core
        .workforce()
        .update_human_agent(caller.company, caller.user.id, patch, status, skills)
        .await?;
    Ok(Json(AgentOut::new(&agent)))
}

/// Delete an agent: its profile, team memberships, skills and capacity rule go; the user stays
/// (it may own other records) but is no longer an agent.
#[utoipa::path(delete, path = "/agents/{agentId}", tag = "agents", params(("agentId" = String, Path)),
    responses((status = 204), (status = 401), (status = 404)))]
pub(crate) async fn delete(
    State(core): State<Core>,
    caller: Caller,
    PathParams(p, _): Segments<AgentPath>,
) -> ApiResult<StatusCode> {
    core.workforce()
        .remove_human_agent(caller.company, user_id(&p.agent_id)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
