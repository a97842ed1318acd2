//! Storage of messages, the opt-out list and the simulated network's unreachable numbers:
//! reads on [`MessagingStore`], writes inside a [`MessagingTx`]. Implemented for SQLite and
//! PostgreSQL in `switchboard-store`.

use async_trait::async_trait;

use crate::ids::{CompanyId, MessageId};
use crate::messaging::model::{Direction, Message, OptOut, OptOutState};
use crate::workforce::store::KeysetPage;
use crate::Result;

/// Reads of messages and opt-outs.
#[async_trait]
pub trait MessagingStore: Send + Sync {
    /// One of the company's messages.
    async fn message(&self, company: CompanyId, id: MessageId) -> Result<Option<Message>>;
    /// The company's messages of one direction in the order they were recorded, after a
    /// position `(created_at ms, id)`.
    async fn messages_page(
        &self,
        company: CompanyId,
        direction: Direction,
        page: KeysetPage<'_, (i64, i64)>,
    ) -> Result<Vec<Message>>;
    /// The company's messages recorded in `[start, end)`, both directions, in the order they
    /// were recorded, after a position `(created_at ms, id)`.
    async fn messages_in_window(
        &self,
        company: CompanyId,
        start: jiff::Timestamp,
        end: jiff::Timestamp,
        page: KeysetPage<'_, (i64, i64)>,
    ) -> Result<Vec<Message>>;
    /// Which of these numbers are opted out of the company's messages.
    async fn opted_out(&self, company: CompanyId, numbers: &[String]) -> Result<Vec<String>>;
    /// The company's opt-out entries in one state, in number order.
    async fn opt_outs_page(
        &self,
        company: CompanyId,
        state: OptOutState,
        page: KeysetPage<'_, String>,
    ) -> Result<Vec<OptOut>>;
    /// Whether the simulated network cannot reach `number` for the company's messages.
    async fn sim_unreachable(&self, company: CompanyId, number: &str) -> Result<bool>;
}

/// Writes of messages and opt-outs, inside a write transaction.
#[async_trait]
pub trait MessagingTx: Send {
    async fn insert_message(&mut self, message: &Message) -> Result<()>;
    /// One of the company's messages, held until commit.
    async fn message_for_update(
        &mut self,
        company: CompanyId,
        id: MessageId,
    ) -> Result<Option<Message>>;
    /// Writes a message's status, delivery result and update time.
    async fn update_message_status(&mut self, message: &Message) -> Result<()>;
    /// Which of these numbers are opted out, read inside the transaction.
    async fn opted_out_in_tx(
        &mut self,
        company: CompanyId,
        numbers: &[String],
    ) -> Result<Vec<String>>;
    /// Creates or replaces the number's entry.
    async fn put_opt_out(&mut self, entry: &OptOut) -> Result<()>;
    /// Marks a number unreachable (or reachable again) on the simulated network.
    async fn set_sim_unreachable(
        &mut self,
        company: CompanyId,
        number: &str,
        unreachable: bool,
    ) -> Result<()>;
}
