//! Numbers: the company's inventory (`GET /numbers`, `GET /numbers/{number}`), releasing a
//! number (`DELETE /numbers/{number}`), and `POST /numbers/format` (libphonenumber's rules).
//! Assigning numbers to targets is in [`super::numbers_assign`].

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_domain::phone;
use switchboard_domain::telephony::number::{PhoneNumber, TargetKind};
use switchboard_domain::Core;

use crate::auth::{Admin, Caller};
use crate::error::{invalid, ApiResult, Params, PathParams, QueryParams, Segments};
use crate::wire::{flag, page, Collection};

/// `schemas.number.NumberProto`.
#[derive(Serialize)]
pub struct NumberProto {
    #[serde(skip_serializing_if = "Option::is_none")]
    area_code: Option<String>,
    company_id: i64,
    number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    office_id: Option<i64>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_type: Option<&'static str>,
    #[serde(rename = "type")]
    line: &'static str,
}

/// The vendor's name of a target kind.
pub(crate) fn target_type(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::User => "user",
        TargetKind::Office => "office",
        TargetKind::CallCenter => "callcenter",
        TargetKind::Department => "department",
        TargetKind::Room => "room",
        TargetKind::CallRouter => "callrouter",
    }
}

/// A target kind from the vendor's name; the document's other kinds (channels, coaching
/// groups, staff groups) take no numbers here: 400.
pub(crate) fn target_kind(raw: &str) -> ApiResult<TargetKind> {
    target_kind_named(raw)
        .ok_or_else(|| invalid(format!("numbers cannot be assigned to target_type '{raw}'")))
}

/// The target kind the vendor names `raw`, if it is one of ours.
pub(crate) fn target_kind_named(raw: &str) -> Option<TargetKind> {
    TargetKind::ALL.into_iter().find(|k| target_type(*k) == raw)
}

/// The numbers of these targets of one kind, primary first: one read for all of them.
pub(crate) async fn numbers_of(
    core: &Core,
    kind: TargetKind,
    ids: &[i64],
) -> ApiResult<std::collections::HashMap<i64, Vec<String>>> {
    Ok(core.telephony().numbers_of(kind, ids).await?)
}

/// One target's numbers, primary first.
pub(crate) async fn numbers_of_one(
    core: &Core,
    kind: TargetKind,
    id: i64,
) -> ApiResult<Vec<String>> {
    Ok(numbers_of(core, kind, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default())
}

impl From<&PhoneNumber> for NumberProto {
    fn from(n: &PhoneNumber) -> Self {
        Self {
            area_code: n.area_code.clone(),
            company_id: n.company_id.0,
            number: n.number.clone(),
            office_id: n.office_id.map(|o| o.0),
            status: n.status(),
            target_id: n.target.map(|t| t.id),
            target_type: n.target.map(|t| target_type(t.kind)),
            line: n.line.as_str(),
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    cursor: Option<String>,
    status: Option<String>,
    limit: Option<i64>,
}

/// `GET /numbers` (admin): `status` is `available` or the assignment status
/// (`user`, `office`, `call_center`, …); a status no number has gives an empty list.
pub(crate) async fn list(
    State(core): State<Core>,
    Admin(caller): Admin,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<NumberProto>>> {
    let req = page(q.limit, q.cursor)?;
    let status = q.status.filter(|s| !s.is_empty());
    let found = core
        .telephony()
        .numbers(caller.company, status.as_deref(), &req)
        .await?;
    Ok(Json(Collection::of(found, |n| NumberProto::from(n))))
}

/// `GET /numbers/{number}` (admin).
pub(crate) async fn get(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(number, _): Segments<String>,
) -> ApiResult<Json<NumberProto>> {
    let found = core.telephony().number(caller.company, &number).await?;
    Ok(Json((&found).into()))
}

#[derive(Deserialize)]
pub(crate) struct DeleteQuery {
    release: Option<String>,
}

/// `DELETE /numbers/{number}` (admin): back to the company's pool, or with `release=true`
/// given up by the company.
pub(crate) async fn delete(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(number, _): Segments<String>,
    QueryParams(q, _): Params<DeleteQuery>,
) -> ApiResult<Json<NumberProto>> {
    let release = flag("release", q.release.as_deref())?.unwrap_or(false);
    let found = core
        .telephony()
        .delete_number(&caller.actor(), &number, release)
        .await?;
    Ok(Json((&found).into()))
}

#[derive(Deserialize)]
pub(crate) struct FormatQuery {
    country_code: Option<String>,
    number: Option<String>,
}

/// `schemas.e164_format.FormatNumberResponse`.
#[derive(Serialize)]
pub struct FormatNumberResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    area_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country_code: Option<String>,
    e164_number: String,
    local_number: String,
}

/// `POST /numbers/format`: `number` in local form needs `country_code`; an E.164 number does
/// not (a `country_code` beside it is ignored).
pub(crate) async fn format(
    _caller: Caller,
    QueryParams(q, _): Params<FormatQuery>,
) -> ApiResult<Json<FormatNumberResponse>> {
    let number = q.number.ok_or_else(|| invalid("number is required"))?;
    let parts = phone::format(&number, q.country_code.as_deref())?;
    Ok(Json(FormatNumberResponse {
        area_code: parts.area_code,
        country_code: parts.region,
        e164_number: parts.e164.as_str().to_owned(),
        local_number: parts.national,
    }))
}
