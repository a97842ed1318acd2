//! Presigned uploads for avatars and audio, the upload target they point at, and media
//! download through short-lived signed links.

use std::collections::HashMap;

use axum::extract::{DefaultBodyLimit, Multipart, RawQuery, State};
// Under another name, so that the OpenAPI derive leaves these untyped path maps alone.
use axum::extract::Path as PathMap;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::ids::{CompanyId, Id, MediaId};
use switchboard_domain::media::MediaKind;
use switchboard_domain::media::{UploadForm, MAX_UPLOAD_BYTES};
use switchboard_domain::{Core, DomainError};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::agents::AgentPath;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, PathParams, Segments};
use crate::wire::input::{user_id, QueryPairs};

/// The form fields a client must send with the file, in this order (the file last).
const EXPECTED_FIELDS: &[&str] = &[
    "key",
    "policy",
    "x-amz-algorithm",
    "x-amz-credential",
    "x-amz-date",
    "x-amz-signature",
    "Content-Type",
    "file",
];

#[derive(Deserialize)]
pub(crate) struct MediaPath {
    #[serde(rename = "agentId")]
    agent_id: String,
    #[serde(rename = "fileId")]
    file_id: String,
}

/// The routes that take large bodies, with their own body limit.
pub(crate) fn upload_routes() -> OpenApiRouter<Core> {
    OpenApiRouter::new()
        .routes(routes!(upload))
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 64 * 1024))
}

/// `http://host` of the request, for absolute URLs in answers.
fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_graphic()));
    let proto = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .filter(|p| *p == "https")
        .unwrap_or("http");
    host.map(|h| format!("{proto}://{h}")).unwrap_or_default()
}

fn form_out(headers: &HeaderMap, caller: &Caller, agent: &str, form: &UploadForm) -> Value {
    let base = format!(
        "{}/workspaces/{}",
        origin(headers),
        caller.company.to_uuid()
    );
    let file = form.file.id.to_uuid();
    let date = form.file.created_at.strftime("%Y%m%dT%H%M%SZ").to_string();
    json!({
        "mediaUrl": format!("{base}/agents/{agent}/media/{file}/download"),
        "fileId": file,
        "url": format!("{base}/media/uploads"),
        "formData": {
            "key": file,
            "policy": form.policy,
            "x-amz-algorithm": "HMAC-SHA256",
            "x-amz-credential": format!("switchboard/{}/media", &date[..8]),
            "x-amz-date": date,
            "x-amz-signature": form.signature,
        },
        "expectedFields": EXPECTED_FIELDS,
    })
}

async fn presign(
    core: Core,
    headers: HeaderMap,
    caller: Caller,
    agent: String,
    kind: MediaKind,
) -> ApiResult<Json<Value>> {
    let id = user_id(&agent)?;
    let form = core
        .media()
        .presign_upload(caller.company, id, kind)
        .await?;
    Ok(Json(form_out(&headers, &caller, &id.to_uuid(), &form)))
}

/// A signed form to upload the agent's avatar: POST `formData` and the `file` as
/// multipart/form-data to `url` within 15 minutes.
#[utoipa::path(get, path = "/agents/{agentId}/presigned-upload", tag = "media",
    params(("agentId" = String, Path)),
    responses((status = 200, body = Object), (status = 401), (status = 404)))]
pub(crate) async fn avatar_form(
    State(core): State<Core>,
    headers: HeaderMap,
    caller: Caller,
    PathParams(p, _): Segments<AgentPath>,
) -> ApiResult<Json<Value>> {
    presign(core, headers, caller, p.agent_id, MediaKind::Avatar).await
}

/// A signed form to upload an audio file (voicemail drop, greeting) for the agent.
#[utoipa::path(post, path = "/agents/{agentId}/presigned-upload/audio", tag = "media",
    params(("agentId" = String, Path)),
    responses((status = 200, body = Object), (status = 401), (status = 404)))]
pub(crate) async fn audio_form(
    State(core): State<Core>,
    headers: HeaderMap,
    caller: Caller,
    PathParams(p, _): Segments<AgentPath>,
) -> ApiResult<Json<Value>> {
    presign(core, headers, caller, p.agent_id, MediaKind::Audio).await
}

fn workspace(params: &HashMap<String, String>) -> ApiResult<CompanyId> {
    params
        .get("workspaceId")
        .and_then(|w| CompanyId::from_uuid(w))
        .ok_or(ApiError(DomainError::NotFound("workspace")))
}

fn bad_request(message: String) -> ApiError {
    ApiError(DomainError::Invalid(message))
}

/// The upload target of a presigned form (multipart/form-data: the form fields, then `file`).
/// Needs no Authorization: the signed policy is the permission. 204 when stored; 403 for a bad
/// or expired signature.
#[utoipa::path(post, path = "/media/uploads", tag = "media",
    responses((status = 204), (status = 400), (status = 403), (status = 413)))]
