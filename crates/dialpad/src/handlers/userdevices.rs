//! Users' devices: list (the company's, or one user's with `user_id`, `me` for the caller)
//! and get. Devices are recorded as they register; ids are written as decimal strings, as
//! the document types them.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::ids::{DeviceId, UserId};
use switchboard_domain::telephony::device::{Device, DeviceFilter};
use switchboard_domain::Core;

use super::users_presence::named_user;
use crate::auth::Caller;
use crate::error::{ApiResult, Params, PathParams, QueryParams, Segments};
use crate::wire::{page, path_id, time, Collection};

/// `schemas.userdevice.UserDeviceProto`.
pub(crate) fn render(d: &Device) -> Value {
    let mut v = json!({
        "date_created": time(d.created_at),
        "date_updated": time(d.updated_at),
        "id": d.id.0.to_string(),
        "type": d.kind,
        "user_id": d.user_id.0,
    });
    if let Some(n) = &d.display_name {
        v["display_name"] = json!(n);
    }
    if let Some(n) = &d.phone_number {
        v["phone_number"] = json!(n);
    }
    if let Some(n) = &d.app_version {
        v["app_version"] = json!(n);
    }
    if let Some(t) = d.registered_at {
        v["date_registered"] = json!(time(t));
    }
    v
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    cursor: Option<String>,
    user_id: Option<String>,
    limit: Option<i64>,
}

/// `GET /userdevices`: every device of the company, or one user's.
pub(crate) async fn list(
    State(core): State<Core>,
    caller: Caller,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<Value>>> {
    let req = page(q.limit, q.cursor)?;
    let user_id: Option<UserId> = match q.user_id.as_deref() {
        None => None,
        Some("me") => Some(named_user(&caller, "me")?),
        Some(raw) => Some(path_id(raw, "user_id")?),
    };
    let found = core
        .telephony()
        .devices(caller.company, &DeviceFilter { user_id }, &req)
        .await?;
    Ok(Json(Collection::of(found, render)))
}

/// `GET /userdevices/{id}`.
pub(crate) async fn get(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: DeviceId = path_id(&id, "id")?;
    let d = core.telephony().device(caller.company, id).await?;
    Ok(Json(render(&d)))
}
