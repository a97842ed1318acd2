//! Extension: `/agents/{agentId}/shares` — share an agent with another user, with rights.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use switchboard_domain::ai_agents::agent::{Right, Share};
use switchboard_domain::ai_agents::ShareTarget;
use switchboard_domain::clock::iso_millis;
use switchboard_domain::ids::{Id, UserId};
use switchboard_domain::tenancy::account::User;
use switchboard_domain::{Core, DomainError};
use utoipa::ToSchema;

use super::agent_id;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Body, JsonBody, PathParams, Segments};
use crate::wire::{ShareEnvelope, ShareList, ShareOut, StatusOut};

/// Whom to share with (by `email` or `userId`) and which rights to grant.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct ShareIn {
    email: Option<String>,
    #[serde(rename = "userId")]
    user_id: Option<String>,
    /// Any of `view`, `agents`, `agent-control`; `view` is always included.
    #[serde(default)]
    rights: Vec<String>,
}

fn render(share: &Share, user: Option<&User>) -> ShareOut {
    ShareOut {
        user_id: share.user_id.to_string(),
        email: user.map(|u| u.email.as_str().to_owned()),
        name: user.map(User::display_name),
        rights: share.rights.iter().map(|r| r.as_str().to_owned()).collect(),
        shared_at: iso_millis(share.shared_at),
    }
}

/// List who the agent is shared with (owner only).
#[utoipa::path(get, path = "/agents/{agentId}/shares", tag = "sharing", params(("agentId" = String, Path)),
    responses((status = 200, body = ShareList), (status = 401), (status = 403), (status = 404)))]
pub(crate) async fn list(
    State(core): State<Core>,
    Caller(user): Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<ShareList>> {
    let shares = core.ai_agents().agent_shares(&user, agent_id(&id)?).await?;
    Ok(Json(ShareList {
        shares: shares.iter().map(|(s, u)| render(s, u.as_ref())).collect(),
    }))
}

/// Share the agent with a user, or change the rights of an existing share (owner only).
#[utoipa::path(post, path = "/agents/{agentId}/shares", tag = "sharing", params(("agentId" = String, Path)), request_body = ShareIn,
    responses((status = 201, body = ShareEnvelope), (status = 400), (status = 401), (status = 403), (status = 404)))]
pub(crate) async fn create(
    State(core): State<Core>,
    Caller(user): Caller,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<ShareIn>,
) -> ApiResult<impl IntoResponse> {
    let target = match (body.email, body.user_id) {
        (Some(email), None) => ShareTarget::Email(email),
        (None, Some(uid)) => ShareTarget::Id(
            <UserId as Id>::parse_str(&uid).ok_or(ApiError(DomainError::NotFound("user")))?,
        ),
        _ => return Err(DomainError::invalid("give exactly one of email or userId").into()),
    };
    let rights = body
        .rights
        .iter()
        .map(|r| Right::parse(r))
        .collect::<Result<Vec<_>, _>>()?;
    let (share, target_user) = core
        .ai_agents()
        .share_agent(&user, agent_id(&id)?, target, rights)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ShareEnvelope {
            share: render(&share, Some(&target_user)),
        }),
    ))
}

/// Stop sharing the agent with a user (owner only).
#[utoipa::path(delete, path = "/agents/{agentId}/shares/{userId}", tag = "sharing",
    params(("agentId" = String, Path), ("userId" = String, Path)),
    responses((status = 200, body = StatusOut), (status = 401), (status = 403), (status = 404)))]
pub(crate) async fn delete(
    State(core): State<Core>,
    Caller(user): Caller,
    PathParams((id, uid), _): Segments<(String, String)>,
) -> ApiResult<Json<StatusOut>> {
    let target = <UserId as Id>::parse_str(&uid).ok_or(ApiError(DomainError::NotFound("share")))?;
    core.ai_agents()
        .unshare_agent(&user, agent_id(&id)?, target)
        .await?;
    Ok(Json(StatusOut::ok()))
}
