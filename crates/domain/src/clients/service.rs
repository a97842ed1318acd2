//! A partner's client companies: creation, reads, changes, and the events they write.

use serde_json::json;

use crate::clients::client::{Client, ClientChange, ClientProfile, ClientQuery, NewClient};
use crate::clients::PartnerClients;
use crate::events::event::{Event, CLIENT_CREATED, CLIENT_STATUS_CHANGED};
use crate::ids::{CompanyId, EventId, Id, PartnerId};
use crate::page::Paged;
use crate::tenancy::account::{Company, CompanyStatus};
use crate::{DomainError, Result};

use crate::tenancy::name;

impl PartnerClients<'_> {
    /// Creates a company under a partner with the partner's record of it, and writes a
    /// `client_created` event in the same transaction.
    pub async fn create_client(
        &self,
        partner: PartnerId,
        new: NewClient,
        actor: Option<String>,
    ) -> Result<Client> {
        let now = self.clock.now();
        let company = Company {
            id: CompanyId::generate(),
            name: name("name", &new.name)?,
            partner_id: Some(partner),
            status: new.status.unwrap_or(CompanyStatus::Active),
            created_at: now,
            updated_at: now,
        };
        let mut profile = ClientProfile::new(company.id);
        if let Some(n) = new.max_channels {
            profile.set_max_channels(n)?;
        }
        for (field, name, value) in &new.text {
            profile.set_text(*field, name, Some(value))?;
        }
        profile.created_by.clone_from(&actor);
        profile.modified_by = actor;
        let mut tx = self.store.begin().await?;
        tx.partner_for_update(partner)
            .await?
            .ok_or(DomainError::NotFound("partner"))?;
        tx.insert_company(&company).await?;
        crate::telephony::insert_main_office(tx.as_mut(), &company).await?;
        tx.upsert_client_profile(&profile).await?;
        let event = self.client_event(&company, CLIENT_CREATED, None);
        tx.insert_event(&event).await?;
        tx.commit().await?;
        Ok(Client { company, profile })
    }

    /// One of the partner's clients; another partner's answers like a missing one.
    pub async fn client(&self, partner: PartnerId, id: CompanyId) -> Result<Client> {
        self.store
            .client(partner, id)
            .await?
            .ok_or(DomainError::NotFound("client"))
    }

    /// A filtered, sorted page of the partner's clients.
    /// What these clients of the partner have used (another partner's are left out).
    pub async fn usage(
        &self,
        partner: PartnerId,
        ids: &[CompanyId],
    ) -> Result<Vec<crate::clients::client::Usage>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.store.usage(partner, ids).await
    }

    pub async fn clients(&self, query: &ClientQuery) -> Result<Paged<Client>> {
        self.store.clients(query).await
    }

    /// Changes a client (of `partner`, when given). A status change writes a
    /// `client_status_changed` event in the same transaction.
    pub async fn update_client(
        &self,
        partner: Option<PartnerId>,
        id: CompanyId,
        change: ClientChange,
        actor: Option<String>,
    ) -> Result<Client> {
        let mut tx = self.store.begin().await?;
        let mut company = tx
            .company_for_update(id)
            .await?
            .filter(|c| partner.is_none() || c.partner_id == partner)
            .ok_or(DomainError::NotFound(if partner.is_some() {
                "client"
            } else {
                "company"
            }))?;
        let mut profile = tx
            .client_profile(id)
            .await?
            .unwrap_or_else(|| ClientProfile::new(id));
        if let Some(n) = change.max_channels {
            profile.set_max_channels(n)?;
        }
        for (field, name, value) in &change.text {
            profile.set_text(*field, name, value.as_deref())?;
        }
        if actor.is_some() {
            profile.modified_by = actor;
        }
        let previous = company.status;
        if let Some(status) = change.status {
            company.status = status;
        }
        company.updated_at = self.clock.now();
        tx.update_company(&company).await?;
        if company.partner_id.is_some() {
            tx.upsert_client_profile(&profile).await?;
        }
        if company.status != previous {
            let event = self.client_event(&company, CLIENT_STATUS_CHANGED, Some(previous));
            tx.insert_event(&event).await?;
        }
        tx.commit().await?;
        Ok(Client { company, profile })
    }

    /// Sets a company's status (any company; the partner, if any, is told by webhook).
    pub async fn set_company_status(
        &self,
        id: CompanyId,
        status: CompanyStatus,
    ) -> Result<Company> {
        let change = ClientChange {
            status: Some(status),
            ..Default::default()
        };
        Ok(self.update_client(None, id, change, None).await?.company)
    }

    fn client_event(
        &self,
        company: &Company,
        kind: &str,
        previous: Option<CompanyStatus>,
    ) -> Event {
        let mut payload = json!({
            "company_id": company.id.to_string(),
            "name": company.name,
            "status": company.status.as_str(),
        });
        if let Some(p) = previous {
            payload["previous_status"] = p.as_str().into();
        }
        Event {
            id: EventId::generate(),
            kind: kind.to_owned(),
            partner_id: company.partner_id,
            company_id: Some(company.id),
            payload,
            created_at: self.clock.now(),
        }
    }
}
