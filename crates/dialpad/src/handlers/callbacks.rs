//! Callbacks (`POST /callback`) and their dry run (`POST /callback/validate`).
//!
//! `call_center_id` and `phone_number` (E.164) are required (400); a call center the company
//! does not have is 404. A callback the call center would not take — closed, queue full, no
//! number to call from, a number in another country, a callback to the number already pending
//! — is 400 (409 for the pending duplicate) on `POST /callback`, and `{"success": false}` on
//! validation. `position` is the callback's place in the queue (1 = next, and 1 when an
//! operator is rung at once).

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::ids::GroupId;
use switchboard_domain::Core;

use crate::auth::Caller;
use crate::error::{invalid, ApiResult, Body, JsonBody};
use crate::wire::IdValue;

/// `schemas.call.CallbackMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CallbackBody {
    call_center_id: Option<IdValue>,
    phone_number: Option<String>,
}

fn read(body: CallbackBody) -> ApiResult<(GroupId, String)> {
    let group: GroupId = body
        .call_center_id
        .ok_or_else(|| invalid("call_center_id is required"))?
        .id("call_center_id")?;
    let number = body
        .phone_number
        .ok_or_else(|| invalid("phone_number is required"))?;
    Ok((group, number))
}

/// `POST /callback`.
pub(crate) async fn enqueue(
    State(core): State<Core>,
    caller: Caller,
    JsonBody(body, _): Body<CallbackBody>,
) -> ApiResult<Json<Value>> {
    let (group, number) = read(body)?;
    let (_, position) = core
        .calls()
        .callback(caller.company, group, &number)
        .await?;
    Ok(Json(json!({"position": position})))
}

/// `POST /callback/validate`.
pub(crate) async fn validate(
    State(core): State<Core>,
    caller: Caller,
    JsonBody(body, _): Body<CallbackBody>,
) -> ApiResult<Json<Value>> {
    let (group, number) = read(body)?;
    let ok = core
        .calls()
        .validate_callback(caller.company, group, &number)
        .await?;
    Ok(Json(json!({"success": ok})))
}
