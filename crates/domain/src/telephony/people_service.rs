//! The directory's use cases on one person: the read with presence, the update, the status
//! message, do-not-disturb, the caller id and the emergency address. Every write locks the
//! user's row first, so concurrent writes of one user apply one after the other; a deleted
//! user (or one of another company) is not found.

use std::collections::HashMap;

use jiff::Timestamp;

use crate::clock::to_millis;
use crate::ids::{CompanyId, OfficeId, UserId};
use crate::store::WriteTx;
use crate::telephony::changelog::{self, Actor, Change};
use crate::telephony::directory::{DirectoryFields, DirectoryUser};
use crate::telephony::number::{Target, TargetKind};
use crate::telephony::office::{Address, EntryState};
use crate::telephony::people::{
    check_address, do_not_disturb, e164, single_line, DirectoryPatch, StatusChange, UserStatus,
    BLOCKED_CALLER_ID, MAX_LIST,
};
use crate::telephony::Telephony;
use crate::tenancy::account::Email;
use crate::workforce::presence::{Activity, Presence, PresenceChange};
use crate::{DomainError, Result};

/// Longest status lifetime: a year, in seconds.
pub const MAX_STATUS_SECONDS: i64 = 366 * 86_400;

/// A user as the directory shows them: the entry, do-not-disturb from their presence, and
/// the status message as it stands now.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub directory: DirectoryUser,
    /// The user's numbers, primary first.
    pub numbers: Vec<String>,
    pub do_not_disturb: bool,
    pub status: UserStatus,
}

fn not_found() -> DomainError {
    DomainError::NotFound("user")
}

/// The status message of `fields` at `now`: a lapsed one is gone.
fn status_at(fields: &DirectoryFields, now: Timestamp) -> UserStatus {
    let now = to_millis(now);
    match fields.status_expires_at {
        Some(at) if at <= now => UserStatus {
            message: None,
            expires_in: None,
        },
        at => UserStatus {
            message: fields.status_message.clone(),
            // Whole seconds left, rounded up so a live status never shows 0.
            expires_in: at.map(|at| (at - now + 999) / 1000),
        },
    }
}

