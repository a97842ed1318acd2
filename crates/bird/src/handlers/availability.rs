//! `/agents/{agentId}/availability` and `/agents/{agentId}/workload`.

use axum::extract::State;
use axum::Json;
use switchboard_domain::Core;

use super::agents::AgentPath;
use crate::auth::Caller;
use crate::error::{ApiResult, Body, JsonBody, PathParams, Segments};
use crate::wire::agents::{AvailabilityOut, WorkloadOut};
use crate::wire::input::{user_id, AvailabilityIn};

/// Read an agent's availability (an activity past its lifetime has lapsed to `available`).
#[utoipa::path(get, path = "/agents/{agentId}/availability", tag = "availability",
    params(("agentId" = String, Path)),
    responses((status = 200, body = AvailabilityOut), (status = 401), (status = 404)))]
pub(crate) async fn get(
    State(core): State<Core>,
    caller: Caller,
    PathParams(p, _): Segments<AgentPath>,
) -> ApiResult<Json<AvailabilityOut>> {
    let presence = core
        .workforce()
        .agent_presence(caller.company, user_id(&p.agent_id)?)
        .await?;
    Ok(Json(AvailabilityOut::new(&presence)))
}

/// Set an agent's availability: `status` is required; `activity` with `activityTtl` (10–86400
/// seconds) lapses back to `available` after that time; `activityText` ≤48 characters. This is
/// the user's presence everywhere.
#[utoipa::path(patch, path = "/agents/{agentId}/availability", tag = "availability",
    params(("agentId" = String, Path)), request_body = AvailabilityIn,
    responses((status = 200, body = AvailabilityOut), (status = 401), (status = 404), (status = 422)))]
pub(crate) async fn update(
    State(core): State<Core>,
    caller: Caller,
    PathParams(p, _): Segments<AgentPath>,
    JsonBody(body, _): Body<AvailabilityIn>,
) -> ApiResult<Json<AvailabilityOut>> {
    let id = user_id(&p.agent_id)?;
    let change = body.change()?;
    let presence = core
        .workforce()
        .set_agent_presence(caller.company, id, change)
        .await?;
    Ok(Json(AvailabilityOut::new(&presence)))
}

/// An agent's open work per channel against its capacity rule (its own, else the default).
#[utoipa::path(get, path = "/agents/{agentId}/workload", tag = "availability",
    params(("agentId" = String, Path)),
    responses((status = 200, body = WorkloadOut), (status = 401), (status = 404)))]
pub(crate) async fn workload(
    State(core): State<Core>,
    caller: Caller,
    PathParams(p, _): Segments<AgentPath>,
) -> ApiResult<Json<WorkloadOut>> {
    let w = core
        .workforce()
        .agent_workload(caller.company, user_id(&p.agent_id)?)
        .await?;
    Ok(Json(WorkloadOut::new(&w)))
}
