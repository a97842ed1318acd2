//! Conference rooms and meetings. Every user of the company (but a deleted one) has one
//! meeting room, whose id is the user's id (written as a string, as the document types it),
//! named after them. Meetings are recorded once calls exist: until then their lists are empty.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::ids::UserId;
use switchboard_domain::telephony::conference::{Meeting, MeetingFilter, MeetingRoom};
use switchboard_domain::Core;

use crate::auth::Caller;
use crate::error::{ApiResult, Params, QueryParams};
use crate::wire::{page, path_id, time, Collection};

/// `schemas.uberconference.room.RoomProto`. No dial-in number until numbers are assigned;
/// no access URL, as the server does not know its public address.
fn render_room(r: &MeetingRoom) -> Value {
    json!({
        "company_name": r.company_name,
        "display_name": r.display_name,
        "email": r.email,
        "id": r.owner.0.to_string(),
    })
}

/// `schemas.uberconference.meeting.MeetingSummaryProto`.
fn render_meeting(m: &Meeting) -> Value {
    let mut v = json!({
        "host_name": m.host_name,
        "id": m.id.to_string(),
        "participants": m.participants.iter().map(|p| {
            let mut o = json!({
                "display_name": p.display_name,
                "is_organizer": p.is_organizer,
                "name": p.display_name,
                "talk_time": p.talk_time_ms,
            });
            if let Some(e) = &p.email {
                o["email"] = json!(e);
            }
            if let Some(n) = &p.phone_number {
                o["phone_number"] = json!(n);
            }
            o
        }).collect::<Vec<_>>(),
        "recordings": [],
        "room_id": m.room.0.to_string(),
        "start_time": time(m.started_at),
        "title": m.title,
    });
    if let Some(end) = m.ended_at {
        v["end_time"] = json!(time(end));
        v["duration_ms"] = json!((end - m.started_at).get_milliseconds());
    }
    v
}

#[derive(Deserialize)]
pub(crate) struct RoomsQuery {
    cursor: Option<String>,
    limit: Option<i64>,
}

/// `GET /conference/rooms`.
pub(crate) async fn rooms(
    State(core): State<Core>,
    caller: Caller,
    QueryParams(q, _): Params<RoomsQuery>,
) -> ApiResult<Json<Collection<Value>>> {
    let req = page(q.limit, q.cursor)?;
    let found = core.telephony().meeting_rooms(caller.company, &req).await?;
    Ok(Json(Collection::of(found, render_room)))
}

#[derive(Deserialize)]
pub(crate) struct MeetingsQuery {
    cursor: Option<String>,
    room_id: Option<String>,
    limit: Option<i64>,
}

/// `GET /conference/meetings`: the company's meetings, or one room's (`room_id`).
pub(crate) async fn meetings(
    State(core): State<Core>,
    caller: Caller,
    QueryParams(q, _): Params<MeetingsQuery>,
) -> ApiResult<Json<Collection<Value>>> {
    let req = page(q.limit, q.cursor)?;
    let room: Option<UserId> = q
        .room_id
        .as_deref()
        .map(|raw| path_id(raw, "room_id"))
        .transpose()?;
    let found = core
        .telephony()
        .meetings(caller.company, &MeetingFilter { room }, &req)
        .await?;
    Ok(Json(Collection::of(found, render_meeting)))
}
