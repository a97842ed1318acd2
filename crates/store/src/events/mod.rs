//! The events context's storage: its queries, its rows, and the domain's
//! [`EventStore`] and [`EventTx`] over them.

mod endpoints;
pub(crate) mod queries;
pub(crate) mod rows;

use async_trait::async_trait;
use jiff::Timestamp;
use std::time::Duration;
use switchboard_domain::clock::to_millis;
use switchboard_domain::events::event::{
    CommitWatch, Delivery, DeliveryAttempt, DeliveryStatus, Event,
};
use switchboard_domain::ids::*;
use switchboard_domain::page::{Page, Paged};
use switchboard_domain::workforce::store::KeysetPage;
use switchboard_domain::{DomainError, Result};

use crate::error::db;
use crate::tx::{SqlTx, WatchCommits};
use crate::Backend;
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
    async fn attempts_of(&self, ids: &[DeliveryId]) -> Result<Vec<DeliveryAttempt>> {
        queries::attempts_of(&mut *self.conn().await?, ids).await
    }
    async fn partner_deliveries(&self, partner: PartnerId, page: Page) -> Result<Paged<Delivery>> {
        queries::partner_deliveries(&mut *self.conn().await?, partner, page).await
    }
    async fn company_deliveries(
        &self,
        company: CompanyId,
        page: KeysetPage<'_, (i64, i64)>,
    ) -> Result<Vec<Delivery>> {
        queries::company_deliveries(&mut *self.conn().await?, company, page).await
    }
    async fn subscribe_commits(&self) -> Result<Box<dyn CommitWatch>> {
        if self.backend == Backend::Postgres {
            self.ensure_listener();
            // Until the `LISTEN` is in force, a commit elsewhere would go unheard.
            let mut ready = self.listening.subscribe();
            tokio::time::timeout(Duration::from_secs(10), ready.wait_for(|on| *on))
                .await
                .ok()
                .and_then(Result::ok)
                .ok_or_else(|| DomainError::internal("the commit listener is not connected"))?;
        }
        Ok(Box::new(WatchCommits(self.commits.subscribe())))
    }
    async fn next_delivery_due(&self) -> Result<Option<Timestamp>> {
        queries::next_due(&mut *self.conn().await?).await
    }
    async fn prune_deliveries(&self, before: Timestamp, limit: u32) -> Result<(u64, u64)> {
        let mut tx = self.begin_turn(false).await?;
        let n = queries::prune_deliveries(&mut tx, to_millis(before), limit, self.backend).await?;
        tx.commit().await.map_err(db)?;
        Ok(n)
    }
    async fn prune_events(&self, before: Timestamp, limit: u32) -> Result<u64> {
        let mut tx = self.begin_turn(false).await?;
        let n = queries::prune_events(&mut tx, to_millis(before), limit).await?;
        tx.commit().await.map_err(db)?;
        Ok(n)
    }
}

#[async_trait]
impl EventTx for SqlTx {
    async fn insert_event(&mut self, event: &Event) -> Result<()> {
        queries::insert_event(&mut self.tx, event).await?;
        self.wake = true;
        Ok(())
    }
    async fn undispatched_events(&mut self, limit: u32) -> Result<Vec<Event>> {
        queries::undispatched(&mut self.tx, limit, self.backend).await
    }
    async fn mark_events_dispatched(&mut self, ids: &[EventId], at: Timestamp) -> Result<()> {
        queries::mark_dispatched(&mut self.tx, ids, to_millis(at)).await
    }
    async fn insert_deliveries(&mut self, deliveries: &[Delivery]) -> Result<()> {
        if deliveries.is_empty() {
            return Ok(());
        }
        queries::insert_deliveries(&mut self.tx, deliveries).await?;
        self.wake = true;
        Ok(())
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
    async fn update_deliveries(&mut self, deliveries: &[Delivery]) -> Result<()> {
        queries::update_deliveries(&mut self.tx, deliveries).await?;
        // Back in the queue with a fresh budget: a replay, due now.
        if deliveries
            .iter()
            .any(|d| d.status == DeliveryStatus::Pending && d.attempts == 0)
        {
            self.wake = true;
        }
        Ok(())
    }
    async fn insert_attempts(&mut self, attempts: &[DeliveryAttempt]) -> Result<()> {
        queries::insert_attempts(&mut self.tx, attempts).await
    }
}
