//! Access-control policies: list, create, get, update, delete, and the users assigned to them
//! (assign, unassign, list). Writes need an admin, as the document says. Permission sets and
//! target types are checked against the document's enums.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use switchboard_domain::ids::{PolicyId, UserId};
use switchboard_domain::telephony::access::{NewPolicy, Policy, PolicyChange, PolicyLevel};
use switchboard_domain::telephony::UserTargets;
use switchboard_domain::Core;

use super::users::UserProto;
use crate::auth::{Admin, Caller};
use crate::error::{invalid, ApiResult, Body, JsonBody, Params, PathParams, QueryParams, Segments};
use crate::wire::{page, path_id, time, Collection, IdValue};

const SCHEMA: &str = "schemas.access_control_policies";

/// `CreatePolicyMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateBody {
    name: Option<String>,
    description: Option<String>,
    owner_id: Option<IdValue>,
    permission_sets: Option<Vec<String>>,
    target_type: Option<String>,
}

/// `UpdatePolicyMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UpdateBody {
    name: Option<String>,
    description: Option<String>,
    permission_sets: Option<Vec<String>>,
    state: Option<String>,
    user_id: Option<IdValue>,
}

/// `AssignmentPolicyMessage` and `UnassignmentPolicyMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AssignBody {
    user_id: Option<IdValue>,
    target_id: Option<IdValue>,
    target_type: Option<String>,
    unassign_all: Option<bool>,
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    cursor: Option<String>,
}

/// `PolicyProto`.
fn render(p: &Policy) -> Value {
    let mut v = json!({
        "company_id": p.company_id.0,
        "date_created": time(p.created_at),
        "date_updated": time(p.updated_at),
        "id": p.id.0,
        "name": p.name,
        "owner_id": p.owner_id.0,
        "permission_sets": p.permissions,
        "state": p.state.as_str(),
        "target_type": p.level.as_str(),
    });
    if let Some(d) = &p.description {
        v["description"] = json!(d);
    }
    v
}

/// `PolicyAssignmentProto`.
#[derive(Serialize)]
pub(crate) struct AssignmentProto {
    user: UserProto,
    policy_targets: Vec<Value>,
}

async fn assignments(core: &Core, found: Vec<UserTargets>) -> ApiResult<Vec<AssignmentProto>> {
    let (users, targets): (Vec<_>, Vec<_>) = found.into_iter().unzip();
    let people = core.telephony().people(users).await?;
    Ok(people
        .iter()
        .zip(targets)
        .map(|(person, targets)| AssignmentProto {
            user: person.into(),
            policy_targets: targets
                .iter()
                .map(|t| json!({"target_id": t.id, "target_type": t.level.as_str()}))
                .collect(),
        })
        .collect())
}

fn permissions(raw: Vec<String>) -> ApiResult<Vec<String>> {
    let allowed =
        crate::allowed_item_values(&format!("{SCHEMA}.CreatePolicyMessage"), "permission_sets");
    match raw.iter().find(|p| !allowed.contains(&p.as_str())) {
        Some(p) => Err(invalid(format!("unknown permission set '{p}'"))),
        None => Ok(raw),
    }
}

fn level(raw: Option<&str>) -> ApiResult<PolicyLevel> {
    Ok(PolicyLevel::parse(raw.unwrap_or("company"))?)
}

