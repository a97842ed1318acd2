//! Webhooks (`/webhooks`): an HTTP URL a company's subscribed events are POSTed to, with an
//! optional secret. With a secret each event is a compact JWT (HS256) signed with it, without
//! one plain JSON; every delivery also carries the Standard Webhooks headers (`webhook-id`,
//! `webhook-timestamp`, `webhook-signature`), keyed with `whsec_` + base64 of the secret (or,
//! for a webhook without one, the company's signing secret).
//!
//! Choices where the vendor is silent: the secret is write-only (the vendor echoes it back;
//! here `signature` shows only `algo` and `type`); `secret: ""` removes it. `hook_url` is
//! http(s), at most 2,048 characters, without credentials or fragment, and not on a private or
//! loopback host unless the server allows that (`SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE=1`); a
//! company has at most 100 webhooks. Deleting a webhook deletes its subscriptions. Every
//! operation needs an admin key.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use switchboard_domain::events::endpoint::{Endpoint, EndpointKind};
use switchboard_domain::ids::EndpointId;
use switchboard_domain::Core;

use crate::auth::Admin;
use crate::error::{invalid, ApiResult, Body, JsonBody, Params, PathParams, QueryParams, Segments};
use crate::wire::{page, path_id, Collection};

/// `CreateWebhook` and `UpdateWebhook`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WebhookBody {
    hook_url: Option<String>,
    secret: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    cursor: Option<String>,
}

/// `SignatureProto`, without the secret.
pub(crate) fn signature() -> Value {
    json!({"algo": "HS256", "type": "jwt"})
}

/// `WebhookProto`.
#[derive(Serialize)]
pub(crate) struct WebhookProto {
    id: i64,
    hook_url: String,
    signature: Value,
}

impl From<&Endpoint> for WebhookProto {
    fn from(e: &Endpoint) -> Self {
        Self {
            id: e.id.0,
            hook_url: e.hook_url.clone().unwrap_or_default(),
            signature: signature(),
        }
    }
}

pub(crate) async fn list(
    State(core): State<Core>,
    Admin(caller): Admin,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<WebhookProto>>> {
    let req = page(None, q.cursor)?;
    let found = core
        .events()
        .endpoints(caller.company, EndpointKind::Webhook, &req)
        .await?;
    Ok(Json(Collection::of(found, |e| e.into())))
}

pub(crate) async fn create(
    State(core): State<Core>,
    Admin(caller): Admin,
    JsonBody(body, _): Body<WebhookBody>,
) -> ApiResult<Json<WebhookProto>> {
    let url = body
        .hook_url
        .ok_or_else(|| invalid("hook_url is required"))?;
    let e = core
        .events()
        .create_endpoint(
            caller.company,
            EndpointKind::Webhook,
            Some(&url),
            body.secret.as_deref(),
        )
        .await?;
    Ok(Json((&e).into()))
}

pub(crate) async fn get(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<WebhookProto>> {
    let id: EndpointId = path_id(&id, "id")?;
    let e = core
        .events()
        .endpoint(caller.company, EndpointKind::Webhook, id)
        .await?;
    Ok(Json((&e).into()))
}

pub(crate) async fn update(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<WebhookBody>,
) -> ApiResult<Json<WebhookProto>> {
    let id: EndpointId = path_id(&id, "id")?;
    let e = core
        .events()
        .update_endpoint(
            caller.company,
            EndpointKind::Webhook,
            id,
            body.hook_url.as_deref(),
            body.secret.as_deref(),
        )
        .await?;
    Ok(Json((&e).into()))
}

pub(crate) async fn delete(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<WebhookProto>> {
    let id: EndpointId = path_id(&id, "id")?;
    let e = core
        .events()
        .delete_endpoint(caller.company, EndpointKind::Webhook, id)
        .await?;
    Ok(Json((&e).into()))
}
