//! Custom IVRs: a target's IVRs by kind (list), create with base64 MP3 audio, rename, select
//! one for a target and kind, delete; and the audio behind each IVR's signed link.
//!
//! IVR details carry `audio_url`, beyond the document: a link to the audio, signed and valid
//! for 15 minutes, that needs no key.

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::ids::{Id, IvrId, MediaId};
use switchboard_domain::telephony::ivr::{Ivr, IvrTarget, NewIvr, MAX_IVR_BYTES};
use switchboard_domain::{Core, DomainError};
use switchboard_http::Dialect;

use crate::auth::{Admin, Caller};
use crate::error::{invalid, ApiError, ApiResult, Body, JsonBody, Params, PathParams};
use crate::error::{QueryParams, Segments};
use crate::wire::{page, path_id, Collection, IdValue};
use crate::Dialpad;

const SCHEMA: &str = "schemas.custom_ivr";

/// The largest request body of `POST /customivrs`: the base64 of the largest audio, and room
/// for the other fields.
pub(crate) const CREATE_BODY_LIMIT: usize = MAX_IVR_BYTES / 3 * 4 + 64 * 1024;

/// `CreateCustomIvrMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateBody {
    description: Option<String>,
    file: Option<String>,
    ivr_type: Option<String>,
    name: Option<String>,
    target_id: Option<IdValue>,
    target_type: Option<String>,
}

/// `UpdateCustomIvrDetailsMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DetailsBody {
    description: Option<String>,
    name: Option<String>,
}

/// `UpdateCustomIvrMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SelectBody {
    ivr_id: Option<IdValue>,
    select_option: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    cursor: Option<String>,
    target_type: Option<String>,
    target_id: Option<String>,
}

fn ivr_type(raw: &str) -> ApiResult<String> {
    if crate::allowed_values(&format!("{SCHEMA}.CreateCustomIvrMessage"), "ivr_type").contains(&raw)
    {
        Ok(raw.to_owned())
    } else {
        Err(invalid(format!("unknown ivr_type '{raw}'")))
    }
}

/// A target: a kind the document names (`known`, else 400) that can play IVRs here (else 404:
/// no such target exists), with a positive id.
fn target(kind: &str, id: i64, known: &[&str]) -> ApiResult<IvrTarget> {
    if !known.contains(&kind) {
        return Err(invalid(format!("unknown target_type '{kind}'")));
    }
    IvrTarget::of(kind, id).ok_or(ApiError(DomainError::NotFound("target")))
}

/// The target kinds of the list, select and delete operations.
fn any_target(kind: &str, id: i64) -> ApiResult<IvrTarget> {
    target(
        kind,
        id,
        &crate::parameter_values("/customivrs", "get", "target_type"),
    )
}

/// `http://host` of the request (`https` behind a proxy that says `X-Forwarded-Proto:
/// https`), for links this server answers with; empty without a usable `Host`.
pub(crate) fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_graphic()));
    let secure = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .is_some_and(|p| p.eq_ignore_ascii_case("https"));
    let scheme = if secure { "https" } else { "http" };
    host.map(|h| format!("{scheme}://{h}")).unwrap_or_default()
}

/// `CustomIvrDetailsProto` of each IVR, with its audio link.
async fn details(core: &Core, headers: &HeaderMap, ivrs: &[&Ivr]) -> ApiResult<Vec<Value>> {
    let links = core.telephony().ivr_audio_links(ivrs).await?;
    let base = origin(headers);
    Ok(ivrs
        .iter()
        .zip(links)
        .map(|(i, (expires, signature))| {
            let mut v = json!({
                "date_added": i.created_at.as_millisecond(),
                "id": i.id.0,
                "name": i.name,
                "selected": i.selected,
                "audio_url": format!(
                    "{base}{}/media/{}?expires={expires}&signature={signature}",
                    crate::MOUNT, i.media_id.0
                ),
            });
            if let Some(d) = &i.description {
                v["description"] = json!(d);
            }
            v
        })
        .collect())
}

async fn one(core: &Core, headers: &HeaderMap, ivr: &Ivr) -> ApiResult<Json<Value>> {
    Ok(Json(details(core, headers, &[ivr]).await?.remove(0)))
}

