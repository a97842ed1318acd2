//! The kernel's storage: encrypted secrets and idempotency records.

pub(crate) mod idempotency;
pub(crate) mod secrets;

use async_trait::async_trait;
use jiff::Timestamp;
use switchboard_domain::clock::to_millis;
use switchboard_domain::idempotency::{Claim, StoredResponse};
use switchboard_domain::secret::{Sealed, SecretPurpose, StoredSecret};
use switchboard_domain::Result;

use crate::error::db;
use crate::tx::SqlTx;
use crate::SqlStore;
use switchboard_domain::store::{IdempotencyStore, SecretStore, SecretTx};

#[async_trait]
impl SecretStore for SqlStore {
    async fn secret(&self, purpose: SecretPurpose, owner: &str) -> Result<Option<Sealed>> {
        secrets::get_secret(&mut *self.conn().await?, purpose, owner).await
    }
}

#[async_trait]
impl SecretTx for SqlTx {
    async fn secret(&mut self, purpose: SecretPurpose, owner: &str) -> Result<Option<Sealed>> {
        secrets::get_secret(&mut self.tx, purpose, owner).await
    }
    async fn put_secret(
        &mut self,
        purpose: SecretPurpose,
        owner: &str,
        sealed: &Sealed,
        at: Timestamp,
    ) -> Result<()> {
        secrets::put_secret(&mut self.tx, purpose.as_str(), owner, sealed, to_millis(at)).await
    }
    async fn delete_secret(&mut self, purpose: SecretPurpose, owner: &str) -> Result<()> {
        secrets::delete_secret(&mut self.tx, purpose, owner).await
    }
    async fn all_secrets(&mut self) -> Result<Vec<StoredSecret>> {
        secrets::all_secrets(&mut self.tx).await
    }
    async fn replace_secret(&mut self, s: &StoredSecret) -> Result<()> {
        secrets::put_secret(
            &mut self.tx,
            &s.purpose,
            &s.owner,
            &s.sealed,
            to_millis(Timestamp::now()),
        )
        .await
    }
}

#[async_trait]
impl IdempotencyStore for SqlStore {
    async fn claim_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        fingerprint: &str,
        now: Timestamp,
    ) -> Result<Claim> {
        let mut tx = self.begin_plain().await?;
        let claim = idempotency::claim(
            &mut tx,
            scope,
            key,
            fingerprint,
            now,
            self.idempotency_retention_secs,
        )
        .await?;
        tx.commit().await.map_err(db)?;
        Ok(claim)
    }
    async fn finish_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        response: &StoredResponse,
    ) -> Result<()> {
        idempotency::finish(&mut *self.conn().await?, scope, key, response).await
    }
    async fn release_idempotency_key(&self, scope: &str, key: &str) -> Result<()> {
        idempotency::release(&mut *self.conn().await?, scope, key).await
    }
    async fn prune_idempotency_keys(&self, before: Timestamp, limit: u32) -> Result<u64> {
        let mut tx = self.begin_turn(false).await?;
        let n = idempotency::prune(&mut tx, to_millis(before), limit).await?;
        tx.commit().await.map_err(db)?;
        Ok(n)
    }
}
