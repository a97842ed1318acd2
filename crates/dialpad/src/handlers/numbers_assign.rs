//! Assigning numbers: to any target (`POST /numbers/assign`, `POST /numbers/{number}/assign`),
//! to a user, an office or a room (`…/assign_number`, `…/unassign_number`), to a call router
//! (`POST /callrouters/{id}/assign_number`), and swapping a target's
//! primary number (`POST /numbers/swap`). Every one needs an admin.
//!
//! Which number: the `number` given (it must be in the company's pool), else a pool number of
//! `area_code` (or a new one from the telephone network), else any pool number (the office's
//! area code when the pool is empty). `primary` (default true) makes it the target's primary.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use switchboard_domain::telephony::number::{Pick, Target, TargetKind};
use switchboard_domain::Core;

use super::numbers::{target_kind, NumberProto};
use super::users_presence::named_user;
use crate::auth::{Admin, Caller};
use crate::error::{invalid, ApiResult, Body, JsonBody, PathParams, Segments};
use crate::wire::{path_id, IdValue};

/// `schemas.number.AssignNumberTargetGenericMessage` and `AssignNumberMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AssignBody {
    area_code: Option<String>,
    number: Option<String>,
    primary: Option<bool>,
    target_id: Option<IdValue>,
    target_type: Option<String>,
}

impl AssignBody {
    fn pick(&self) -> Pick {
        match (&self.number, &self.area_code) {
            (Some(n), _) if !n.is_empty() => Pick::Number(n.clone()),
            (_, Some(a)) if !a.is_empty() => Pick::AreaCode(a.clone()),
            _ => Pick::Auto,
        }
    }
}

/// A body's target; both fields are required.
fn target(id: Option<&IdValue>, kind: Option<&str>) -> ApiResult<Target> {
    let kind = target_kind(kind.ok_or_else(|| invalid("target_type is required"))?)?;
    let id: i64 = id
        .ok_or_else(|| invalid("target_id is required"))?
        .id::<switchboard_domain::ids::OfficeId>("target_id")?
        .0;
    Ok(Target { kind, id })
}

async fn assign(
    core: &Core,
    caller: &Caller,
    t: Target,
    b: &AssignBody,
) -> ApiResult<Json<NumberProto>> {
    let n = core
        .telephony()
        .assign_number(&caller.actor(), t, b.pick(), b.primary.unwrap_or(true))
        .await?;
    Ok(Json((&n).into()))
}

/// `POST /numbers/assign`.
pub(crate) async fn assign_any(
    State(core): State<Core>,
    Admin(caller): Admin,
    JsonBody(b, _): Body<AssignBody>,
) -> ApiResult<Json<NumberProto>> {
    let t = target(b.target_id.as_ref(), b.target_type.as_deref())?;
    assign(&core, &caller, t, &b).await
}

/// `schemas.number.AssignNumberTargetMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AssignThisBody {
    primary: Option<bool>,
    target_id: Option<IdValue>,
    target_type: Option<String>,
}

/// `POST /numbers/{number}/assign`.
pub(crate) async fn assign_this(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(number, _): Segments<String>,
    JsonBody(b, _): Body<AssignThisBody>,
) -> ApiResult<Json<NumberProto>> {
    let t = target(b.target_id.as_ref(), b.target_type.as_deref())?;
    let n = core
        .telephony()
        .assign_number(
            &caller.actor(),
            t,
            Pick::Number(number),
            b.primary.unwrap_or(true),
        )
        .await?;
    Ok(Json((&n).into()))
}

/// A target named by the path, for `…/assign_number` bodies (which name no target).
async fn assign_to(
    core: &Core,
    caller: &Caller,
    t: Target,
    b: AssignBody,
) -> ApiResult<Json<NumberProto>> {
    if b.target_id.is_some() || b.target_type.is_some() {
        return Err(invalid("the target is the one in the path"));
    }
    assign(core, caller, t, &b).await
}

/// `POST /users/{id}/assign_number` (`me` with a user key, which must be an admin's).
pub(crate) async fn user_assign(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(b, _): Body<AssignBody>,
) -> ApiResult<Json<NumberProto>> {
    let user = named_user(&caller, &id)?;
    let t = Target {
        kind: TargetKind::User,
        id: user.0,
    };
    assign_to(&core, &caller, t, b).await
}

