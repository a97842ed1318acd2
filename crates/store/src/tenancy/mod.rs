//! The tenancy context's storage: its queries, its rows, and the domain's
//! [`TenancyStore`] and [`TenancyTx`] over them.

pub(crate) mod queries;
pub(crate) mod rows;
mod sessions;

use async_trait::async_trait;
use jiff::Timestamp;
use switchboard_domain::clock::to_millis;
use switchboard_domain::ids::*;
use switchboard_domain::tenancy::account::{ApiKey, Company, CompanyStatus, Partner, User};
use switchboard_domain::Result;

use crate::tx::SqlTx;
use crate::SqlStore;
use switchboard_domain::store::{TenancyStore, TenancyTx};

#[async_trait]
impl TenancyStore for SqlStore {
    async fn partner(&self, id: PartnerId) -> Result<Option<Partner>> {
        queries::partner(&mut *self.conn().await?, id, None).await
    }
    async fn company(&self, id: CompanyId) -> Result<Option<Company>> {
        queries::company(&mut *self.conn().await?, id, None).await
    }
    async fn user(&self, id: UserId) -> Result<Option<User>> {
        queries::user(&mut *self.conn().await?, id, None).await
    }
    async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        queries::user_by_email(&mut *self.conn().await?, email).await
    }
    async fn user_of_live_key(&self, hash: &str) -> Result<Option<(User, CompanyStatus)>> {
        queries::user_of_live_key(&mut *self.conn().await?, hash).await
    }
    async fn api_key_by_hash(&self, hash: &str) -> Result<Option<ApiKey>> {
        queries::api_key_by_hash(&mut *self.conn().await?, hash).await
    }
    fn auth_epoch(&self) -> Option<u64> {
        self.ensure_listener();
        self.auth.current()
    }
}

#[async_trait]
impl TenancyTx for SqlTx {
    async fn insert_partner(&mut self, partner: &Partner) -> Result<()> {
        self.auth_changed = true;
        queries::write_partner(&mut self.tx, partner, false).await
    }
    async fn insert_company(&mut self, company: &Company) -> Result<()> {
        self.auth_changed = true;
        queries::write_company(&mut self.tx, company, false).await
    }
    async fn insert_user(&mut self, user: &User) -> Result<()> {
        self.auth_changed = true;
        queries::insert_user(&mut self.tx, user).await
    }
    async fn insert_api_key(&mut self, key: &ApiKey) -> Result<()> {
        queries::insert_api_key(&mut self.tx, key).await
    }
    async fn revoke_api_key(&mut self, id: ApiKeyId, at: Timestamp) -> Result<bool> {
        self.auth_changed = true;
        queries::revoke_api_key(&mut self.tx, id, to_millis(at)).await
    }
    async fn update_user(&mut self, user: &User) -> Result<()> {
        // Names and the email are what authentication hands the dialects.
        self.auth_changed = true;
        crate::telephony::people::update_user(&mut self.tx, user).await
    }
    async fn user_for_update(&mut self, id: UserId) -> Result<Option<User>> {
        queries::user(&mut self.tx, id, Some(self.backend)).await
    }
    async fn partner_for_update(&mut self, id: PartnerId) -> Result<Option<Partner>> {
        queries::partner(&mut self.tx, id, Some(self.backend)).await
    }
    async fn update_partner(&mut self, partner: &Partner) -> Result<()> {
        self.auth_changed = true;
        queries::write_partner(&mut self.tx, partner, true).await
    }
    async fn company_for_update(&mut self, id: CompanyId) -> Result<Option<Company>> {
        queries::company(&mut self.tx, id, Some(self.backend)).await
    }
    async fn update_company(&mut self, company: &Company) -> Result<()> {
        self.auth_changed = true;
        queries::write_company(&mut self.tx, company, true).await
    }
}