/// `GET /customivrs`: `target_type` and `target_id` are required; the target's IVRs grouped by
/// kind (at most 66 kinds, so one page holds them).
pub(crate) async fn list(
    State(core): State<Core>,
    headers: HeaderMap,
    caller: Caller,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<Value>>> {
    let req = page(None, q.cursor)?;
    let kind = q
        .target_type
        .ok_or_else(|| invalid("target_type is required"))?;
    let id = q
        .target_id
        .ok_or_else(|| invalid("target_id is required"))?;
    let id: i64 = path_id::<IvrId>(&id, "target_id")?.0;
    let target = any_target(&kind, id)?;
    let found = core.telephony().ivrs(caller.company, target, &req).await?;
    let mut items = Vec::with_capacity(found.items.len());
    for (kind, ivrs) in &found.items {
        let refs: Vec<&Ivr> = ivrs.iter().collect();
        items.push(json!({"ivr_type": kind, "ivrs": details(&core, &headers, &refs).await?}));
    }
    Ok(Json(Collection {
        items,
        cursor: found.next,
    }))
}

/// `POST /customivrs` (admin): base64 MP3 `file` (at most 5 MiB; larger is 413), `ivr_type`,
/// `target_type` and `target_id` are required. The new IVR is the selected one of its kind.
pub(crate) async fn create(
    State(core): State<Core>,
    headers: HeaderMap,
    Admin(caller): Admin,
    JsonBody(body, _): Body<CreateBody>,
) -> Result<Json<Value>, Response> {
    let file = body
        .file
        .ok_or_else(|| invalid("file is required").into_response())?;
    let file: String = file.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if file.len() / 4 * 3 > MAX_IVR_BYTES + 2 {
        return Err(Dialpad::error(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("file is larger than {MAX_IVR_BYTES} bytes"),
        ));
    }
    let audio = base64::engine::general_purpose::STANDARD
        .decode(file.as_bytes())
        .map_err(|_| invalid("file must be base64").into_response())?;
    let new = (|| -> ApiResult<NewIvr> {
        let kind = body
            .target_type
            .as_deref()
            .ok_or_else(|| invalid("target_type is required"))?;
        let id: i64 = body
            .target_id
            .as_ref()
            .ok_or_else(|| invalid("target_id is required"))?
            .id::<IvrId>("target_id")?
            .get();
        Ok(NewIvr {
            target: target(
                kind,
                id,
                &crate::allowed_values(&format!("{SCHEMA}.CreateCustomIvrMessage"), "target_type"),
            )?,
            ivr_type: ivr_type(
                body.ivr_type
                    .as_deref()
                    .ok_or_else(|| invalid("ivr_type is required"))?,
            )?,
            name: body.name,
            description: body.description,
            audio,
            content_type: "audio/mpeg".into(),
        })
    })()
    .map_err(IntoResponse::into_response)?;
    let created = core
        .telephony()
        .create_ivr(&caller.actor(), new)
        .await
        .map_err(|e| ApiError(e).into_response())?;
    one(&core, &headers, &created)
        .await
        .map_err(IntoResponse::into_response)
}

/// `PATCH /customivrs/{ivr_id}` (admin): name and description.
pub(crate) async fn update(
    State(core): State<Core>,
    headers: HeaderMap,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<DetailsBody>,
) -> ApiResult<Json<Value>> {
    let id: IvrId = path_id(&id, "ivr_id")?;
    let updated = core
        .telephony()
        .update_ivr(&caller.actor(), id, body.name, body.description)
        .await?;
    one(&core, &headers, &updated).await
}

/// The path of the select and delete operations.
fn selection(path: &(String, String, String)) -> ApiResult<(IvrTarget, String)> {
    let id = path_id::<IvrId>(&path.1, "target_id")?.0;
    Ok((any_target(&path.0, id)?, ivr_type(&path.2)?))
}

fn ivr_id(body: &SelectBody) -> ApiResult<IvrId> {
    body.ivr_id
        .as_ref()
        .ok_or_else(|| invalid("ivr_id is required"))?
        .id("ivr_id")
}

/// `PATCH /customivrs/{target_type}/{target_id}/{ivr_type}` (admin): selects `ivr_id`, one of
/// the target's IVRs of that kind; answers the kind's IVRs. `select_option` (`inbound` or
/// `outbound`) is for a call center's `AUTO_RECORDING` only.
pub(crate) async fn select(
    State(core): State<Core>,
    headers: HeaderMap,
    Admin(caller): Admin,
    PathParams(path, _): Segments<(String, String, String)>,
    JsonBody(body, _): Body<SelectBody>,
) -> ApiResult<Json<Value>> {
    let (target, kind) = selection(&path)?;
    let id = ivr_id(&body)?;
    if let Some(opt) = &body.select_option {
        if !["inbound", "outbound"].contains(&opt.as_str()) {
            return Err(invalid(format!("unknown select_option '{opt}'")));
        }
        if !(matches!(target, IvrTarget::CallCenter(_)) && kind == "AUTO_RECORDING") {
            return Err(invalid(
                "select_option is for a call center's AUTO_RECORDING only",
            ));
        }
    }
    let ivrs = core
        .telephony()
        .select_ivr(&caller.actor(), target, &kind, id, body.select_option)
        .await?;
    let refs: Vec<&Ivr> = ivrs.iter().collect();
    Ok(Json(
        json!({"ivr_type": kind, "ivrs": details(&core, &headers, &refs).await?}),
    ))
}

/// `DELETE /customivrs/{target_type}/{target_id}/{ivr_type}` (admin): deletes `ivr_id`, one of
/// the target's IVRs of that kind; answers it as it was, deselected.
pub(crate) async fn delete(
    State(core): State<Core>,
    headers: HeaderMap,
    Admin(caller): Admin,
    PathParams(path, _): Segments<(String, String, String)>,
    JsonBody(body, _): Body<SelectBody>,
) -> ApiResult<Json<Value>> {
    let (target, kind) = selection(&path)?;
    let id = ivr_id(&body)?;
    let deleted = core
        .telephony()
        .delete_ivr(&caller.actor(), target, &kind, id)
        .await?;
    one(&core, &headers, &deleted).await
}

/// `GET /media/{id}?expires=…&signature=…` (beyond the document): the audio behind an IVR's
/// signed link. Needs no key: the signature is the permission (403 when wrong or expired).
pub(crate) async fn audio(
    State(core): State<Core>,
    PathParams(id, _): Segments<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let id: MediaId = path_id(&id, "id")?;
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    let find = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let expires = find("expires").and_then(|e| e.parse().ok()).unwrap_or(0);
    let (file, bytes) = core
        .media()
        .open_signed_link(id, expires, find("signature").unwrap_or_default())
        .await?;
    let audio = file.content_type.as_deref() == Some("audio/mpeg");
    let kind = if audio {
        "audio/mpeg"
    } else {
        "application/octet-stream"
    };
    let mut r = (
        [(header::CONTENT_TYPE, HeaderValue::from_static(kind))],
        bytes,
    )
        .into_response();
    r.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(r)
}
