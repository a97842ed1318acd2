//! `POST /sms`: sends a text message through the telephony network (the simulator unless
//! another network is configured); and, beyond the document, `GET /sms/{id}/media`, the
//! attachment of a message (the `mms_url` of SMS events).
//!
//! Choices where the vendor is silent:
//! - the sender is, first that is given: `from_number` (a number of one of the company's
//!   users, offices, call centers or departments), `sender_group_id` with `sender_group_type`
//!   (the group's primary number; `user_id`, or the key's user, acts for it), `user_id` (the
//!   user's primary number), or the key's own user. A company key must name one; a sender of
//!   another company is 404; a sender without a number is 400.
//! - any key of the company may send; a plain user's key sends only as its user (another
//!   user's `user_id` or number is 403).
//! - `to_numbers`: 1 to 10 E.164 numbers (local forms only with `infer_country_code`, read in
//!   the country of the sender's office); `text` up to 1,600 characters; `media` base64, up to
//!   500 KiB decoded; a message needs text or media. `channel_hashtag` is refused (400):
//!   channel messages are not text messages.
//! - a recipient on the company's opt-out list (they texted STOP, STOPALL, UNSUBSCRIBE,
//!   CANCEL, END or QUIT; START, UNSTOP or YES lifts it) is 400, and nothing is sent.
//! - the answer is the message as recorded (`message_status` `pending`); delivery is
//!   reported through SMS events (`sms` and `sms_status` in the outbox).

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use serde::Deserialize;
use serde_json::Value;
use switchboard_domain::ids::{GroupId, MessageId, UserId};
use switchboard_domain::messaging::NewSms;
use switchboard_domain::telephony::number::{Target, TargetKind};
use switchboard_domain::{Core, DomainError};

use super::sms_render::sms_proto;
use crate::auth::Caller;
use crate::error::{invalid, ApiError, ApiResult, Body, JsonBody, PathParams, Segments};
use crate::wire::{path_id, IdValue};

/// `schemas.sms.SendSMSMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SendBody {
    channel_hashtag: Option<String>,
    from_number: Option<String>,
    infer_country_code: Option<bool>,
    media: Option<String>,
    sender_group_id: Option<IdValue>,
    sender_group_type: Option<String>,
    text: Option<String>,
    to_numbers: Option<Vec<String>>,
    user_id: Option<IdValue>,
}

fn group(id: Option<IdValue>, kind: Option<String>) -> ApiResult<Option<Target>> {
    let (id, kind) = match (id, kind) {
        (None, None) => return Ok(None),
        (Some(id), Some(kind)) => (id, kind),
        _ => return Err(invalid("sender_group_id and sender_group_type go together")),
    };
    let kind = match kind.as_str() {
        "callcenter" => TargetKind::CallCenter,
        "department" => TargetKind::Department,
        "office" => TargetKind::Office,
        other => {
            return Err(invalid(format!(
                "sender_group_type must be callcenter, department or office, not '{other}'"
            )))
        }
    };
    let id = id.id::<GroupId>("sender_group_id")?.0;
    Ok(Some(Target { kind, id }))
}

fn media(raw: Option<String>) -> ApiResult<Option<Vec<u8>>> {
    let Some(raw) = raw else { return Ok(None) };
    let cleaned: String = raw.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let engine = base64::engine::general_purpose::STANDARD;
    let lenient = base64::engine::general_purpose::STANDARD_NO_PAD;
    engine
        .decode(&cleaned)
        .or_else(|_| lenient.decode(cleaned.trim_end_matches('=')))
        .map(Some)
        .map_err(|_| invalid("media must be base64"))
}

/// `POST /sms`: answers `SMSProto`.
pub(crate) async fn send(
    State(core): State<Core>,
    caller: Caller,
    JsonBody(body, _): Body<SendBody>,
) -> ApiResult<Json<Value>> {
    if body
        .channel_hashtag
        .as_deref()
        .is_some_and(|c| !c.is_empty())
    {
        return Err(invalid(
            "channel_hashtag is not supported: channel messages are not text messages",
        ));
    }
    let named = body
        .user_id
        .map(|u| u.id::<UserId>("user_id"))
        .transpose()?;
    let me = caller.user.as_ref().map(|u| u.id);
    let only_as = match (caller.admin, me) {
        (false, Some(me)) => {
            if named.is_some_and(|n| n != me) {
                return Err(ApiError(DomainError::Forbidden(
                    "a user's key sends only as that user".into(),
                )));
            }
            Some(me)
        }
        _ => None,
    };
    let new = NewSms {
        user: named.or(me),
        only_as,
        sender_group: group(body.sender_group_id, body.sender_group_type)?,
        from_number: body.from_number.filter(|n| !n.is_empty()),
        to_numbers: body.to_numbers.unwrap_or_default(),
        infer_country_code: body.infer_country_code.unwrap_or(false),
        text: body.text.unwrap_or_default(),
        media: media(body.media)?,
    };
    let message = core.messaging().send(caller.company, new).await?;
    Ok(Json(sms_proto(&message)))
}

/// `GET /sms/{id}/media` (beyond the document): the attachment's bytes, with its type.
pub(crate) async fn media_file(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Response> {
    let id: MessageId = path_id(&id, "id")?;
    let (content_type, bytes) = core.messaging().message_media(caller.company, id).await?;
    let mut response = bytes.into_response();
    let value = HeaderValue::from_str(&content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    response.headers_mut().insert(header::CONTENT_TYPE, value);
    Ok(response)
}
