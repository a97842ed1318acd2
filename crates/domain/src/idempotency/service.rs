//! `Idempotency-Key` records for the shared HTTP mechanism: claims, and the responses kept for
//! replay. A kept response may carry a secret (a rotated webhook signing secret, say), so its
//! body is sealed with the secrets cipher, bound to its caller and key, and opened on replay.

use crate::idempotency::{Claim, StoredResponse};
use crate::secret::Sealed;
use crate::{Core, DomainError, Result};

/// The associated data of a kept body: its caller scope and key.
fn context(scope: &str, key: &str) -> String {
    format!("idempotency:{}:{scope}:{key}", scope.len())
}

impl Core {
    /// Claims `key` for the caller `scope` (an authenticated user or partner) and a request
    /// with `fingerprint`; a kept response comes back opened.
    pub async fn claim_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        fingerprint: &str,
    ) -> Result<Claim> {
        let claim = self
            .store
            .claim_idempotency_key(scope, key, fingerprint, self.clock.now())
            .await?;
        let Claim::Existing(mut record) = claim else {
            return Ok(claim);
        };
        if let Some(response) = record.response.as_mut() {
            response.body = self.open_kept_body(scope, key, &response.body)?;
        }
        Ok(Claim::Existing(record))
    }

    /// Keeps the response of a claimed key, its body sealed.
    pub async fn finish_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        response: &StoredResponse,
    ) -> Result<()> {
        let sealed = self.cipher.seal(&response.body, &context(scope, key))?;
        let kept = StoredResponse {
            body: format!("{}.{}", sealed.key_id, sealed.data).into_bytes(),
            ..response.clone()
        };
        self.store.finish_idempotency_key(scope, key, &kept).await
    }

    /// Gives up a claimed key (its request failed on the server's side and may be retried).
    pub async fn release_idempotency_key(&self, scope: &str, key: &str) -> Result<()> {
        self.store.release_idempotency_key(scope, key).await
    }

    fn open_kept_body(&self, scope: &str, key: &str, kept: &[u8]) -> Result<Vec<u8>> {
        // A body that cannot be opened (its master key is gone) is never replayed wrongly,
        // nor is the request run a second time: the retry is refused.
        let unreadable = || {
            DomainError::Conflict(
                "the response to this Idempotency-Key can no longer be replayed".into(),
            )
        };
        let text = std::str::from_utf8(kept).map_err(|_| unreadable())?;
        let (key_id, data) = text.split_once('.').ok_or_else(unreadable)?;
        let sealed = Sealed {
            key_id: key_id.to_owned(),
            data: data.to_owned(),
        };
        self.cipher
            .open(&sealed, &context(scope, key))
            .map_err(|_| unreadable())
    }
}
