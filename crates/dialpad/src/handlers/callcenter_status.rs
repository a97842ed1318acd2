//! A call center's live status (`GET /callcenters/{id}/status`) and, beyond the vendor's
//! document, its routing preview (`GET /callcenters/{id}/routing_preview`): who would get the
//! next call, in what order, and why each other operator would not.
//!
//! Status: `availability.status` is `open`, `closed`, `holiday_open` or `holiday_closed`
//! (`name` names the holiday); `capacity` counts operators who could take a call now;
//! `pending` the calls in the hold queue; `longest_call_wait_time` seconds.

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};
use switchboard_domain::ids::GroupId;
use switchboard_domain::Core;

use crate::auth::Caller;
use crate::error::{ApiResult, PathParams, Segments};
use crate::wire::path_id;

/// `GET /callcenters/{id}/status`.
pub(crate) async fn status(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: GroupId = path_id(&id, "id")?;
    let s = core.calls().group_status(caller.company, id).await?;
    let state = match (s.holiday.is_some(), s.open) {
        (true, true) => "holiday_open",
        (true, false) => "holiday_closed",
        (false, true) => "open",
        (false, false) => "closed",
    };
    let mut availability = json!({"status": state});
    if let Some(h) = &s.holiday {
        availability["name"] = json!(h);
    }
    Ok(Json(json!({
        "availability": availability,
        "capacity": s.available,
        "longest_call_wait_time": s.longest_wait_seconds,
        "on_duty_operators": s.on_duty,
        "pending": s.waiting,
    })))
}

/// `GET /callcenters/{id}/routing_preview` (an extension).
pub(crate) async fn routing_preview(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: GroupId = path_id(&id, "id")?;
    let p = core.calls().routing_preview(caller.company, id).await?;
    Ok(Json(json!({
        "open": p.openness.open,
        "local_time": p.openness.local.to_string(),
        "why": p.openness.why,
        "strategy": p.strategy,
        "next": p.next,
        "not_now": p.not_now,
        "if_unanswered": p.if_unanswered,
    })))
}