pub(crate) async fn upload(
    State(core): State<Core>,
    PathMap(params): PathMap<HashMap<String, String>>,
    mut form: Multipart,
) -> Result<StatusCode, Response> {
    let company = workspace(&params).map_err(IntoResponse::into_response)?;
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut file: Option<(Option<String>, Vec<u8>)> = None;
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        crate::Bird::error_response(e.status(), &format!("unreadable form: {}", e.body_text()))
    };
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let ct = field.content_type().map(str::to_owned);
            let bytes = field.bytes().await.map_err(unreadable)?;
            file = Some((ct, bytes.to_vec()));
        } else {
            let text = field.text().await.map_err(unreadable)?;
            fields.insert(name.to_ascii_lowercase(), text);
        }
    }
    let (Some(policy), Some(signature), Some(key)) = (
        fields.get("policy"),
        fields.get("x-amz-signature"),
        fields.get("key"),
    ) else {
        return Err(bad_request(
            "the form needs the fields key, policy and x-amz-signature".into(),
        )
        .into_response());
    };
    let (policy, signature, key) = (policy.clone(), signature.clone(), key.clone());
    let Some((part_type, bytes)) = file else {
        return Err(bad_request("the form has no 'file'".into()).into_response());
    };
    let content_type = fields.get("content-type").cloned().or(part_type);
    core.media()
        .accept_upload(company, &policy, &signature, &key, content_type, &bytes)
        .await
        .map_err(|e| ApiError(e).into_response())?;
    Ok(StatusCode::NO_CONTENT)
}

/// Where an uploaded file of the agent can be fetched: with `redirect=true` a 302 to a signed
/// link valid for 15 minutes, otherwise `{"url", "expiresAt"}`.
#[utoipa::path(get, path = "/agents/{agentId}/media/{fileId}/download", tag = "media",
    params(("agentId" = String, Path), ("fileId" = String, Path), ("redirect" = Option<bool>, Query)),
    responses((status = 200, body = Object), (status = 302), (status = 400), (status = 401), (status = 404)))]
pub(crate) async fn download(
    State(core): State<Core>,
    headers: HeaderMap,
    caller: Caller,
    PathParams(p, _): Segments<MediaPath>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let redirect = match QueryPairs::parse(raw.as_deref()).one("redirect") {
        None | Some("false") | Some("0") => false,
        Some("true") | Some("1") => true,
        Some(_) => {
            return Ok(crate::Bird::error_response(
                StatusCode::BAD_REQUEST,
                "redirect must be true or false",
            ))
        }
    };
    let agent = user_id(&p.agent_id)?;
    let file = MediaId::from_uuid(&p.file_id).ok_or(ApiError(DomainError::NotFound("media")))?;
    let (_, expires, signature) = core.media().media_link(caller.company, agent, file).await?;
    let url = format!(
        "{}/workspaces/{}/media/files/{}?expires={expires}&signature={signature}",
        origin(&headers),
        caller.company.to_uuid(),
        file.to_uuid()
    );
    if redirect {
        let mut r = StatusCode::FOUND.into_response();
        if let Ok(v) = HeaderValue::from_str(&url) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        return Ok(r);
    }
    let expires_at = jiff::Timestamp::from_second(expires).unwrap_or_default();
    Ok(Json(json!({"url": url, "expiresAt": crate::wire::ts(expires_at)})).into_response())
}

/// The bytes behind a signed link (from the download operation).
#[utoipa::path(get, path = "/media/files/{fileId}", tag = "media",
    params(("fileId" = String, Path), ("expires" = i64, Query), ("signature" = String, Query)),
    responses((status = 200), (status = 403), (status = 404)))]
pub(crate) async fn file(
    State(core): State<Core>,
    PathMap(params): PathMap<HashMap<String, String>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let company = workspace(&params)?;
    let id = params
        .get("fileId")
        .and_then(|f| MediaId::from_uuid(f))
        .ok_or(ApiError(DomainError::NotFound("media")))?;
    let q = QueryPairs::parse(raw.as_deref());
    let expires = q.one("expires").and_then(|e| e.parse().ok()).unwrap_or(0);
    let signature = q.one("signature").unwrap_or_default();
    let (meta, bytes) = core
        .media()
        .open_media_link(company, id, expires, signature)
        .await?;
    let nosniff = (
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    match served_type(meta.content_type.as_deref()) {
        Some(ct) => Ok((
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(ct)),
                nosniff,
            ],
            bytes,
        )
            .into_response()),
        None => Ok((
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/octet-stream"),
                ),
                nosniff,
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_static("attachment"),
                ),
            ],
            bytes,
        )
            .into_response()),
    }
}

/// Media types served as what they are; anything else an uploader claimed (HTML, SVG,
/// scripts...) is served as an `application/octet-stream` attachment, so a file link can never
/// run as a page on this origin.
const SERVED_TYPES: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "audio/mpeg",
    "audio/wav",
    "audio/ogg",
];

/// The allow-listed type an upload's claimed content type names (parameters dropped).
fn served_type(claimed: Option<&str>) -> Option<&'static str> {
    let essence = claimed?.split(';').next()?.trim().to_ascii_lowercase();
    SERVED_TYPES.iter().copied().find(|t| *t == essence)
}
