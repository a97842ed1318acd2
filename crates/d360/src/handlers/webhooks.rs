//! The partner's webhook: URL (vendor endpoints), and the extensions for its signing secret and
//! its deliveries.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use switchboard_domain::events::partner_signing_owner;
use switchboard_domain::ids::{DeliveryId, Id};
use switchboard_domain::page::Page;
use switchboard_domain::tenancy::PartnerChange;
use switchboard_domain::{Core, DomainError};
use utoipa::{IntoParams, ToSchema};

use crate::auth::PartnerCaller;
use crate::error::{
    invalid, ApiError, ApiResult, Body, JsonBody, Params, PathParams, QueryParams, Segments,
};
use crate::wire::{time, PartnerOut, WebhookUrl};

/// Retrieve the partner's webhook URL.
#[utoipa::path(get, path = "/{partner_id}/webhook_url", tag = "webhooks",
    params(("partner_id" = String, Path)),
    responses((status = 200, body = WebhookUrl), (status = 401), (status = 404)))]
pub(crate) async fn get_url(
    caller: PartnerCaller,
    PathParams(partner_id, _): Segments<String>,
) -> ApiResult<Json<WebhookUrl>> {
    let partner = caller.own(&partner_id)?;
    Ok(Json(WebhookUrl {
        webhook_url: partner.webhook_url,
    }))
}

/// Set the partner's webhook URL: `{"webhook_url": …}`, an absolute http(s) URL (`null` or `""` clears it).
/// Answers the partner.
#[utoipa::path(post, path = "/{partner_id}/webhook_url", tag = "webhooks",
    params(("partner_id" = String, Path)), request_body = Object,
    responses((status = 200, body = PartnerOut), (status = 400), (status = 401), (status = 404)))]
pub(crate) async fn set_url(
    State(core): State<Core>,
    caller: PartnerCaller,
    PathParams(partner_id, _): Segments<String>,
    JsonBody(body, _): Body<Value>,
) -> ApiResult<Json<PartnerOut>> {
    let partner = caller.own(&partner_id)?;
    let Some(map) = body.as_object() else {
        return Err(invalid("the body must be a JSON object"));
    };
    if let Some(k) = map.keys().find(|k| *k != "webhook_url") {
        return Err(invalid(format!("unknown field '{k}'")));
    }
    let url = match map.get("webhook_url") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Null) => None,
        Some(_) => return Err(invalid("webhook_url must be a string")),
        None => return Err(invalid("webhook_url is required")),
    };
    let change = PartnerChange {
        webhook_url: Some(url),
        ..Default::default()
    };
    Ok(Json(PartnerOut::new(
        &core.tenancy().update_partner(partner.id, change).await?,
    )))
}

/// The signing secret of the partner's webhooks.
#[derive(Debug, Serialize, ToSchema)]
pub struct SecretOut {
    /// `whsec_<base64>`: the Standard Webhooks key for `webhook-signature`.
    pub secret: String,
}

/// Retrieve the webhook signing secret (extension); made on first request.
#[utoipa::path(get, path = "/{partner_id}/webhook_secret", tag = "webhooks",
    params(("partner_id" = String, Path)),
    responses((status = 200, body = SecretOut), (status = 401), (status = 404)))]
pub(crate) async fn secret(
    State(core): State<Core>,
    caller: PartnerCaller,
    PathParams(partner_id, _): Segments<String>,
) -> ApiResult<Json<SecretOut>> {
    let partner = caller.own(&partner_id)?;
    let secret = core
        .events()
        .signing_secret(&partner_signing_owner(partner.id))
        .await?;
    Ok(Json(SecretOut { secret }))
}

/// Replace the webhook signing secret (extension); later attempts are signed with the new one.
#[utoipa::path(post, path = "/{partner_id}/webhook_secret/rotate", tag = "webhooks",
    params(("partner_id" = String, Path)),
    responses((status = 200, body = SecretOut), (status = 401), (status = 404)))]
