//! AI operators (an extension): `GET`, `POST` and `DELETE /callcenters/{id}/ai_operators` (and
//! the same under `/departments/{id}`) list, add and remove the company's AI agents (Dialgood
//! or Callin agents) as operators of the group. Body: `{"agent_id": <id>}` (admin). The
//! routing engine offers them calls as it offers people, by the group's strategy; an AI
//! operator answers at once. Answers `{"items": [{"agent_id": …}]}`.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::ids::{AgentId, GroupId};
use switchboard_domain::Core;

use crate::auth::{Admin, Caller};
use crate::error::{invalid, ApiResult, Body, JsonBody, PathParams, Segments};
use crate::wire::{path_id, IdValue};

fn items(agents: &[AgentId]) -> Json<Value> {
    Json(json!({"items": agents.iter().map(|a| json!({"agent_id": a.0})).collect::<Vec<_>>()}))
}

pub(crate) async fn list(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: GroupId = path_id(&id, "id")?;
    Ok(items(&core.calls().ai_operators(caller.company, id).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AgentBody {
    agent_id: Option<IdValue>,
}

impl AgentBody {
    fn agent(&self) -> ApiResult<AgentId> {
        self.agent_id
            .as_ref()
            .ok_or_else(|| invalid("agent_id is required"))?
            .id("agent_id")
    }
}

pub(crate) async fn add(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<AgentBody>,
) -> ApiResult<Json<Value>> {
    let id: GroupId = path_id(&id, "id")?;
    let agents = core
        .calls()
        .add_ai_operator(&caller.actor(), id, body.agent()?)
        .await?;
    Ok(items(&agents))
}

pub(crate) async fn remove(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<AgentBody>,
) -> ApiResult<Json<Value>> {
    let id: GroupId = path_id(&id, "id")?;
    let agents = core
        .calls()
        .remove_ai_operator(&caller.actor(), id, body.agent()?)
        .await?;
    Ok(items(&agents))
}
