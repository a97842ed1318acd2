//! Blocked numbers: numbers the company refuses calls from. The model is the E.164 number
//! itself ([`E164`]); the calls engine asks [`Telephony::is_blocked`] for each inbound call.
//! Adding or removing a list changes every number of it or, when one is malformed, none.

use serde_json::json;

use crate::ids::CompanyId;
use crate::page::{KeysetPaged, PageRequest};
use crate::phone::E164;
use crate::telephony::changelog::{self, Actor, Change};
use crate::telephony::keyset::Opened;
use crate::telephony::Telephony;
use crate::{DomainError, Result};

/// Most numbers in one add or remove.
pub const MAX_BLOCKED_PER_REQUEST: usize = 1000;

/// Parses a list of E.164 numbers (`+` and the country code); any malformed one fails all.
pub fn blocked_numbers(raw: &[String]) -> Result<Vec<E164>> {
    if raw.is_empty() {
        return Err(DomainError::invalid(
            "numbers must list at least one number",
        ));
    }
    if raw.len() > MAX_BLOCKED_PER_REQUEST {
        return Err(DomainError::invalid(format!(
            "numbers holds at most {MAX_BLOCKED_PER_REQUEST} numbers"
        )));
    }
    let mut out: Vec<E164> = Vec::with_capacity(raw.len());
    for r in raw {
        let n = e164_only(r)?;
        if !out.contains(&n) {
            out.push(n);
        }
    }
    Ok(out)
}

/// One number in E.164 form: a local form (without `+`) is refused.
pub fn e164_only(raw: &str) -> Result<E164> {
    if !raw.trim().starts_with('+') {
        return Err(DomainError::invalid(format!(
            "'{raw}' is not an E.164 number (+ and the country code)"
        )));
    }
    E164::parse(raw, None)
}

impl Telephony<'_> {
    /// Whether the company refuses calls from `number`.
    pub async fn is_blocked(&self, company: CompanyId, number: &E164) -> Result<bool> {
        self.store.is_blocked(company, number).await
    }

    /// The number if the company blocks it; not found otherwise.
    pub async fn blocked_number(&self, company: CompanyId, number: &E164) -> Result<E164> {
        if self.is_blocked(company, number).await? {
            Ok(number.clone())
        } else {
            Err(DomainError::NotFound("blocked number"))
        }
    }

    /// The company's blocked numbers, a page at a time in E.164 text order.
    pub async fn blocked_numbers(
        &self,
        company: CompanyId,
        req: &PageRequest,
    ) -> Result<KeysetPaged<String>> {
        let list = format!("telephony.blocked:{}", company.0);
        let opened = Opened::<String>::new(self, list, req).await?;
        let found = self.store.blocked_page(company, opened.page()).await?;
        Ok(opened.finish(found, |n| n.clone()))
    }

    /// Blocks the numbers (those already blocked stay so). One change-log event when any
    /// number was newly blocked; none when nothing changed.
    pub async fn block_numbers(&self, actor: &Actor, numbers: &[E164]) -> Result<Vec<String>> {
        self.change_blocked(actor, numbers, true).await
    }

    /// Unblocks the numbers (those not blocked are passed over), the same way.
    pub async fn unblock_numbers(&self, actor: &Actor, numbers: &[E164]) -> Result<Vec<String>> {
        self.change_blocked(actor, numbers, false).await
    }

    async fn change_blocked(
        &self,
        actor: &Actor,
        numbers: &[E164],
        block: bool,
    ) -> Result<Vec<String>> {
        let mut tx = self.store.begin().await?;
        let changed = if block {
            tx.block_numbers(actor.company, numbers, self.clock.now())
                .await?
        } else {
            tx.unblock_numbers(actor.company, numbers).await?
        };
        if !changed.is_empty() {
            let change = if block {
                Change::new(
                    "numbers_blocked",
                    "Company",
                    actor.company,
                    "Numbers blocked",
                )
            } else {
                Change::new(
                    "numbers_unblocked",
                    "Company",
                    actor.company,
                    "Numbers unblocked",
                )
            };
            let change = change.with(json!({"numbers": changed}));
            changelog::record(tx.as_mut(), actor, change, self.clock.now()).await?;
        }
        tx.commit().await?;
        Ok(changed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_bad_number_fails_the_list() {
        let ok = blocked_numbers(&["+1 415 555 2671".into(), "+14155552671".into()]).unwrap();
        assert_eq!(ok.len(), 1);
        assert_eq!(ok[0].as_str(), "+14155552671");
        assert!(blocked_numbers(&["+14155552671".into(), "4155552671".into()]).is_err());
        assert!(blocked_numbers(&[]).is_err());
    }
}
