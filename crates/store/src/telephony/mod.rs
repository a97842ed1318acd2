//! The telephony context's storage: its queries, its rows, and the domain's
//! [`CallStore`] and [`CallTx`] over them.

pub(crate) mod queries;
pub(crate) mod rows;

use async_trait::async_trait;
use switchboard_domain::page::Paged;
use switchboard_domain::telephony::call::{Call, CallLogQuery};
use switchboard_domain::Result;

use crate::tx::SqlTx;
use crate::SqlStore;
use switchboard_domain::store::{CallStore, CallTx};

#[async_trait]
impl CallStore for SqlStore {
    async fn call_log(&self, query: &CallLogQuery) -> Result<Paged<Call>> {
        queries::call_log(&mut *self.conn().await?, query).await
    }
}

#[async_trait]
impl CallTx for SqlTx {
    async fn insert_call(&mut self, call: &Call) -> Result<()> {
        queries::insert_call(&mut self.tx, call).await
    }
}
