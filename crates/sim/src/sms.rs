//! Text messages on the simulated network: an outside number texts one of the company's
//! numbers, what the network carried (the company's messages, in the order they were
//! recorded), and outside numbers it cannot reach.

use axum::extract::State;
use axum::Json;
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::messaging::{Direction, InboundSms, Message};
use switchboard_domain::page::PageRequest;
use switchboard_domain::{Core, DomainError};
use switchboard_http::extract::{JsonBody, QueryParams};

use crate::{ApiResult, Company, Sim};

/// A message as the simulator shows it.
pub(crate) fn message(m: &Message) -> Value {
    json!({
        "id": m.id.0,
        "direction": m.direction.as_str(),
        "target": {
            "type": m.party.target.kind.as_str(),
            "id": m.party.target.id,
            "name": m.party.name,
        },
        "sender_user_id": m.sender_user.map(|u| u.0),
        "from": m.from_number,
        "to": m.to_numbers,
        "text": m.text,
        "media": m.media.as_ref().map(|x| json!({"content_type": x.content_type, "size": x.size})),
        "status": m.status.as_str(),
        "delivery_result": m.delivery_result.map(|r| r.as_str()),
        "is_internal": m.is_internal,
        "created_at": m.created_at.as_millisecond(),
        "updated_at": m.updated_at.as_millisecond(),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Inbound {
    from: String,
    to: String,
    #[serde(default)]
    text: String,
    /// Base64.
    media: Option<String>,
}

/// `POST /inbound_sms`: an outside number texts one of the company's numbers. A text that
/// is exactly a stop or start keyword changes the sender's opt-out entry.
pub(crate) async fn inbound_sms(
    State(core): State<Core>,
    Company(company): Company,
    JsonBody(body, _): JsonBody<Inbound, Sim>,
) -> ApiResult<Json<Value>> {
    let media = body
        .media
        .map(|m| {
            base64::engine::general_purpose::STANDARD
                .decode(m.trim())
                .map_err(|_| DomainError::invalid("media must be base64"))
        })
        .transpose()?;
    let sms = InboundSms {
        from: body.from,
        to: body.to,
        text: body.text,
        media,
    };
    let m = core.messaging().receive(company, sms).await?;
    Ok(Json(message(&m)))
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    direction: Option<String>,
    cursor: Option<String>,
    limit: Option<usize>,
}

/// `GET /sms?direction=outbound|inbound`: the company's messages of one direction (outbound
/// unless asked), oldest first, `limit` (1–100, default 100) at a time with a `cursor`.
pub(crate) async fn list(
    State(core): State<Core>,
    Company(company): Company,
    QueryParams(q, _): QueryParams<ListQuery, Sim>,
) -> ApiResult<Json<Value>> {
    let direction = Direction::parse(q.direction.as_deref().unwrap_or("outbound"))?;
    let req = PageRequest {
        limit: q.limit.unwrap_or(100).clamp(1, 100),
        token: q.cursor.filter(|c| !c.is_empty()),
        reverse: false,
    };
    let page = core.messaging().messages(company, direction, &req).await?;
    let items: Vec<Value> = page.items.iter().map(message).collect();
    Ok(Json(json!({"items": items, "cursor": page.next})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Unreachable {
    number: String,
    unreachable: bool,
}

/// `POST /sms/unreachable`: whether the network can reach an outside number; the company's
/// messages to an unreachable one fail (`no_route`).
pub(crate) async fn unreachable(
    State(core): State<Core>,
    Company(company): Company,
    JsonBody(body, _): JsonBody<Unreachable, Sim>,
) -> ApiResult<Json<Value>> {
    let number = core
        .messaging()
        .set_sim_unreachable(company, &body.number, body.unreachable)
        .await?;
    Ok(Json(
        json!({"number": number, "unreachable": body.unreachable}),
    ))
}