pub(crate) async fn rotate_secret(
    State(core): State<Core>,
    caller: PartnerCaller,
    PathParams(partner_id, _): Segments<String>,
) -> ApiResult<Json<SecretOut>> {
    let partner = caller.own(&partner_id)?;
    let secret = core
        .events()
        .rotate_signing_secret(&partner_signing_owner(partner.id))
        .await?;
    Ok(Json(SecretOut { secret }))
}

/// Paging of the deliveries list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct DeliveriesQuery {
    /// 1 to 100 (default 20).
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// One attempt at a delivery.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttemptOut {
    pub attempted_at: String,
    pub status_code: Option<i64>,
    pub error: Option<String>,
    pub duration_ms: i64,
}

/// A webhook delivery: one event to the partner's URL.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryOut {
    /// The `webhook-id` header of every attempt.
    pub id: String,
    pub event_id: String,
    pub url: String,
    /// `pending`, `delivered` or `exhausted`.
    pub status: String,
    pub attempts: Vec<AttemptOut>,
    pub next_attempt_at: Option<String>,
    pub last_error: Option<String>,
    pub created_at: String,
}

/// A page of deliveries.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryList {
    pub count: usize,
    pub limit: u32,
    pub offset: u64,
    pub total: u64,
    pub deliveries: Vec<DeliveryOut>,
}

fn delivery_out(
    d: &switchboard_domain::events::event::Delivery,
    attempts: &[switchboard_domain::events::event::DeliveryAttempt],
) -> DeliveryOut {
    use switchboard_domain::events::event::DeliveryStatus;
    DeliveryOut {
        id: format!("msg_{}", d.id),
        event_id: d.event_id.to_string(),
        url: d.url.clone(),
        status: d.status.as_str().into(),
        attempts: attempts
            .iter()
            .map(|a| AttemptOut {
                attempted_at: time(a.attempted_at),
                status_code: a.status_code,
                error: a.error.clone(),
                duration_ms: a.duration_ms,
            })
            .collect(),
        next_attempt_at: (d.status == DeliveryStatus::Pending).then(|| time(d.next_attempt_at)),
        last_error: d.last_error.clone(),
        created_at: time(d.created_at),
    }
}

/// List webhook deliveries with their attempts, newest first (extension).
#[utoipa::path(get, path = "/{partner_id}/webhook_deliveries", tag = "webhooks",
    params(("partner_id" = String, Path), DeliveriesQuery),
    responses((status = 200, body = DeliveryList), (status = 400), (status = 401), (status = 404)))]
pub(crate) async fn deliveries(
    State(core): State<Core>,
    caller: PartnerCaller,
    PathParams(partner_id, _): Segments<String>,
    QueryParams(q, _): Params<DeliveriesQuery>,
) -> ApiResult<Json<DeliveryList>> {
    let partner = caller.own(&partner_id)?;
    let page = Page::parse(q.limit, q.offset, 20, 100)?;
    let found = core.events().partner_deliveries(partner.id, page).await?;
    let deliveries: Vec<DeliveryOut> = found
        .items
        .iter()
        .map(|(d, a)| delivery_out(d, a))
        .collect();
    Ok(Json(DeliveryList {
        count: deliveries.len(),
        limit: page.limit,
        offset: page.skip,
        total: found.total,
        deliveries,
    }))
}

/// Queue a delivery again, due now with a fresh retry budget and the same id (extension).
#[utoipa::path(post, path = "/{partner_id}/webhook_deliveries/{delivery_id}/replay", tag = "webhooks",
    params(("partner_id" = String, Path), ("delivery_id" = String, Path)),
    responses((status = 200, body = DeliveryOut), (status = 401), (status = 404)))]
pub(crate) async fn replay(
    State(core): State<Core>,
    caller: PartnerCaller,
    PathParams((partner_id, raw), _): Segments<(String, String)>,
) -> ApiResult<Json<DeliveryOut>> {
    let partner = caller.own(&partner_id)?;
    let id = DeliveryId::parse_str(raw.strip_prefix("msg_").unwrap_or(&raw))
        .ok_or(ApiError(DomainError::NotFound("delivery")))?;
    let (d, attempts) = core
        .events()
        .replay_partner_delivery(partner.id, id)
        .await?;
    Ok(Json(delivery_out(&d, &attempts)))
}
