//! Partner settings.

use crate::ids::PartnerId;
use crate::tenancy::account::Partner;
use crate::tenancy::Tenancy;
use crate::{DomainError, Result};

/// A change to a partner's settings; `None` leaves a field alone, `Some(None)` clears a URL.
#[derive(Debug, Clone, Default)]
pub struct PartnerChange {
    pub webhook_url: Option<Option<String>>,
    pub partner_redirect_url: Option<Option<String>>,
    pub allow_client_to_add_phone_no: Option<bool>,
}

/// Longest URL accepted.
const MAX_URL: usize = 2000;

/// Checks that `raw` is an absolute `http` or `https` URL with a host.
pub fn parse_http_url(field: &str, raw: &str) -> Result<String> {
    let bad = || DomainError::invalid(format!("{field} must be an absolute http or https URL"));
    let trimmed = raw.trim();
    if trimmed.len() > MAX_URL {
        return Err(DomainError::invalid(format!(
            "{field} must be at most {MAX_URL} characters"
        )));
    }
    let url = url::Url::parse(trimmed).map_err(|_| bad())?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(bad());
    }
    Ok(url.to_string())
}

impl Tenancy<'_> {
    /// A partner; `NotFound` when missing.
    pub async fn partner(&self, id: PartnerId) -> Result<Partner> {
        self.store
            .partner(id)
            .await?
            .ok_or(DomainError::NotFound("partner"))
    }

    /// Applies a settings change; URLs are checked (an empty one clears the setting).
    pub async fn update_partner(&self, id: PartnerId, change: PartnerChange) -> Result<Partner> {
        let url = |field: &str, v: Option<Option<String>>| -> Result<Option<Option<String>>> {
            Ok(match v {
                None => None,
                Some(None) => Some(None),
                Some(Some(s)) if s.trim().is_empty() => Some(None),
                Some(Some(s)) => Some(Some(parse_http_url(field, &s)?)),
            })
        };
        let webhook_url = url("webhook_url", change.webhook_url)?;
        let redirect = url("partner_redirect_url", change.partner_redirect_url)?;
        let mut tx = self.store.begin().await?;
        let mut partner = tx
            .partner_for_update(id)
            .await?
            .ok_or(DomainError::NotFound("partner"))?;
        if let Some(v) = webhook_url {
            partner.webhook_url = v;
        }
        if let Some(v) = redirect {
            partner.partner_redirect_url = v;
        }
        if let Some(v) = change.allow_client_to_add_phone_no {
            partner.allow_client_to_add_phone_no = v;
        }
        partner.updated_at = self.clock.now();
        tx.update_partner(&partner).await?;
        tx.commit().await?;
        Ok(partner)
    }
}
