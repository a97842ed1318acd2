//! Partners, companies, users and API keys.

use crate::ids::{ApiKeyId, CompanyId, Id, PartnerId, UserId};
use crate::tenancy::account::{
    Company, CompanyStatus, Email, KeyOwner, NewApiKey, Partner, Principal, User,
};
use crate::tenancy::Tenancy;
use crate::{DomainError, Result};

/// Longest partner, company or person name accepted.
const MAX_NAME: usize = 200;

/// What creating a user takes.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub company_id: CompanyId,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub is_admin: bool,
    pub partner_api_enabled: bool,
}

pub(crate) fn name(field: &str, raw: &str) -> Result<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() || trimmed.chars().count() > MAX_NAME {
        return Err(DomainError::invalid(format!(
            "{field} must be 1 to {MAX_NAME} characters"
        )));
    }
    Ok(trimmed.to_owned())
}

impl Tenancy<'_> {
    /// Creates a partner and its first API key.
    pub async fn create_partner(&self, brand_name: &str) -> Result<(Partner, NewApiKey)> {
        let now = self.clock.now();
        let partner = Partner::new(PartnerId::generate(), name("name", brand_name)?, now);
        let key = NewApiKey::mint(KeyOwner::Partner(partner.id), now);
        let mut tx = self.store.begin().await?;
        tx.insert_partner(&partner).await?;
        tx.insert_api_key(&key.key).await?;
        tx.commit().await?;
        Ok((partner, key))
    }

    /// Creates a company, optionally under a partner (then it is that partner's client, and a
    /// `client_created` event is written with it).
    pub async fn create_company(
        &self,
        company_name: &str,
        partner: Option<PartnerId>,
    ) -> Result<Company> {
        if let Some(pid) = partner {
            let new = crate::clients::client::NewClient {
                name: company_name.to_owned(),
                status: None,
                max_channels: None,
                text: Vec::new(),
            };
            return Ok(self
                .partner_clients()
                .create_client(pid, new, None)
                .await?
                .company);
        }
        let now = self.clock.now();
        let company = Company {
            id: CompanyId::generate(),
            name: name("name", company_name)?,
            partner_id: None,
            status: CompanyStatus::Active,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.store.begin().await?;
        tx.insert_company(&company).await?;
        crate::telephony::insert_main_office(tx.as_mut(), &company).await?;
        tx.commit().await?;
        Ok(company)
    }

    /// Creates a user in a company. Emails are unique across the server.
    pub async fn create_user(&self, new: NewUser) -> Result<User> {
        let user = self.new_user(new).await?;
        let mut tx = self.store.begin().await?;
        tx.insert_user(&user).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// A new user of an existing company, checked and not yet stored.
    pub(crate) async fn new_user(&self, new: NewUser) -> Result<User> {
        self.store
            .company(new.company_id)
            .await?
            .ok_or(DomainError::NotFound("company"))?;
        let optional = |field: &str, v: Option<String>| v.map(|v| name(field, &v)).transpose();
        let user = User {
            id: UserId::generate(),
            company_id: new.company_id,
            email: Email::parse(&new.email)?,
            first_name: optional("first name", new.first_name)?,
            last_name: optional("last name", new.last_name)?,
            is_admin: new.is_admin,
            partner_api_enabled: new.partner_api_enabled,
            created_at: self.clock.now(),
        };
        Ok(user)
    }

    /// Mints an API key for a user; the secret is returned once.
    pub async fn create_user_key(&self, user: UserId) -> Result<NewApiKey> {
        self.store
            .user(user)
            .await?
            .ok_or(DomainError::NotFound("user"))?;
        let key = NewApiKey::mint(KeyOwner::User(user), self.clock.now());
        let mut tx = self.store.begin().await?;
        tx.insert_api_key(&key.key).await?;
        tx.commit().await?;
        Ok(key)
    }

    /// Mints an API key that acts for a whole company; the secret is returned once.
    pub async fn create_company_key(&self, company: CompanyId) -> Result<NewApiKey> {
        self.store
            .company(company)
            .await?
            .ok_or(DomainError::NotFound("company"))?;
        let key = NewApiKey::mint(KeyOwner::Company(company), self.clock.now());
        let mut tx = self.store.begin().await?;
        tx.insert_api_key(&key.key).await?;
        tx.commit().await?;
        Ok(key)
    }

    /// Revokes a key; it stops working at once.
    pub async fn revoke_key(&self, id: ApiKeyId) -> Result<()> {
        let mut tx = self.store.begin().await?;
        if !tx.revoke_api_key(id, self.clock.now()).await? {
            return Err(DomainError::NotFound("api key"));
        }
        tx.commit().await
    }

    /// Resolves an API key to its owner. A user key of a suspended or terminated company is
    /// refused like an invalid key (every dialect answers with its own 401) until the company is
    /// active (or pending) again; partner keys do not depend on their clients' status.
    ///
    /// A resolved key is kept in memory (by its hash) while the store's authentication epoch
    /// stays put, so a revocation or a status change still applies to the very next request,
    /// in every process (see `epoch_cache`).
    pub async fn authenticate(&self, secret: &str) -> Result<Principal> {
        let hash = crate::tenancy::account::hash_api_key(secret.trim());
        self.authenticate_hash(hash).await
    }

    /// [`Self::authenticate`] by the key's stored digest.
    pub(crate) async fn authenticate_hash(&self, hash: String) -> Result<Principal> {
        // Read before the database, so that a change committed meanwhile is not kept as new.
        let epoch = self.store.auth_epoch();
        if let Some(principal) = epoch.and_then(|e| self.keys.get(&hash, e)) {
            return Ok(principal);
        }
        let principal = self.resolve_key(&hash).await?;
        if let Some(epoch) = epoch {
            self.keys.put(hash, principal.clone(), epoch);
        }
        Ok(principal)
    }

    /// What the key with this hash stands for, read from the store: a user key in one read.
    async fn resolve_key(&self, hash: &str) -> Result<Principal> {
        let invalid = || DomainError::Unauthenticated("invalid API key".into());
        if let Some((user, status)) = self.store.user_of_live_key(hash).await? {
            if matches!(status, CompanyStatus::Suspended | CompanyStatus::Terminated) {
                return Err(DomainError::Unauthenticated(format!(
                    "the company is {}",
                    status.as_str()
                )));
            }
            return Ok(Principal::User(user));
        }
        let key = self
            .store
            .api_key_by_hash(hash)
            .await?
            .filter(|k| k.revoked_at.is_none())
            .ok_or_else(invalid)?;
        match key.owner {
            // A live user key whose user is gone.
            KeyOwner::User(_) => Err(invalid()),
            KeyOwner::Partner(id) => self
                .store
                .partner(id)
                .await?
                .map(Principal::Partner)
                .ok_or_else(invalid),
            KeyOwner::Company(id) => {
                let company = self.store.company(id).await?.ok_or_else(invalid)?;
                if matches!(
                    company.status,
                    CompanyStatus::Suspended | CompanyStatus::Terminated
                ) {
                    return Err(DomainError::Unauthenticated(format!(
                        "the company is {}",
                        company.status.as_str()
                    )));
                }
                Ok(Principal::Company(company))
            }
        }
    }
}
