//! The storage traits. Each bounded context declares its own pair (`XStore` for reads, `XTx` for
//! writes) in its `store.rs`; [`Store`] and [`WriteTx`] gather them, with the kernel's secrets and
//! idempotency records. The SQLite and PostgreSQL implementations live in `switchboard-store`.
//!
//! Reads go straight to [`Store`]; every write happens inside a [`WriteTx`], which commits all of
//! its changes or none of them. Rows an update depends on are read through the transaction
//! (`*_for_update`), which holds them against concurrent writers until commit.

use async_trait::async_trait;
use jiff::Timestamp;

use crate::idempotency::{Claim, StoredResponse};
use crate::secret::{Sealed, SecretPurpose, StoredSecret};
use crate::Result;

pub use crate::ai_agents::store::{AgentStore, AgentTx};
pub use crate::calls::store::{CallLegStore, CallLegTx, ShareLinkStore, ShareLinkTx};
pub use crate::clients::store::{ClientStore, ClientTx};
pub use crate::events::endpoint_store::{EndpointStore, EndpointTx};
pub use crate::events::store::{EventStore, EventTx};
pub use crate::media::store::{MediaStore, MediaTx};
pub use crate::messaging::store::{MessagingStore, MessagingTx};
pub use crate::oauth::store::{OAuthStore, OAuthTx};
pub use crate::reporting::store::{ReportingStore, ReportingTx};
pub use crate::telephony::contact_store::{ContactStore, ContactTx, IvrStore, IvrTx};
pub use crate::telephony::contact_store::{PolicyStore, PolicyTx};
pub use crate::telephony::store::{CallStore, CallTx, DirectoryStore, DirectoryTx};
pub use crate::telephony::store::{ChannelStore, ChannelTx, CoachingStore, CoachingTx};
pub use crate::telephony::store::{DeviceStore, DeviceTx, RoomStore, RoomTx, TrunkStore, TrunkTx};
pub use crate::telephony::store::{GroupStore, GroupTx};
pub use crate::telephony::store::{NumberStore, NumberTx};
pub use crate::telephony::store::{OfficeExtrasStore, OfficeExtrasTx, RouterStore, RouterTx};
pub use crate::tenancy::store::{SessionStore, SessionTx, TenancyStore, TenancyTx};
pub use crate::workforce::store::{WorkforceStore, WorkforceTx};

/// Durable state: every context's reads, and write transactions.
#[async_trait]
pub trait Store:
    TenancyStore
    + SessionStore
    + AgentStore
    + CallStore
    + CallLegStore
    + ShareLinkStore
    + DirectoryStore
    + GroupStore
    + NumberStore
    + RouterStore
    + OfficeExtrasStore
    + RoomStore
    + DeviceStore
    + TrunkStore
    + CoachingStore
    + ChannelStore
    + ContactStore
    + PolicyStore
    + IvrStore
    + ClientStore
    + EventStore
    + EndpointStore
    + WorkforceStore
    + MediaStore
    + MessagingStore
    + OAuthStore
    + ReportingStore
    + SecretStore
    + IdempotencyStore
    + 'static
{
    /// Checks that the database answers.
    async fn ping(&self) -> Result<()>;
    /// Starts a write transaction.
    async fn begin(&self) -> Result<Box<dyn WriteTx>>;
    /// Starts a write transaction ahead of the ordinary ones waiting for the database's one
    /// writer (SQLite): for short background work whose latency others wait on, such as the
    /// event worker's claims and records, never for requests.
    async fn begin_first(&self) -> Result<Box<dyn WriteTx>> {
        self.begin().await
    }
    /// Starts a write transaction that may share its commit with others of its kind (SQLite's
    /// group commit): its commit may leave its work to a later writer's commit, and answers
    /// once that commit ran. Only for a transaction that reads what it will write through
    /// itself, never through the store: the work of writers before it in the group is not yet
    /// committed, so reads through the store do not see it. Every other transaction begins
    /// after the group before it committed.
    async fn begin_grouped(&self) -> Result<Box<dyn WriteTx>> {
        self.begin().await
    }
}

/// A write transaction over every context: dropped without [`WriteTx::commit`], it rolls back.
#[async_trait]
pub trait WriteTx:
    TenancyTx
    + SessionTx
    + AgentTx
    + CallTx
    + CallLegTx
    + ShareLinkTx
    + DirectoryTx
    + GroupTx
    + NumberTx
    + RouterTx
    + OfficeExtrasTx
    + RoomTx
    + DeviceTx
    + TrunkTx
    + CoachingTx
    + ChannelTx
    + ContactTx
    + PolicyTx
    + IvrTx
    + ClientTx
    + EventTx
    + EndpointTx
    + WorkforceTx
    + MediaTx
    + MessagingTx
    + OAuthTx
    + ReportingTx
    + SecretTx
{
    async fn commit(self: Box<Self>) -> Result<()>;
}

/// Reads of encrypted secrets.
#[async_trait]
pub trait SecretStore: Send + Sync {
    async fn secret(&self, purpose: SecretPurpose, owner: &str) -> Result<Option<Sealed>>;
}

/// Writes of encrypted secrets.
#[async_trait]
pub trait SecretTx: Send {
    async fn secret(&mut self, purpose: SecretPurpose, owner: &str) -> Result<Option<Sealed>>;
    async fn put_secret(
        &mut self,
        purpose: SecretPurpose,
        owner: &str,
        sealed: &Sealed,
        at: Timestamp,
    ) -> Result<()>;
    /// Forgets a secret (nothing happens when there is none).
    async fn delete_secret(&mut self, purpose: SecretPurpose, owner: &str) -> Result<()>;
    /// Every stored secret, for re-encryption under a new master key.
    async fn all_secrets(&mut self) -> Result<Vec<StoredSecret>>;
    async fn replace_secret(&mut self, secret: &StoredSecret) -> Result<()>;
}

/// The records behind `Idempotency-Key`.
#[async_trait]
pub trait IdempotencyStore: Send + Sync {
    /// Claims `(scope, key)` for a request with `fingerprint`, forgetting records older than
    /// the retention period and unfinished claims older than the abandonment period.
    async fn claim_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        fingerprint: &str,
        now: Timestamp,
    ) -> Result<Claim>;
    /// Stores the response of a claimed key.
    async fn finish_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        response: &StoredResponse,
    ) -> Result<()>;
    /// Forgets a claimed key, so that the request may be retried (after a server error).
    async fn release_idempotency_key(&self, scope: &str, key: &str) -> Result<()>;
    /// Deletes up to `limit` idempotency records created before `before`.
    async fn prune_idempotency_keys(&self, before: Timestamp, limit: u32) -> Result<u64>;
}
