//! The clients context's storage: its queries, its rows, and the domain's
//! [`ClientStore`] and [`ClientTx`] over them.

pub(crate) mod queries;
pub(crate) mod rows;

use async_trait::async_trait;
use switchboard_domain::clients::client::{Client, ClientProfile, ClientQuery, Usage};
use switchboard_domain::ids::*;
use switchboard_domain::page::Paged;
use switchboard_domain::Result;

use crate::tx::SqlTx;
use crate::SqlStore;
use switchboard_domain::store::{ClientStore, ClientTx};

#[async_trait]
impl ClientStore for SqlStore {
    async fn client(&self, partner: PartnerId, id: CompanyId) -> Result<Option<Client>> {
        queries::one(&mut *self.conn().await?, partner, id).await
    }
    async fn clients(&self, query: &ClientQuery) -> Result<Paged<Client>> {
        queries::list(&mut *self.conn().await?, query).await
    }
    async fn usage(&self, partner: PartnerId, ids: &[CompanyId]) -> Result<Vec<Usage>> {
        queries::usage(&mut *self.conn().await?, partner, ids).await
    }
}

#[async_trait]
impl ClientTx for SqlTx {
    async fn client_profile(&mut self, company: CompanyId) -> Result<Option<ClientProfile>> {
        queries::profile(&mut self.tx, company).await
    }
    async fn upsert_client_profile(&mut self, profile: &ClientProfile) -> Result<()> {
        queries::upsert_profile(&mut self.tx, profile).await
    }
}
