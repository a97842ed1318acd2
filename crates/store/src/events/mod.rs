//! The events context's storage: its queries, its rows, and the domain's
//! [`EventStore`] and [`EventTx`] over them.

pub(crate) mod queries;
pub(crate) mod rows;

use async_trait::async_trait;
use jiff::Timestamp;
use switchboard_domain::clock::to_millis;
use switchboard_domain::events::event::{Delivery, DeliveryAttempt, Event};
use switchboard_domain::ids::*;
use switchboard_domain::page::{Page, Paged};
use switchboard_domain::Result;

use crate::tx::SqlTx;
use crate::SqlStore;
use switchboard_domain::store::{EventStore, EventTx};

#[async_trait]
impl EventStore for SqlStore {
    async fn event(&self, id: EventId) -> Result<Option<Event>> {
        queries::event(&mut *self.conn().await?, id).await
    }
    async fn delivery(&self, id: DeliveryId) -> Result<Option<Delivery>> {
        queries::delivery(&mut *self.conn().await?, id, None).await
    }
    async fn delivery_attempts(&self, id: DeliveryId) -> Result<Vec<DeliveryAttempt>> {
        queries::attempts(&mut *self.conn().await?, id).await
    }
    async fn partner_deliveries(&self, partner: PartnerId, page: Page) -> Result<Paged<Delivery>> {
        queries::partner_deliveries(&mut *self.conn().await?, partner, page).await
    }
}

#[async_trait]
impl EventTx for SqlTx {
    async fn insert_event(&mut self, event: &Event) -> Result<()> {
        queries::insert_event(&mut self.tx, event).await
    }
    async fn undispatched_events(&mut self, limit: u32) -> Result<Vec<Event>> {
        queries::undispatched(&mut self.tx, limit, self.backend).await
    }
    async fn mark_event_dispatched(&mut self, id: EventId, at: Timestamp) -> Result<()> {
        queries::mark_dispatched(&mut self.tx, id, to_millis(at)).await
    }
    async fn insert_delivery(&mut self, delivery: &Delivery) -> Result<()> {
        queries::write_delivery(&mut self.tx, delivery, false).await
    }
    async fn claim_due_deliveries(
        &mut self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<Delivery>> {
        queries::claim_due(&mut self.tx, now, lease_until, limit, self.backend).await
    }
    async fn delivery_for_update(&mut self, id: DeliveryId) -> Result<Option<Delivery>> {
        queries::delivery(&mut self.tx, id, Some(self.backend)).await
    }
    async fn update_delivery(&mut self, delivery: &Delivery) -> Result<()> {
        queries::write_delivery(&mut self.tx, delivery, true).await
    }
    async fn insert_attempt(&mut self, attempt: &DeliveryAttempt) -> Result<()> {
        queries::insert_attempt(&mut self.tx, attempt).await
    }
}
