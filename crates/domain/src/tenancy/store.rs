//! Storage of partners, companies, users and API keys: reads on [`TenancyStore`], writes inside a [`TenancyTx`]. Implemented for
//! SQLite and PostgreSQL in `switchboard-store`.

use async_trait::async_trait;
use jiff::Timestamp;

use crate::ids::{ApiKeyId, CompanyId, PartnerId, UserId};
use crate::tenancy::account::{ApiKey, Company, CompanyStatus, Partner, User};
use crate::tenancy::sessions::ConsoleSession;

use crate::Result;

/// Reads of partners, companies, users and API keys.
#[async_trait]
pub trait TenancyStore: Send + Sync {
    async fn partner(&self, id: PartnerId) -> Result<Option<Partner>>;
    async fn company(&self, id: CompanyId) -> Result<Option<Company>>;
    async fn user(&self, id: UserId) -> Result<Option<User>>;
    async fn user_by_email(&self, email: &str) -> Result<Option<User>>;
    /// The user of a live (unrevoked) user key with this hash, and their company's status, in
    /// one read: what authenticating a request takes.
    async fn user_of_live_key(&self, hash: &str) -> Result<Option<(User, CompanyStatus)>>;
    async fn api_key_by_hash(&self, hash: &str) -> Result<Option<ApiKey>>;
    /// The epoch of what authentication reads: it changes, in every process, when a commit
    /// changes a partner, company, user or key. `None` when it cannot be known right now;
    /// nothing resolved may then be reused.
    fn auth_epoch(&self) -> Option<u64>;
}

/// Writes of partners, companies, users and API keys, inside a write transaction.
#[async_trait]
pub trait TenancyTx: Send {
    async fn insert_partner(&mut self, partner: &Partner) -> Result<()>;
    async fn insert_company(&mut self, company: &Company) -> Result<()>;
    /// Fails with `Conflict` when the email is taken.
    async fn insert_user(&mut self, user: &User) -> Result<()>;
    async fn insert_api_key(&mut self, key: &ApiKey) -> Result<()>;
    /// Marks a key revoked; `false` when no such live key exists.
    async fn revoke_api_key(&mut self, id: ApiKeyId, at: Timestamp) -> Result<bool>;
    /// Reads a user and holds it until commit (serialises writes that hang off one user).
    /// Writes a user's email, names and admin flag; fails with `Conflict` when the email is taken.
    async fn update_user(&mut self, user: &User) -> Result<()>;
    async fn user_for_update(&mut self, id: UserId) -> Result<Option<User>>;
    async fn partner_for_update(&mut self, id: PartnerId) -> Result<Option<Partner>>;
    async fn update_partner(&mut self, partner: &Partner) -> Result<()>;
    async fn company_for_update(&mut self, id: CompanyId) -> Result<Option<Company>>;
    async fn update_company(&mut self, company: &Company) -> Result<()>;
}

/// Reads of dashboard sessions.
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// The session whose token has this digest.
    async fn console_session(&self, token_hash: &str) -> Result<Option<ConsoleSession>>;
}

/// Writes of dashboard sessions, inside a write transaction.
#[async_trait]
pub trait SessionTx: Send {
    async fn insert_console_session(&mut self, session: &ConsoleSession) -> Result<()>;
    async fn delete_console_session(&mut self, token_hash: &str) -> Result<()>;
    /// Deletes at most `limit` sessions that ended before `now`.
    async fn prune_console_sessions(&mut self, now: Timestamp, limit: i64) -> Result<u64>;
}
