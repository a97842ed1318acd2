//! `/agents` and `/agents/{agentId}`: list, create, get, patch, delete, clone.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::Value;
use switchboard_domain::ai_agents::agent::{Access, VersionAction, VisibleAgent};
use switchboard_domain::page::Page;
use switchboard_domain::Core;
use switchboard_http::etag::IfMatch;

use super::{agent_id, etag_headers};
use crate::auth::Caller;
use crate::error::{
    ApiResult, Body, JsonBody, MaybeBody, OptionalJsonBody, Params, PathParams, QueryParams,
    Segments,
};
use crate::wire::{agent_patch, AgentEnvelope, AgentList, AgentOut, PageQuery, StatusOut};

/// List the caller's agents and the agents shared with them.
#[utoipa::path(get, path = "/agents", tag = "agents", params(PageQuery),
    responses((status = 200, body = AgentList), (status = 400), (status = 401), (status = 403)))]
pub(crate) async fn list(
    State(core): State<Core>,
    Caller(user): Caller,
    QueryParams(q, _): Params<PageQuery>,
) -> ApiResult<Json<AgentList>> {
    let page = Page::parse(q.limit, q.skip, 25, 100)?;
    let found = core.ai_agents().list_agents(&user, page).await?;
    Ok(Json(AgentList {
        has_more: found.has_more(page),
        agents: found.items.iter().map(AgentOut::new).collect(),
        total_count: found.total,
        limit: page.limit,
        skip: page.skip,
    }))
}

/// Create an agent (version 1). `agentName` is required.
#[utoipa::path(post, path = "/agents", tag = "agents", request_body = crate::schema::AgentCreate,
    responses((status = 201, body = AgentEnvelope), (status = 400), (status = 401), (status = 403)))]
pub(crate) async fn create(
    State(core): State<Core>,
    Caller(user): Caller,
    JsonBody(body, _): Body<Value>,
) -> ApiResult<impl IntoResponse> {
    let agent = core
        .ai_agents()
        .create_agent(&user, agent_patch(&body)?)
        .await?;
    let out = AgentOut::new(&VisibleAgent {
        agent,
        access: Access::Owner,
    });
    Ok((StatusCode::CREATED, Json(AgentEnvelope { agent: out })))
}

/// Read one agent (owned or shared). Returns an `ETag`.
#[utoipa::path(get, path = "/agents/{agentId}", tag = "agents", params(("agentId" = String, Path)),
    responses((status = 200, body = AgentEnvelope), (status = 401), (status = 403), (status = 404)))]
pub(crate) async fn get(
    State(core): State<Core>,
    Caller(user): Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<impl IntoResponse> {
    let visible = core.ai_agents().get_agent(&user, agent_id(&id)?).await?;
    Ok((
        etag_headers(visible.agent.revision),
        Json(AgentEnvelope {
            agent: AgentOut::new(&visible),
        }),
    ))
}

/// Version-managed update: top-level fields merge, an included nested object (such as
/// `settings`) replaces the stored one whole, protected fields are ignored,
/// `metadata.commit_message` labels the version. Honours `If-Match`.
#[utoipa::path(patch, path = "/agents/{agentId}", tag = "agents", params(("agentId" = String, Path)), request_body = crate::schema::AgentUpdate,
    responses((status = 200, body = AgentEnvelope), (status = 400), (status = 401), (status = 403), (status = 404), (status = 412)))]
pub(crate) async fn patch(
    State(core): State<Core>,
    Caller(user): Caller,
    PathParams(id, _): Segments<String>,
    IfMatch(precondition): IfMatch,
    JsonBody(body, _): Body<Value>,
) -> ApiResult<impl IntoResponse> {
    let patch = agent_patch(&body)?;
    let visible = core
        .ai_agents()
        .update_agent(
            &user,
            agent_id(&id)?,
            patch,
            VersionAction::Update,
            &precondition,
        )
        .await?;
    Ok((
        etag_headers(visible.agent.revision),
        Json(AgentEnvelope {
            agent: AgentOut::new(&visible),
        }),
    ))
}

/// Delete an agent the caller owns. Shared agents cannot be deleted (403).
#[utoipa::path(delete, path = "/agents/{agentId}", tag = "agents", params(("agentId" = String, Path)),
    responses((status = 200, body = StatusOut), (status = 401), (status = 403), (status = 404), (status = 412)))]
pub(crate) async fn delete(
    State(core): State<Core>,
    Caller(user): Caller,
    PathParams(id, _): Segments<String>,
    IfMatch(precondition): IfMatch,
) -> ApiResult<Json<StatusOut>> {
    core.ai_agents()
        .delete_agent(&user, agent_id(&id)?, &precondition)
        .await?;
    Ok(Json(StatusOut::ok()))
}

/// Copy an agent into a new one owned by the caller; body fields override top-level fields.
/// Needs the `agents` right. Credentials are copied only when the caller may read them.
#[utoipa::path(post, path = "/agents/{agentId}/clone", tag = "agents", params(("agentId" = String, Path)), request_body = Option<crate::schema::AgentUpdate>,
    responses((status = 201, body = AgentEnvelope), (status = 400), (status = 401), (status = 403), (status = 404)))]
pub(crate) async fn clone(
    State(core): State<Core>,
    Caller(user): Caller,
    PathParams(id, _): Segments<String>,
    OptionalJsonBody(body, _): MaybeBody<Value>,
) -> ApiResult<impl IntoResponse> {
    let overrides = agent_patch(&body.unwrap_or_else(|| Value::Object(Default::default())))?;
    let agent = core
        .ai_agents()
        .clone_agent(&user, agent_id(&id)?, overrides)
        .await?;
    let out = AgentOut::new(&VisibleAgent {
        agent,
        access: Access::Owner,
    });
    Ok((StatusCode::CREATED, Json(AgentEnvelope { agent: out })))
}
