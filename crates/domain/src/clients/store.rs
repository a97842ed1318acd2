//! Storage of partner clients: reads on [`ClientStore`], writes inside a [`ClientTx`]. Implemented for
//! SQLite and PostgreSQL in `switchboard-store`.

use async_trait::async_trait;

use crate::clients::client::{Client, ClientProfile, ClientQuery, Usage};
use crate::ids::{CompanyId, PartnerId};
use crate::page::Paged;

use crate::Result;

/// Reads of partner clients.
#[async_trait]
pub trait ClientStore: Send + Sync {
    /// A client of `partner`; `None` when missing or another partner's.
    async fn client(&self, partner: PartnerId, id: CompanyId) -> Result<Option<Client>>;
    /// A filtered, sorted page of a partner's clients.
    async fn clients(&self, query: &ClientQuery) -> Result<Paged<Client>>;
    /// The usage of these clients of `partner` (others' are left out), in one read.
    async fn usage(&self, partner: PartnerId, ids: &[CompanyId]) -> Result<Vec<Usage>>;
}

/// Writes of partner clients, inside a write transaction.
#[async_trait]
pub trait ClientTx: Send {
    async fn client_profile(&mut self, company: CompanyId) -> Result<Option<ClientProfile>>;
    async fn upsert_client_profile(&mut self, profile: &ClientProfile) -> Result<()>;
}
