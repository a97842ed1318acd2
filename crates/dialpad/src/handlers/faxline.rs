//! `POST /faxline` (admin): a fax line for a user or a department. `line.type` is `reserved`
//! (with `number`, from the company's pool), `search` (with `area_code`) or `toll-free`
//! (also `tollfree`/`toll_free`); without a type, a `number` means reserved and an `area_code`
//! search. A fax line is not among the target's `phone_numbers`.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_domain::telephony::number::{PhoneNumber, Target, TargetKind};
use switchboard_domain::telephony::FaxLine;
use switchboard_domain::Core;

use super::numbers::target_type;
use crate::auth::Admin;
use crate::error::{invalid, ApiResult, Body, JsonBody};
use crate::wire::IdValue;

/// `schemas.faxline.CreateFaxNumberMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateFaxLine {
    line: Option<Line>,
    target: Option<FaxTarget>,
}

/// `ReservedLineType`, `SearchLineType` or `TollfreeLineType`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Line {
    #[serde(rename = "type")]
    kind: Option<String>,
    number: Option<String>,
    area_code: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FaxTarget {
    target_id: Option<IdValue>,
    target_type: Option<String>,
}

/// `schemas.faxline.FaxNumberProto`.
#[derive(Serialize)]
pub struct FaxNumberProto {
    #[serde(skip_serializing_if = "Option::is_none")]
    area_code: Option<String>,
    company_id: i64,
    number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    office_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_type: Option<&'static str>,
}

impl From<&PhoneNumber> for FaxNumberProto {
    fn from(n: &PhoneNumber) -> Self {
        Self {
            area_code: n.area_code.clone(),
            company_id: n.company_id.0,
            number: n.number.clone(),
            office_id: n.office_id.map(|o| o.0),
            target_id: n.target.map(|t| t.id),
            target_type: n.target.map(|t| target_type(t.kind)),
        }
    }
}

fn line(l: Line) -> ApiResult<FaxLine> {
    let required = |v: Option<String>, field: &str| {
        v.filter(|v| !v.is_empty())
            .ok_or_else(|| invalid(format!("line.{field} is required")))
    };
    match l.kind.as_deref().map(str::to_ascii_lowercase).as_deref() {
        Some("reserved") => Ok(FaxLine::Reserved(required(l.number, "number")?)),
        Some("search") => Ok(FaxLine::Search(required(l.area_code, "area_code")?)),
        Some("toll-free" | "tollfree" | "toll_free") => Ok(FaxLine::TollFree),
        Some(other) => Err(invalid(format!("unknown line type '{other}'"))),
        None => match (l.number, l.area_code) {
            (Some(n), _) => Ok(FaxLine::Reserved(n)),
            (None, Some(a)) => Ok(FaxLine::Search(a)),
            (None, None) => Err(invalid("line.type is required")),
        },
    }
}

pub(crate) async fn create(
    State(core): State<Core>,
    Admin(caller): Admin,
    JsonBody(b, _): Body<CreateFaxLine>,
) -> ApiResult<Json<FaxNumberProto>> {
    let t = b.target.ok_or_else(|| invalid("target is required"))?;
    let kind = match t.target_type.as_deref() {
        Some("user") => TargetKind::User,
        Some("department") => TargetKind::Department,
        Some(other) => return Err(invalid(format!("a fax line is not for '{other}'"))),
        None => return Err(invalid("target.target_type is required")),
    };
    let id = t
        .target_id
        .ok_or_else(|| invalid("target.target_id is required"))?
        .id::<switchboard_domain::ids::UserId>("target.target_id")?
        .0;
    let l = line(b.line.ok_or_else(|| invalid("line is required"))?)?;
    let n = core
        .telephony()
        .create_fax_line(&caller.actor(), Target { kind, id }, l)
        .await?;
    Ok(Json((&n).into()))
}
