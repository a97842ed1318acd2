//! Call routers: create, get, update, delete, list (the company's, or one office's).
//!
//! The `secret` is write-only: it is sealed at rest and never answered. The document's
//! `ApiCallRouterProto.signature` (`algo`, `secret`, `type`) requires none of its fields, so a
//! router with a secret shows `{"algo": "HS256", "type": "jwt"}` and one without shows `{}`.
//! Numbers are assigned with `POST /callrouters/{id}/assign_number` (see `numbers_assign`).

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::ids::{CallRouterId, OfficeId};
use switchboard_domain::telephony::router::{
    CallRouter, CallRouterUpdate, NewCallRouter, RouterSecret, RouterTarget, TargetKind,
};
use switchboard_domain::{Core, DomainError};

use super::numbers::{numbers_of, numbers_of_one};
use crate::auth::{Admin, Caller};
use crate::error::{
    invalid, ApiError, ApiResult, Body, JsonBody, Params, PathParams, QueryParams, Segments,
};
use crate::wire::{page, path_id, Collection, IdValue};
use switchboard_domain::telephony::number::TargetKind as NumberKind;

const CREATE: &str = "schemas.call_router.CreateApiCallRouterMessage";

/// The wire name of a target kind.
fn wire_kind(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::User => "user",
        TargetKind::Office => "office",
        TargetKind::CallCenter => "callcenter",
        TargetKind::Department => "department",
        TargetKind::CallRouter => "callrouter",
    }
}

/// `schemas.call_router.ApiCallRouterProto`: the one rendering of a router.
pub(crate) fn render(r: &CallRouter, phone_numbers: Vec<String>) -> Value {
    json!({
        "default_target_id": r.default_target.id,
        "default_target_type": wire_kind(r.default_target.kind),
        "enabled": r.enabled,
        "id": r.id.0,
        "name": r.name,
        "office_id": r.office_id.0,
        "phone_numbers": phone_numbers,
        "routing_url": r.routing_url,
        "signature": if r.signed { json!({"algo": "HS256", "type": "jwt"}) } else { json!({}) },
    })
}

/// A router with its numbers.
async fn rendered(core: &Core, r: &CallRouter) -> ApiResult<Value> {
    let numbers = numbers_of_one(core, NumberKind::CallRouter, r.id.0).await?;
    Ok(render(r, numbers))
}

/// `CreateApiCallRouterMessage` and `UpdateApiCallRouterMessage` (which adds
/// `reset_error_count`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RouterBody {
    default_target_id: Option<IdValue>,
    default_target_type: Option<String>,
    enabled: Option<bool>,
    name: Option<String>,
    office_id: Option<IdValue>,
    routing_url: Option<String>,
    secret: Option<String>,
    reset_error_count: Option<bool>,
}

impl RouterBody {
    /// The default target: both fields or neither. Kinds the document names but the directory
    /// does not have yet (rooms, channels, coaching teams, staff groups) are not found.
    fn target(&self) -> ApiResult<Option<RouterTarget>> {
        let (id, kind) = match (&self.default_target_id, &self.default_target_type) {
            (None, None) => return Ok(None),
            (Some(id), Some(kind)) => (id.id::<CallRouterId>("default_target_id")?.0, kind),
            _ => {
                return Err(invalid(
                    "default_target_id and default_target_type go together",
                ))
            }
        };
        if !crate::allowed_values(CREATE, "default_target_type").contains(&kind.as_str()) {
            return Err(invalid(format!("unknown default_target_type '{kind}'")));
        }
        let kind = match kind.as_str() {
            "user" => TargetKind::User,
            "office" => TargetKind::Office,
            "callcenter" => TargetKind::CallCenter,
            "department" => TargetKind::Department,
            "callrouter" => TargetKind::CallRouter,
            "unknown" => return Err(invalid("default_target_type 'unknown' names no target")),
            _ => return Err(ApiError(DomainError::NotFound("default target"))),
        };
        Ok(Some(RouterTarget { kind, id }))
    }

