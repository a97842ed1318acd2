//! A user's caller id, emergency address, personas and desk phones. Until numbers are
//! assigned a user has no caller id but `blocked`; personas and desk phones do not exist yet
//! (desk phones come when SIP devices register), so their lists are empty and one of them is
//! not found. Reads are open to the company; changes to the user themselves or an admin.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use switchboard_domain::telephony::directory::DirectoryUser;
use switchboard_domain::telephony::office::Address;
use switchboard_domain::{Core, DomainError};

use super::offices::E911In;
use super::users_presence::{changeable_user, named_user};
use crate::auth::Caller;
use crate::error::{invalid, ApiError, ApiResult, Body, JsonBody, PathParams, Segments};

/// `schemas.caller_id.CallerIdProto`.
#[derive(Serialize)]
pub(crate) struct CallerIdProto {
    #[serde(skip_serializing_if = "Option::is_none")]
    caller_id: Option<String>,
    forwarding_numbers: Vec<String>,
    groups: Vec<Value>,
    id: i64,
    phone_numbers: Vec<String>,
}

/// The user's caller id (their primary number unless they chose another or `blocked`) and the
/// numbers they may choose from.
async fn caller_id_of(core: &Core, u: &DirectoryUser) -> ApiResult<CallerIdProto> {
    let numbers = core.telephony().caller_ids(u).await?;
    Ok(CallerIdProto {
        caller_id: u
            .entry
            .fields
            .caller_id
            .clone()
            .or_else(|| numbers.first().cloned()),
        forwarding_numbers: u.entry.fields.forwarding_numbers.clone(),
        groups: Vec::new(),
        id: u.user.id.0,
        phone_numbers: numbers,
    })
}

/// `GET /users/{id}/caller_id`.
pub(crate) async fn get_caller_id(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<CallerIdProto>> {
    let id = named_user(&caller, &id)?;
    let found = core
        .telephony()
        .live_directory_user(caller.company, id)
        .await?;
    Ok(Json(caller_id_of(&core, &found).await?))
}

/// `schemas.caller_id.SetCallerIdMessage`.
#[derive(Deserialize)]
pub(crate) struct SetCallerId {
    caller_id: Option<String>,
}

/// `POST /users/{id}/caller_id`: `blocked`, or one of the user's numbers.
pub(crate) async fn set_caller_id(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<SetCallerId>,
) -> ApiResult<Json<CallerIdProto>> {
    let id = changeable_user(&caller, &id)?;
    let value = body
        .caller_id
        .ok_or_else(|| invalid("caller_id is required"))?;
    let found = core
        .telephony()
        .set_caller_id(&caller.actor(), id, &value)
        .await?;
    Ok(Json(caller_id_of(&core, &found).await?))
}

/// `GET /users/{id}/e911`: the user's own address, else their office's; `{}` when neither
/// is set.
pub(crate) async fn get_e911(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id = named_user(&caller, &id)?;
    let found = core.telephony().user_e911(caller.company, id).await?;
    Ok(Json(found.map_or_else(|| json!({}), |a| json!(a))))
}

/// `PUT /users/{id}/e911`: every line but `address2` is required.
pub(crate) async fn set_e911(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<E911In>,
) -> ApiResult<Json<Address>> {
    let id = changeable_user(&caller, &id)?;
    let address = body.address()?;
    let saved = core
        .telephony()
        .set_user_e911(&caller.actor(), id, address)
        .await?;
    Ok(Json(saved))
}

/// `GET /users/{id}/personas` and `GET /users/{parent_id}/deskphones`: an empty list for a
/// user of the company, since no personas exist yet and desk phones come when SIP devices
/// register.
pub(crate) async fn none_yet(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id = named_user(&caller, &id)?;
    core.telephony()
        .live_directory_user(caller.company, id)
        .await?;
    Ok(Json(json!({"items": []})))
}

/// `GET /users/{parent_id}/deskphones/{id}`: not found (the user's, or the phone).
pub(crate) async fn deskphone(
    State(core): State<Core>,
    caller: Caller,
    PathParams((id, _phone), _): Segments<(String, String)>,
) -> ApiResult<Json<Value>> {
    let id = named_user(&caller, &id)?;
    core.telephony()
        .live_directory_user(caller.company, id)
        .await?;
    Err(ApiError(DomainError::NotFound("deskphone")))
}

/// `DELETE /users/{parent_id}/deskphones/{id}`: not found, as no desk phone exists.
pub(crate) async fn delete_deskphone(
    State(core): State<Core>,
    caller: Caller,
    PathParams((id, _phone), _): Segments<(String, String)>,
) -> ApiResult<Json<Value>> {
    let id = changeable_user(&caller, &id)?;
    core.telephony()
        .live_directory_user(caller.company, id)
        .await?;
    Err(ApiError(DomainError::NotFound("deskphone")))
}
