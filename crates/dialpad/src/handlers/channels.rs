//! Channels: list (filtered by `state`), create, get, delete, and members (list, add,
//! remove). Writes are for admins. A user key's channel is owned by that user; a company key
//! may name the owner with `user_id` (the document: "Just for company level API key").
//! Delete and member removal answer what they removed (the document gives them no body).

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::ids::{ChannelId, UserId};
use switchboard_domain::telephony::channel::{Channel, ChannelFilter, NewChannel, Privacy};
use switchboard_domain::telephony::directory::DirectoryUser;
use switchboard_domain::telephony::office::EntryState;
use switchboard_domain::Core;

use crate::auth::{Admin, Caller};
use crate::error::{invalid, ApiResult, Body, JsonBody, Params, PathParams, QueryParams, Segments};
use crate::wire::{page, path_id, Collection, IdValue};

const CREATE: &str = "schemas.channel.CreateChannelMessage";

/// `schemas.channel.ChannelProto`.
fn render(c: &Channel) -> Value {
    json!({"id": c.id.0, "name": c.name})
}

/// `schemas.member_channel.MembersProto`.
fn render_member(u: &DirectoryUser) -> Value {
    json!({"id": u.user.id.0, "name": u.user.display_name()})
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    cursor: Option<String>,
    state: Option<String>,
    limit: Option<i64>,
}

/// `GET /channels`: every channel of the company, or those in one `state`.
pub(crate) async fn list(
    State(core): State<Core>,
    caller: Caller,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<Value>>> {
    let req = page(q.limit, q.cursor)?;
    let filter = ChannelFilter {
        state: q.state.as_deref().map(EntryState::parse).transpose()?,
    };
    let found = core
        .telephony()
        .channels(caller.company, &filter, &req)
        .await?;
    Ok(Json(Collection::of(found, render)))
}

/// `schemas.channel.CreateChannelMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateChannel {
    description: Option<String>,
    name: Option<String>,
    privacy_type: Option<String>,
    user_id: Option<IdValue>,
}

/// `POST /channels` (admin): `name`, `description` and `privacy_type` are required; a name
/// the company has is 409.
pub(crate) async fn create(
    State(core): State<Core>,
    Admin(caller): Admin,
    JsonBody(body, _): Body<CreateChannel>,
) -> ApiResult<Json<Value>> {
    let name = body.name.ok_or_else(|| invalid("name is required"))?;
    let description = body
        .description
        .ok_or_else(|| invalid("description is required"))?;
    let privacy = body
        .privacy_type
        .ok_or_else(|| invalid("privacy_type is required"))?;
    if !crate::allowed_values(CREATE, "privacy_type").contains(&privacy.as_str()) {
        return Err(invalid(format!("unknown privacy_type '{privacy}'")));
    }
    let owner: Option<UserId> = match (&caller.user, body.user_id) {
        (Some(_), Some(_)) => return Err(invalid("user_id is for company API keys")),
        (Some(u), None) => Some(u.id),
        (None, named) => named.map(|n| n.id("user_id")).transpose()?,
    };
    let created = core
        .telephony()
        .create_channel(
            &caller.actor(),
            NewChannel {
                name,
                description,
                privacy: Privacy::parse(&privacy)?,
                owner,
            },
        )
        .await?;
    Ok(Json(render(&created)))
}

/// `GET /channels/{id}`.
pub(crate) async fn get(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: ChannelId = path_id(&id, "id")?;
    Ok(Json(render(
        &core.telephony().channel(caller.company, id).await?,
    )))
}

/// `DELETE /channels/{id}` (admin): answers the channel deleted.
pub(crate) async fn delete(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: ChannelId = path_id(&id, "id")?;
    let gone = core.telephony().delete_channel(&caller.actor(), id).await?;
    Ok(Json(render(&gone)))
}

#[derive(Deserialize)]
pub(crate) struct MembersQuery {
    cursor: Option<String>,
    limit: Option<i64>,
}

/// `GET /channels/{id}/members`.
pub(crate) async fn members(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    QueryParams(q, _): Params<MembersQuery>,
) -> ApiResult<Json<Collection<Value>>> {
    let id: ChannelId = path_id(&id, "id")?;
    let req = page(q.limit, q.cursor)?;
    let found = core
        .telephony()
        .channel_members(caller.company, id, &req)
        .await?;
    Ok(Json(Collection::of(found, render_member)))
}

/// `AddChannelMemberMessage` and `RemoveChannelMemberMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MemberBody {
    user_id: Option<IdValue>,
}

impl MemberBody {
    fn user(self) -> ApiResult<UserId> {
        self.user_id
            .ok_or_else(|| invalid("user_id is required"))?
            .id("user_id")
    }
}

/// `POST /channels/{id}/members` (admin): a member already is 409.
pub(crate) async fn add_member(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<MemberBody>,
) -> ApiResult<Json<Value>> {
    let id: ChannelId = path_id(&id, "id")?;
    let user = body.user()?;
    let u = core
        .telephony()
        .add_channel_member(&caller.actor(), id, user)
        .await?;
    Ok(Json(render_member(&u)))
}

/// `DELETE /channels/{id}/members` (admin): answers the member removed; a user who is not a
/// member is 404.
pub(crate) async fn remove_member(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<MemberBody>,
) -> ApiResult<Json<Value>> {
    let id: ChannelId = path_id(&id, "id")?;
    let user = body.user()?;
    let u = core
        .telephony()
        .remove_channel_member(&caller.actor(), id, user)
        .await?;
    Ok(Json(render_member(&u)))
}
