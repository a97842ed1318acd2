//! `/inbox/capacity` and `/inbox/capacity/{capacityRuleId}`.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::ids::CapacityRuleId;
use switchboard_domain::Core;

use crate::auth::Caller;
use crate::error::{ApiResult, Body, JsonBody, PathParams, Segments};
use crate::wire::agents::CapacityRuleOut;
use crate::wire::collab::{path_id, RuleIn};
use crate::wire::input::{paging, results_page, QueryPairs};

#[derive(Deserialize)]
pub(crate) struct RulePath {
    #[serde(rename = "capacityRuleId")]
    rule_id: String,
}

fn rule_id(raw: &str) -> ApiResult<CapacityRuleId> {
    path_id(raw, "capacity rule")
}

/// List capacity rules, oldest first.
#[utoipa::path(get, path = "/inbox/capacity", tag = "capacity",
    responses((status = 200, body = Object), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub(crate) async fn list(
    State(core): State<Core>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let req = paging(&QueryPairs::parse(raw.as_deref()))?;
    let page = core
        .workforce()
        .capacity_rule_page(caller.company, &req)
        .await?;
    Ok(Json(results_page(&page, |r| {
        json!(CapacityRuleOut::new(r))
    })))
}

/// Create a capacity rule: `name` and `description` (1–255), `capacity` `{messaging, email}`,
/// `default`, `agents`. 409 when a default rule exists already.
#[utoipa::path(post, path = "/inbox/capacity", tag = "capacity", request_body = RuleIn,
    responses((status = 201, body = CapacityRuleOut), (status = 401), (status = 404), (status = 409), (status = 422)))]
pub(crate) async fn create(
    State(core): State<Core>,
    caller: Caller,
    JsonBody(body, _): Body<RuleIn>,
) -> ApiResult<impl IntoResponse> {
    let r = core
        .workforce()
        .create_capacity_rule(caller.company, body.input()?)
        .await?;
    Ok((StatusCode::CREATED, Json(CapacityRuleOut::new(&r))))
}

/// Read a capacity rule.
#[utoipa::path(get, path = "/inbox/capacity/{capacityRuleId}", tag = "capacity",
    params(("capacityRuleId" = String, Path)),
    responses((status = 200, body = CapacityRuleOut), (status = 401), (status = 404)))]
pub(crate) async fn get(
    State(core): State<Core>,
    caller: Caller,
    PathParams(p, _): Segments<RulePath>,
) -> ApiResult<Json<CapacityRuleOut>> {
    let r = core
        .workforce()
        .capacity_rule_in(caller.company, rule_id(&p.rule_id)?)
        .await?;
    Ok(Json(CapacityRuleOut::new(&r)))
}

/// Change a capacity rule; `agents`, when given, replaces its agents.
#[utoipa::path(patch, path = "/inbox/capacity/{capacityRuleId}", tag = "capacity",
    params(("capacityRuleId" = String, Path)), request_body = RuleIn,
    responses((status = 200, body = CapacityRuleOut), (status = 401), (status = 404), (status = 409), (status = 422)))]
pub(crate) async fn update(
    State(core): State<Core>,
    caller: Caller,
    PathParams(p, _): Segments<RulePath>,
    JsonBody(body, _): Body<RuleIn>,
) -> ApiResult<Json<CapacityRuleOut>> {
    let id = rule_id(&p.rule_id)?;
    let r = core
        .workforce()
        .update_capacity_rule(caller.company, id, body.input()?)
        .await?;
    Ok(Json(CapacityRuleOut::new(&r)))
}

/// Delete a capacity rule; its agents fall back to the default rule.
#[utoipa::path(delete, path = "/inbox/capacity/{capacityRuleId}", tag = "capacity",
    params(("capacityRuleId" = String, Path)),
    responses((status = 204), (status = 401), (status = 404)))]
pub(crate) async fn delete(
    State(core): State<Core>,
    caller: Caller,
    PathParams(p, _): Segments<RulePath>,
) -> ApiResult<StatusCode> {
    core.workforce()
        .delete_capacity_rule(caller.company, rule_id(&p.rule_id)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
