//! Storage of endpoints, subscriptions and websocket frames: reads on [`EndpointStore`], writes
//! inside an [`EndpointTx`]. Implemented for SQLite and PostgreSQL in `switchboard-store`.

use async_trait::async_trait;
use jiff::Timestamp;

use crate::events::endpoint::{Endpoint, EndpointKind};
use crate::events::subscription::{Subscription, SubscriptionKind};
use crate::ids::{CompanyId, EndpointId, EventId, SubscriptionId};
use crate::workforce::store::KeysetPage;
use crate::Result;

/// One event as sent on a websocket: numbered per endpoint in commit order (`seq`), so that
/// a client reading `seq` after the last it saw misses nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub endpoint_id: EndpointId,
    pub subscription_id: SubscriptionId,
    pub seq: i64,
    pub event_id: EventId,
    /// The text sent: a JWT or JSON.
    pub body: String,
    pub created_at: Timestamp,
}

/// A frame before it is numbered.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFrame {
    pub endpoint_id: EndpointId,
    pub subscription_id: SubscriptionId,
    pub event_id: EventId,
    pub body: String,
    pub created_at: Timestamp,
}

/// Reads of endpoints, subscriptions and frames; every read is scoped to its company.
#[async_trait]
pub trait EndpointStore: Send + Sync {
    async fn endpoint(&self, company: CompanyId, id: EndpointId) -> Result<Option<Endpoint>>;
    /// An endpoint of any company (a websocket token names it).
    async fn endpoint_by_id(&self, id: EndpointId) -> Result<Option<Endpoint>>;
    /// The company's endpoints among `ids` (one query).
    async fn endpoints_by_ids(
        &self,
        company: CompanyId,
        ids: &[EndpointId],
    ) -> Result<Vec<Endpoint>>;
    /// One page of the company's endpoints of `kind`, in id order.
    async fn endpoints_page(
        &self,
        company: CompanyId,
        kind: EndpointKind,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<Endpoint>>;
    async fn subscription(
        &self,
        company: CompanyId,
        kind: SubscriptionKind,
        id: SubscriptionId,
    ) -> Result<Option<Subscription>>;
    /// One of the company's subscriptions, of whatever type.
    async fn subscription_any(
        &self,
        company: CompanyId,
        id: SubscriptionId,
    ) -> Result<Option<Subscription>>;
    /// One page of the company's subscriptions of `kind` (only those of `target` when one is
    /// given), in id order.
    async fn subscriptions_page(
        &self,
        company: CompanyId,
        kind: SubscriptionKind,
        target: Option<crate::telephony::number::Target>,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<Subscription>>;
    /// The company's enabled subscriptions of `kind` (bounded by the per-type limit).
    async fn active_subscriptions(
        &self,
        company: CompanyId,
        kind: SubscriptionKind,
    ) -> Result<Vec<Subscription>>;
    /// Up to `limit` frames of the endpoint after `after_seq`, oldest first; only those of
    /// `subscription` when one is given.
    async fn frames_after(
        &self,
        endpoint: EndpointId,
        subscription: Option<SubscriptionId>,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<Frame>>;
    /// Where a resuming client starts: the number before the endpoint's frame of `event`, or
    /// before its first frame made at or after `since`; `None` when there is none.
    async fn frame_position(
        &self,
        endpoint: EndpointId,
        event: Option<EventId>,
        since: Option<Timestamp>,
    ) -> Result<Option<i64>>;
    /// The endpoint's last frame number (0 before the first).
    async fn last_frame_seq(&self, endpoint: EndpointId) -> Result<i64>;
    /// Deletes up to `limit` frames made before `before`.
    async fn prune_frames(&self, before: Timestamp, limit: u32) -> Result<u64>;
}

/// Writes of endpoints, subscriptions and frames, inside a write transaction.
#[async_trait]
pub trait EndpointTx: Send {
    async fn insert_endpoint(&mut self, endpoint: &Endpoint) -> Result<()>;
    async fn update_endpoint(&mut self, endpoint: &Endpoint) -> Result<()>;
    async fn endpoint_for_update(
        &mut self,
        company: CompanyId,
        id: EndpointId,
    ) -> Result<Option<Endpoint>>;
    /// Deletes the endpoint with its subscriptions and frames.
    async fn delete_endpoint(&mut self, id: EndpointId) -> Result<()>;
    async fn count_endpoints(&mut self, company: CompanyId, kind: EndpointKind) -> Result<u64>;
    async fn insert_subscription(&mut self, subscription: &Subscription) -> Result<()>;
    async fn update_subscription(&mut self, subscription: &Subscription) -> Result<()>;
    async fn subscription_for_update(
        &mut self,
        company: CompanyId,
        kind: SubscriptionKind,
        id: SubscriptionId,
    ) -> Result<Option<Subscription>>;
    async fn delete_subscription(&mut self, id: SubscriptionId) -> Result<()>;
    /// The company's subscriptions of `kind`: all of them, and those without a target.
    async fn count_subscriptions(
        &mut self,
        company: CompanyId,
        kind: SubscriptionKind,
    ) -> Result<(u64, u64)>;
    /// Appends frames, numbering each after its endpoint's last (the endpoint row is held
    /// until commit, so numbers commit in order); a commit that appended any signals readers.
    async fn append_frames(&mut self, frames: &[NewFrame]) -> Result<()>;
}
