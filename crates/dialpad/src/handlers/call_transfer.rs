//! `POST /call/{id}/transfer`: the caller of a connected call goes to a target (`callcenter`,
//! `department`, `office`, `user`: routed as a new inbound call would be) or to a number.
//! `transfer_state: voicemail` sends the caller to the target's voicemail; `hold`, `parked` and
//! `preanswer` (the default) ring the target while the caller waits. A transfer to an ongoing
//! call (`to.call_id`) is refused with 400: calls are not merged.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::calls::leg::Party;
use switchboard_domain::calls::{Arrival, TransferTo};
use switchboard_domain::ids::CallId;
use switchboard_domain::Core;

use super::call_render::party_kind;
use crate::auth::Caller;
use crate::error::{invalid, ApiResult, Body, JsonBody, PathParams, Segments};
use crate::wire::{path_id, IdValue};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Destination {
    call_id: Option<IdValue>,
    number: Option<String>,
    target_id: Option<IdValue>,
    target_type: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TransferBody {
    custom_data: Option<String>,
    to: Option<Destination>,
    transfer_state: Option<String>,
}

pub(crate) async fn transfer(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<TransferBody>,
) -> ApiResult<Json<Value>> {
    let id: CallId = path_id(&id, "id")?;
    let to = body.to.ok_or_else(|| invalid("to is required"))?;
    let dest = match (to.call_id, to.number, to.target_id, to.target_type) {
        (Some(_), None, None, None) => {
            return Err(invalid(
                "transferring to an ongoing call (to.call_id) is not supported",
            ))
        }
        (None, Some(n), None, None) => TransferTo::Number(n),
        (None, None, Some(tid), Some(kind)) => {
            let kind = match kind.as_str() {
                "callcenter" | "department" | "office" | "user" => party_kind(&kind),
                _ => None,
            }
            .ok_or_else(|| invalid(format!("unknown to.target_type '{kind}'")))?;
            let tid: CallId = tid.id("to.target_id")?;
            TransferTo::Target(Party { kind, id: tid.0 })
        }
        _ => {
            return Err(invalid(
                "to takes one of: call_id; number; target_id with target_type",
            ))
        }
    };
    let arrival = match body.transfer_state.as_deref() {
        None | Some("preanswer" | "hold" | "parked") => Arrival::Ring,
        Some("voicemail") => Arrival::Voicemail,
        Some(other) => return Err(invalid(format!("unknown transfer_state '{other}'"))),
    };
    let done = core
        .calls()
        .transfer(caller.company, id, dest, arrival, body.custom_data)
        .await?;
    Ok(Json(json!({
        "call_id": done.call.id.0,
        "transferred_to_number": done.number,
        "transferred_to_state": body.transfer_state.unwrap_or_else(|| "preanswer".into()),
    })))
}
