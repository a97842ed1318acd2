//! Websockets (`/websockets`): a channel a company's subscribed events are sent on, to every
//! client connected to its `websocket_url` (see `events::socket` for the handshake and how a
//! client resumes). With a secret each event is a JWT (HS256) signed with it, without one
//! plain JSON; the secret is write-only (`signature` shows `algo` and `type`).
//!
//! `websocket_url` is `ws://<host>/api/v2/websockets/events/<token>` (`wss` behind TLS): the
//! token is signed by the server and expires an hour after it was made; every read of the
//! websocket (or of a subscription on it) answers a fresh one. A websocket's token carries all
//! of its subscriptions' events, a subscription's only that subscription's. At most 100
//! websockets per company; deleting one deletes its subscriptions. Admin keys only.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use switchboard_domain::events::endpoint::{Endpoint, EndpointKind};
use switchboard_domain::ids::{EndpointId, SubscriptionId};
use switchboard_domain::Core;

use crate::auth::Admin;
use crate::error::{ApiResult, Body, JsonBody, Params, PathParams, QueryParams, Segments};
use crate::handlers::webhooks::signature;
use crate::wire::{page, path_id, Collection};

/// `CreateWebsocket` and `UpdateWebsocket`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WebsocketBody {
    secret: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    cursor: Option<String>,
}

/// `WebsocketProto`.
#[derive(Serialize)]
pub(crate) struct WebsocketProto {
    id: i64,
    websocket_url: String,
    signature: Value,
}

/// The origin websocket clients connect to: the request's (see `customivrs::origin`) with
/// `ws`/`wss` for `http`/`https`.
fn ws_origin(headers: &HeaderMap) -> String {
    let origin = crate::handlers::customivrs::origin(headers);
    match origin.strip_prefix("http") {
        Some(rest) => format!("ws{rest}"),
        None => "ws://localhost".into(),
    }
}

/// The `WebsocketProto` of `e`, with a fresh token (for one subscription when given).
pub(crate) async fn render(
    core: &Core,
    headers: &HeaderMap,
    e: &Endpoint,
    subscription: Option<SubscriptionId>,
) -> ApiResult<WebsocketProto> {
    let token = core.events().websocket_token(e.id, subscription).await?;
    Ok(WebsocketProto {
        id: e.id.0,
        websocket_url: format!(
            "{}{}/websockets/events/{token}",
            ws_origin(headers),
            crate::MOUNT
        ),
        signature: signature(),
    })
}

pub(crate) async fn list(
    State(core): State<Core>,
    Admin(caller): Admin,
    headers: HeaderMap,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<WebsocketProto>>> {
    let req = page(None, q.cursor)?;
    let found = core
        .events()
        .endpoints(caller.company, EndpointKind::Websocket, &req)
        .await?;
    let mut items = Vec::with_capacity(found.items.len());
    for e in &found.items {
        items.push(render(&core, &headers, e, None).await?);
    }
    Ok(Json(Collection {
        items,
        cursor: found.next,
    }))
}

pub(crate) async fn create(
    State(core): State<Core>,
    Admin(caller): Admin,
    headers: HeaderMap,
    JsonBody(body, _): Body<WebsocketBody>,
) -> ApiResult<Json<WebsocketProto>> {
    let e = core
        .events()
        .create_endpoint(
            caller.company,
            EndpointKind::Websocket,
            None,
            body.secret.as_deref(),
        )
        .await?;
    Ok(Json(render(&core, &headers, &e, None).await?))
}

pub(crate) async fn get(
    State(core): State<Core>,
    Admin(caller): Admin,
    headers: HeaderMap,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<WebsocketProto>> {
    let id: EndpointId = path_id(&id, "id")?;
    let e = core
        .events()
        .endpoint(caller.company, EndpointKind::Websocket, id)
        .await?;
    Ok(Json(render(&core, &headers, &e, None).await?))
}

pub(crate) async fn update(
    State(core): State<Core>,
    Admin(caller): Admin,
    headers: HeaderMap,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<WebsocketBody>,
) -> ApiResult<Json<WebsocketProto>> {
    let id: EndpointId = path_id(&id, "id")?;
    let e = core
        .events()
        .update_endpoint(
            caller.company,
            EndpointKind::Websocket,
            id,
            None,
            body.secret.as_deref(),
        )
        .await?;
    Ok(Json(render(&core, &headers, &e, None).await?))
}

pub(crate) async fn delete(
    State(core): State<Core>,
    Admin(caller): Admin,
    headers: HeaderMap,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<WebsocketProto>> {
    let id: EndpointId = path_id(&id, "id")?;
    let e = core
        .events()
        .delete_endpoint(caller.company, EndpointKind::Websocket, id)
        .await?;
    Ok(Json(render(&core, &headers, &e, None).await?))
}
