//! Placing calls and acting on them: a user's outbound call (`POST /call`,
//! `POST /users/{id}/initiate_call`), an IVR's outbound call (`POST /call/initiate_ivr_call`),
//! adding a participant (`POST /call/{id}/participants/add`) and unparking
//! (`POST /call/{id}/unpark`).
//!
//! A plain user's key may call for themselves only (403 for another user); a company key or an
//! admin's key for anyone. `group_id` and `group_type` go together. `is_consult` is refused
//! (400): a consult call is not placed here. A user on another call is 409. `initiate_call`
//! answers the user's first registered device (`device` left out when they have none).

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::calls::leg::{Party, PartyKind};
use switchboard_domain::calls::{IvrCall, OutboundCall, Participant};
use switchboard_domain::ids::{CallId, DeviceId, Id, UserId};
use switchboard_domain::{Core, DomainError};

use super::call_render::party_kind;
use super::users_presence::changeable_user;
use crate::auth::Caller;
use crate::error::{invalid, ApiError, ApiResult, Body, JsonBody, PathParams, Segments};
use crate::wire::{path_id, IdValue};

/// `schemas.call.RingCallMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RingBody {
    custom_data: Option<String>,
    device_id: Option<String>,
    group_id: Option<IdValue>,
    group_type: Option<String>,
    is_consult: Option<bool>,
    outbound_caller_id: Option<String>,
    phone_number: Option<String>,
    user_id: Option<IdValue>,
}

/// `schemas.call.InitiateCallMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct InitiateBody {
    custom_data: Option<String>,
    group_id: Option<IdValue>,
    group_type: Option<String>,
    outbound_caller_id: Option<String>,
    phone_number: Option<String>,
}

/// `schemas.call.OutboundIVRMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IvrBody {
    custom_data: Option<String>,
    outbound_caller_id: Option<String>,
    phone_number: Option<String>,
    target_id: Option<IdValue>,
    target_type: Option<String>,
}

/// `schemas.call.UnparkCallMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UnparkBody {
    user_id: Option<IdValue>,
}

/// `schemas.call.AddParticipantMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AddParticipantBody {
    participant: Option<ParticipantBody>,
}

/// `NumberTransferDestination` or `TargetTransferDestination`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ParticipantBody {
    number: Option<String>,
    target_id: Option<IdValue>,
    target_type: Option<String>,
}

fn required<T>(value: Option<T>, field: &str) -> ApiResult<T> {
    value.ok_or_else(|| invalid(format!("{field} is required")))
}

/// A group kind of `schema`'s `field` (as the document lists them) with its id.
fn party(schema: &str, field: &str, kind: &str, id: &IdValue, id_field: &str) -> ApiResult<Party> {
    if !crate::allowed_values(schema, field).contains(&kind) {
        return Err(invalid(format!("unknown {field} '{kind}'")));
    }
    let kind = party_kind(kind).ok_or_else(|| invalid(format!("unknown {field} '{kind}'")))?;
    let id: CallId = id.id(id_field)?;
    Ok(Party { kind, id: id.get() })
}

/// The group a call is made for: `group_id` and `group_type` together, or neither.
fn group(schema: &str, id: Option<&IdValue>, kind: Option<&str>) -> ApiResult<Option<Party>> {
    match (id, kind) {
        (None, None) => Ok(None),
        (Some(id), Some(kind)) => party(schema, "group_type", kind, id, "group_id").map(Some),
        _ => Err(invalid("group_id and group_type go together")),
    }
}

/// The user a body names, whom the caller may act for.
fn acting_for(caller: &Caller, id: &IdValue) -> ApiResult<UserId> {
    let id: UserId = id.id("user_id")?;
    changeable_user(caller, &id.get().to_string())
}

