//! Numbers: `POST /numbers/format`, a local number to E.164 or the other way round (with
//! libphonenumber's rules). The company's number inventory comes next.

use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_domain::phone;

use crate::auth::Caller;
use crate::error::{invalid, ApiResult, Params, QueryParams};

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
