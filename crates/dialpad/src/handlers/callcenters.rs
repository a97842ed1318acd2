//! Call centers: create, get, update, delete, list (the company's, filtered by office and
//! name, and an office's). Operators are in [`super::operators`].

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use switchboard_domain::ids::{GroupId, OfficeId};
use switchboard_domain::telephony::group::{GroupFilter, GroupKind, GroupSettings, NewGroup};
use switchboard_domain::Core;

use super::group_refs::{check_targets, offices_of};
use super::group_render::render;
use super::group_wire::GroupBody;
use crate::auth::{Admin, Caller};
use crate::error::{invalid, ApiResult, Body, JsonBody, Params, PathParams, QueryParams, Segments};
use crate::wire::{page, path_id, Collection};
use switchboard_domain::telephony::number::TargetKind;

/// `POST /callcenters` and `POST /departments` (admin): `name` and `office_id` are required.
pub(crate) async fn create_group(
    core: &Core,
    caller: &Caller,
    kind: GroupKind,
    body: GroupBody,
) -> ApiResult<Json<Value>> {
    let name = body
        .name
        .clone()
        .ok_or_else(|| invalid("name is required"))?;
    let office: OfficeId = body
        .office_id
        .as_ref()
        .ok_or_else(|| invalid("office_id is required"))?
        .id("office_id")?;
    // The body is applied to a scratch group of the defaults, then created from it.
    let mut draft = switchboard_domain::telephony::group::Group {
        id: GroupId(1),
        company_id: caller.company,
        office_id: office,
        kind,
        name,
        description: None,
        state: switchboard_domain::telephony::office::EntryState::Active,
        settings: GroupSettings::default_for(kind),
        document: Default::default(),
        created_at: core.clock().now(),
        updated_at: core.clock().now(),
    };
    let refs = body.apply(&mut draft)?;
    let office = core.telephony().office(caller.company, office).await?;
    check_targets(core, caller.company, &refs).await?;
    let created = core
        .telephony()
        .create_group(
            &caller.actor(),
            NewGroup {
                company_id: caller.company,
                office_id: office.id,
                kind,
                name: draft.name,
                description: draft.description,
                settings: draft.settings,
                document: draft.document,
            },
        )
        .await?;
    Ok(Json(render(&created, &office, core.clock().now())))
}

pub(crate) async fn get_group(
    core: &Core,
    caller: &Caller,
    kind: GroupKind,
    id: &str,
) -> ApiResult<Json<Value>> {
    let id: GroupId = path_id(id, "id")?;
    let group = core.telephony().group(caller.company, kind, id).await?;
    let office = core
        .telephony()
        .office(caller.company, group.office_id)
        .await?;
    let mut v = render(&group, &office, core.clock().now());
    v["phone_numbers"] = numbers_of(core, kind, &[group.id.0])
        .await?
        .remove(&group.id.0)
        .unwrap_or_default()
        .into();
    Ok(Json(v))
}

/// The numbers of these groups of `kind`, one read for all.
async fn numbers_of(
    core: &Core,
    kind: GroupKind,
    ids: &[i64],
) -> ApiResult<std::collections::HashMap<i64, Vec<String>>> {
    let target = match kind {
        GroupKind::CallCenter => TargetKind::CallCenter,
        GroupKind::Department => TargetKind::Department,
    };
    Ok(core.telephony().numbers_of(target, ids).await?)
}

/// `PATCH` (admin): the fields given change; the rest stay.
pub(crate) async fn update_group(
    core: &Core,
    caller: &Caller,
    kind: GroupKind,
    id: &str,
    body: GroupBody,
) -> ApiResult<Json<Value>> {
    let id: GroupId = path_id(id, "id")?;
    if body.office_id.is_some() {
        return Err(invalid("office_id cannot be changed"));
    }
    // Validated against the current group first, so bad input is 400 before anything is held.
    let current = core.telephony().group(caller.company, kind, id).await?;
    let mut check = current.clone();
    let refs = GroupBody::apply(body, &mut check)?;
    check_targets(core, caller.company, &refs).await?;
    let updated = core
        .telephony()
        .update_group(&caller.actor(), kind, id, move |g| {
            g.name = check.name;
            g.description = check.description;
            g.settings = check.settings;
            g.document = check.document;
            Ok(())
        })
        .await?;
    let office = core
        .telephony()
        .office(caller.company, updated.office_id)
        .await?;
    let mut v = render(&updated, &office, core.clock().now());
    v["phone_numbers"] = numbers_of(core, kind, &[updated.id.0])
        .await?
        .remove(&updated.id.0)
        .unwrap_or_default()
        .into();
    Ok(Json(v))
}

