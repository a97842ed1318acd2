//! Offices: `GET /offices` and `GET /offices/{id}`.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use switchboard_domain::ids::OfficeId;
use switchboard_domain::telephony::office::{Address, Office};
use switchboard_domain::Core;

use crate::auth::Caller;
use crate::error::{ApiResult, Params, PathParams, QueryParams, Segments};
use crate::wire::{flag, page, path_id, Collection};

/// `schemas.office.OfficeProto`.
#[derive(Serialize)]
pub struct OfficeProto {
    availability_status: &'static str,
    country: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    e911_address: Option<Address>,
    id: i64,
    is_primary_office: bool,
    name: String,
    office_id: i64,
    state: &'static str,
    timezone: String,
    #[serde(flatten)]
    settings: serde_json::Map<String, Value>,
}

impl From<&Office> for OfficeProto {
    fn from(o: &Office) -> Self {
        Self {
            // Hours come with the office settings; until they are set an office is open.
            availability_status: "open",
            country: o.country.clone(),
            e911_address: o.e911_address.clone(),
            id: o.id.0,
            is_primary_office: o.is_primary,
            name: o.name.clone(),
            office_id: o.id.0,
            state: o.state.as_str(),
            timezone: o.timezone.clone(),
            settings: o.settings.clone(),
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    cursor: Option<String>,
    active_only: Option<String>,
    limit: Option<i64>,
}

pub(crate) async fn list(
    State(core): State<Core>,
    caller: Caller,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<OfficeProto>>> {
    let req = page(q.limit, q.cursor)?;
    let found = core
        .telephony()
        .offices(
            caller.company,
            flag("active_only", q.active_only.as_deref())?.unwrap_or(false),
            &req,
        )
        .await?;
    Ok(Json(Collection::of(found, |o| OfficeProto::from(o))))
}

pub(crate) async fn get(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<OfficeProto>> {
    let id: OfficeId = path_id(&id, "id")?;
    let office = core.telephony().office(caller.company, id).await?;
    Ok(Json((&office).into()))
}
