//! A user's status message and do-not-disturb. Do-not-disturb is the workforce presence that
//! Bird shows as the agent's availability: on is the activity `busy`, off is `available`, and
//! each change through either dialect writes one agent-status event. The user themselves or an
//! admin may change them; `me` names the caller with a user key.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_domain::ids::UserId;
use switchboard_domain::telephony::people::StatusChange;
use switchboard_domain::{Core, DomainError};

use crate::auth::Caller;
use crate::error::{invalid, ApiError, ApiResult, Body, JsonBody, PathParams, Segments};
use crate::wire::{path_id, IdValue};

/// The user a path names (`me` for the caller with a user key), for a read.
pub(crate) fn named_user(caller: &Caller, raw: &str) -> ApiResult<UserId> {
    if raw == "me" {
        return caller
            .user
            .as_ref()
            .map(|u| u.id)
            .ok_or_else(|| invalid("'me' needs a user's API key"));
    }
    path_id(raw, "id")
}

/// The user a path names, for a change: the caller themselves, or anyone for an admin.
pub(crate) fn changeable_user(caller: &Caller, raw: &str) -> ApiResult<UserId> {
    let id = named_user(caller, raw)?;
    if caller.admin || caller.user.as_ref().is_some_and(|u| u.id == id) {
        Ok(id)
    } else {
        Err(ApiError(DomainError::Forbidden(
            "Requires a company admin API key to change another user".into(),
        )))
    }
}

/// `schemas.user.SetStatusMessage`.
#[derive(Deserialize)]
pub(crate) struct SetStatus {
    expiration: Option<i64>,
    status_message: Option<String>,
}

/// `schemas.user.SetStatusProto`.
#[derive(Serialize)]
pub(crate) struct StatusProto {
    #[serde(skip_serializing_if = "Option::is_none")]
    expiration: Option<i64>,
    id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    status_message: Option<String>,
}

/// `PATCH /users/{id}/status`: the status message, for `expiration` seconds (none: until
/// changed); an empty or missing message clears it.
pub(crate) async fn set_status(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<SetStatus>,
) -> ApiResult<Json<StatusProto>> {
    let id = changeable_user(&caller, &id)?;
    let status = core
        .telephony()
        .set_user_status(
            caller.company,
            id,
            StatusChange {
                message: body.status_message,
                expires_in: body.expiration,
            },
        )
        .await?;
    Ok(Json(StatusProto {
        expiration: status.expires_in,
        id: id.0,
        status_message: status.message,
    }))
}

/// `schemas.user.ToggleDNDMessage`.
#[derive(Deserialize)]
pub(crate) struct ToggleDnd {
    do_not_disturb: Option<bool>,
    group_id: Option<IdValue>,
    group_type: Option<String>,
}

/// `schemas.user.ToggleDNDProto`.
#[derive(Serialize)]
pub(crate) struct DndProto {
    do_not_disturb: bool,
    id: i64,
}

/// `PATCH /users/{id}/togglednd`: the user's do-not-disturb, everywhere. Do-not-disturb for
/// one group only is refused (400): presence is one fact per person.
pub(crate) async fn toggle_dnd(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<ToggleDnd>,
) -> ApiResult<Json<DndProto>> {
    let id = changeable_user(&caller, &id)?;
    let on = body
        .do_not_disturb
        .ok_or_else(|| invalid("do_not_disturb is required"))?;
    if let Some(t) = body.group_type.as_deref() {
        if !["callcenter", "department", "office"].contains(&t) {
            return Err(invalid(format!(
                "group_type must be callcenter, department or office; got '{t}'"
            )));
        }
    }
    if body.group_id.is_some() || body.group_type.is_some() {
        return Err(invalid(
            "do-not-disturb is set for the user as a whole: omit group_id and group_type",
        ));
    }
    let now = core
        .telephony()
        .set_do_not_disturb(caller.company, id, on)
        .await?;
    Ok(Json(DndProto {
        do_not_disturb: now,
        id: id.0,
    }))
}
