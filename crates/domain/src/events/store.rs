//! Storage of the event outbox, deliveries and attempts: reads on [`EventStore`], writes inside a [`EventTx`]. Implemented for
//! SQLite and PostgreSQL in `switchboard-store`.

use async_trait::async_trait;
use jiff::Timestamp;

use crate::events::event::{CommitWatch, Delivery, DeliveryAttempt, Event};
use crate::ids::{CompanyId, DeliveryId, EventId, PartnerId};
use crate::page::{Page, Paged};
use crate::workforce::store::KeysetPage;

use crate::Result;

/// Reads of the event outbox, deliveries and attempts.
#[async_trait]
pub trait EventStore: Send + Sync {
    async fn event(&self, id: EventId) -> Result<Option<Event>>;
    async fn delivery(&self, id: DeliveryId) -> Result<Option<Delivery>>;
    /// Attempts of several deliveries in one query, each delivery's oldest first.
    async fn attempts_of(&self, ids: &[DeliveryId]) -> Result<Vec<DeliveryAttempt>>;
    /// A partner's deliveries, newest first.
    async fn partner_deliveries(&self, partner: PartnerId, page: Page) -> Result<Paged<Delivery>>;
    /// A company's deliveries, newest first, after a page's last (creation time in
    /// milliseconds, id).
    async fn company_deliveries(
        &self,
        company: CompanyId,
        page: KeysetPage<'_, (i64, i64)>,
    ) -> Result<Vec<Delivery>>;
    /// Subscribes to commits that made event work (see [`CommitWatch`]): from this process,
    /// and from every process sharing the database when the database can tell. Once this
    /// returns, no later commit is missed.
    async fn subscribe_commits(&self) -> Result<Box<dyn CommitWatch>>;
    /// When the earliest pending delivery is due (leased ones count with their lease's end).
    async fn next_delivery_due(&self) -> Result<Option<Timestamp>>;
    /// Deletes up to `limit` deliveries finished (delivered or exhausted) before `before`,
    /// with their attempts; returns how many deliveries and attempts went.
    async fn prune_deliveries(&self, before: Timestamp, limit: u32) -> Result<(u64, u64)>;
    /// Deletes up to `limit` events dispatched before `before` that no delivery refers to.
    async fn prune_events(&self, before: Timestamp, limit: u32) -> Result<u64>;
}

/// Writes of the event outbox, deliveries and attempts, inside a write transaction.
#[async_trait]
pub trait EventTx: Send {
    /// Adds an event to the outbox; it commits or rolls back with the change it reports.
    async fn insert_event(&mut self, event: &Event) -> Result<()>;
    /// Events not yet dispatched, oldest first, held until commit.
    async fn undispatched_events(&mut self, limit: u32) -> Result<Vec<Event>>;
    /// Marks events dispatched (one statement for the lot).
    async fn mark_events_dispatched(&mut self, ids: &[EventId], at: Timestamp) -> Result<()>;
    /// Inserts deliveries (multi-row statements); a commit that inserted any signals the
    /// workers.
    async fn insert_deliveries(&mut self, deliveries: &[Delivery]) -> Result<()>;
    /// Pending deliveries due at `now`, oldest due first, moved to `lease_until` so that no other
    /// worker takes them meanwhile.
    async fn claim_due_deliveries(
        &mut self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<Delivery>>;
    async fn delivery_for_update(&mut self, id: DeliveryId) -> Result<Option<Delivery>>;
    /// Writes the state of deliveries (status, attempts, next attempt, last error, finish
    /// time) in one statement; putting one back in the queue with a fresh budget (a replay)
    /// signals the workers.
    async fn update_deliveries(&mut self, deliveries: &[Delivery]) -> Result<()>;
    /// Records attempts (multi-row statements).
    async fn insert_attempts(&mut self, attempts: &[DeliveryAttempt]) -> Result<()>;
}
