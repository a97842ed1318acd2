//! `/agents/{agentId}/settings`: read, replace (PUT), merge (PATCH).

use axum::extract::State;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{Map, Value};
use switchboard_domain::ai_agents::agent::{AgentPatch, VersionAction};
use switchboard_domain::{Core, DomainError};
use switchboard_http::etag::IfMatch;

use super::{agent_id, commit_message, etag_headers};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Body, JsonBody, PathParams, Segments};
use crate::wire::SettingsOut;

/// Read the agent's settings.
#[utoipa::path(get, path = "/agents/{agentId}/settings", tag = "settings", params(("agentId" = String, Path)),
    responses((status = 200, body = SettingsOut), (status = 401), (status = 403), (status = 404)))]
pub(crate) async fn get(
    State(core): State<Core>,
    Caller(user): Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<impl IntoResponse> {
    let visible = core.ai_agents().get_agent(&user, agent_id(&id)?).await?;
    Ok((
        etag_headers(visible.agent.revision),
        Json(SettingsOut {
            settings: visible.agent.settings,
        }),
    ))
}

/// Replace the settings with the complete intended object, wrapped (`{"settings": {…},
/// "metadata": {"commit_message": …}}`) or bare.
#[utoipa::path(put, path = "/agents/{agentId}/settings", tag = "settings", params(("agentId" = String, Path)), request_body = crate::schema::SettingsWrite,
    responses((status = 200, body = SettingsOut), (status = 400), (status = 401), (status = 403), (status = 404), (status = 412)))]
pub(crate) async fn put(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    if_match: IfMatch,
    JsonBody(body, _): Body<Value>,
) -> ApiResult<impl IntoResponse> {
    write(core, caller, id, if_match, body, false).await
}

/// Merge the given keys into the settings (other keys stay); same body forms as PUT.
#[utoipa::path(patch, path = "/agents/{agentId}/settings", tag = "settings", params(("agentId" = String, Path)), request_body = crate::schema::SettingsWrite,
    responses((status = 200, body = SettingsOut), (status = 400), (status = 401), (status = 403), (status = 404), (status = 412)))]
pub(crate) async fn patch(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    if_match: IfMatch,
    JsonBody(body, _): Body<Value>,
) -> ApiResult<impl IntoResponse> {
    write(core, caller, id, if_match, body, true).await
}

async fn write(
    core: Core,
    Caller(user): Caller,
    id: String,
    IfMatch(pre): IfMatch,
    body: Value,
    merge: bool,
) -> ApiResult<impl IntoResponse> {
    let (settings, message) = unwrap_settings(&body)?;
    let mut metadata = Map::new();
    if let Some(m) = message {
        metadata.insert("commit_message".into(), Value::String(m));
    }
    let patch = AgentPatch {
        settings: Some(settings),
        merge_settings: merge,
        metadata: (!metadata.is_empty()).then_some(metadata),
        ..Default::default()
    };
    let visible = core
        .ai_agents()
        .update_agent(&user, agent_id(&id)?, patch, VersionAction::Settings, &pre)
        .await?;
    Ok((
        etag_headers(visible.agent.revision),
        Json(SettingsOut {
            settings: visible.agent.settings,
        }),
    ))
}

/// The wrapped form is an object whose keys are only `settings` (an object) and `metadata`.
fn unwrap_settings(body: &Value) -> Result<(Map<String, Value>, Option<String>), ApiError> {
    let Value::Object(map) = body else {
        return Err(ApiError(DomainError::invalid("settings must be an object")));
    };
    let wrapped =
        map.contains_key("settings") && map.keys().all(|k| k == "settings" || k == "metadata");
    if !wrapped {
        return Ok((map.clone(), None));
    }
    match map.get("settings") {
        Some(Value::Object(s)) => Ok((s.clone(), commit_message(body)?)),
        _ => Err(ApiError(DomainError::invalid("settings must be an object"))),
    }
}
