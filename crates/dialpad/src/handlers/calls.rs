//! Calls: one call's state (`GET /call/{id}`), the company's concluded calls
//! (`GET /call`), hanging up (`PUT /call/{id}/actions/hangup`) and labels
//! (`PUT /call/{id}/labels`, each one of `GET /calllabels`).
//!
//! `GET /call` lists, as the document says, calls that have concluded, newest first; every leg
//! is a call (an operator's leg names its entry-point leg in `entry_point_call_id`).
//! `started_after` / `started_before` are Unix milliseconds; `target_id` and `target_type` go
//! together.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use switchboard_domain::calls::leg::{CallFilter, Party};
use switchboard_domain::calls::Side;
use switchboard_domain::clock::from_millis;
use switchboard_domain::ids::CallId;
use switchboard_domain::Core;

use super::call_render::{party_kind, render};
use crate::auth::{Admin, Caller};
use crate::error::{invalid, ApiResult, Body, JsonBody, Params, PathParams, QueryParams, Segments};
use crate::wire::{page, path_id, Collection};

/// `GET /call/{id}`.
pub(crate) async fn get(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: CallId = path_id(&id, "id")?;
    let leg = core.calls().call(caller.company, id).await?;
    Ok(Json(render(&leg, core.clock().now())))
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    cursor: Option<String>,
    started_after: Option<String>,
    started_before: Option<String>,
    target_id: Option<String>,
    target_type: Option<String>,
}

fn millis(field: &str, raw: Option<&str>) -> ApiResult<Option<jiff::Timestamp>> {
    raw.map(|r| {
        r.trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(from_millis)
            .ok_or_else(|| invalid(format!("{field} must be Unix milliseconds")))
    })
    .transpose()
}

/// `GET /call` (admin): concluded calls, newest first.
pub(crate) async fn list(
    State(core): State<Core>,
    Admin(caller): Admin,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<Value>>> {
    let req = page(None, q.cursor)?;
    let target = match (q.target_id.as_deref(), q.target_type.as_deref()) {
        (None, None) => None,
        (Some(id), Some(kind)) => {
            let kind =
                party_kind(kind).ok_or_else(|| invalid(format!("unknown target_type '{kind}'")))?;
            let id: CallId = path_id(id, "target_id")?;
            Some(Party { kind, id: id.0 })
        }
        _ => return Err(invalid("target_id and target_type go together")),
    };
    let filter = CallFilter {
        started_after: millis("started_after", q.started_after.as_deref())?,
        started_before: millis("started_before", q.started_before.as_deref())?,
        target,
        concluded: true,
        ..CallFilter::default()
    };
    let found = core.calls().calls(caller.company, &filter, &req).await?;
    let now = core.clock().now();
    Ok(Json(Collection::of(found, |l| render(l, now))))
}

/// `PUT /call/{id}/actions/hangup`: ends the call for every party; answers the call.
pub(crate) async fn hangup(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: CallId = path_id(&id, "id")?;
    let leg = core
        .calls()
        .hang_up(caller.company, id, Side::External)
        .await?;
    Ok(Json(render(&leg, core.clock().now())))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LabelsBody {
    labels: Option<Vec<String>>,
}

/// `PUT /call/{id}/labels`: replaces the call's labels; each must be one of the company's.
pub(crate) async fn labels(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<LabelsBody>,
) -> ApiResult<Json<Value>> {
    let id: CallId = path_id(&id, "id")?;
    let leg = core
        .calls()
        .set_labels(caller.company, id, body.labels.unwrap_or_default())
        .await?;
    Ok(Json(render(&leg, core.clock().now())))
}
