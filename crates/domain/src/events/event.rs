//! Events and their delivery.
//!
//! A business change writes an [`Event`] in its own transaction (the outbox). A dispatcher later
//! turns each event into one [`Delivery`] per destination, and a worker sends deliveries,
//! recording each [`DeliveryAttempt`], until one succeeds or the retry budget is spent.

use jiff::Timestamp;
use serde_json::Value;

use crate::ids::{AttemptId, CompanyId, DeliveryId, EventId, PartnerId};

/// A client company was created under a partner.
pub const CLIENT_CREATED: &str = "client_created";
/// A client company's status changed.
pub const CLIENT_STATUS_CHANGED: &str = "client_status_changed";

/// A user's presence (status or activity) changed, through any dialect.
pub const AGENT_STATUS_CHANGED: &str = "agent_status_changed";

/// Something that happened, as recorded in the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: EventId,
    /// The event type, such as [`CLIENT_CREATED`].
    pub kind: String,
    /// The partner the event concerns, if any.
    pub partner_id: Option<PartnerId>,
    /// The company the event concerns, if any.
    pub company_id: Option<CompanyId>,
    /// Facts of the event (domain form; destinations render their own wire form).
    pub payload: Value,
    pub created_at: Timestamp,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Waiting for its next attempt.
    Pending,
    /// A receiver acknowledged it.
    Delivered,
    /// Every attempt failed; kept for replay.
    Exhausted,
}

impl DeliveryStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Exhausted => "exhausted",
        }
    }

    /// Reads the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "delivered" => Some(Self::Delivered),
            "exhausted" => Some(Self::Exhausted),
            _ => None,
        }
    }
}

/// One event on its way to one destination.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// Stable across attempts: the `webhook-id`.
    pub id: DeliveryId,
    pub event_id: EventId,
    /// The partner whose destination this is, for listing (other owners come later).
    pub partner_id: Option<PartnerId>,
    pub url: String,
    /// Whose signing secret signs it (see `Core::signing_secret`).
    pub signing_owner: String,
    /// The exact body sent on every attempt.
    pub body: String,
    pub status: DeliveryStatus,
    /// Attempts made since it was created or last replayed.
    pub attempts: i64,
    pub next_attempt_at: Timestamp,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

/// One try at sending a delivery.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryAttempt {
    pub id: AttemptId,
    pub delivery_id: DeliveryId,
    pub attempted_at: Timestamp,
    /// The receiver's status, when it answered.
    pub status_code: Option<i64>,
    /// Why it failed, when it did.
    pub error: Option<String>,
    pub duration_ms: i64,
}
