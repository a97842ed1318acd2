//! Events and their delivery.
//!
//! A business change writes an [`Event`] in its own transaction (the outbox). A dispatcher later
//! turns each event into one [`Delivery`] per destination, and a worker sends deliveries,
//! recording each [`DeliveryAttempt`], until one succeeds or the retry budget is spent.
//!
//! The worker does not wait for a timer to find new work: the store announces every committed
//! write that made some (an event, a delivery, a replay) through a [`CommitWatch`]. How the news
//! travels is the store's business (in-process, and between server processes on PostgreSQL);
//! the worker only awaits [`CommitWatch::changed`] and still polls now and then, so a missed
//! signal delays work but never loses it.
//!
//! Finished deliveries, their attempts and dispatched events are pruned after a retention
//! period (see [`Retention`]); nothing still waiting to be sent is.

use async_trait::async_trait;
use jiff::Timestamp;
use serde_json::Value;

use crate::ids::{AttemptId, CompanyId, DeliveryId, EventId, PartnerId};

/// A client company was created under a partner.
pub const CLIENT_CREATED: &str = "client_created";
/// A client company's status changed.
pub const CLIENT_STATUS_CHANGED: &str = "client_status_changed";

/// A user's presence (status or activity) changed, through any dialect.
pub const AGENT_STATUS_CHANGED: &str = "agent_status_changed";

/// A text message was sent or received (payload: the message, see `messaging::Message`).
pub const SMS: &str = "sms";
/// An outbound text message's delivery status changed (payload as for [`SMS`]).
pub const SMS_STATUS: &str = "sms_status";
/// A scheduled report's file is ready: delivered to the endpoint its payload names
/// (`endpoint_id`, `schedule_report_id`, `name`, `report_type`, `download_url`,
/// `period_start`, `period_end`).
pub const SCHEDULED_REPORT: &str = "scheduled_report";

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

/// How a delivery is retried: the server's own exponential backoff, or the schedule a vendor
/// documents for a type of event (the worker holds the waits of each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetrySchedule {
    /// Exponential backoff with jitter, any failure retried (360dialog partner webhooks).
    Standard,
    /// Dialpad call events: 3 retries after 2, 4 and 8 s.
    DialpadCall,
    /// Dialpad SMS events: 10 retries from 30 s to an hour.
    DialpadSms,
    /// Other Dialpad events: 4 retries after 0.1, 0.2, 0.4 and 0.8 s.
    DialpadOther,
}

impl RetrySchedule {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::DialpadCall => "dialpad_call",
            Self::DialpadSms => "dialpad_sms",
            Self::DialpadOther => "dialpad_other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Standard,
            Self::DialpadCall,
            Self::DialpadSms,
            Self::DialpadOther,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// One event on its way to one destination.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// Stable across attempts: the `webhook-id`.
    pub id: DeliveryId,
    pub event_id: EventId,
    /// The partner whose destination this is, for listing.
    pub partner_id: Option<PartnerId>,
    /// The company whose destination this is, for listing.
    pub company_id: Option<CompanyId>,
    pub url: String,
    /// Whose signing secret signs it (see `Core::signing_secret`).
    pub signing_owner: String,
    /// The exact body sent on every attempt.
    pub body: String,
    pub schedule: RetrySchedule,
    pub status: DeliveryStatus,
    /// Attempts made since it was created or last replayed.
    pub attempts: i64,
    pub next_attempt_at: Timestamp,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

impl Delivery {
    /// Whether it waits for a retry: its last attempt since it was made or replayed failed.
    pub fn retrying(&self) -> bool {
        self.status == DeliveryStatus::Pending && self.attempts > 0 && self.last_error.is_some()
    }

    /// Whether it has failed: every attempt did, or the last one did and it waits to be tried
    /// again. Such a delivery is worth replaying.
    pub fn failed(&self) -> bool {
        self.status == DeliveryStatus::Exhausted || self.retrying()
    }
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

/// A subscription to commits that made event work: a new event, a new delivery, or a delivery
/// put back in the queue. Signals coalesce: several commits between two calls wake once.
#[async_trait]
pub trait CommitWatch: Send {
    /// Resolves once such a commit has happened since the previous call (or since the
    /// subscription, for the first call). `false` when no signal can come any more (the store
    /// closed); the subscriber then falls back to polling.
    async fn changed(&mut self) -> bool;
}

/// How long finished event records are kept.
///
/// - A delivery that is finished (delivered, or exhausted: every retry spent) is deleted with
///   its attempts once it finished longer than `events` ago. Exhausted deliveries are kept just
///   as long as delivered ones, so they can be replayed for the whole retention period; a
///   replay puts one back in the queue and it counts from its next finish.
/// - Attempts go with their delivery, so a kept delivery always shows its whole attempt log.
/// - An event goes once it is dispatched longer than `events` ago and no delivery of it is left.
/// - Pending deliveries (and so their events) and undispatched events are never pruned.
/// - Idempotency records go once they are older than `idempotency`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub events: jiff::SignedDuration,
    pub idempotency: jiff::SignedDuration,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            events: jiff::SignedDuration::from_hours(30 * 24),
            idempotency: jiff::SignedDuration::from_secs(crate::idempotency::RETENTION_SECS),
        }
    }
}

/// How many rows one pruning pass deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pruned {
    pub deliveries: u64,
    pub attempts: u64,
    pub events: u64,
    /// Websocket frames.
    pub frames: u64,
    pub idempotency_keys: u64,
}
