//! Operators of call centers and departments: list, add, remove; a call center operator's
//! skill level; an operator's duty status (across every call center they are in).
//!
//! Adding, removing and skill changes are for admins (they change other people), and for users
//! whose access-control policies grant them over the call center (see [`crate::policies`]).
//! A user may put themselves on or off duty; changing someone else's duty status is for admins.
//! Departments take `operator_type` `user` or `room`: rooms are not operators yet, so a room
//! operator is not found.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::ids::{CompanyId, GroupId, UserId};
use switchboard_domain::telephony::directory::DirectoryUser;
use switchboard_domain::telephony::group::{skill_level, GroupKind, OperatorRole};
use switchboard_domain::{Core, DomainError};

use super::users::UserProto;
use crate::auth::{Admin, Caller};
use crate::error::{invalid, ApiError, ApiResult, Body, JsonBody, PathParams, Segments};
use crate::policies::{one, MANAGE_OPERATORS, SKILL_LEVEL};
use crate::wire::{path_id, IdValue};
use switchboard_domain::telephony::number::TargetKind;

/// `OperatorCollection`.
async fn list_of(core: &Core, company: CompanyId, kind: GroupKind, id: &str) -> ApiResult<Value> {
    let id: GroupId = path_id(id, "id")?;
    let found = core.telephony().operators(company, kind, id).await?;
    let people = core
        .telephony()
        .people(found.into_iter().map(|(_, u)| u).collect())
        .await?;
    let users: Vec<UserProto> = people.iter().map(UserProto::from).collect();
    Ok(json!({"users": users}))
}

/// `UserOrRoomProto` of a user, with their numbers.
pub(crate) async fn user_or_room(
    core: &Core,
    u: &DirectoryUser,
    on_duty: Option<bool>,
) -> ApiResult<Value> {
    let numbers = core
        .telephony()
        .numbers_of(TargetKind::User, &[u.user.id.0])
        .await?
        .remove(&u.user.id.0)
        .unwrap_or_default();
    let mut v = json!({
        "company_id": u.user.company_id.0,
        "country": u.entry.fields.country.clone().unwrap_or_else(|| "us".into()),
        "id": u.user.id.0,
        "name": u.user.display_name(),
        "office_id": u.entry.office_id.0,
        "phone_numbers": numbers,
        "state": u.entry.state.as_str(),
    });
    if let Some(d) = on_duty {
        v["is_on_duty"] = json!(d);
    }
    Ok(v)
}

pub(crate) fn role(raw: Option<&str>, allowed: &[OperatorRole]) -> ApiResult<OperatorRole> {
    match raw {
        None => Ok(OperatorRole::Operator),
        Some(r) => {
            let role = OperatorRole::parse(r)?;
            if allowed.contains(&role) {
                Ok(role)
            } else {
                Err(invalid(format!("unknown role '{r}'")))
            }
        }
    }
}

pub(crate) async fn callcenter_list(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        list_of(&core, caller.company, GroupKind::CallCenter, &id).await?,
    ))
}

/// `AddCallCenterOperatorMessage`.
#[derive(Deserialize)]
pub(crate) struct AddCallCenterOperator {
    user_id: Option<IdValue>,
    role: Option<String>,
    skill_level: Option<i64>,
    license_type: Option<String>,
    /// Numbers are not part of the directory yet.
    #[allow(dead_code)]
    keep_paid_numbers: Option<bool>,
}

pub(crate) async fn callcenter_add(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<AddCallCenterOperator>,
) -> ApiResult<Json<Value>> {
    let id: GroupId = path_id(&id, "id")?;
    caller
        .may_manage_call_center(&core, id, one(MANAGE_OPERATORS))
        .await?;
    let user: UserId = body
        .user_id
        .ok_or_else(|| invalid("user_id is required"))?
        .id("user_id")?;
    let role = role(
        body.role.as_deref(),
        &[
            OperatorRole::Admin,
            OperatorRole::Operator,
            OperatorRole::Supervisor,
        ],
    )?;
    let skill = match body.skill_level {
        None => 100,
        Some(s) if (1..=100).contains(&s) => skill_level(s)?,
        Some(_) => return Err(invalid("skill_level must be between 1 and 100")),
    };
    if let Some(l) = body.license_type.as_deref() {
        if !["agents", "lite_support_agents"].contains(&l) {
            return Err(invalid(format!("unknown license_type '{l}'")));
        }
    }
    let t = core.telephony();
    let (_, u) = t
        .add_operator(
            &caller.actor(),
            GroupKind::CallCenter,
            id,
            user,
            role,
            skill,
        )
        .await?;
    let duty = t.duty_status(caller.company, user).await?;
    Ok(Json(user_or_room(&core, &u, Some(duty.on_duty)).await?))
}

/// `RemoveCallCenterOperatorMessage`.
#[derive(Deserialize)]
pub(crate) struct RemoveCallCenterOperator {
    user_id: Option<IdValue>,
}

pub(crate) async fn callcenter_remove(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<RemoveCallCenterOperator>,
) -> ApiResult<Json<Value>> {
    let id: GroupId = path_id(&id, "id")?;
    caller
        .may_manage_call_center(&core, id, one(MANAGE_OPERATORS))
        .await?;
    let user: UserId = body
        .user_id
        .ok_or_else(|| invalid("user_id is required"))?
        .id("user_id")?;
    let u = core
        .telephony()
        .remove_operator(&caller.actor(), GroupKind::CallCenter, id, user)
        .await?;
    Ok(Json(user_or_room(&core, &u, None).await?))
}

