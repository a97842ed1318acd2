//! Rooms: list (the company's, filtered by office), create, get, update, delete; the PIN for
//! international calls from room phones; a room's desk phones, which do not exist yet (they
//! come when SIP devices register): an empty list, and one desk phone is not found.
//!
//! Writes are for admins (the document marks the PIN so; the others change the directory).

use std::collections::HashMap;

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::ids::{CompanyId, OfficeId, RoomId};
use switchboard_domain::telephony::office::Office;
use switchboard_domain::telephony::room::{NewRoom, Room, RoomFilter, RoomPatch};
use switchboard_domain::{Core, DomainError};

use super::numbers::{numbers_of, numbers_of_one};
use crate::auth::{Admin, Caller};
use crate::error::{invalid, ApiError, ApiResult, Body, JsonBody, Params, PathParams};
use crate::error::{QueryParams, Segments};
use crate::wire::{page, path_id, time, Collection, IdValue};
use switchboard_domain::telephony::number::TargetKind as NumberKind;

/// `schemas.room.RoomProto`: the one rendering of a room. `phone_numbers` are the room's
/// numbers, primary first; every room is free (nobody is billed) and not
/// on duty (rooms are not operators yet).
pub(crate) fn render(room: &Room, office: &Office, phone_numbers: Vec<String>) -> Value {
    json!({
        "company_id": room.company_id.0,
        "country": office.country,
        "id": room.id.0,
        "is_free": true,
        "is_on_duty": false,
        "name": room.name,
        "office_id": room.office_id.0,
        "phone_numbers": phone_numbers,
        "state": room.state.as_str(),
    })
}

/// The offices these ids name, by id: one read per distinct office (a page names few).
pub(crate) async fn offices_by_id(
    core: &Core,
    company: CompanyId,
    ids: Vec<OfficeId>,
) -> ApiResult<HashMap<i64, Office>> {
    let mut found = HashMap::new();
    for id in ids {
        if let std::collections::hash_map::Entry::Vacant(slot) = found.entry(id.0) {
            slot.insert(core.telephony().office(company, id).await?);
        }
    }
    Ok(found)
}

async fn rendered(core: &Core, room: &Room) -> ApiResult<Json<Value>> {
    let office = core
        .telephony()
        .office(room.company_id, room.office_id)
        .await?;
    let numbers = numbers_of_one(core, NumberKind::Room, room.id.0).await?;
    Ok(Json(render(room, &office, numbers)))
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    cursor: Option<String>,
    office_id: Option<String>,
    limit: Option<i64>,
}

/// `GET /rooms`: the company's rooms, or one office's (`office_id`).
pub(crate) async fn list(
    State(core): State<Core>,
    caller: Caller,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<Value>>> {
    let req = page(q.limit, q.cursor)?;
    let filter = RoomFilter {
        office_id: q
            .office_id
            .as_deref()
            .map(|raw| path_id::<OfficeId>(raw, "office_id"))
            .transpose()?,
    };
    let found = core
        .telephony()
        .rooms(caller.company, &filter, &req)
        .await?;
    let ids = found.items.iter().map(|r| r.office_id).collect();
    let offices = offices_by_id(&core, caller.company, ids).await?;
    let ids: Vec<i64> = found.items.iter().map(|r| r.id.0).collect();
    let mut numbers = numbers_of(&core, NumberKind::Room, &ids).await?;
    Ok(Json(Collection::of(found, |r| {
        render(
            r,
            &offices[&r.office_id.0],
            numbers.remove(&r.id.0).unwrap_or_default(),
        )
    })))
}

/// `schemas.room.CreateRoomMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateRoom {
    name: Option<String>,
    office_id: Option<IdValue>,
}

/// `POST /rooms` (admin): `name` and `office_id` (one of the company's offices) are required.
pub(crate) async fn create(
    State(core): State<Core>,
    Admin(caller): Admin,
    JsonBody(body, _): Body<CreateRoom>,
) -> ApiResult<Json<Value>> {
    let name = body.name.ok_or_else(|| invalid("name is required"))?;
    let office_id = body
        .office_id
        .ok_or_else(|| invalid("office_id is required"))?
        .id("office_id")?;
    let room = core
        .telephony()
        .create_room(&caller.actor(), NewRoom { office_id, name })
        .await?;
    rendered(&core, &room).await
}

/// `GET /rooms/{id}`.
pub(crate) async fn get(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: RoomId = path_id(&id, "id")?;
    let room = core.telephony().room(caller.company, id).await?;
    rendered(&core, &room).await
}

/// `schemas.room.UpdateRoomMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UpdateRoom {
    name: Option<String>,
    phone_numbers: Option<Vec<String>>,
}

/// `PATCH /rooms/{id}` (admin): the name, and the numbers kept (a reorder or a removal of
/// the room's own numbers).
pub(crate) async fn update(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<UpdateRoom>,
) -> ApiResult<Json<Value>> {
    let id: RoomId = path_id(&id, "id")?;
    let patch = RoomPatch {
        name: body.name,
        phone_numbers: body.phone_numbers,
    };
    let room = core
        .telephony()
        .update_room(&caller.actor(), id, patch)
        .await?;
    rendered(&core, &room).await
}

/// `DELETE /rooms/{id}` (admin): answers the room as it was, `state` `deleted`.
pub(crate) async fn delete(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: RoomId = path_id(&id, "id")?;
    let room = core.telephony().delete_room(&caller.actor(), id).await?;
    rendered(&core, &room).await
}

/// `schemas.room.CreateInternationalPinProto`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreatePin {
    customer_ref: Option<String>,
}

/// `POST /rooms/international_pin` (admin): a new PIN, shown this once, with when it expires.
pub(crate) async fn international_pin(
    State(core): State<Core>,
    Admin(caller): Admin,
    JsonBody(body, _): Body<CreatePin>,
) -> ApiResult<Json<Value>> {
    let issued = core
        .telephony()
        .issue_international_pin(&caller.actor(), body.customer_ref)
        .await?;
    let mut v = json!({"expires_on": time(issued.record.expires_at), "pin": issued.pin});
    if let Some(r) = issued.record.customer_ref {
        v["customer_ref"] = json!(r);
    }
    Ok(Json(v))
}

/// `GET /rooms/{parent_id}/deskphones`: an empty list for a room of the company.
pub(crate) async fn deskphones(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: RoomId = path_id(&id, "parent_id")?;
    core.telephony().room(caller.company, id).await?;
    Ok(Json(json!({"items": []})))
}

/// `GET /rooms/{parent_id}/deskphones/{id}`: not found (the room's, or the phone).
pub(crate) async fn deskphone(
    State(core): State<Core>,
    caller: Caller,
    PathParams((id, _phone), _): Segments<(String, String)>,
) -> ApiResult<Json<Value>> {
    let id: RoomId = path_id(&id, "parent_id")?;
    core.telephony().room(caller.company, id).await?;
    Err(ApiError(DomainError::NotFound("deskphone")))
}

/// `DELETE /rooms/{parent_id}/deskphones/{id}` (admin): not found, as no desk phone exists.
pub(crate) async fn delete_deskphone(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams((id, _phone), _): Segments<(String, String)>,
) -> ApiResult<Json<Value>> {
    let id: RoomId = path_id(&id, "parent_id")?;
    core.telephony().room(caller.company, id).await?;
    Err(ApiError(DomainError::NotFound("deskphone")))
}
