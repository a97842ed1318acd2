//! The SIP registrar's use cases: accounts for users' phones (the password is shown once and
//! kept sealed: digest authentication needs it), and registrations, each of which is one of the
//! user's devices until it lapses or the phone unregisters.

use jiff::SignedDuration;
use rand::distributions::{Alphanumeric, DistString};

use crate::ids::{CompanyId, DeviceId, Id, UserId};
use crate::secret::{secret_context, SecretPurpose};
use crate::telephony::device::{Device, Registration, SipAccount, SipBinding};
use crate::telephony::Telephony;
use crate::{DomainError, Result};

/// The most phones one account keeps registered: a phone past this is refused.
pub const MAX_BINDINGS_PER_ACCOUNT: i64 = 10;

/// A new account and its password, shown this once.
#[derive(Debug)]
pub struct NewSipAccount {
    pub account: SipAccount,
    pub password: String,
}

/// A registration refused.
#[derive(Debug, PartialEq, Eq)]
pub enum RegisterRefusal {
    /// The account has [`MAX_BINDINGS_PER_ACCOUNT`] phones already.
    TooManyPhones,
}

impl Telephony<'_> {
    /// Creates an account for a live user.
    pub async fn create_sip_account(&self, user: UserId) -> Result<NewSipAccount> {
        let company: CompanyId = self
            .store
            .user(user)
            .await?
            .ok_or(DomainError::NotFound("user"))?
            .company_id;
        self.live_directory_user(company, user).await?;
        let mut rng = rand::thread_rng();
        let account = SipAccount {
            username: format!("u{}", Alphanumeric.sample_string(&mut rng, 15)).to_lowercase(),
            company_id: company,
            user_id: user,
            created_at: self.clock.now(),
        };
        let password = Alphanumeric.sample_string(&mut rng, 24);
        let purpose = SecretPurpose::SipPassword;
        let sealed = self.cipher.seal(
            password.as_bytes(),
            &secret_context(purpose, &account.username),
        )?;
        let mut tx = self.store.begin().await?;
        tx.insert_sip_account(&account).await?;
        tx.put_secret(purpose, &account.username, &sealed, account.created_at)
            .await?;
        tx.commit().await?;
        Ok(NewSipAccount { account, password })
    }

    /// An account and its password, for checking a phone's digest; `None` for an unknown
    /// username or an account whose user was deleted.
    pub async fn sip_account(&self, username: &str) -> Result<Option<(SipAccount, String)>> {
        let Some(account) = self.store.sip_account(username).await? else {
            return Ok(None);
        };
        match self
            .live_directory_user(account.company_id, account.user_id)
            .await
        {
            Ok(_) => {}
            Err(DomainError::NotFound(_)) => return Ok(None),
            Err(other) => return Err(other),
        }
        let purpose = SecretPurpose::SipPassword;
        let Some(sealed) = self.store.secret(purpose, username).await? else {
            return Ok(None);
        };
        let plain = self
            .cipher
            .open(&sealed, &secret_context(purpose, username))?;
        let password = String::from_utf8(plain)
            .map_err(|_| DomainError::internal("a SIP password is not text"))?;
        Ok(Some((account, password)))
    }

    /// Records (or, with `expires` 0, removes) the phones of one `REGISTER`, all or none. Lapsed
    /// registrations of the account are cleared on the way.
    pub async fn register_sip(
        &self,
        account: &SipAccount,
        registrations: Vec<Registration>,
    ) -> Result<std::result::Result<(), RegisterRefusal>> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        tx.delete_lapsed_sip_bindings(&account.username, now)
            .await?;
        for reg in registrations {
            let existing = tx
                .sip_binding_for_update(&account.username, &reg.key)
                .await?;
            if reg.expires == 0 {
                if let Some(device) = existing {
                    tx.delete_device(device.id).await?;
                }
                continue;
            }
            let binding = SipBinding {
                username: account.username.clone(),
                key: reg.key,
                contact: reg.contact,
                expires_at: now + SignedDuration::from_secs(i64::from(reg.expires)),
            };
            match existing {
                Some(mut device) => {
                    device.sip = Some(binding);
                    device.kind = reg.kind;
                    device.app_version = reg.user_agent;
                    device.registered_at = Some(now);
                    device.updated_at = now;
                    tx.update_device(&device).await?;
                }
                None => {
                    if tx.sip_binding_count(&account.username).await? >= MAX_BINDINGS_PER_ACCOUNT {
                        // Dropped without a commit: nothing of this REGISTER stays.
                        return Ok(Err(RegisterRefusal::TooManyPhones));
                    }
                    tx.insert_device(&Device {
                        id: DeviceId::generate(),
                        company_id: account.company_id,
                        user_id: account.user_id,
                        kind: reg.kind,
                        display_name: reg.user_agent.clone(),
                        phone_number: None,
                        app_version: reg.user_agent,
                        registered_at: Some(now),
                        sip: Some(binding),
                        created_at: now,
                        updated_at: now,
                    })
                    .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Removes every phone of the account (`Contact: *` with expiry 0).
    pub async fn unregister_sip_all(&self, account: &SipAccount) -> Result<u64> {
        let mut tx = self.store.begin().await?;
        let removed = tx.delete_sip_bindings(&account.username).await?;
        tx.commit().await?;
        Ok(removed)
    }

    /// The account's registered phones, each with the seconds its registration has left.
    pub async fn sip_bindings(&self, account: &SipAccount) -> Result<Vec<(SipBinding, i64)>> {
        let now = self.clock.now();
        Ok(self
            .store
            .sip_bindings(&account.username, now, MAX_BINDINGS_PER_ACCOUNT)
            .await?
            .into_iter()
            .filter_map(|d| d.sip)
            .map(|b| {
                let left = b.expires_at.duration_since(now).as_secs().max(0);
                (b, left)
            })
            .collect())
    }
}
