//! Every change of a leg's state writes one `call` event to the outbox, in the transaction that
//! changes it. The payload is the leg as the domain holds it (see [`CallLeg`]) with the
//! instant of the event; a destination renders it in its dialect (Dialpad's call event).

use jiff::Timestamp;
use serde_json::json;

use crate::calls::leg::CallLeg;
use crate::events::event::Event;
use crate::ids::{EventId, Id as _};
use crate::store::WriteTx;
use crate::Result;

/// A call leg changed state.
pub const CALL: &str = "call";

/// Writes the leg's event into the outbox of `tx`.
pub(crate) async fn record(tx: &mut dyn WriteTx, leg: &CallLeg, at: Timestamp) -> Result<()> {
    let mut payload = serde_json::to_value(leg).map_err(crate::DomainError::internal)?;
    if let Some(obj) = payload.as_object_mut() {
        obj.insert("event_timestamp".into(), json!(at.as_millisecond()));
    }
    let event = Event {
        id: EventId::generate(),
        kind: CALL.to_owned(),
        partner_id: None,
        company_id: Some(leg.company_id),
        payload,
        created_at: at,
    };
    tx.insert_event(&event).await
}
