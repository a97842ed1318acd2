//! `/{partner_id}`: the partner account.

use axum::extract::State;
use axum::Json;
use serde_json::Value;
use switchboard_domain::Core;

use crate::auth::PartnerCaller;
use crate::error::{ApiResult, Body, JsonBody, PathParams, Segments};
use crate::wire::{partner_change, PartnerOut};

/// Retrieve partner: the partner account info.
#[utoipa::path(get, path = "/{partner_id}", tag = "partner",
    params(("partner_id" = String, Path, description = "The partner id, e.g. `1234567890123456PA`")),
    responses((status = 200, body = PartnerOut), (status = 401), (status = 404)))]
pub(crate) async fn get(
    caller: PartnerCaller,
    PathParams(partner_id, _): Segments<String>,
) -> ApiResult<Json<PartnerOut>> {
    Ok(Json(PartnerOut::new(&caller.own(&partner_id)?)))
}

/// Update partner: `webhook_url`, `partner_redirect_url` (absolute http(s) URLs; `null` or `""`
/// clears) and `allow_client_to_add_phone_no`. Other fields are refused with 400.
#[utoipa::path(patch, path = "/{partner_id}", tag = "partner",
    params(("partner_id" = String, Path)), request_body = Object,
    responses((status = 200, body = PartnerOut), (status = 400), (status = 401), (status = 404)))]
pub(crate) async fn patch(
    State(core): State<Core>,
    caller: PartnerCaller,
    PathParams(partner_id, _): Segments<String>,
    JsonBody(body, _): Body<Value>,
) -> ApiResult<Json<PartnerOut>> {
    let partner = caller.own(&partner_id)?;
    let change = partner_change(&body)?;
    let updated = core.tenancy().update_partner(partner.id, change).await?;
    Ok(Json(PartnerOut::new(&updated)))
}
