//! Webhook signing secrets and delivery replay.

use base64::Engine;
use rand::RngCore;

use crate::events::event::{Delivery, DeliveryAttempt, DeliveryStatus};
use crate::events::Events;
use crate::ids::{CompanyId, DeliveryId, PartnerId};
use crate::page::{KeysetPaged, Page, PageRequest, Paged};
use crate::secret::{secret_context, SecretPurpose};
use crate::telephony::keyset::Opened;
use crate::{DomainError, Result};

const PURPOSE: SecretPurpose = SecretPurpose::WebhookSigning;

/// The signing-secret owner of a partner's webhooks.
pub fn partner_signing_owner(partner: PartnerId) -> String {
    format!("partner:{partner}")
}

fn mint_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

impl Events<'_> {
    /// The signing secret (`whsec_<base64>`) of `owner`, generated and stored sealed on first
    /// need.
    pub async fn signing_secret(&self, owner: &str) -> Result<String> {
        if let Some(sealed) = self.store.secret(PURPOSE, owner).await? {
            return self.open_signing_secret(owner, &sealed);
        }
        let mut tx = self.store.begin().await?;
        // Another request may have made it meanwhile; the transaction holds the row now.
        if let Some(sealed) = tx.secret(PURPOSE, owner).await? {
            return self.open_signing_secret(owner, &sealed);
        }
        let secret = mint_secret();
        let sealed = self
            .cipher
            .seal(secret.as_bytes(), &secret_context(PURPOSE, owner))?;
        tx.put_secret(PURPOSE, owner, &sealed, self.clock.now())
            .await?;
        tx.commit().await?;
        Ok(secret)
    }

    /// Replaces `owner`'s signing secret; deliveries sent from now on use the new one.
    pub async fn rotate_signing_secret(&self, owner: &str) -> Result<String> {
        let secret = mint_secret();
        let sealed = self
            .cipher
            .seal(secret.as_bytes(), &secret_context(PURPOSE, owner))?;
        let mut tx = self.store.begin().await?;
        tx.put_secret(PURPOSE, owner, &sealed, self.clock.now())
            .await?;
        tx.commit().await?;
        Ok(secret)
    }

    fn open_signing_secret(&self, owner: &str, sealed: &crate::secret::Sealed) -> Result<String> {
        let plain = self.cipher.open(sealed, &secret_context(PURPOSE, owner))?;
        String::from_utf8(plain).map_err(DomainError::internal)
    }

    /// A partner's deliveries, newest first, each with its attempts (oldest first).
    pub async fn partner_deliveries(
        &self,
        partner: PartnerId,
        page: Page,
    ) -> Result<Paged<(Delivery, Vec<DeliveryAttempt>)>> {
        let found = self.store.partner_deliveries(partner, page).await?;
        Ok(Paged {
            items: self.with_attempts(found.items).await?,
            total: found.total,
        })
    }

    /// A company's deliveries (its Dialpad webhooks', its agents' post-call webhooks'),
    /// newest first, each with its attempts (oldest first): two queries per page.
    pub async fn company_deliveries(
        &self,
        company: CompanyId,
        req: &PageRequest,
    ) -> Result<KeysetPaged<(Delivery, Vec<DeliveryAttempt>)>> {
        let opened =
            Opened::<(i64, i64)>::open(self, format!("deliveries:{}", company.0), req).await?;
        let found = self
            .store
            .company_deliveries(company, opened.page())
            .await?;
        let page = opened.finish(found, |d| (d.created_at.as_millisecond(), d.id.0));
        Ok(KeysetPaged {
            items: self.with_attempts(page.items).await?,
            total: None,
            next: page.next,
        })
    }

    /// Each delivery with its attempts, read in one query.
    async fn with_attempts(
        &self,
        deliveries: Vec<Delivery>,
    ) -> Result<Vec<(Delivery, Vec<DeliveryAttempt>)>> {
        let ids: Vec<DeliveryId> = deliveries.iter().map(|d| d.id).collect();
        let attempts = self.store.attempts_of(&ids).await?;
        Ok(deliveries
            .into_iter()
            .map(|d| {
                let mine = attempts.iter().filter(|a| a.delivery_id == d.id);
                let mine = mine.cloned().collect();
                (d, mine)
            })
            .collect())
    }

    /// Replays one of the partner's deliveries (returned with its attempts so far); another
    /// partner's is not found.
    pub async fn replay_partner_delivery(
        &self,
        partner: PartnerId,
        id: DeliveryId,
    ) -> Result<(Delivery, Vec<DeliveryAttempt>)> {
        self.replay_owned(id, |d| d.partner_id == Some(partner))
            .await
    }

    /// Replays one of the company's deliveries; another company's is not found.
    pub async fn replay_company_delivery(
        &self,
        company: CompanyId,
        id: DeliveryId,
    ) -> Result<(Delivery, Vec<DeliveryAttempt>)> {
        self.replay_owned(id, |d| d.company_id == Some(company))
            .await
    }

    async fn replay_owned(
        &self,
        id: DeliveryId,
        owns: impl Fn(&Delivery) -> bool,
    ) -> Result<(Delivery, Vec<DeliveryAttempt>)> {
        let owned = self.store.delivery(id).await?;
        if !owned.is_some_and(|d| owns(&d)) {
            return Err(DomainError::NotFound("delivery"));
        }
        let delivery = self.replay_delivery(id).await?;
        let attempts = self.store.attempts_of(&[id]).await?;
        Ok((delivery, attempts))
    }

    /// Puts a delivery (typically an exhausted one) back in the queue, due now, with a fresh
    /// retry budget. Its id, and so its `webhook-id`, stays the same.
    pub async fn replay_delivery(&self, id: DeliveryId) -> Result<Delivery> {
        let mut tx = self.store.begin().await?;
        let mut delivery = tx
            .delivery_for_update(id)
            .await?
            .ok_or(DomainError::NotFound("delivery"))?;
        delivery.status = DeliveryStatus::Pending;
        delivery.attempts = 0;
        delivery.next_attempt_at = self.clock.now();
        delivery.finished_at = None;
        tx.update_deliveries(std::slice::from_ref(&delivery))
            .await?;
        tx.commit().await?;
        Ok(delivery)
    }
}
