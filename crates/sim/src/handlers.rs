//! The simulator's control operations. Each answers the call as it stands afterwards.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::calls::leg::CallLeg;
use switchboard_domain::calls::{InboundCall, Side};
use switchboard_domain::ids::{CallId, Id, UserId};
use switchboard_domain::{Core, DomainError};
use switchboard_http::extract::{JsonBody, PathParams};

use crate::{ApiResult, Company, Sim};

type Body<T> = JsonBody<T, Sim>;
type Path<T> = PathParams<T, Sim>;

fn id<T: Id>(raw: &str, what: &'static str) -> ApiResult<T> {
    T::parse_str(raw)
        .ok_or_else(|| DomainError::invalid(format!("{what} '{raw}' is not an id")).into())
}

/// The call as the simulator shows it.
fn call(leg: &CallLeg) -> Json<Value> {
    Json(json!({
        "call_id": leg.id.0,
        "state": leg.state.as_str(),
        "outcome": leg.outcome.map(|o| o.as_str()),
        "target": leg.target.map(|t| json!({"type": t.kind.as_str(), "id": t.id})),
        "user_id": leg.user_id.map(|u| u.0),
        "operator_call_id": leg.operator_call_id.map(|c| c.0),
        "entry_point_call_id": leg.entry_point_call_id.map(|c| c.0),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Inbound {
    from: String,
    to: String,
}

/// `POST /inbound_calls`: an outside caller dials one of the company's numbers.
pub(crate) async fn inbound_call(
    State(core): State<Core>,
    Company(company): Company,
    JsonBody(body, _): Body<Inbound>,
) -> ApiResult<Json<Value>> {
    let leg = core
        .calls()
        .inbound(
            company,
            InboundCall {
                from: body.from,
                to: body.to,
            },
        )
        .await?;
    Ok(call(&leg))
}

/// `POST /devices/{user_id}/answer`: the user's ringing device answers.
pub(crate) async fn answer(
    State(core): State<Core>,
    Company(company): Company,
    PathParams(user, _): Path<String>,
) -> ApiResult<Json<Value>> {
    let user: UserId = id(&user, "user_id")?;
    Ok(call(&core.calls().answer_device(company, user).await?))
}

/// `POST /devices/{user_id}/reject`: the user's ringing device declines.
pub(crate) async fn reject(
    State(core): State<Core>,
    Company(company): Company,
    PathParams(user, _): Path<String>,
) -> ApiResult<Json<Value>> {
    let user: UserId = id(&user, "user_id")?;
    Ok(call(&core.calls().reject_device(company, user).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AutoAnswer {
    enabled: bool,
}

/// `POST /users/{user_id}/auto_answer`: whether the user's devices answer at once.
pub(crate) async fn auto_answer(
    State(core): State<Core>,
    Company(company): Company,
    PathParams(user, _): Path<String>,
    JsonBody(body, _): Body<AutoAnswer>,
) -> ApiResult<Json<Value>> {
    let user: UserId = id(&user, "user_id")?;
    core.calls()
        .set_auto_answer(company, user, body.enabled)
        .await?;
    Ok(Json(
        json!({"user_id": user.0, "auto_answer": body.enabled}),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Hangup {
    side: String,
}

/// `POST /calls/{call_id}/hangup`: the outside caller (`external`) or the company's side
/// (`internal`) hangs up.
pub(crate) async fn hangup(
    State(core): State<Core>,
    Company(company): Company,
    PathParams(call_id, _): Path<String>,
    JsonBody(body, _): Body<Hangup>,
) -> ApiResult<Json<Value>> {
    let call_id: CallId = id(&call_id, "call_id")?;
    let side = Side::parse(&body.side)?;
    Ok(call(&core.calls().hang_up(company, call_id, side).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Digits {
    digits: String,
}

/// `POST /calls/{call_id}/digits`: the caller presses keys.
pub(crate) async fn digits(
    State(core): State<Core>,
    Company(company): Company,
    PathParams(call_id, _): Path<String>,
    JsonBody(body, _): Body<Digits>,
) -> ApiResult<Json<Value>> {
    let call_id: CallId = id(&call_id, "call_id")?;
    Ok(call(
        &core.calls().digits(company, call_id, &body.digits).await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Say {
    side: String,
    text: String,
}

/// `POST /calls/{call_id}/say`: a line of the conversation, added to the transcript.
pub(crate) async fn say(
    State(core): State<Core>,
    Company(company): Company,
    PathParams(call_id, _): Path<String>,
    JsonBody(body, _): Body<Say>,
) -> ApiResult<Json<Value>> {
    let call_id: CallId = id(&call_id, "call_id")?;
    let side = Side::parse(&body.side)?;
    let line = core.calls().say(company, call_id, side, &body.text).await?;
    Ok(Json(json!({
        "call_id": line.call_id.0,
        "side": line.side,
        "text": line.text,
        "at": line.at.as_millisecond(),
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Advance {
    seconds: i64,
}

/// `POST /clock/advance`: moves a manual clock forward; what fell due happens (calls' timers,
/// then scheduled reports and exports).
pub(crate) async fn advance_clock(
    State(core): State<Core>,
    Company(_): Company,
    JsonBody(body, _): Body<Advance>,
) -> ApiResult<Json<Value>> {
    let now = core.calls().advance_clock(body.seconds).await?;
    core.reporting().run_due().await?;
    Ok(Json(
        json!({"now": now.as_millisecond(), "iso": now.to_string()}),
    ))
}

/// `GET /clock`: the server's time.
pub(crate) async fn clock(State(core): State<Core>, Company(_): Company) -> Json<Value> {
    let now = core.clock().now();
    Json(json!({"now": now.as_millisecond(), "iso": now.to_string()}))
}
