//! Handlers, one file per resource. Each reads the wire input, calls one use case, renders.

mod agents;

use axum::http::HeaderMap;
use switchboard_domain::ids::{AgentId, Id};
use switchboard_domain::{Core, DomainError};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;

pub(crate) fn routes() -> OpenApiRouter<Core> {
    OpenApiRouter::new()
        .routes(routes!(agents::list))
        .routes(routes!(agents::create))
        .routes(routes!(agents::get, agents::patch, agents::delete))
}

/// An agent id from the path; anything that is not one of ours is simply not found.
pub(crate) fn agent_id(raw: &str) -> Result<AgentId, ApiError> {
    AgentId::parse_str(raw).ok_or(ApiError(DomainError::NotFound("agent")))
}

/// Headers carrying the agent's new ETag.
pub(crate) fn etag_headers(revision: i64) -> HeaderMap {
    let mut h = HeaderMap::new();
    switchboard_http::etag::set_etag(&mut h, revision);
    h
}