/// `POST /offices/{id}/assign_number`.
pub(crate) async fn office_assign(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(b, _): Body<AssignBody>,
) -> ApiResult<Json<NumberProto>> {
    let office: switchboard_domain::ids::OfficeId = path_id(&id, "id")?;
    let t = Target {
        kind: TargetKind::Office,
        id: office.0,
    };
    assign_to(&core, &caller, t, b).await
}

/// `schemas.number.UnassignNumberMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UnassignBody {
    number: Option<String>,
}

async fn unassign(
    core: &Core,
    caller: &Caller,
    t: Target,
    b: UnassignBody,
) -> ApiResult<Json<NumberProto>> {
    let number = b.number.ok_or_else(|| invalid("number is required"))?;
    let n = core
        .telephony()
        .unassign_number(&caller.actor(), t, &number)
        .await?;
    Ok(Json((&n).into()))
}

/// `POST /users/{id}/unassign_number`.
pub(crate) async fn user_unassign(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(b, _): Body<UnassignBody>,
) -> ApiResult<Json<NumberProto>> {
    let user = named_user(&caller, &id)?;
    unassign(
        &core,
        &caller,
        Target {
            kind: TargetKind::User,
            id: user.0,
        },
        b,
    )
    .await
}

/// `POST /offices/{id}/unassign_number`.
pub(crate) async fn office_unassign(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(b, _): Body<UnassignBody>,
) -> ApiResult<Json<NumberProto>> {
    let office: switchboard_domain::ids::OfficeId = path_id(&id, "id")?;
    unassign(
        &core,
        &caller,
        Target {
            kind: TargetKind::Office,
            id: office.0,
        },
        b,
    )
    .await
}

/// `schemas.number.SwapNumberMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SwapBody {
    swap_details: Option<SwapDetails>,
    target: Option<SwapTarget>,
}

/// `AreaCodeSwap`, `AutoSwap` or `ProvidedNumberSwap`, told apart by `type`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SwapDetails {
    #[serde(rename = "type")]
    kind: Option<String>,
    area_code: Option<String>,
    number: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SwapTarget {
    target_id: Option<IdValue>,
    target_type: Option<String>,
}

/// `POST /numbers/swap`: the target's primary number goes back to the pool and a new one,
/// picked by `swap_details` (`auto` when absent), takes its place.
pub(crate) async fn swap(
    State(core): State<Core>,
    Admin(caller): Admin,
    JsonBody(b, _): Body<SwapBody>,
) -> ApiResult<Json<NumberProto>> {
    let t = b.target.ok_or_else(|| invalid("target is required"))?;
    let t = target(t.target_id.as_ref(), t.target_type.as_deref())?;
    let pick = match b.swap_details {
        None => Pick::Auto,
        Some(d) => match d.kind.as_deref() {
            None | Some("auto") => Pick::Auto,
            Some("area_code") => Pick::AreaCode(
                d.area_code
                    .ok_or_else(|| invalid("swap_details.area_code is required"))?,
            ),
            Some("provided_number") => Pick::Number(
                d.number
                    .ok_or_else(|| invalid("swap_details.number is required"))?,
            ),
            Some(other) => return Err(invalid(format!("unknown swap type '{other}'"))),
        },
    };
    let n = core
        .telephony()
        .swap_number(&caller.actor(), t, pick)
        .await?;
    Ok(Json((&n).into()))
}

/// The target a path names, of `kind`.
fn path_target(kind: TargetKind, raw: &str) -> ApiResult<Target> {
    let id: switchboard_domain::ids::OfficeId = path_id(raw, "id")?;
    Ok(Target { kind, id: id.0 })
}

/// `POST /rooms/{id}/assign_number`.
pub(crate) async fn room_assign(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(b, _): Body<AssignBody>,
) -> ApiResult<Json<NumberProto>> {
    let t = path_target(TargetKind::Room, &id)?;
    assign_to(&core, &caller, t, b).await
}

/// `POST /rooms/{id}/unassign_number`.
pub(crate) async fn room_unassign(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(b, _): Body<UnassignBody>,
) -> ApiResult<Json<NumberProto>> {
    let t = path_target(TargetKind::Room, &id)?;
    unassign(&core, &caller, t, b).await
}

/// `POST /callrouters/{id}/assign_number`.
pub(crate) async fn router_assign(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(b, _): Body<AssignBody>,
) -> ApiResult<Json<NumberProto>> {
    let t = path_target(TargetKind::CallRouter, &id)?;
    assign_to(&core, &caller, t, b).await
}
