//! `/inbox/skills` and `/inbox/skills/{skillId}`; skills are given to agents through the
//! agent update's `assignedSkills`.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use switchboard_domain::ids::SkillId;
use switchboard_domain::Core;

use crate::auth::Caller;
use crate::error::{ApiResult, Body, JsonBody, PathParams, Segments};
use crate::wire::collab::{self, path_id, SkillIn};
use crate::wire::input::{paging, results_page, QueryPairs};

#[derive(Deserialize)]
pub(crate) struct SkillPath {
    #[serde(rename = "skillId")]
    skill_id: String,
}

fn skill_id(raw: &str) -> ApiResult<SkillId> {
    path_id(raw, "skill")
}

/// List skills, oldest first.
#[utoipa::path(get, path = "/inbox/skills", tag = "skills",
    responses((status = 200, body = Object), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub(crate) async fn list(
    State(core): State<Core>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let req = paging(&QueryPairs::parse(raw.as_deref()))?;
    let page = core.workforce().skill_page(caller.company, &req).await?;
    Ok(Json(results_page(&page, collab::skill)))
}

/// Create a skill: `name`, `valueType` (`single`, `multiple`, `boolean`) and `values`
/// (`[{value, icon}]`). 409 when the name is taken.
#[utoipa::path(post, path = "/inbox/skills", tag = "skills", request_body = SkillIn,
    responses((status = 201, body = Object), (status = 401), (status = 404), (status = 409), (status = 422)))]
pub(crate) async fn create(
    State(core): State<Core>,
    caller: Caller,
    JsonBody(body, _): Body<SkillIn>,
) -> ApiResult<impl IntoResponse> {
    let s = core
        .workforce()
        .create_skill(caller.company, caller.user.id, body.input()?)
        .await?;
    Ok((StatusCode::CREATED, Json(collab::skill(&s))))
}

/// Read a skill.
#[utoipa::path(get, path = "/inbox/skills/{skillId}", tag = "skills", params(("skillId" = String, Path)),
    responses((status = 200, body = Object), (status = 401), (status = 404)))]
pub(crate) async fn get(
    State(core): State<Core>,
    caller: Caller,
    PathParams(p, _): Segments<SkillPath>,
) -> ApiResult<Json<Value>> {
    let s = core
        .workforce()
        .skill_in(caller.company, skill_id(&p.skill_id)?)
        .await?;
    Ok(Json(collab::skill(&s)))
}

/// Change a skill; `values` replaces the list, keeping the ids of unchanged values.
#[utoipa::path(patch, path = "/inbox/skills/{skillId}", tag = "skills", params(("skillId" = String, Path)),
    request_body = SkillIn,
    responses((status = 200, body = Object), (status = 401), (status = 404), (status = 409), (status = 422)))]
pub(crate) async fn update(
    State(core): State<Core>,
    caller: Caller,
    PathParams(p, _): Segments<SkillPath>,
    JsonBody(body, _): Body<SkillIn>,
) -> ApiResult<Json<Value>> {
    let id = skill_id(&p.skill_id)?;
    let s = core
        .workforce()
        .update_skill(caller.company, id, caller.user.id, body.input()?)
        .await?;
    Ok(Json(collab::skill(&s)))
}

/// Delete a skill; agents lose it.
#[utoipa::path(delete, path = "/inbox/skills/{skillId}", tag = "skills", params(("skillId" = String, Path)),
    responses((status = 204), (status = 401), (status = 404)))]
pub(crate) async fn delete(
    State(core): State<Core>,
    caller: Caller,
    PathParams(p, _): Segments<SkillPath>,
) -> ApiResult<StatusCode> {
    core.workforce()
        .delete_skill(caller.company, skill_id(&p.skill_id)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
