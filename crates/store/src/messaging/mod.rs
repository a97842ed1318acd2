//! The messaging context's storage: its queries and rows, and the domain's
//! [`MessagingStore`] and [`MessagingTx`] over them.

pub(crate) mod queries;

use async_trait::async_trait;
use switchboard_domain::ids::{CompanyId, MessageId};
use switchboard_domain::messaging::{Direction, Message, OptOut, OptOutState};
use switchboard_domain::store::{MessagingStore, MessagingTx};
use switchboard_domain::workforce::store::KeysetPage;
use switchboard_domain::Result;

use crate::tx::SqlTx;
use crate::SqlStore;

#[async_trait]
impl MessagingStore for SqlStore {
    async fn message(&self, company: CompanyId, id: MessageId) -> Result<Option<Message>> {
        queries::get_message(&mut *self.conn().await?, company, id, None).await
    }
    async fn messages_page(
        &self,
        company: CompanyId,
        direction: Direction,
        page: KeysetPage<'_, (i64, i64)>,
    ) -> Result<Vec<Message>> {
        queries::messages_page(&mut *self.conn().await?, company, direction, page).await
    }
    async fn messages_in_window(
        &self,
        company: CompanyId,
        start: jiff::Timestamp,
        end: jiff::Timestamp,
        page: KeysetPage<'_, (i64, i64)>,
    ) -> Result<Vec<Message>> {
        queries::messages_in_window(&mut *self.conn().await?, company, start, end, page).await
    }
    async fn opted_out(&self, company: CompanyId, numbers: &[String]) -> Result<Vec<String>> {
        queries::opted_out(&mut *self.conn().await?, company, numbers).await
    }
    async fn opt_outs_page(
        &self,
        company: CompanyId,
        state: OptOutState,
        page: KeysetPage<'_, String>,
    ) -> Result<Vec<OptOut>> {
        queries::opt_outs_page(&mut *self.conn().await?, company, state, page).await
    }
    async fn sim_unreachable(&self, company: CompanyId, number: &str) -> Result<bool> {
        queries::sim_unreachable(&mut *self.conn().await?, company, number).await
    }
}

#[async_trait]
impl MessagingTx for SqlTx {
    async fn insert_message(&mut self, message: &Message) -> Result<()> {
        queries::insert_message(&mut self.tx, message).await
    }
    async fn message_for_update(
        &mut self,
        company: CompanyId,
        id: MessageId,
    ) -> Result<Option<Message>> {
        queries::get_message(&mut self.tx, company, id, Some(self.backend)).await
    }
    async fn update_message_status(&mut self, message: &Message) -> Result<()> {
        queries::update_status(&mut self.tx, message).await
    }
    async fn opted_out_in_tx(
        &mut self,
        company: CompanyId,
        numbers: &[String],
    ) -> Result<Vec<String>> {
        queries::opted_out(&mut self.tx, company, numbers).await
    }
    async fn put_opt_out(&mut self, entry: &OptOut) -> Result<()> {
        queries::put_opt_out(&mut self.tx, entry).await
    }
    async fn set_sim_unreachable(
        &mut self,
        company: CompanyId,
        number: &str,
        unreachable: bool,
    ) -> Result<()> {
        queries::set_sim_unreachable(&mut self.tx, company, number, unreachable).await
    }
}
