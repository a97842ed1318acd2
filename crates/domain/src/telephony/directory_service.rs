//! The company directory's use cases: the company as a phone system sees it, its offices and
//! its users. Callers have already been resolved to a company (and, where it matters, to an
//! admin) by their dialect; every read and write here is scoped to that company.

use serde_json::json;

use crate::ids::{CompanyId, Id, OfficeId, UserId};
use crate::page::{KeysetPaged, PageRequest};
use crate::telephony::changelog::{self, Actor, Change};
use crate::telephony::directory::{
    DirectoryEntry, DirectoryFields, DirectoryUser, NewDirectoryUser, UserFilter,
};
use crate::telephony::keyset::Opened;
use crate::telephony::number::{Pick, Target, TargetKind};
use crate::telephony::office::{self, Address, EntryState, NewOffice, Office};
use crate::telephony::Telephony;
use crate::tenancy::account::Company;
use crate::tenancy::NewUser;
use crate::{DomainError, Result};

/// A company with what its directory adds: its main office, how many offices it has, and the
/// email of its first admin.
#[derive(Debug, Clone)]
pub struct CompanyProfile {
    pub company: Company,
    pub main_office: Office,
    pub office_count: u64,
    pub admin_email: Option<String>,
}

impl Telephony<'_> {
    /// The company with its directory facts.
    pub async fn company_profile(&self, company: CompanyId) -> Result<CompanyProfile> {
        let company = self
            .store
            .company(company)
            .await?
            .ok_or(DomainError::NotFound("company"))?;
        let main_office = self.main_office(company.id).await?;
        Ok(CompanyProfile {
            office_count: self.store.office_count(company.id).await?,
            admin_email: self.store.first_admin_email(company.id).await?,
            company,
            main_office,
        })
    }

    async fn main_office(&self, company: CompanyId) -> Result<Office> {
        self.store
            .main_office(company)
            .await?
            .ok_or_else(|| DomainError::internal("a company without a main office"))
    }

    /// One of the company's offices.
    pub async fn office(&self, company: CompanyId, id: OfficeId) -> Result<Office> {
        self.store
            .office(company, id)
            .await?
            .ok_or(DomainError::NotFound("office"))
    }

    /// The company's offices, a page at a time in id order.
    pub async fn offices(
        &self,
        company: CompanyId,
        active_only: bool,
        req: &PageRequest,
    ) -> Result<KeysetPaged<Office>> {
        let scope = format!("telephony.offices:{}:{active_only}", company.0);
        let opened = Opened::new(self, scope, req).await?;
        let found = self
            .store
            .offices_page(company, active_only, opened.page())
            .await?;
        Ok(opened.finish(found, |o| o.id.0))
    }

    /// Adds a secondary office to the company.
    pub async fn create_office(&self, actor: &Actor, new: NewOffice) -> Result<Office> {
        let company = actor.company;
        let main = self.main_office(company).await?;
        let now = self.clock.now();
        let created = Office {
            id: OfficeId::generate(),
            company_id: company,
            name: office::office_name(&new.name)?,
            is_primary: false,
            state: EntryState::Active,
            country: new.country.to_ascii_lowercase(),
            timezone: match new.timezone {
                Some(tz) => office::timezone(&tz)?,
                None => main.timezone,
            },
            e911_address: new.e911_address.map(Address::checked).transpose()?,
            settings: new.settings,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.store.begin().await?;
        tx.insert_office(&created).await?;
        let change = Change::new("office_created", "Office", created.id, "Office created")
            .with(json!({"name": created.name}));
        changelog::record(tx.as_mut(), actor, change, now).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Replaces an office's emergency address.
    pub async fn set_office_e911(
        &self,
        actor: &Actor,
        id: OfficeId,
        address: Address,
    ) -> Result<Office> {
        let mut found = self.office(actor.company, id).await?;
        found.e911_address = Some(address.checked()?);
        found.updated_at = self.clock.now();
        let mut tx = self.store.begin().await?;
        tx.update_office(&found).await?;
        let change = Change::new(
            "office_e911_updated",
            "Office",
            id,
            "Emergency address updated",
        );
        changelog::record(tx.as_mut(), actor, change, found.updated_at).await?;
        tx.commit().await?;
        Ok(found)
    }

    /// One of the company's users with their directory entry.
    pub async fn directory_user(&self, company: CompanyId, id: UserId) -> Result<DirectoryUser> {
        self.store
            .directory_user(company, id)
            .await?
            .ok_or(DomainError::NotFound("user"))
    }

    /// The company's users matching `filter`, a page at a time in id order.
    pub async fn directory_users(
        &self,
        company: CompanyId,
        filter: &UserFilter,
        req: &PageRequest,
    ) -> Result<KeysetPaged<DirectoryUser>> {
        // The filter is part of the scope: a token only continues the list it came from.
        let states: Vec<&str> = filter.states().iter().map(|s| s.as_str()).collect();
        let scope = format!(
            "telephony.users:{}:{}:{:?}:{}:{}:{:?}",
            company.0,
            states.join(","),
            filter.company_admin,
            filter.email.as_ref().map(|e| e.as_str()).unwrap_or(""),
            filter.number.as_deref().unwrap_or(""),
            filter.ids
        );
        let opened = Opened::new(self, scope, req).await?;
        let found = self
            .store
            .directory_users(company, filter, opened.page())
            .await?;
        Ok(opened.finish(found, |u| u.user.id.0))
    }

    /// Adds a user to the company: in `office_id` (the main office when `None`), active, with
    /// partner API access on (as the command line does), with a number when asked, in one
    /// transaction.
    pub async fn create_directory_user(
        &self,
        actor: &Actor,
        new: NewDirectoryUser,
    ) -> Result<DirectoryUser> {
        let office = match new.office_id {
            Some(id) => self.office(new.company_id, id).await?,
            None => self.main_office(new.company_id).await?,
        };
        let user = self
            .tenancy()
            .new_user(NewUser {
                company_id: new.company_id,
                email: new.email,
                first_name: new.first_name,
                last_name: new.last_name,
                is_admin: false,
                partner_api_enabled: true,
            })
            .await?;
        let entry = DirectoryEntry {
            office_id: office.id,
            state: EntryState::Active,
            fields: DirectoryFields {
                license: new.license,
                ..Default::default()
            },
        };
        let mut tx = self.store.begin().await?;
        tx.insert_user(&user).await?;
        tx.set_directory_entry(user.id, &entry).await?;
        let change = Change::new("user_created", "User", user.id, "User created")
            .with(json!({"email": user.email.as_str(), "office_id": office.id.0}));
        changelog::record(tx.as_mut(), actor, change, user.created_at).await?;
        if new.auto_assign {
            let target = Target {
                kind: TargetKind::User,
                id: user.id.0,
            };
            self.assign_in(tx.as_mut(), actor, target, office.id, Pick::Auto, true)
                .await?;
        }
        tx.commit().await?;
        Ok(DirectoryUser { user, entry })
    }

    /// Marks a user deleted: their keys stop working and lists leave them out unless asked
    /// for deleted users. Deleting a deleted user is not found.
    pub async fn delete_directory_user(&self, actor: &Actor, id: UserId) -> Result<DirectoryUser> {
        let mut tx = self.store.begin().await?;
        let mut found = tx
            .directory_user_for_update(actor.company, id)
            .await?
            .filter(|u| u.entry.state != EntryState::Deleted)
            .ok_or(DomainError::NotFound("user"))?;
        found.entry.state = EntryState::Deleted;
        tx.set_directory_entry(id, &found.entry).await?;
        // A deleted user is nobody's operator any more (see `group_service`), nor on any
        // office's main line (see `office_extras_service`); they leave their coaching teams and
        // channels, lose their access-policy assignments, and their numbers go back to the
        // company's pool.
        tx.remove_memberships_of(id).await?;
        tx.remove_office_operator_of(id).await?;
        tx.remove_coaching_memberships_of(id).await?;
        tx.remove_channel_memberships_of(id).await?;
        tx.remove_assignments_of(id).await?;
        let now = self.clock.now();
        let target = Target {
            kind: TargetKind::User,
            id: id.0,
        };
        tx.release_numbers_of(target, now).await?;
        let change = Change::new("user_deleted", "User", id, "User deleted");
        changelog::record(tx.as_mut(), actor, change, now).await?;
        tx.commit().await?;
        Ok(found)
    }
}

/// The main office written with a new company, in the company's transaction.
pub(crate) async fn insert_main_office(
    tx: &mut dyn crate::store::WriteTx,
    company: &Company,
) -> Result<()> {
    tx.insert_office(&Office::main_of(company)).await
}
