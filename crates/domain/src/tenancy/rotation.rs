//! Master-key rotation: every stored secret re-encrypted in one transaction.

use crate::secret::{Cipher, StoredSecret};
use crate::tenancy::Tenancy;
use crate::Result;

impl Tenancy<'_> {
    /// Opens every secret with the current keyring and seals it with `next`, all or nothing.
    /// Returns how many secrets were re-encrypted.
    pub async fn reencrypt_secrets(&self, next: &dyn Cipher) -> Result<usize> {
        let mut tx = self.store.begin().await?;
        let all = tx.all_secrets().await?;
        for secret in &all {
            let context = format!("{}:{}", secret.purpose, secret.owner);
            let plain = self.cipher.open(&secret.sealed, &context)?;
            let sealed = next.seal(&plain, &context)?;
            tx.replace_secret(&StoredSecret {
                sealed,
                ..secret.clone()
            })
            .await?;
        }
        tx.commit().await?;
        Ok(all.len())
    }
}
