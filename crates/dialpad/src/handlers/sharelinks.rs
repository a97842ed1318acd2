//! Share links to a call's recording (`/recordingsharelink`) and to a call's review
//! (`/callreviewsharelink`): create, get, change the privacy (`PUT`), delete (answers the link
//! as it was); and, beyond the document, what a link serves (`GET /shared/{id}`: the call and
//! its transcript, JSON).
//!
//! A recording is named by the id of the call leg it belongs to: `callrecording` and
//! `admincallrecording` for a leg that was recorded, `voicemail` for a leg that went to
//! voicemail (anything else is 404). Privacy defaults to `owner` (recordings) and `company`
//! (reviews). Opening a link: `public` needs no key; `company` any key of the company; `admin`
//! a company or admin key; `owner` the key of the user who made it (a company key's link: an
//! admin). Another company's link is 404 through the API, 403 when opened.

use axum::extract::State;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::calls::share_link::{Privacy, RecordingType, ShareKind, ShareLink, Viewer};
use switchboard_domain::calls::Shared;
use switchboard_domain::ids::CallId;
use switchboard_domain::Core;

use super::call_render;
use super::customivrs::origin;
use crate::auth::Caller;
use crate::error::{invalid, ApiError, ApiResult, Body, JsonBody, PathParams, Segments};
use crate::wire::{time, IdValue};

const RECORDING: &str = "schemas.recording_share_link.CreateRecordingShareLink";
const REVIEW: &str = "schemas.call_review_share_link.CreateCallReviewShareLink";

/// `CreateRecordingShareLink`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RecordingBody {
    privacy: Option<String>,
    recording_id: Option<String>,
    recording_type: Option<String>,
}

/// `CreateCallReviewShareLink`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReviewBody {
    call_id: Option<IdValue>,
    privacy: Option<String>,
}

/// `UpdateRecordingShareLink` and `UpdateCallReviewShareLink`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UpdateBody {
    privacy: Option<String>,
}

/// A privacy value of `schema` (the document's list for the kind).
fn privacy(schema: &str, raw: &str) -> ApiResult<Privacy> {
    crate::allowed_values(schema, "privacy")
        .contains(&raw)
        .then(|| Privacy::parse(raw))
        .flatten()
        .ok_or_else(|| invalid(format!("unknown privacy '{raw}'")))
}

fn schema(kind: ShareKind) -> &'static str {
    match kind {
        ShareKind::Recording => RECORDING,
        ShareKind::CallReview => REVIEW,
    }
}

/// `RecordingShareLink` or `CallReviewShareLink`.
fn render(headers: &HeaderMap, l: &ShareLink) -> Value {
    let mut v = json!({
        "access_link": format!("{}{}/shared/{}", origin(headers), crate::MOUNT, l.id),
        "call_id": l.call_id.0,
        "id": l.id,
        "privacy": l.privacy.as_str(),
    });
    if l.kind == ShareKind::Recording {
        v["date_added"] = json!(time(l.created_at));
        v["item_id"] = json!(l.item_id);
        v["type"] = json!(l.item_type.map(|t| t.as_str()));
        if let Some(u) = l.created_by {
            v["created_by_id"] = json!(u.0);
        }
    }
    v
}

/// `POST /recordingsharelink`.
pub(crate) async fn create_recording(
    State(core): State<Core>,
    headers: HeaderMap,
    caller: Caller,
    JsonBody(body, _): Body<RecordingBody>,
) -> ApiResult<Json<Value>> {
    let id = body
        .recording_id
        .ok_or_else(|| invalid("recording_id is required"))?;
    let raw = body
        .recording_type
        .ok_or_else(|| invalid("recording_type is required"))?;
    let kind = crate::allowed_values(RECORDING, "recording_type")
        .contains(&raw.as_str())
        .then(|| RecordingType::parse(&raw))
        .flatten()
        .ok_or_else(|| invalid(format!("unknown recording_type '{raw}'")))?;
    let privacy = body.privacy.map(|p| privacy(RECORDING, &p)).transpose()?;
    let link = core
        .calls()
        .create_share_link(&caller.actor(), Shared::Recording { id, kind }, privacy)
        .await?;
    Ok(Json(render(&headers, &link)))
}

