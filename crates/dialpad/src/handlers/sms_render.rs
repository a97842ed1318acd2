//! Text messages in the vendor's shapes: `SMSProto` (the answer of `POST /sms`) and the SMS
//! event that webhooks and websockets deliver (the vendor's SMS event documentation), both
//! from the messaging context's message or its event payload.
//!
//! The event: `id`, `created_date` and `event_timestamp` (Unix ms), `direction`, `target`
//! (the company's side: `id`, `type`, `name`, `phone_number` in national form), `contact`
//! (the outside party: `phone_number` in E.164; `id` and `name` are null, as messages are not
//! matched with the address book), `sender_id` (the user who sent for a group, else null),
//! `from_number`, `to_number` (a list), `mms`, `mms_url` (the attachment, at
//! `/api/v2/sms/{id}/media` on this server, read with an API key of the company), `text` and
//! `text_content` (null without the scope that shows message content), `message_status`
//! (`pending`, `sending`, `sent`, `delivered`, `failed`, `undelivered`; inbound messages are
//! `delivered`), `message_delivery_result` and `is_internal`.

use crate::handlers::numbers::target_type;
use serde_json::{json, Value};
use switchboard_domain::messaging::{DeliveryResult, Message, Status};
use switchboard_domain::telephony::number::TargetKind;

/// `message_status` of `SMSProto`: `pending` until the network took the message, then
/// `success`, or `failed`.
fn proto_status(status: Status) -> &'static str {
    match status {
        Status::Pending | Status::Sending => "pending",
        Status::Sent | Status::Delivered => "success",
        Status::Failed | Status::Undelivered => "failed",
    }
}

/// `schemas.sms.SMSProto`.
pub(crate) fn sms_proto(m: &Message) -> Value {
    let mut v = json!({
        "created_date": crate::wire::time(m.created_at),
        "device_type": "public_api",
        "direction": m.direction.as_str(),
        "from_number": m.from_number,
        "id": m.id.0,
        "message_status": proto_status(m.status),
        "target_id": m.party.target.id,
        "target_type": target_type(m.party.target.kind),
        "text": m.text,
        "to_numbers": m.to_numbers,
    });
    if let Some(user) = m.sender_user {
        v["user_id"] = json!(user.0);
    }
    if let Some(result) = m.delivery_result {
        v["message_delivery_result"] = json!(result.as_str());
    }
    v
}

/// The link to a message's attachment.
fn media_url(message_id: i64) -> String {
    format!("{}/sms/{message_id}/media", crate::MOUNT)
}

/// The vendor's SMS event for the payload of an `sms` or `sms_status` event (see the module
/// documentation); `None` when the payload is not a message's. Without `include_text` the
/// message's text is left out (`text` and `text_content` are null).
// Called by the delivery of SMS subscriptions (webhooks and websockets).
pub(crate) fn sms_event(payload: &Value, include_text: bool) -> Option<Value> {
    let id = payload["id"].as_i64()?;
    let direction = payload["direction"].as_str()?;
    let target = &payload["target"];
    let kind = TargetKind::parse(target["kind"].as_str()?).ok()?;
    let from = payload["from_number"].as_str()?;
    let to = payload["to_numbers"].as_array()?;
    let first_to = to.first().and_then(Value::as_str).unwrap_or_default();
    let (own, external) = if direction == "inbound" {
        (first_to, from)
    } else {
        (from, first_to)
    };
    let own_national = switchboard_domain::phone::format(own, None)
        .map(|p| p.national)
        .unwrap_or_else(|_| own.to_owned());
    let group = !matches!(kind, TargetKind::User);
    let has_media = payload["media"].is_object();
    let text = if include_text {
        payload["text"].clone()
    } else {
        Value::Null
    };
    let result = payload["delivery_result"]
        .as_str()
        .and_then(DeliveryResult::parse)
        .map(DeliveryResult::as_str);
    Some(json!({
        "id": id,
        "created_date": payload["created_at"],
        "direction": direction,
        "target": {
            "id": target["id"],
            "type": target_type(kind),
            "name": target["name"],
            "phone_number": own_national,
        },
        "contact": {"id": null, "name": null, "phone_number": external},
        "sender_id": if group { payload["sender_user_id"].clone() } else { Value::Null },
        "from_number": from,
        "to_number": to,
        "mms": has_media,
        "mms_url": has_media.then(|| media_url(id)),
        "text": text,
        "text_content": text,
        "message_status": payload["status"],
        "message_delivery_result": result,
        "is_internal": payload["is_internal"],
        "event_timestamp": payload["event_timestamp"],
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload() -> Value {
        json!({
            "id": 7, "company_id": 1, "change": "created", "direction": "outbound",
            "target": {"kind": "call_center", "id": 9, "name": "Support"},
            "sender_user_id": 3, "from_number": "+14155550100", "to_numbers": ["+12125550123"],
            "text": "hello", "media": {"media_id": 5, "content_type": "image/png", "size": 4},
            "status": "sent", "delivery_result": null, "is_internal": false,
            "created_at": 1000, "updated_at": 2000, "event_timestamp": 2000
        })
    }

    #[test]
    fn the_event_has_the_vendor_fields() {
        let e = sms_event(&payload(), true).unwrap();
        assert_eq!(e["target"]["type"], "callcenter");
        assert_eq!(e["target"]["phone_number"], "(415) 555-0100");
        assert_eq!(e["contact"]["phone_number"], "+12125550123");
        assert_eq!(e["sender_id"], 3);
        assert_eq!(e["to_number"], json!(["+12125550123"]));
        assert_eq!(e["mms"], true);
        assert_eq!(e["mms_url"], "/api/v2/sms/7/media");
        assert_eq!(e["text"], "hello");
        assert_eq!(e["text_content"], "hello");
        assert_eq!(e["message_status"], "sent");
        assert_eq!(e["created_date"], 1000);
        let hidden = sms_event(&payload(), false).unwrap();
        assert!(hidden["text"].is_null() && hidden["text_content"].is_null());
        assert_eq!(sms_event(&json!({"state": "ringing"}), true), None);
    }
}
