//! `/agents/{agentId}/versions`: list, get, and the restore and diff extensions.

use axum::extract::State;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use switchboard_domain::page::Page;
use switchboard_domain::Core;
use switchboard_http::etag::IfMatch;
use utoipa::IntoParams;

use super::{agent_id, commit_message, etag_headers, version_id};
use crate::auth::Caller;
use crate::error::{
    ApiResult, MaybeBody, OptionalJsonBody, Params, PathParams, QueryParams, Segments,
};
use crate::wire::{
    AgentEnvelope, AgentOut, ChangeOut, DiffEnvelope, DiffOut, PageQuery, VersionEnvelope,
    VersionList, VersionOut,
};

/// List versions, newest first, without their `updates`.
#[utoipa::path(get, path = "/agents/{agentId}/versions", tag = "versions", params(("agentId" = String, Path), PageQuery),
    responses((status = 200, body = VersionList), (status = 400), (status = 401), (status = 403), (status = 404)))]
pub(crate) async fn list(
    State(core): State<Core>,
    Caller(user): Caller,
    PathParams(id, _): Segments<String>,
    QueryParams(q, _): Params<PageQuery>,
) -> ApiResult<Json<VersionList>> {
    let page = Page::parse(q.limit, q.skip, 25, 100)?;
    let found = core
        .ai_agents()
        .versions(&user, agent_id(&id)?, page)
        .await?;
    Ok(Json(VersionList {
        has_more: found.has_more(page),
        versions: found
            .items
            .iter()
            .map(|v| VersionOut::new(v, false))
            .collect(),
        total_count: found.total,
        limit: page.limit,
        skip: page.skip,
    }))
}

/// Read one version with its `updates` and the resulting `snapshot`.
#[utoipa::path(get, path = "/agents/{agentId}/versions/{versionId}", tag = "versions",
    params(("agentId" = String, Path), ("versionId" = String, Path)),
    responses((status = 200, body = VersionEnvelope), (status = 401), (status = 403), (status = 404)))]
pub(crate) async fn get(
    State(core): State<Core>,
    Caller(user): Caller,
    PathParams((id, vid), _): Segments<(String, String)>,
) -> ApiResult<Json<VersionEnvelope>> {
    let v = core
        .ai_agents()
        .version(&user, agent_id(&id)?, version_id(&vid)?)
        .await?;
    Ok(Json(VersionEnvelope {
        version: VersionOut::new(&v, true),
    }))
}

/// Extension: make an earlier version's state current again; recorded as a new version.
/// Optional body `{"metadata": {"commit_message": …}}`. Honours `If-Match`.
#[utoipa::path(post, path = "/agents/{agentId}/versions/{versionId}/restore", tag = "versions",
    params(("agentId" = String, Path), ("versionId" = String, Path)), request_body = Option<crate::schema::RestoreIn>,
    responses((status = 200, body = AgentEnvelope), (status = 400), (status = 401), (status = 403), (status = 404), (status = 412)))]
pub(crate) async fn restore(
    State(core): State<Core>,
    Caller(user): Caller,
    PathParams((id, vid), _): Segments<(String, String)>,
    IfMatch(pre): IfMatch,
    OptionalJsonBody(body, _): MaybeBody<Value>,
) -> ApiResult<impl IntoResponse> {
    let message = match &body {
        Some(b) => commit_message(b)?,
        None => None,
    };
    let visible = core
        .ai_agents()
        .restore_version(&user, agent_id(&id)?, version_id(&vid)?, message, &pre)
        .await?;
    let revision = visible.agent.revision;
    let out = AgentOut::new(&visible);
    Ok((etag_headers(revision), Json(AgentEnvelope { agent: out })))
}

/// Which version to compare against.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct DiffQuery {
    /// The version to compare from; defaults to the version just before.
    against: Option<String>,
}

/// Extension: field-level differences from `against` (default: the previous version) to this one.
#[utoipa::path(get, path = "/agents/{agentId}/versions/{versionId}/diff", tag = "versions",
    params(("agentId" = String, Path), ("versionId" = String, Path), DiffQuery),
    responses((status = 200, body = DiffEnvelope), (status = 401), (status = 403), (status = 404)))]
pub(crate) async fn diff(
    State(core): State<Core>,
    Caller(user): Caller,
    PathParams((id, vid), _): Segments<(String, String)>,
    QueryParams(q, _): Params<DiffQuery>,
) -> ApiResult<Json<DiffEnvelope>> {
    let against = q.against.as_deref().map(version_id).transpose()?;
    let d = core
        .ai_agents()
        .diff_versions(&user, agent_id(&id)?, version_id(&vid)?, against)
        .await?;
    Ok(Json(DiffEnvelope {
        diff: DiffOut {
            from_version_id: d.from.id.to_string(),
            from_version_number: d.from.number,
            to_version_id: d.to.id.to_string(),
            to_version_number: d.to.number,
            changes: d.changes.iter().map(ChangeOut::new).collect(),
        },
    }))
}
