//! A call's transcript (`GET /transcripts/{call_id}`), a link to it
//! (`GET /transcripts/{call_id}/url`) and, beyond the document, what that link serves
//! (`GET /transcripts/{call_id}/shared?expires=…&signature=…`, no key needed: the signature is
//! the permission, valid for 15 minutes; wrong or expired is 403).
//!
//! The lines are what was said on the call, oldest first, each of `type` `transcript`: the
//! outside party's with their number as `name`, the user's with their `user_id` and name.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};
use switchboard_domain::calls::Transcript;
use switchboard_domain::ids::CallId;
use switchboard_domain::Core;

use super::customivrs::origin;
use crate::auth::Caller;
use crate::error::{ApiResult, PathParams, Segments};
use crate::wire::{path_id, time};

/// `schemas.transcript.TranscriptProto`.
pub(crate) fn render(t: &Transcript) -> Value {
    let lines: Vec<Value> = t
        .lines
        .iter()
        .map(|(line, user, name)| {
            let mut v = json!({
                "content": line.text,
                "name": name,
                "time": time(line.at),
                "type": "transcript",
            });
            if let Some(u) = user {
                v["user_id"] = json!(u.0);
            }
            v
        })
        .collect();
    json!({"call_id": t.leg.id.0, "lines": lines})
}

/// `GET /transcripts/{call_id}`.
pub(crate) async fn get(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: CallId = path_id(&id, "call_id")?;
    let t = core.calls().transcript_view(caller.company, id).await?;
    Ok(Json(render(&t)))
}

/// `GET /transcripts/{call_id}/url`: a signed link to the transcript on this server.
pub(crate) async fn url(
    State(core): State<Core>,
    headers: HeaderMap,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: CallId = path_id(&id, "call_id")?;
    let (expires, signature) = core.calls().transcript_link(caller.company, id).await?;
    let url = format!(
        "{}{}/transcripts/{}/shared?expires={expires}&signature={signature}",
        origin(&headers),
        crate::MOUNT,
        id.0
    );
    Ok(Json(json!({"call_id": id.0, "url": url})))
}

/// `GET /transcripts/{call_id}/shared?expires=…&signature=…` (beyond the document).
pub(crate) async fn shared(
    State(core): State<Core>,
    PathParams(id, _): Segments<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let id: CallId = path_id(&id, "call_id")?;
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    let find = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let expires = find("expires").and_then(|e| e.parse().ok()).unwrap_or(0);
    let t = core
        .calls()
        .open_transcript_link(id, expires, find("signature").unwrap_or_default())
        .await?;
    Ok(Json(render(&t)))
}
