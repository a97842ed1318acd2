//! `/teams`, `/teams/{teamId}` and `/teams/{teamId}/members`.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::ids::TeamId;
use switchboard_domain::Core;

use crate::auth::Caller;
use crate::error::{invalid, ApiResult, Body, JsonBody, PathParams, Segments};
use crate::wire::collab::{self, path_id, MemberRef, TeamIn};
use crate::wire::input::{paging, results_page, QueryPairs};

#[derive(Deserialize)]
pub(crate) struct TeamPath {
    #[serde(rename = "teamId")]
    team_id: String,
}

#[derive(Deserialize)]
pub(crate) struct MemberPath {
    #[serde(rename = "teamId")]
    team_id: String,
    #[serde(rename = "memberId")]
    member_id: String,
}

fn team_id(raw: &str) -> ApiResult<TeamId> {
    path_id(raw, "team")
}

/// List teams by name (`limit`, `pageToken`, `reverse`; `sortBy` is `name`).
#[utoipa::path(get, path = "/teams", tag = "teams",
    responses((status = 200, body = Object), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub(crate) async fn list(
    State(core): State<Core>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let q = QueryPairs::parse(raw.as_deref());
    let req = paging(&q)?;
    if q.one("sortBy").is_some_and(|s| s != "name") {
        return Err(invalid("sortBy must be 'name'"));
    }
    let page = core.workforce().team_page(caller.company, &req).await?;
    Ok(Json(results_page(&page, collab::team)))
}

/// Create a team (name 1–100, description ≤240), optionally with members.
#[utoipa::path(post, path = "/teams", tag = "teams", request_body = TeamIn,
    responses((status = 201, body = Object), (status = 401), (status = 404), (status = 422)))]
pub(crate) async fn create(
    State(core): State<Core>,
    caller: Caller,
    JsonBody(body, _): Body<TeamIn>,
) -> ApiResult<impl IntoResponse> {
    let team = core
        .workforce()
        .create_team(caller.company, body.input()?)
        .await?;
    Ok((StatusCode::CREATED, Json(collab::team(&team))))
}

/// Read a team.
#[utoipa::path(get, path = "/teams/{teamId}", tag = "teams", params(("teamId" = String, Path)),
    responses((status = 200, body = Object), (status = 401), (status = 404)))]
pub(crate) async fn get(
    State(core): State<Core>,
    caller: Caller,
    PathParams(p, _): Segments<TeamPath>,
) -> ApiResult<Json<Value>> {
    let team = core
        .workforce()
        .team_in(caller.company, team_id(&p.team_id)?)
        .await?;
    Ok(Json(collab::team(&team)))
}

/// Change a team's name, description or flags.
#[utoipa::path(patch, path = "/teams/{teamId}", tag = "teams", params(("teamId" = String, Path)),
    request_body = TeamIn,
    responses((status = 200, body = Object), (status = 401), (status = 404), (status = 422)))]
pub(crate) async fn update(
    State(core): State<Core>,
    caller: Caller,
    PathParams(p, _): Segments<TeamPath>,
    JsonBody(body, _): Body<TeamIn>,
) -> ApiResult<Json<Value>> {
    let id = team_id(&p.team_id)?;
    let team = core
        .workforce()
        .update_team(caller.company, id, body.input()?)
        .await?;
    Ok(Json(collab::team(&team)))
}

/// Delete a team and its memberships.
#[utoipa::path(delete, path = "/teams/{teamId}", tag = "teams", params(("teamId" = String, Path)),
    responses((status = 204), (status = 401), (status = 404)))]
pub(crate) async fn delete(
    State(core): State<Core>,
    caller: Caller,
    PathParams(p, _): Segments<TeamPath>,
) -> ApiResult<StatusCode> {
    core.workforce()
        .delete_team(caller.company, team_id(&p.team_id)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A team's members.
#[utoipa::path(get, path = "/teams/{teamId}/members", tag = "teams", params(("teamId" = String, Path)),
    responses((status = 200, body = Object), (status = 401), (status = 404)))]
pub(crate) async fn members(
    State(core): State<Core>,
    caller: Caller,
    PathParams(p, _): Segments<TeamPath>,
) -> ApiResult<Json<Value>> {
    let list = core
        .workforce()
        .team_members(caller.company, team_id(&p.team_id)?)
        .await?;
    Ok(Json(
        json!({"results": list.iter().map(collab::member).collect::<Vec<_>>()}),
    ))
}

/// Add an agent to a team (`{"type": "user", "id": …}`); 409 when already a member.
#[utoipa::path(post, path = "/teams/{teamId}/members", tag = "teams", params(("teamId" = String, Path)),
    request_body = MemberRef,
    responses((status = 201, body = Object), (status = 401), (status = 404), (status = 409), (status = 422)))]
pub(crate) async fn add_member(
    State(core): State<Core>,
    caller: Caller,
    PathParams(p, _): Segments<TeamPath>,
    JsonBody(body, _): Body<MemberRef>,
) -> ApiResult<impl IntoResponse> {
    let id = team_id(&p.team_id)?;
    let m = core
        .workforce()
        .add_team_member(caller.company, id, body.user()?)
        .await?;
    Ok((StatusCode::CREATED, Json(collab::member(&m))))
}

/// Remove an agent from a team.
#[utoipa::path(delete, path = "/teams/{teamId}/members/{memberId}", tag = "teams",
    params(("teamId" = String, Path), ("memberId" = String, Path)),
    responses((status = 204), (status = 401), (status = 404)))]
pub(crate) async fn remove_member(
    State(core): State<Core>,
    caller: Caller,
    PathParams(p, _): Segments<MemberPath>,
) -> ApiResult<StatusCode> {
    let team = team_id(&p.team_id)?;
    let user = path_id(&p.member_id, "team member")?;
    core.workforce()
        .remove_team_member(caller.company, team, user)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
