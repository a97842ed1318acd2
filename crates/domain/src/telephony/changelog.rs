//! The company directory's change log: every write to the directory (offices, users, groups,
//! numbers, rooms, contacts, …) records one `change_log` event in the outbox, in the same
//! transaction as the change, saying what changed, on which target, and who changed it.
//!
//! The payload is the domain form; it happens to be close to Dialpad's change-log event
//! (`action`, `target`, `changed_by`, `note`, `additional_data`), which a destination renders.

use jiff::Timestamp;
use serde_json::{json, Value};

use crate::events::event::Event;
use crate::ids::{CompanyId, EventId, Id, UserId};
use crate::store::WriteTx;
use crate::Result;

/// A change to the company directory was made.
pub const CHANGE_LOG: &str = "change_log";

/// Who acts on a company's directory: the company itself (a company key) or one of its users.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub company: CompanyId,
    /// The acting user, for a user's key; `None` for a company key.
    pub user: Option<UserId>,
}

impl Actor {
    /// The company acting through a company key.
    pub fn company(company: CompanyId) -> Self {
        Self {
            company,
            user: None,
        }
    }

    fn changed_by(&self) -> Value {
        match self.user {
            Some(u) => json!({"type": "User", "id": u.0}),
            None => json!({"type": "Company", "id": self.company.0}),
        }
    }
}

/// One change: an action code (`office_created`, `operator_removed`, …), the kind and id of what
/// it changed (`Office`, `User`, `CallCenter`, …), a human note, and facts of the change.
#[derive(Debug, Clone)]
pub struct Change {
    pub action: &'static str,
    pub target_type: &'static str,
    pub target_id: i64,
    pub note: String,
    pub data: Value,
}

impl Change {
    pub fn new(
        action: &'static str,
        target_type: &'static str,
        target_id: impl Id,
        note: impl Into<String>,
    ) -> Self {
        Self {
            action,
            target_type,
            target_id: target_id.get(),
            note: note.into(),
            data: json!({}),
        }
    }

    /// [`Self::new`] with the target's raw id.
    pub fn on(
        action: &'static str,
        target_type: &'static str,
        target_id: i64,
        note: impl Into<String>,
    ) -> Self {
        Self {
            action,
            target_type,
            target_id,
            note: note.into(),
            data: json!({}),
        }
    }

    /// Adds facts of the change (`additional_data`).
    pub fn with(mut self, data: Value) -> Self {
        self.data = data;
        self
    }
}

/// Writes the change's event into the outbox of `tx`.
pub(crate) async fn record(
    tx: &mut dyn WriteTx,
    actor: &Actor,
    change: Change,
    at: Timestamp,
) -> Result<()> {
    let event = Event {
        id: EventId::generate(),
        kind: CHANGE_LOG.to_owned(),
        partner_id: None,
        company_id: Some(actor.company),
        payload: json!({
            "action": change.action,
            "target": {"type": change.target_type, "id": change.target_id},
            "changed_by": actor.changed_by(),
            "note": change.note,
            "additional_data": change.data,
            "date": at.as_millisecond(),
        }),
        created_at: at,
    };
    tx.insert_event(&event).await
}
