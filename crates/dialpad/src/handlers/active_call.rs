//! What a user does on their active call: recording (`PATCH /users/{id}/activecall`), voice
//! intelligence (`PATCH /users/{id}/togglevi`); and a screen pop on their device
//! (`POST /users/{id}/screenpop`). The user themselves (`me` with their key) or an admin.
//!
//! `is_recording` and `enable_vi` are required; `recording_type` (default `user`) and
//! `vi_locale` (default `en-us`, answered as given, not kept) are the document's values. A
//! user with no active call is 409; `recording_type: group` on a call that is not a group
//! call is 400. A screen pop needs a URI with a scheme and no user name or password; it
//! answers the user's first registered device (`device` left out when they have none).

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::calls::RecordingScope;
use switchboard_domain::Core;

use super::users_presence::changeable_user;
use crate::auth::Caller;
use crate::error::{invalid, ApiResult, Body, JsonBody, PathParams, Segments};

/// `schemas.call.UpdateActiveCallMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RecordingBody {
    is_recording: Option<bool>,
    play_message: Option<bool>,
    recording_type: Option<String>,
}

/// `schemas.call.ToggleViMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ViBody {
    enable_vi: Option<bool>,
    vi_locale: Option<String>,
}

/// `schemas.screen_pop.InitiateScreenPopMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScreenPopBody {
    screen_pop_uri: Option<String>,
}

fn one_of(schema: &str, field: &str, value: &str) -> ApiResult<()> {
    if crate::allowed_values(schema, field).contains(&value) {
        Ok(())
    } else {
        Err(invalid(format!("unknown {field} '{value}'")))
    }
}

/// `PATCH /users/{id}/activecall`: answers `ActiveCallProto` of the user's leg.
pub(crate) async fn recording(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<RecordingBody>,
) -> ApiResult<Json<Value>> {
    let user = changeable_user(&caller, &id)?;
    let on = body
        .is_recording
        .ok_or_else(|| invalid("is_recording is required"))?;
    let kind = body.recording_type.as_deref().unwrap_or("user");
    one_of(
        "schemas.call.UpdateActiveCallMessage",
        "recording_type",
        kind,
    )?;
    let scope = match kind {
        "group" => RecordingScope::Group,
        "all" => RecordingScope::All,
        _ => RecordingScope::User,
    };
    let leg = core
        .calls()
        .set_recording(
            caller.company,
            user,
            on,
            scope,
            body.play_message.unwrap_or(true),
        )
        .await?;
    Ok(Json(json!({
        "call_state": leg.state.as_str(),
        "id": leg.id.0,
        "is_recording": leg.recording,
    })))
}

/// `PATCH /users/{id}/togglevi`: answers `ToggleViProto` of the user's leg.
pub(crate) async fn toggle_vi(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<ViBody>,
) -> ApiResult<Json<Value>> {
    let user = changeable_user(&caller, &id)?;
    let on = body
        .enable_vi
        .ok_or_else(|| invalid("enable_vi is required"))?;
    let locale = body.vi_locale.unwrap_or_else(|| "en-us".into());
    one_of("schemas.call.ToggleViMessage", "vi_locale", &locale)?;
    let leg = core
        .calls()
        .set_voice_intelligence(caller.company, user, on)
        .await?;
    Ok(Json(json!({
        "call_state": leg.state.as_str(),
        "enable_vi": leg.voice_intelligence,
        "id": leg.id.0,
        "vi_locale": locale,
    })))
}

/// `POST /users/{id}/screenpop`.
pub(crate) async fn screen_pop(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<ScreenPopBody>,
) -> ApiResult<Json<Value>> {
    let user = changeable_user(&caller, &id)?;
    let uri = body
        .screen_pop_uri
        .ok_or_else(|| invalid("screen_pop_uri is required"))?;
    let device = core.calls().screen_pop(caller.company, user, &uri).await?;
    Ok(Json(match device {
        Some(d) => json!({"device": super::userdevices::render(&d)}),
        None => json!({}),
    }))
}