    fn office(&self) -> ApiResult<Option<OfficeId>> {
        self.office_id
            .as_ref()
            .map(|o| o.id("office_id"))
            .transpose()
    }
}

/// A given secret; an empty one (on update) removes it.
fn secret(raw: Option<&str>) -> ApiResult<Option<Option<RouterSecret>>> {
    match raw {
        None => Ok(None),
        Some("") => Ok(Some(None)),
        Some(s) => Ok(Some(Some(RouterSecret::parse(s)?))),
    }
}

/// `POST /callrouters` (admin): `name`, `routing_url`, `office_id` and the default target are
/// required; `enabled` defaults to true.
pub(crate) async fn create(
    State(core): State<Core>,
    Admin(caller): Admin,
    JsonBody(body, _): Body<RouterBody>,
) -> ApiResult<Json<Value>> {
    if body.reset_error_count.is_some() {
        return Err(invalid("reset_error_count is for updates"));
    }
    let need = |v: Option<String>, f: &str| v.ok_or_else(|| invalid(format!("{f} is required")));
    let office = body
        .office()?
        .ok_or_else(|| invalid("office_id is required"))?;
    let target = body
        .target()?
        .ok_or_else(|| invalid("default_target_id and default_target_type are required"))?;
    let secret = match secret(body.secret.as_deref())? {
        Some(None) => return Err(invalid("secret must not be empty")),
        Some(s) => s,
        None => None,
    };
    let created = core
        .telephony()
        .create_call_router(
            &caller.actor(),
            NewCallRouter {
                office_id: office,
                name: need(body.name, "name")?,
                routing_url: need(body.routing_url, "routing_url")?,
                default_target: target,
                enabled: body.enabled.unwrap_or(true),
                secret,
            },
        )
        .await?;
    Ok(Json(render(&created, Vec::new())))
}

pub(crate) async fn get(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: CallRouterId = path_id(&id, "id")?;
    let found = core.telephony().call_router(caller.company, id).await?;
    Ok(Json(rendered(&core, &found).await?))
}

/// `PATCH /callrouters/{id}` (admin): the fields given change; `reset_error_count: true`
/// zeroes the routing error count; `secret: ""` removes the secret.
pub(crate) async fn update(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<RouterBody>,
) -> ApiResult<Json<Value>> {
    let id: CallRouterId = path_id(&id, "id")?;
    let update = CallRouterUpdate {
        office_id: body.office()?,
        default_target: body.target()?,
        secret: secret(body.secret.as_deref())?,
        name: body.name,
        routing_url: body.routing_url,
        enabled: body.enabled,
        reset_error_count: body.reset_error_count.unwrap_or(false),
    };
    let updated = core
        .telephony()
        .update_call_router(&caller.actor(), id, update)
        .await?;
    Ok(Json(rendered(&core, &updated).await?))
}

/// `DELETE /callrouters/{id}` (admin): answers the router as it was.
pub(crate) async fn delete(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: CallRouterId = path_id(&id, "id")?;
    let deleted = core
        .telephony()
        .delete_call_router(&caller.actor(), id)
        .await?;
    Ok(Json(render(&deleted, Vec::new())))
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    cursor: Option<String>,
    office_id: Option<String>,
}

/// `GET /callrouters`: the company's routers, or one office's (`office_id`).
pub(crate) async fn list(
    State(core): State<Core>,
    caller: Caller,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<Value>>> {
    let req = page(None, q.cursor)?;
    let office = q
        .office_id
        .as_deref()
        .map(|o| path_id::<OfficeId>(o, "office_id"))
        .transpose()?;
    let found = core
        .telephony()
        .call_routers(caller.company, office, &req)
        .await?;
    let ids: Vec<i64> = found.items.iter().map(|r| r.id.0).collect();
    let mut numbers = numbers_of(&core, NumberKind::CallRouter, &ids).await?;
    Ok(Json(Collection::of(found, |r| {
        render(r, numbers.remove(&r.id.0).unwrap_or_default())
    })))
}