impl Telephony<'_> {
    /// These users with their presence, one read of presences for all of them.
    pub async fn people(&self, users: Vec<DirectoryUser>) -> Result<Vec<Person>> {
        let ids: Vec<UserId> = users.iter().map(|u| u.user.id).collect();
        let mut presences: HashMap<UserId, Presence> = self
            .store
            .presences(&ids)
            .await?
            .into_iter()
            .map(|p| (p.user_id, p))
            .collect();
        let raw: Vec<i64> = ids.iter().map(|u| u.0).collect();
        let mut numbers = self.numbers_of(TargetKind::User, &raw).await?;
        let now = self.clock.now();
        Ok(users
            .into_iter()
            .map(|d| {
                let dnd = presences
                    .remove(&d.user.id)
                    .is_some_and(|p| do_not_disturb(&p.at(now)));
                Person {
                    numbers: numbers.remove(&d.user.id.0).unwrap_or_default(),
                    status: status_at(&d.entry.fields, now),
                    do_not_disturb: dnd,
                    directory: d,
                }
            })
            .collect())
    }

    /// One user of the company as the directory shows them.
    pub async fn person(&self, company: CompanyId, id: UserId) -> Result<Person> {
        let found = self.directory_user(company, id).await?;
        self.person_of(found).await
    }

    async fn person_of(&self, user: DirectoryUser) -> Result<Person> {
        self.people(vec![user]).await?.pop().ok_or_else(not_found)
    }

    /// A user of the company who is not deleted.
    pub async fn live_directory_user(
        &self,
        company: CompanyId,
        id: UserId,
    ) -> Result<DirectoryUser> {
        let found = self.directory_user(company, id).await?;
        if found.entry.state == EntryState::Deleted {
            return Err(not_found());
        }
        Ok(found)
    }

    /// Locks a live user of the company inside `tx`.
    async fn lock_live(
        &self,
        tx: &mut dyn WriteTx,
        company: CompanyId,
        id: UserId,
    ) -> Result<DirectoryUser> {
        tx.directory_user_for_update(company, id)
            .await?
            .filter(|u| u.entry.state != EntryState::Deleted)
            .ok_or_else(not_found)
    }

    async fn check_offices(&self, company: CompanyId, ids: &[OfficeId]) -> Result<()> {
        for id in ids {
            self.office(company, *id).await?;
        }
        Ok(())
    }

    /// Applies `patch` to a live user in one transaction. Names and the primary email are the
    /// tenancy user's (every dialect shows the change, and authentication re-reads it); the
    /// rest is the directory entry. Offices must be the company's.
    pub async fn update_directory_user(
        &self,
        actor: &Actor,
        id: UserId,
        patch: DirectoryPatch,
    ) -> Result<Person> {
        let company = actor.company;
        // Everything that can be checked without the user is checked before anything is held.
        let mut offices: Vec<OfficeId> = patch.office_id.into_iter().collect();
        offices.extend(patch.admin_office_ids.iter().flatten().copied());
        self.check_offices(company, &offices).await?;
        if let Some(s) = patch.state {
            if !matches!(s, EntryState::Active | EntryState::Suspended) {
                return Err(DomainError::invalid("state must be active or suspended"));
            }
        }
        let emails = patch
            .emails
            .as_ref()
            .map(|list| {
                if list.is_empty() || list.len() > MAX_LIST {
                    return Err(DomainError::invalid(format!(
                        "emails must list 1 to {MAX_LIST} addresses"
                    )));
                }
                let mut out: Vec<String> = Vec::new();
                for raw in list {
                    let e = Email::parse(raw)?.as_str().to_owned();
                    if !out.contains(&e) {
                        out.push(e);
                    }
                }
                Ok(out)
            })
            .transpose()?;
        let forwarding = patch
            .forwarding_numbers
            .as_ref()
            .map(|list| {
                if list.len() > MAX_LIST {
                    return Err(DomainError::invalid(format!(
                        "forwarding_numbers must list at most {MAX_LIST} numbers"
                    )));
                }
                list.iter()
                    .map(|n| e164("forwarding_numbers", n))
                    .collect::<Result<Vec<_>>>()
            })
            .transpose()?;
        let optional_name = |field: &str, v: &Option<String>| -> Result<Option<Option<String>>> {
            v.as_ref()
                .map(|v| {
                    if v.trim().is_empty() {
                        Ok(None)
                    } else {
                        crate::tenancy::name(field, v).map(Some)
                    }
                })
                .transpose()
        };
        let first_name = optional_name("first_name", &patch.first_name)?;
        let last_name = optional_name("last_name", &patch.last_name)?;
        let text = |field: &str, v: &Option<String>| -> Result<Option<Option<String>>> {
            v.as_ref()
                .map(|v| single_line(field, v).map(|t| Some(t).filter(|t| !t.is_empty())))
                .transpose()
        };
        let extension = text("extension", &patch.extension)?;
        let job_title = text("job_title", &patch.job_title)?;
        let status_message = text("status_message", &patch.status_message)?;

        let mut tx = self.store.begin().await?;
        let mut found = self.lock_live(&mut *tx, company, id).await?;
        let (user, entry) = (&mut found.user, &mut found.entry);
        let before = user.clone();
        if let Some(v) = first_name {
            user.first_name = v;
        }
        if let Some(v) = last_name {
            user.last_name = v;
        }
        if let Some(list) = emails {
            user.email = Email::parse(&list[0])?;
            entry.fields.emails = list;
        }
        if let Some(v) = patch.is_super_admin {
            // A super admin is the company's administrator: the same flag every dialect reads.
            user.is_admin = v;
            entry.fields.is_super_admin = v;
        }
        if *user != before {
            tx.update_user(user).await?;
        }
        if let Some(v) = patch.office_id {
            entry.office_id = v;
        }
        if let Some(v) = patch.state {
            entry.state = v;
        }
        if let Some(v) = extension {
            entry.fields.extension = v;
        }
        if let Some(v) = job_title {
            entry.fields.job_title = v;
        }
        if let Some(v) = patch.license {
            entry.fields.license = Some(v);
        }
        if let Some(v) = forwarding {
            entry.fields.forwarding_numbers = v;
        }
        if let Some(v) = patch.international_dialing_enabled {
            entry.fields.international_dialing_enabled = v;
        }
        if let Some(v) = patch.admin_office_ids {
            let mut ids: Vec<i64> = v.iter().map(|o| o.0).collect();
            ids.dedup();
            entry.fields.admin_office_ids = ids;
        }
        if let Some(v) = status_message {
            entry.fields.status_message = v;
            entry.fields.status_expires_at = None;
        }
        tx.set_directory_entry(id, entry).await?;
        let office = entry.office_id;
        if patch.phone_numbers.is_some() || patch.office_id.is_some() {
            let target = Target {
                kind: TargetKind::User,
                id: id.0,
            };
            self.arrange_numbers(
                &mut *tx,
                actor,
                target,
                office,
                patch.phone_numbers.as_deref(),
            )
            .await?;
        }
        let change = Change::new("user_updated", "User", id, "User updated");
        changelog::record(&mut *tx, actor, change, self.clock.now()).await?;
        tx.commit().await?;
        self.person_of(found).await
    }

    /// Sets a live user's status message, with an optional lifetime in seconds.
    pub async fn set_user_status(
        &self,
        company: CompanyId,
        id: UserId,
        change: StatusChange,
    ) -> Result<UserStatus> {
        let message = change
            .message
            .as_deref()
            .map(|m| single_line("status_message", m))
            .transpose()?
            .filter(|m| !m.is_empty());
        if let Some(s) = change.expires_in {
            if !(1..=MAX_STATUS_SECONDS).contains(&s) {
                return Err(DomainError::invalid(format!(
                    "expiration must be 1 to {MAX_STATUS_SECONDS} seconds"
                )));
            }
        }
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let mut found = self.lock_live(&mut *tx, company, id).await?;
        let fields = &mut found.entry.fields;
        fields.status_expires_at = message
            .as_ref()
            .and(change.expires_in)
            .map(|s| to_millis(now) + s * 1000);
        fields.status_message = message;
        tx.set_directory_entry(id, &found.entry).await?;
        tx.commit().await?;
        Ok(status_at(&found.entry.fields, now))
    }

    /// Turns a live user's do-not-disturb on or off: their presence activity becomes `busy`
    /// or `available` (the status stays), which every dialect shows, with one agent-status
    /// event when it changed. Setting what already holds writes nothing.
    pub async fn set_do_not_disturb(
        &self,
        company: CompanyId,
        id: UserId,
        on: bool,
    ) -> Result<bool> {
        let mut tx = self.store.begin().await?;
        let found = self.lock_live(&mut *tx, company, id).await?;
        let now = self.clock.now();
        let current = tx
            .presence_for_update(id)
            .await?
            .unwrap_or_else(|| Presence::initial(id, found.user.created_at))
            .at(now);
        if do_not_disturb(&current) == on {
            return Ok(on);
        }
        let change = PresenceChange {
            status: current.status,
            activity: Some(if on {
                Activity::Busy
            } else {
                Activity::Available
            }),
            activity_ttl: None,
            activity_text: None,
        };
        let next = self
            .workforce()
            .write_presence(&mut *tx, &found.user, &change)
            .await?;
        tx.commit().await?;
        Ok(do_not_disturb(&next))
    }

    /// The numbers a user's calls may show (besides `blocked`): their own, then their office's.
    pub async fn caller_ids(&self, user: &DirectoryUser) -> Result<Vec<String>> {
        let mut ids = self
            .numbers_of(TargetKind::User, &[user.user.id.0])
            .await?
            .remove(&user.user.id.0)
            .unwrap_or_default();
        let office = user.entry.office_id.0;
        ids.extend(
            self.numbers_of(TargetKind::Office, &[office])
                .await?
                .remove(&office)
                .unwrap_or_default(),
        );
        Ok(ids)
    }

    /// Sets the number a live user's calls show: `blocked`, or one of [`Self::caller_ids`].
    pub async fn set_caller_id(
        &self,
        actor: &Actor,
        id: UserId,
        caller_id: &str,
    ) -> Result<DirectoryUser> {
        let value = if caller_id.eq_ignore_ascii_case(BLOCKED_CALLER_ID) {
            BLOCKED_CALLER_ID.to_owned()
        } else {
            e164("caller_id", caller_id)?
        };
        let mut tx = self.store.begin().await?;
        let mut found = self.lock_live(&mut *tx, actor.company, id).await?;
        if value != BLOCKED_CALLER_ID && !self.caller_ids(&found).await?.contains(&value) {
            return Err(DomainError::invalid(format!(
                "{value} is not one of the user's caller ids"
            )));
        }
        found.entry.fields.caller_id = Some(value.clone());
        tx.set_directory_entry(id, &found.entry).await?;
        let change = Change::new("caller_id_updated", "User", id, "Caller id updated")
            .with(serde_json::json!({"caller_id": value}));
        changelog::record(&mut *tx, actor, change, self.clock.now()).await?;
        tx.commit().await?;
        Ok(found)
    }

    /// A user's emergency address: their own, else their office's; `None` when neither is set.
    pub async fn user_e911(&self, company: CompanyId, id: UserId) -> Result<Option<Address>> {
        let found = self.live_directory_user(company, id).await?;
        if let Some(a) = found.entry.fields.e911_address {
            return Ok(Some(a));
        }
        Ok(self
            .office(company, found.entry.office_id)
            .await?
            .e911_address)
    }

    /// Sets a live user's own emergency address.
    pub async fn set_user_e911(
        &self,
        actor: &Actor,
        id: UserId,
        address: Address,
    ) -> Result<Address> {
        let address = check_address(address)?;
        let mut tx = self.store.begin().await?;
        let mut found = self.lock_live(&mut *tx, actor.company, id).await?;
        found.entry.fields.e911_address = Some(address.clone());
        tx.set_directory_entry(id, &found.entry).await?;
        let change = Change::new("user_e911_updated", "User", id, "Emergency address updated");
        changelog::record(&mut *tx, actor, change, self.clock.now()).await?;
        tx.commit().await?;
        Ok(address)
    }
}
