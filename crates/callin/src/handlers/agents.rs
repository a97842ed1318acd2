//! `/agents`, `/agents/create` and `/agents/{agentId}`: list, create, get, update, delete.

use axum::extract::State;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::Value;
use switchboard_domain::ai_agents::agent::VersionAction;
use switchboard_domain::Core;
use switchboard_http::etag::IfMatch;

use super::{agent_id, etag_headers};
use crate::auth::Caller;
use crate::error::{
    ApiResult, Body, ErrorOut, JsonBody, Params, PathParams, QueryParams, Segments,
};
use crate::wire::{
    agent_patch, new_agent, AgentEnvelope, AgentList, AgentOut, CreatedId, CreatedOut, ListQuery,
    SuccessOut,
};

/// List the caller's agents and the agents shared with them, in keyset pages.
#[utoipa::path(get, path = "/agents", tag = "agents", params(ListQuery),
    responses((status = 200, body = AgentList), (status = 400, body = ErrorOut), (status = 401, body = ErrorOut)))]
pub(crate) async fn list(
    State(core): State<Core>,
    Caller(user): Caller,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<AgentList>> {
    let page = core
        .ai_agents()
        .list_agent_page(&user, q.into_request()?)
        .await?;
    Ok(Json(AgentList::new(&page)))
}

/// Create an agent (version 1). `name` and `conversationConfig` are required; `direction`
/// defaults to `outbound`. Answers 200 with the new `agentId`.
#[utoipa::path(post, path = "/agents/create", tag = "agents", request_body = crate::schema::CreateAgent,
    responses((status = 200, body = CreatedOut), (status = 400, body = ErrorOut), (status = 401, body = ErrorOut)))]
pub(crate) async fn create(
    State(core): State<Core>,
    Caller(user): Caller,
    JsonBody(body, _): Body<Value>,
) -> ApiResult<Json<CreatedOut>> {
    let agent = core
        .ai_agents()
        .create_agent(&user, new_agent(&body)?)
        .await?;
    Ok(Json(CreatedOut {
        success: true,
        data: CreatedId {
            agent_id: agent.id.to_string(),
        },
    }))
}

/// Read one agent (owned or shared) with its whole configuration. Returns an `ETag`.
#[utoipa::path(get, path = "/agents/{agentId}", tag = "agents", params(("agentId" = String, Path)),
    responses((status = 200, body = AgentEnvelope), (status = 401, body = ErrorOut), (status = 404, body = ErrorOut)))]
pub(crate) async fn get(
    State(core): State<Core>,
    Caller(user): Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<impl IntoResponse> {
    let view = core.ai_agents().agent_view(&user, agent_id(&id)?).await?;
    Ok((
        etag_headers(view.visible.agent.revision),
        Json(AgentEnvelope {
            success: true,
            data: AgentOut::new(&view),
        }),
    ))
}

/// Deep partial update: include only the fields to change; omitted fields stay unchanged at
/// every depth (objects merge key by key, arrays replace; a workflow node or edge sent as
/// `null` is removed). Returns the full updated agent. Honours `If-Match`.
#[utoipa::path(patch, path = "/agents/{agentId}", tag = "agents", params(("agentId" = String, Path)), request_body = crate::schema::UpdateAgent,
    responses((status = 200, body = AgentEnvelope), (status = 400, body = ErrorOut), (status = 401, body = ErrorOut),
        (status = 403, body = ErrorOut), (status = 404, body = ErrorOut), (status = 412, body = ErrorOut)))]
pub(crate) async fn patch(
    State(core): State<Core>,
    Caller(user): Caller,
    PathParams(id, _): Segments<String>,
    IfMatch(precondition): IfMatch,
    JsonBody(body, _): Body<Value>,
) -> ApiResult<impl IntoResponse> {
    let id = agent_id(&id)?;
    let patch = agent_patch(&body)?;
    let visible = core
        .ai_agents()
        .update_agent(&user, id, patch, VersionAction::Update, &precondition)
        .await?;
    let view = core.ai_agents().view_of(visible).await?;
    Ok((
        etag_headers(view.visible.agent.revision),
        Json(AgentEnvelope {
            success: true,
            data: AgentOut::new(&view),
        }),
    ))
}

/// Delete an agent the caller owns (an agent shared with the caller cannot be deleted: 403).
#[utoipa::path(delete, path = "/agents/{agentId}", tag = "agents", params(("agentId" = String, Path)),
    responses((status = 200, body = SuccessOut), (status = 401, body = ErrorOut), (status = 403, body = ErrorOut),
        (status = 404, body = ErrorOut), (status = 412, body = ErrorOut)))]
pub(crate) async fn delete(
    State(core): State<Core>,
    Caller(user): Caller,
    PathParams(id, _): Segments<String>,
    IfMatch(precondition): IfMatch,
) -> ApiResult<Json<SuccessOut>> {
    core.ai_agents()
        .delete_agent(&user, agent_id(&id)?, &precondition)
        .await?;
    Ok(Json(SuccessOut { success: true }))
}
