//! Handlers, one file per resource. Each reads the wire input, calls one use case, renders.

mod agents;
mod call_logs;
mod credentials;
mod settings;
mod sharing;
mod versions;

use axum::http::HeaderMap;
use serde_json::Value;
use switchboard_domain::ids::{AgentId, Id, VersionId};
use switchboard_domain::{Core, DomainError};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;

pub(crate) fn routes() -> OpenApiRouter<Core> {
    OpenApiRouter::new()
        .routes(routes!(agents::list, agents::create))
        .routes(routes!(agents::get, agents::patch, agents::delete))
        .routes(routes!(agents::clone))
        .routes(routes!(settings::get, settings::put, settings::patch))
        .routes(routes!(
            credentials::get,
            credentials::put,
            credentials::patch
        ))
        .routes(routes!(versions::list))
        .routes(routes!(versions::get))
        .routes(routes!(versions::restore))
        .routes(routes!(versions::diff))
        .routes(routes!(call_logs::list))
        .routes(routes!(sharing::list, sharing::create))
        .routes(routes!(sharing::delete))
}

/// An agent id from the path; anything that is not one of ours is simply not found.
pub(crate) fn agent_id(raw: &str) -> Result<AgentId, ApiError> {
    AgentId::parse_str(raw).ok_or(ApiError(DomainError::NotFound("agent")))
}

/// A version id from the path.
pub(crate) fn version_id(raw: &str) -> Result<VersionId, ApiError> {
    VersionId::parse_str(raw).ok_or(ApiError(DomainError::NotFound("version")))
}

/// Headers carrying the agent's new ETag.
pub(crate) fn etag_headers(revision: i64) -> HeaderMap {
    let mut h = HeaderMap::new();
    switchboard_http::etag::set_etag(&mut h, revision);
    h
}

/// The version label sent as `metadata.commit_message` / `commitMessage` in a wrapper body.
pub(crate) fn commit_message(body: &Value) -> Result<Option<String>, ApiError> {
    let Some(meta) = body.get("metadata") else {
        return Ok(None);
    };
    if !meta.is_object() {
        return Err(ApiError(DomainError::invalid("metadata must be an object")));
    }
    for key in ["commit_message", "commitMessage"] {
        match meta.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) => return Ok(Some(s.clone())),
            Some(_) => {
                return Err(ApiError(DomainError::invalid(format!(
                    "metadata.{key} must be a string"
                ))))
            }
        }
    }
    Ok(None)
}
