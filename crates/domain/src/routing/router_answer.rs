//! Call routers: reading the answer of a customer's routing URL, counting its errors, and the
//! breadcrumb the call keeps of each request.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::phone::E164;
use crate::telephony::router::TargetKind;

/// The largest answer body read; a longer one is an error.
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Errors within the past hour a router tolerates; one more disables it.
pub const MAX_ROUTER_ERRORS_PER_HOUR: u32 = 10;

/// Where a routing URL sends a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouterAnswer {
    /// To one of the company's users, departments, call centers or offices.
    Route {
        target_id: i64,
        target_kind: TargetKind,
    },
    /// To an outside number.
    Forward { to: E164 },
    /// Hang up.
    End,
}

/// Reads a routing URL's answer:
/// - `{"action":"route","target_id":"123","target_type":"user"}`: the id a string or a number,
///   the type `user`, `department`, `callcenter` (or `call_center`) or `office`
/// - `{"action":"forward","forward_to":"+14155550100"}` (E.164)
/// - `{"action":"end"}`
///
/// Anything else — not a JSON object, too long, an unknown action, a missing or bad target
/// or number — is an error with the reason, which counts against the router.
pub fn parse_router_answer(body: &[u8]) -> Result<RouterAnswer, String> {
    if body.len() > MAX_ANSWER_BYTES {
        return Err(format!(
            "answer is {} bytes, more than {MAX_ANSWER_BYTES}",
            body.len()
        ));
    }
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("answer is not JSON: {e}"))?;
    let obj = value
        .as_object()
        .ok_or_else(|| "answer is not a JSON object".to_string())?;
    let action = obj
        .get("action")
        .ok_or_else(|| "answer has no action".to_string())?
        .as_str()
        .ok_or_else(|| "action is not a string".to_string())?;
    match action {
        "route" => {
            let target_id = target_id(obj.get("target_id"))?;
            let target_kind = target_kind(obj.get("target_type"))?;
            Ok(RouterAnswer::Route {
                target_id,
                target_kind,
            })
        }
        "forward" => {
            let raw = obj
                .get("forward_to")
                .and_then(Value::as_str)
                .ok_or_else(|| "forward needs forward_to, a phone number".to_string())?;
            let to = E164::parse(raw, None)
                .map_err(|_| format!("forward_to '{raw}' is not an E.164 number"))?;
            Ok(RouterAnswer::Forward { to })
        }
        "end" => Ok(RouterAnswer::End),
        other => Err(format!("unknown action '{other}'")),
    }
}

fn target_id(raw: Option<&Value>) -> Result<i64, String> {
    let id = match raw {
        None | Some(Value::Null) => return Err("route needs target_id".into()),
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
        Some(_) => None,
    };
    id.filter(|id| *id > 0)
        .ok_or_else(|| "target_id is not a positive integer".into())
}

fn target_kind(raw: Option<&Value>) -> Result<TargetKind, String> {
    let name = raw
        .and_then(Value::as_str)
        .ok_or_else(|| "route needs target_type".to_string())?;
    match name {
        "user" => Ok(TargetKind::User),
        "department" => Ok(TargetKind::Department),
        "callcenter" | "call_center" => Ok(TargetKind::CallCenter),
        "office" => Ok(TargetKind::Office),
        other => Err(format!("unknown target_type '{other}'")),
    }
}

/// Whether a router with `errors_in_last_hour` errors is disabled: more than
/// [`MAX_ROUTER_ERRORS_PER_HOUR`] (so the 11th error disables it).
pub fn router_disabled(errors_in_last_hour: u32) -> bool {
    errors_in_last_hour > MAX_ROUTER_ERRORS_PER_HOUR
}

/// One entry of a call's `routing_breadcrumbs`: a request to a routing URL and its answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breadcrumb {
    /// `callrouter`.
    pub breadcrumb_type: String,
    pub date: Timestamp,
    /// What was sent.
    pub request: Value,
    /// What came back (the parsed body, or a string when it was not JSON).
    pub response: Value,
    pub target_id: Option<i64>,
    pub target_type: Option<String>,
    pub url: String,
}

impl Breadcrumb {
    /// The breadcrumb of a call router request to `url` at `date`, with the target of the
    /// answer when it routed the call.
    pub fn callrouter(
        url: &str,
        date: Timestamp,
        request: Value,
        response: Value,
        answer: Option<&RouterAnswer>,
    ) -> Self {
        let (target_id, target_type) = match answer {
            Some(RouterAnswer::Route {
                target_id,
                target_kind,
            }) => (Some(*target_id), Some(target_kind.as_str().to_owned())),
            _ => (None, None),
        };
        Self {
            breadcrumb_type: "callrouter".into(),
            date,
            request,
            response,
            target_id,
            target_type,
            url: url.to_owned(),
        }
    }
}