/// `POST /call`: rings the user's devices for an outbound call; answers `{call_id}`.
pub(crate) async fn ring(
    State(core): State<Core>,
    caller: Caller,
    JsonBody(body, _): Body<RingBody>,
) -> ApiResult<Json<Value>> {
    let user = acting_for(&caller, &required(body.user_id, "user_id")?)?;
    let phone_number = required(body.phone_number, "phone_number")?;
    if body.is_consult == Some(true) {
        return Err(invalid(
            "is_consult is not supported: consult calls are not placed",
        ));
    }
    let device = match body.device_id.as_deref() {
        Some(raw) => {
            Some(DeviceId::parse_str(raw.trim()).ok_or(ApiError(DomainError::NotFound("device")))?)
        }
        None => None,
    };
    let schema = "schemas.call.RingCallMessage";
    let call = OutboundCall {
        user,
        phone_number,
        caller_id: body.outbound_caller_id,
        group: group(schema, body.group_id.as_ref(), body.group_type.as_deref())?,
        custom_data: body.custom_data,
        device,
    };
    let leg = core.calls().ring_out(caller.company, call).await?;
    Ok(Json(json!({"call_id": leg.id.0})))
}

/// `POST /users/{id}/initiate_call`: the user's app places an outbound call; answers the
/// device it rings first.
pub(crate) async fn initiate(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<InitiateBody>,
) -> ApiResult<Json<Value>> {
    let user = changeable_user(&caller, &id)?;
    let phone_number = required(body.phone_number, "phone_number")?;
    let schema = "schemas.call.InitiateCallMessage";
    let call = OutboundCall {
        user,
        phone_number,
        caller_id: body.outbound_caller_id,
        group: group(schema, body.group_id.as_ref(), body.group_type.as_deref())?,
        custom_data: body.custom_data,
        device: None,
    };
    core.calls().ring_out(caller.company, call).await?;
    let device = core.calls().first_device(caller.company, user).await?;
    Ok(Json(match device {
        Some(d) => json!({"device": super::userdevices::render(&d)}),
        None => json!({}),
    }))
}

/// `POST /call/initiate_ivr_call`: a call center, department or office calls a number with
/// its IVR; answers `{call_id}`.
pub(crate) async fn initiate_ivr(
    State(core): State<Core>,
    caller: Caller,
    JsonBody(body, _): Body<IvrBody>,
) -> ApiResult<Json<Value>> {
    let phone_number = required(body.phone_number, "phone_number")?;
    let kind = required(body.target_type, "target_type")?;
    let id = required(body.target_id, "target_id")?;
    let target = party(
        "schemas.call.OutboundIVRMessage",
        "target_type",
        &kind,
        &id,
        "target_id",
    )?;
    let call = IvrCall {
        target,
        phone_number,
        caller_id: body.outbound_caller_id,
        custom_data: body.custom_data,
    };
    let leg = core.calls().ivr_call(caller.company, call).await?;
    Ok(Json(json!({"call_id": leg.id.0})))
}

/// `POST /call/{id}/participants/add`: a number or a target joins the connected call on a leg
/// of its own; answers `{call_id}` of that leg.
pub(crate) async fn add_participant(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<AddParticipantBody>,
) -> ApiResult<Json<Value>> {
    let id: CallId = path_id(&id, "id")?;
    let p = required(body.participant, "participant")?;
    let participant = match (p.number, p.target_id, p.target_type) {
        (Some(number), None, None) => Participant::Number(number),
        (None, Some(id), Some(kind)) => Participant::Target(party(
            "schemas.call.TargetTransferDestination",
            "target_type",
            &kind,
            &id,
            "target_id",
        )?),
        _ => {
            return Err(invalid(
                "participant is either {number} or {target_id, target_type}",
            ))
        }
    };
    if let Participant::Target(Party {
        kind: PartyKind::CallRouter | PartyKind::AiAgent,
        ..
    }) = participant
    {
        return Err(invalid("unknown target_type"));
    }
    let leg = core
        .calls()
        .add_participant(caller.company, id, participant)
        .await?;
    Ok(Json(json!({"call_id": leg.id.0})))
}

/// `POST /call/{id}/unpark`: calls are never parked here, so a call and user of the company
/// get 409.
pub(crate) async fn unpark(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<UnparkBody>,
) -> ApiResult<Json<Value>> {
    let id: CallId = path_id(&id, "id")?;
    let user = acting_for(&caller, &required(body.user_id, "user_id")?)?;
    let leg = core.calls().unpark(caller.company, id, user).await?;
    Ok(Json(json!({"call_id": leg.id.0})))
}
