//! The SIP trunks' use cases: making one, and deciding whether a call a carrier sends may come
//! in (admission), and which of the user's phones an incoming call rings.

use std::net::IpAddr;

use crate::ids::{CompanyId, TrunkId, UserId};
use crate::phone::E164;
use crate::secret::{secret_context, SecretPurpose};
use crate::telephony::trunk::{self, Admission, NewTrunk, SipTrunk, MAX_TRUNKS_PER_COMPANY};
use crate::telephony::Telephony;
use crate::{DomainError, Result};

/// Where a company's outbound calls go.
#[derive(Clone)]
pub struct OutboundRoute {
    pub trunk: TrunkId,
    /// The trunk's `sip:` or `sips:` URI; the dialled number becomes its user part.
    pub uri: String,
    /// The trunk's username and password, when it has them.
    pub credentials: Option<(String, String)>,
}

impl std::fmt::Debug for OutboundRoute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboundRoute")
            .field("trunk", &self.trunk)
            .field("uri", &self.uri)
            .field("credentials", &self.credentials.as_ref().map(|(u, _)| u))
            .finish()
    }
}

/// The most phones of one user a call rings at once.
pub const MAX_RUNG_PHONES: i64 = 20;

impl Telephony<'_> {
    /// Makes a trunk for an active company; its password (if any) is sealed.
    pub async fn create_trunk(&self, company: CompanyId, new: NewTrunk) -> Result<SipTrunk> {
        self.store
            .company(company)
            .await?
            .ok_or(DomainError::NotFound("company"))?;
        let password = new.password.clone();
        let trunk = trunk::check(company, new, self.clock.now())?;
        let mut tx = self.store.begin().await?;
        if tx.trunk_count(company).await? >= MAX_TRUNKS_PER_COMPANY {
            return Err(DomainError::Conflict(format!(
                "the company has {MAX_TRUNKS_PER_COMPANY} trunks already"
            )));
        }
        tx.insert_trunk(&trunk).await?;
        if let Some(password) = password {
            let purpose = SecretPurpose::SipTrunkPassword;
            let owner = trunk.id.to_string();
            let sealed = self
                .cipher
                .seal(password.as_bytes(), &secret_context(purpose, &owner))?;
            tx.put_secret(purpose, &owner, &sealed, trunk.created_at)
                .await?;
        }
        tx.commit().await?;
        Ok(trunk)
    }

    /// Whether a call from `source` to `number` (the request's user part: E.164, with or
    /// without its `+`) may come in through one of the number's company's trunks.
    ///
    /// A trunk whose address ranges take `source` and that asks no digest admits it at once;
    /// otherwise the trunks that take `source` and have credentials may, once the call
    /// authenticates; with none, it is refused.
    pub async fn admit_trunk_call(&self, number: &str, source: IpAddr) -> Result<Admission> {
        let Some(number) = e164_of(number) else {
            return Ok(Admission::UnknownNumber);
        };
        let Some(held) = self.store.number_anywhere(number.as_str()).await? else {
            return Ok(Admission::UnknownNumber);
        };
        let company = held.company_id;
        let trunks = self
            .store
            .trunks_of(company, MAX_TRUNKS_PER_COMPANY)
            .await?;
        let candidates: Vec<SipTrunk> = trunks.into_iter().filter(|t| t.allows(source)).collect();
        if let Some(open) = candidates.iter().find(|t| t.username.is_none()) {
            return Ok(Admission::Admitted {
                company,
                trunk: open.clone(),
            });
        }
        let mut with_passwords = Vec::new();
        for trunk in candidates {
            let purpose = SecretPurpose::SipTrunkPassword;
            let owner = trunk.id.to_string();
            if let Some(sealed) = self.store.secret(purpose, &owner).await? {
                let plain = self
                    .cipher
                    .open(&sealed, &secret_context(purpose, &owner))?;
                let password = String::from_utf8(plain)
                    .map_err(|_| DomainError::internal("a trunk password is not text"))?;
                with_passwords.push((trunk, password));
            }
        }
        if with_passwords.is_empty() {
            return Ok(Admission::Refused);
        }
        Ok(Admission::Challenge {
            company,
            trunks: with_passwords,
        })
    }

    /// Where the company's outbound calls go: the oldest of its trunks with an outbound URI,
    /// with the trunk's username and password (opened here, kept in memory only), which the
    /// carrier may ask for when it challenges the call.
    pub async fn outbound_route(&self, company: CompanyId) -> Result<Option<OutboundRoute>> {
        let trunks = self
            .store
            .trunks_of(company, MAX_TRUNKS_PER_COMPANY)
            .await?;
        let Some((trunk, uri)) = trunks
            .into_iter()
            .find_map(|t| t.outbound_uri.clone().map(|u| (t, u)))
        else {
            return Ok(None);
        };
        let credentials = match &trunk.username {
            Some(username) => {
                let purpose = SecretPurpose::SipTrunkPassword;
                let owner = trunk.id.to_string();
                match self.store.secret(purpose, &owner).await? {
                    Some(sealed) => {
                        let plain = self
                            .cipher
                            .open(&sealed, &secret_context(purpose, &owner))?;
                        let password = String::from_utf8(plain)
                            .map_err(|_| DomainError::internal("a trunk password is not text"))?;
                        Some((username.clone(), password))
                    }
                    None => None,
                }
            }
            None => None,
        };
        Ok(Some(OutboundRoute {
            trunk: trunk.id,
            uri,
            credentials,
        }))
    }

    /// Where the user's registered phones are reached (their contact URIs), at most
    /// [`MAX_RUNG_PHONES`]; never a registration that has lapsed.
    pub async fn ringing_contacts(&self, company: CompanyId, user: UserId) -> Result<Vec<String>> {
        let devices = self
            .store
            .ringing_devices(company, user, self.clock.now(), MAX_RUNG_PHONES)
            .await?;
        Ok(devices
            .into_iter()
            .filter_map(|d| d.sip.map(|b| b.contact))
            .collect())
    }
}

/// A dialled number as E.164: `+15550001111` or `15550001111`.
pub fn e164_of(dialled: &str) -> Option<E164> {
    let digits = dialled.strip_prefix('+').unwrap_or(dialled);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    E164::parse(&format!("+{digits}"), None).ok()
}