pub(crate) async fn department_list(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        list_of(&core, caller.company, GroupKind::Department, &id).await?,
    ))
}

/// `AddOperatorMessage` / `RemoveOperatorMessage` (departments and offices' main lines).
#[derive(Deserialize)]
pub(crate) struct DepartmentOperator {
    operator_id: Option<IdValue>,
    operator_type: Option<String>,
    pub(crate) role: Option<String>,
}

impl DepartmentOperator {
    pub(crate) fn user(&self) -> ApiResult<UserId> {
        let id: UserId = self
            .operator_id
            .as_ref()
            .ok_or_else(|| invalid("operator_id is required"))?
            .id("operator_id")?;
        match self.operator_type.as_deref() {
            None => Err(invalid("operator_type is required")),
            Some("user") => Ok(id),
            Some("room") => Err(ApiError(DomainError::NotFound("room"))),
            Some(other) => Err(invalid(format!("unknown operator_type '{other}'"))),
        }
    }
}

pub(crate) async fn department_add(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<DepartmentOperator>,
) -> ApiResult<Json<Value>> {
    let id: GroupId = path_id(&id, "id")?;
    let role = role(
        body.role.as_deref(),
        &[OperatorRole::Admin, OperatorRole::Operator],
    )?;
    let user = body.user()?;
    let (_, u) = core
        .telephony()
        .add_operator(&caller.actor(), GroupKind::Department, id, user, role, 100)
        .await?;
    Ok(Json(user_or_room(&core, &u, None).await?))
}

pub(crate) async fn department_remove(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<DepartmentOperator>,
) -> ApiResult<Json<Value>> {
    let id: GroupId = path_id(&id, "id")?;
    if body.role.is_some() {
        return Err(invalid("role is not part of a removal"));
    }
    let user = body.user()?;
    let u = core
        .telephony()
        .remove_operator(&caller.actor(), GroupKind::Department, id, user)
        .await?;
    Ok(Json(user_or_room(&core, &u, None).await?))
}

fn skill_json(group: GroupId, user: UserId, level: u8) -> Value {
    json!({"call_center_id": group.0, "skill_level": level, "user_id": user.0})
}

pub(crate) async fn skill_get(
    State(core): State<Core>,
    caller: Caller,
    PathParams((group, user), _): Segments<(String, String)>,
) -> ApiResult<Json<Value>> {
    let group: GroupId = path_id(&group, "call_center_id")?;
    let user: UserId = path_id(&user, "user_id")?;
    let m = core
        .telephony()
        .operator(caller.company, GroupKind::CallCenter, group, user)
        .await?;
    Ok(Json(skill_json(group, user, m.skill_level)))
}

/// `UpdateOperatorSkillLevelMessage`.
#[derive(Deserialize)]
pub(crate) struct SkillBody {
    skill_level: Option<i64>,
}

pub(crate) async fn skill_set(
    State(core): State<Core>,
    caller: Caller,
    PathParams((group, user), _): Segments<(String, String)>,
    JsonBody(body, _): Body<SkillBody>,
) -> ApiResult<Json<Value>> {
    let group: GroupId = path_id(&group, "call_center_id")?;
    caller
        .may_manage_call_center(&core, group, one(SKILL_LEVEL))
        .await?;
    let user: UserId = path_id(&user, "user_id")?;
    let level = skill_level(
        body.skill_level
            .ok_or_else(|| invalid("skill_level is required"))?,
    )?;
    let m = core
        .telephony()
        .set_skill_level(&caller.actor(), GroupKind::CallCenter, group, user, level)
        .await?;
    Ok(Json(skill_json(group, user, m.skill_level)))
}

fn duty_json(d: &switchboard_domain::telephony::group::DutyStatus) -> Value {
    let mut v = json!({
        "duty_status_started": d.state_started.as_millisecond(),
        "on_duty": d.on_duty,
        "on_duty_started": d.on_duty_started.as_millisecond(),
        "on_duty_status": d.state.as_str(),
        "user_id": d.user_id.0,
    });
    if let Some(r) = &d.reason {
        v["duty_status_reason"] = json!(r);
    }
    v
}

pub(crate) async fn duty_get(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let user: UserId = path_id(&id, "id")?;
    let d = core.telephony().duty_status(caller.company, user).await?;
    Ok(Json(duty_json(&d)))
}

/// `UpdateOperatorDutyStatusMessage`.
#[derive(Deserialize)]
pub(crate) struct DutyBody {
    on_duty: Option<bool>,
    duty_status_reason: Option<String>,
}

pub(crate) async fn duty_set(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<DutyBody>,
) -> ApiResult<Json<Value>> {
    let user: UserId = path_id(&id, "id")?;
    let on_duty = body.on_duty.ok_or_else(|| invalid("on_duty is required"))?;
    if let Some(r) = &body.duty_status_reason {
        if r.contains('\n') || r.chars().count() > 255 {
            return Err(invalid(
                "duty_status_reason must be one line of at most 255 characters",
            ));
        }
    }
    let own = caller.user.as_ref().is_some_and(|u| u.id == user);
    if !own {
        caller.clone().admin()?;
    }
    let d = core
        .telephony()
        .set_duty_status(caller.company, user, on_duty, body.duty_status_reason)
        .await?;
    Ok(Json(duty_json(&d)))
}