pub(crate) async fn delete_group(
    core: &Core,
    caller: &Caller,
    kind: GroupKind,
    id: &str,
) -> ApiResult<Json<Value>> {
    let id: GroupId = path_id(id, "id")?;
    let deleted = core
        .telephony()
        .delete_group(&caller.actor(), kind, id)
        .await?;
    let office = core
        .telephony()
        .office(caller.company, deleted.office_id)
        .await?;
    Ok(Json(render(&deleted, &office, core.clock().now())))
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    cursor: Option<String>,
    office_id: Option<String>,
    name_search: Option<String>,
}

/// The company's groups of `kind`, or one office's.
pub(crate) async fn list_groups(
    core: &Core,
    caller: &Caller,
    kind: GroupKind,
    office: Option<&str>,
    q: ListQuery,
) -> ApiResult<Json<Collection<Value>>> {
    let req = page(None, q.cursor)?;
    let office_id = match office.or(q.office_id.as_deref()) {
        None => None,
        Some(raw) => Some(path_id::<OfficeId>(raw, "office_id")?),
    };
    let filter = GroupFilter {
        kind,
        office_id,
        name_search: q.name_search.filter(|n| !n.is_empty()),
    };
    let found = core
        .telephony()
        .groups(caller.company, &filter, &req)
        .await?;
    let offices = offices_of(core, caller.company, &found.items).await?;
    let ids: Vec<i64> = found.items.iter().map(|g| g.id.0).collect();
    let mut numbers = numbers_of(core, kind, &ids).await?;
    let now = core.clock().now();
    Ok(Json(Collection::of(found, |g| {
        let mut v = render(g, &offices[&g.office_id.0], now);
        v["phone_numbers"] = numbers.remove(&g.id.0).unwrap_or_default().into();
        v
    })))
}

pub(crate) async fn create(
    State(core): State<Core>,
    Admin(caller): Admin,
    JsonBody(body, _): Body<GroupBody>,
) -> ApiResult<Json<Value>> {
    create_group(&core, &caller, GroupKind::CallCenter, body).await
}

pub(crate) async fn get(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    get_group(&core, &caller, GroupKind::CallCenter, &id).await
}

/// An admin, or a user whose access-control policies grant what the fields change (see
/// [`crate::policies`]).
pub(crate) async fn update(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<serde_json::Map<String, Value>>,
) -> ApiResult<Json<Value>> {
    let group: GroupId = path_id(&id, "id")?;
    let needs = crate::policies::call_center_update_needs(&body);
    caller.may_manage_call_center(&core, group, needs).await?;
    let body: GroupBody = serde_json::from_value(Value::Object(body))
        .map_err(|e| invalid(format!("invalid request body: {e}")))?;
    update_group(&core, &caller, GroupKind::CallCenter, &id, body).await
}

pub(crate) async fn delete(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    delete_group(&core, &caller, GroupKind::CallCenter, &id).await
}

/// `GET /callcenters`: `office_id` and `name_search` (case-insensitive part of the name).
pub(crate) async fn list(
    State(core): State<Core>,
    caller: Caller,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<Value>>> {
    list_groups(&core, &caller, GroupKind::CallCenter, None, q).await
}

/// `GET /offices/{office_id}/callcenters`.
pub(crate) async fn list_in_office(
    State(core): State<Core>,
    caller: Caller,
    PathParams(office, _): Segments<String>,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<Value>>> {
    list_groups(&core, &caller, GroupKind::CallCenter, Some(&office), q).await
}
