//! The use cases of contacts: the company's shared contacts and its users' local ones. Reads
//! are scoped to the company; a local contact's owner must be one of its users who is not
//! deleted. Every write records one change-log event in its transaction.

use serde_json::json;

use crate::ids::{CompanyId, ContactId, Id, UserId};
use crate::page::{KeysetPaged, PageRequest};
use crate::telephony::changelog::{self, Actor, Change};
use crate::telephony::contact::{check_uid, Contact, ContactFields, ContactInput, ContactScope};
use crate::telephony::keyset::Opened;
use crate::telephony::Telephony;
use crate::{DomainError, Result};

fn missing() -> DomainError {
    DomainError::NotFound("contact")
}

fn created(contact: &Contact) -> Change {
    Change::new("contact_created", "Contact", contact.id, "Contact created").with(facts(contact))
}

/// What a contact change records beside its action: the contact's type and fields as they
/// stand after it (contact events are rendered from these).
fn facts(contact: &Contact) -> serde_json::Value {
    json!({
        "type": if contact.owner.is_some() { "local" } else { "shared" },
        "contact": contact.fields,
    })
}

impl Telephony<'_> {
    /// One of the company's contacts.
    pub async fn contact(&self, company: CompanyId, id: ContactId) -> Result<Contact> {
        self.store.contact(company, id).await?.ok_or_else(missing)
    }

    /// The contacts `scope` shows, a page at a time in id order. A local scope naming a user
    /// the company does not have is not found.
    pub async fn contacts(
        &self,
        company: CompanyId,
        scope: ContactScope,
        req: &PageRequest,
    ) -> Result<KeysetPaged<Contact>> {
        let scope_name = match scope {
            ContactScope::Shared => "shared".to_owned(),
            ContactScope::All => "all".to_owned(),
            ContactScope::LocalOf(user) => {
                self.directory_user(company, user).await?;
                format!("local:{}", user.0)
            }
        };
        let list = format!("telephony.contacts:{}:{scope_name}", company.0);
        let opened = Opened::new(self, list, req).await?;
        let found = self
            .store
            .contacts_page(company, scope, opened.page())
            .await?;
        Ok(opened.finish(found, |c| c.id.0))
    }

    /// Creates a contact: shared, or local to `owner` (a user of the company, not deleted).
    pub async fn create_contact(
        &self,
        actor: &Actor,
        owner: Option<UserId>,
        input: ContactInput,
    ) -> Result<Contact> {
        let fields = ContactFields::new(input)?;
        if let Some(owner) = owner {
            self.live_directory_user(actor.company, owner).await?;
        }
        let now = self.clock.now();
        let contact = Contact {
            id: ContactId::generate(),
            company_id: actor.company,
            owner,
            uid: None,
            fields,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.store.begin().await?;
        tx.insert_contact(&contact).await?;
        changelog::record(tx.as_mut(), actor, created(&contact), now).await?;
        tx.commit().await?;
        Ok(contact)
    }

    /// Creates the shared contact of `uid`, or replaces the fields of the one that has it.
    pub async fn put_contact_by_uid(
        &self,
        actor: &Actor,
        uid: &str,
        input: ContactInput,
    ) -> Result<Contact> {
        let uid = check_uid(uid)?;
        let fields = ContactFields::new(input)?;
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let (contact, change) = match tx.contact_by_uid(actor.company, &uid).await? {
            Some(mut found) => {
                found.fields = fields;
                found.updated_at = now;
                tx.update_contact(&found).await?;
                let change = Change::new("contact_updated", "Contact", found.id, "Contact updated")
                    .with(facts(&found));
                (found, change)
            }
            None => {
                let contact = Contact {
                    id: ContactId::generate(),
                    company_id: actor.company,
                    owner: None,
                    uid: Some(uid),
                    fields,
                    created_at: now,
                    updated_at: now,
                };
                tx.insert_contact(&contact).await?;
                let change = created(&contact);
                (contact, change)
            }
        };
        changelog::record(tx.as_mut(), actor, change, now).await?;
        tx.commit().await?;
        Ok(contact)
    }

    /// Changes the fields `input` gives; the rest stay.
    pub async fn update_contact(
        &self,
        actor: &Actor,
        id: ContactId,
        input: ContactInput,
    ) -> Result<Contact> {
        let mut tx = self.store.begin().await?;
        let mut found = tx
            .contact_for_update(actor.company, id)
            .await?
            .ok_or_else(missing)?;
        found.fields = found.fields.apply(input)?;
        found.updated_at = self.clock.now();
        tx.update_contact(&found).await?;
        let change =
            Change::new("contact_updated", "Contact", id, "Contact updated").with(facts(&found));
        changelog::record(tx.as_mut(), actor, change, found.updated_at).await?;
        tx.commit().await?;
        Ok(found)
    }

    /// Deletes a contact; answers it as it was.
    pub async fn delete_contact(&self, actor: &Actor, id: ContactId) -> Result<Contact> {
        let mut tx = self.store.begin().await?;
        let found = tx
            .contact_for_update(actor.company, id)
            .await?
            .ok_or_else(missing)?;
        tx.delete_contact(id).await?;
        let change =
            Change::new("contact_deleted", "Contact", id, "Contact deleted").with(facts(&found));
        changelog::record(tx.as_mut(), actor, change, self.clock.now()).await?;
        tx.commit().await?;
        Ok(found)
    }
}
