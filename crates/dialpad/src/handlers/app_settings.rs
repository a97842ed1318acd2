//! `GET /app/settings`: the settings of the OAuth app behind the request's access token, for
//! the company or for one of its targets.
//!
//! Choices where the vendor is silent (also in the README): only an OAuth access token has an
//! app, so an API key is answered 404. `settings` holds the four standard settings (off) with
//! the app's own (`switchboard oauth-app create --settings`) over them; `enabled` is whether a
//! user target has authorized the app (holds a live token of it), and true for the company and
//! its other targets (the app is the company's own); `is_preferred_service` is false. The
//! target must be the company's (404 otherwise); `target_type` and `target_id` come together;
//! `coachinggroup`, `staffgroup` and `unknown` name nothing here (400).

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::ids::Id;
use switchboard_domain::oauth::SettingsTarget;
use switchboard_domain::telephony::number::{Target, TargetKind};
use switchboard_domain::{Core, DomainError};

use crate::auth::Caller;
use crate::error::{invalid, ApiError, ApiResult, Params, QueryParams};

#[derive(Deserialize)]
pub(crate) struct SettingsQuery {
    target_id: Option<String>,
    target_type: Option<String>,
}

fn target(q: &SettingsQuery) -> ApiResult<Option<SettingsTarget>> {
    let (kind, id) = match (q.target_type.as_deref(), q.target_id.as_deref()) {
        (None, None) => return Ok(None),
        (Some(k), Some(i)) => (k, i),
        _ => return Err(invalid("target_type and target_id are given together")),
    };
    let id: i64 = id
        .trim()
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| invalid("target_id must be a positive integer id"))?;
    let directory = |kind| Ok(Some(SettingsTarget::Directory(Target { kind, id })));
    match kind {
        "user" => directory(TargetKind::User),
        "office" => directory(TargetKind::Office),
        "callcenter" => directory(TargetKind::CallCenter),
        "department" => directory(TargetKind::Department),
        "room" => directory(TargetKind::Room),
        "callrouter" => directory(TargetKind::CallRouter),
        "channel" => Ok(Some(SettingsTarget::Channel(Id::from_raw(id)))),
        "coachingteam" => Ok(Some(SettingsTarget::CoachingTeam(Id::from_raw(id)))),
        "coachinggroup" | "staffgroup" | "unknown" => Err(invalid(format!(
            "target_type {kind} has no app settings here"
        ))),
        other => Err(invalid(format!("unknown target_type '{other}'"))),
    }
}

/// `GET /app/settings`.
pub(crate) async fn get(
    State(core): State<Core>,
    caller: Caller,
    QueryParams(q, _): Params<SettingsQuery>,
) -> ApiResult<Json<Value>> {
    let target = target(&q)?;
    let app = caller
        .oauth_app
        .ok_or(ApiError(DomainError::NotFound("oauth app of this key")))?;
    let s = core
        .oauth()
        .app_settings(caller.company, app, target)
        .await?;
    Ok(Json(json!({
        "enabled": s.enabled,
        "is_preferred_service": s.is_preferred_service,
        "settings": s.settings,
    })))
}