/// `POST /callreviewsharelink`.
pub(crate) async fn create_review(
    State(core): State<Core>,
    headers: HeaderMap,
    caller: Caller,
    JsonBody(body, _): Body<ReviewBody>,
) -> ApiResult<Json<Value>> {
    let call: CallId = body
        .call_id
        .ok_or_else(|| invalid("call_id is required"))?
        .id("call_id")?;
    let privacy = body.privacy.map(|p| privacy(REVIEW, &p)).transpose()?;
    let link = core
        .calls()
        .create_share_link(&caller.actor(), Shared::CallReview(call), privacy)
        .await?;
    Ok(Json(render(&headers, &link)))
}

async fn get(
    core: Core,
    headers: HeaderMap,
    caller: Caller,
    kind: ShareKind,
    id: String,
) -> ApiResult<Json<Value>> {
    let link = core.calls().share_link(caller.company, kind, &id).await?;
    Ok(Json(render(&headers, &link)))
}

async fn update(
    core: Core,
    headers: HeaderMap,
    caller: Caller,
    kind: ShareKind,
    id: String,
    body: UpdateBody,
) -> ApiResult<Json<Value>> {
    let raw = body.privacy.ok_or_else(|| invalid("privacy is required"))?;
    let p = privacy(schema(kind), &raw)?;
    let link = core
        .calls()
        .update_share_link(&caller.actor(), kind, &id, p)
        .await?;
    Ok(Json(render(&headers, &link)))
}

async fn delete(
    core: Core,
    headers: HeaderMap,
    caller: Caller,
    kind: ShareKind,
    id: String,
) -> ApiResult<Json<Value>> {
    let link = core
        .calls()
        .delete_share_link(&caller.actor(), kind, &id)
        .await?;
    Ok(Json(render(&headers, &link)))
}

/// `GET /recordingsharelink/{id}`.
pub(crate) async fn get_recording(
    State(core): State<Core>,
    headers: HeaderMap,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    get(core, headers, caller, ShareKind::Recording, id).await
}

/// `PUT /recordingsharelink/{id}`.
pub(crate) async fn update_recording(
    State(core): State<Core>,
    headers: HeaderMap,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<UpdateBody>,
) -> ApiResult<Json<Value>> {
    update(core, headers, caller, ShareKind::Recording, id, body).await
}

/// `DELETE /recordingsharelink/{id}`.
pub(crate) async fn delete_recording(
    State(core): State<Core>,
    headers: HeaderMap,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    delete(core, headers, caller, ShareKind::Recording, id).await
}

/// `GET /callreviewsharelink/{id}`.
pub(crate) async fn get_review(
    State(core): State<Core>,
    headers: HeaderMap,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    get(core, headers, caller, ShareKind::CallReview, id).await
}

/// `PUT /callreviewsharelink/{id}`.
pub(crate) async fn update_review(
    State(core): State<Core>,
    headers: HeaderMap,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<UpdateBody>,
) -> ApiResult<Json<Value>> {
    update(core, headers, caller, ShareKind::CallReview, id, body).await
}

/// `DELETE /callreviewsharelink/{id}`.
pub(crate) async fn delete_review(
    State(core): State<Core>,
    headers: HeaderMap,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    delete(core, headers, caller, ShareKind::CallReview, id).await
}

/// `GET /shared/{id}` (beyond the document): the call and its transcript, for whoever the
/// link's privacy lets in. A key is optional; a bad one is 401.
pub(crate) async fn open(
    State(core): State<Core>,
    PathParams(id, _): Segments<String>,
    parts: Parts,
) -> Result<Json<Value>, Response> {
    let keyed = parts.headers.contains_key("authorization")
        || parts.uri.query().is_some_and(|q| q.contains("apikey="));
    let viewer = if keyed {
        let c = Caller::resolve(&parts, &core).await?;
        Some(Viewer {
            company: c.company,
            user: c.user.as_ref().map(|u| u.id),
            admin: c.admin,
        })
    } else {
        None
    };
    let (link, transcript) = core
        .calls()
        .open_share_link(&id, viewer)
        .await
        .map_err(|e| ApiError(e).into_response())?;
    Ok(Json(json!({
        "share_link": render(&parts.headers, &link),
        "call": call_render::render(&transcript.leg, core.clock().now()),
        "transcript": super::transcripts::render(&transcript),
    })))
}
