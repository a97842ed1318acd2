//! The `agent_status_changed` event: one outbox event, in the transaction of the change, each
//! time something that decides whether an agent can take work changes — their presence
//! (status and activity, in any dialect), their duty status in call centers, or a call they
//! take or finish. `source` says which; the fields of that source follow, with `user_id`.

use jiff::Timestamp;
use serde_json::{Map, Value};

use crate::events::event::{Event, AGENT_STATUS_CHANGED};
use crate::ids::{CompanyId, EventId, Id as _, UserId};
use crate::store::WriteTx;
use crate::Result;

/// What changed an agent's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Presence,
    Duty,
    Call,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Self::Presence => "presence",
            Self::Duty => "duty",
            Self::Call => "call",
        }
    }
}

/// Writes one agent-status event with `fields` (an object) into the outbox of `tx`.
pub(crate) async fn record(
    tx: &mut dyn WriteTx,
    company: CompanyId,
    user: UserId,
    source: Source,
    fields: Value,
    at: Timestamp,
) -> Result<()> {
    let mut payload = match fields {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    payload.insert("user_id".into(), user.0.to_string().into());
    payload.insert("source".into(), source.as_str().into());
    payload.insert("date".into(), at.as_millisecond().into());
    let event = Event {
        id: EventId::generate(),
        kind: AGENT_STATUS_CHANGED.to_owned(),
        partner_id: None,
        company_id: Some(company),
        payload: Value::Object(payload),
        created_at: at,
    };
    tx.insert_event(&event).await
}