pub(crate) async fn list(
    State(core): State<Core>,
    caller: Caller,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<Value>>> {
    let req = page(None, q.cursor)?;
    let found = core.telephony().policies(caller.company, &req).await?;
    Ok(Json(Collection::of(found, render)))
}

/// `POST /accesscontrolpolicies` (admin): `name`, `owner_id` (a company admin) and
/// `permission_sets` are required.
pub(crate) async fn create(
    State(core): State<Core>,
    Admin(caller): Admin,
    JsonBody(body, _): Body<CreateBody>,
) -> ApiResult<Json<Value>> {
    let name = body.name.ok_or_else(|| invalid("name is required"))?;
    let owner: UserId = body
        .owner_id
        .ok_or_else(|| invalid("owner_id is required"))?
        .id("owner_id")?;
    let sets = body
        .permission_sets
        .ok_or_else(|| invalid("permission_sets is required"))?;
    let created = core
        .telephony()
        .create_policy(
            &caller.actor(),
            NewPolicy {
                name,
                description: body.description,
                owner_id: owner,
                permissions: permissions(sets)?,
                level: level(body.target_type.as_deref())?,
            },
        )
        .await?;
    Ok(Json(render(&created)))
}

pub(crate) async fn get(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: PolicyId = path_id(&id, "id")?;
    Ok(Json(render(
        &core.telephony().policy(caller.company, id).await?,
    )))
}

/// `PATCH /accesscontrolpolicies/{id}` (admin); `state: active` restores a deleted policy.
pub(crate) async fn update(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<UpdateBody>,
) -> ApiResult<Json<Value>> {
    let id: PolicyId = path_id(&id, "id")?;
    let restore = match body.state.as_deref() {
        None => false,
        Some("active") => true,
        Some(other) => return Err(invalid(format!("unknown state '{other}'"))),
    };
    let change = PolicyChange {
        name: body.name,
        description: body.description,
        permissions: body.permission_sets.map(permissions).transpose()?,
        restore,
        by: body.user_id.map(|u| u.id("user_id")).transpose()?,
    };
    let updated = core
        .telephony()
        .update_policy(&caller.actor(), id, change)
        .await?;
    Ok(Json(render(&updated)))
}

/// `DELETE /accesscontrolpolicies/{id}` (admin): marked deleted, its assignments removed.
pub(crate) async fn delete(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: PolicyId = path_id(&id, "id")?;
    let deleted = core.telephony().delete_policy(&caller.actor(), id).await?;
    Ok(Json(render(&deleted)))
}

fn user_of(body: &AssignBody) -> ApiResult<UserId> {
    body.user_id
        .as_ref()
        .ok_or_else(|| invalid("user_id is required"))?
        .id("user_id")
}

fn target_id(body: &AssignBody) -> ApiResult<Option<i64>> {
    body.target_id
        .as_ref()
        .map(|t| t.id::<UserId>("target_id").map(|i| i.0))
        .transpose()
}

/// `POST /accesscontrolpolicies/{id}/assign` (admin).
pub(crate) async fn assign(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<AssignBody>,
) -> ApiResult<Json<AssignmentProto>> {
    let id: PolicyId = path_id(&id, "id")?;
    if body.unassign_all.is_some() {
        return Err(invalid("unassign_all is for unassign"));
    }
    let user = user_of(&body)?;
    let found = core
        .telephony()
        .assign_policy(
            &caller.actor(),
            id,
            user,
            level(body.target_type.as_deref())?,
            target_id(&body)?,
        )
        .await?;
    let mut out = assignments(&core, vec![found]).await?;
    Ok(Json(out.remove(0)))
}

/// `POST /accesscontrolpolicies/{id}/unassign` (admin): one target, or with `unassign_all`
/// every target of the user.
pub(crate) async fn unassign(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<AssignBody>,
) -> ApiResult<Json<AssignmentProto>> {
    let id: PolicyId = path_id(&id, "id")?;
    let user = user_of(&body)?;
    let target = if body.unassign_all.unwrap_or(false) {
        None
    } else {
        Some((level(body.target_type.as_deref())?, target_id(&body)?))
    };
    let found = core
        .telephony()
        .unassign_policy(&caller.actor(), id, user, target)
        .await?;
    let mut out = assignments(&core, vec![found]).await?;
    Ok(Json(out.remove(0)))
}

/// `GET /accesscontrolpolicies/{id}/assignments`: a page of users with their targets.
pub(crate) async fn list_assignments(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<AssignmentProto>>> {
    let id: PolicyId = path_id(&id, "id")?;
    let req = page(None, q.cursor)?;
    let found = core
        .telephony()
        .policy_assignments(caller.company, id, &req)
        .await?;
    Ok(Json(Collection {
        items: assignments(&core, found.items).await?,
        cursor: found.next,
    }))
}
