//! Storage of calls: reads on [`CallStore`], writes inside a [`CallTx`]. Implemented for
//! SQLite and PostgreSQL in `switchboard-store`.

use async_trait::async_trait;

use crate::page::Paged;
use crate::telephony::call::{Call, CallLogQuery};

use crate::Result;

/// Reads of calls.
#[async_trait]
pub trait CallStore: Send + Sync {
    async fn call_log(&self, query: &CallLogQuery) -> Result<Paged<Call>>;
}

/// Writes of calls, inside a write transaction.
#[async_trait]
pub trait CallTx: Send {
    /// Records a call (the telephony side fills the table; tests use it for fixtures).
    async fn insert_call(&mut self, call: &Call) -> Result<()>;
}
