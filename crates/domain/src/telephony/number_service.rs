//! The use cases of a company's numbers: its inventory, assigning numbers to targets and
//! taking them back, swapping a target's primary number, and releasing numbers.
//!
//! Every write holds the rows it changes and records one change-log event. A number given by
//! the caller must be in the company's pool to be assigned; a number of another company reads
//! as missing. An area code the pool has nothing in is asked of the telephony network.

use std::collections::HashMap;

use serde_json::json;

use crate::ids::{CallRouterId, CompanyId, GroupId, Id, OfficeId, RoomId, UserId};
use crate::page::{KeysetPaged, PageRequest};
use crate::phone::E164;
use crate::store::WriteTx;
use crate::telephony::changelog::{self, Actor, Change};
use crate::telephony::group::GroupKind;
use crate::telephony::keyset::Opened;
use crate::telephony::number::{
    check_area_code, parse_number, PhoneNumber, Pick, Target, TargetKind,
};
use crate::telephony::office::EntryState;
use crate::telephony::Telephony;
use crate::{DomainError, Result};

pub(super) fn not_found() -> DomainError {
    DomainError::NotFound("number")
}

/// The E.164 form of a number given by a caller (400 when it is not one).
pub(super) fn e164(raw: &str) -> Result<String> {
    Ok(E164::parse(raw, None)?.as_str().to_owned())
}

impl Telephony<'_> {
    /// One of the company's numbers.
    pub async fn number(&self, company: CompanyId, raw: &str) -> Result<PhoneNumber> {
        let n = e164(raw)?;
        self.store.number(company, &n).await?.ok_or_else(not_found)
    }

    /// The company's numbers in number order, a page at a time; `status` is `available` or a
    /// target kind's name (any other status matches nothing).
    pub async fn numbers(
        &self,
        company: CompanyId,
        status: Option<&str>,
        req: &PageRequest,
    ) -> Result<KeysetPaged<PhoneNumber>> {
        let scope = format!("telephony.numbers:{}:{}", company.0, status.unwrap_or(""));
        let opened = Opened::<String>::new(self, scope, req).await?;
        let known = status.is_none_or(|s| s == "available" || TargetKind::parse(s).is_ok());
        let found = if known {
            self.store
                .numbers_page(company, status, opened.page())
                .await?
        } else {
            Vec::new()
        };
        Ok(opened.finish(found, |n| n.number.clone()))
    }

    /// The numbers of these targets of one kind, primary first: one read for all of them.
    pub async fn numbers_of(
        &self,
        kind: TargetKind,
        ids: &[i64],
    ) -> Result<HashMap<i64, Vec<String>>> {
        let mut out: HashMap<i64, Vec<String>> = HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        for n in self.store.numbers_of(kind, ids).await? {
            if n.fax {
                continue;
            }
            if let Some(t) = n.target {
                out.entry(t.id).or_default().push(n.number);
            }
        }
        Ok(out)
    }

    /// The office a target of the company belongs to; a target the company does not have (or a
    /// deleted user) is not found.
    pub(crate) async fn target_office(
        &self,
        company: CompanyId,
        target: Target,
    ) -> Result<OfficeId> {
        match target.kind {
            TargetKind::User => {
                let u = self.directory_user(company, UserId(target.id)).await?;
                if u.entry.state == EntryState::Deleted {
                    return Err(DomainError::NotFound("user"));
                }
                Ok(u.entry.office_id)
            }
            TargetKind::Office => Ok(self.office(company, OfficeId(target.id)).await?.id),
            TargetKind::CallCenter => {
                self.group_office(company, GroupKind::CallCenter, target.id)
                    .await
            }
            TargetKind::Department => {
                self.group_office(company, GroupKind::Department, target.id)
                    .await
            }
            TargetKind::Room => Ok(self.room(company, RoomId(target.id)).await?.office_id),
            TargetKind::CallRouter => Ok(self
                .call_router(company, CallRouterId(target.id))
                .await?
                .office_id),
        }
    }

    async fn group_office(&self, company: CompanyId, kind: GroupKind, id: i64) -> Result<OfficeId> {
        Ok(self
            .group(company, kind, GroupId::from_raw(id))
            .await?
            .office_id)
    }

    /// Assigns a number to one of the company's targets: the one given (from the pool), a pool
    /// number of the area code or a new one from the network, or any pool number. With
    /// `primary` (or when the target has none) it becomes the target's primary number.
    pub async fn assign_number(
        &self,
        actor: &Actor,
        target: Target,
        pick: Pick,
        primary: bool,
    ) -> Result<PhoneNumber> {
        let office = self.target_office(actor.company, target).await?;
        let mut tx = self.store.begin().await?;
        let n = self
            .assign_in(tx.as_mut(), actor, target, office, pick, primary)
            .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// [`Self::assign_number`] inside `tx`, for a target already checked.
    pub(crate) async fn assign_in(
        &self,
        tx: &mut dyn WriteTx,
        actor: &Actor,
        target: Target,
        office: OfficeId,
        pick: Pick,
        primary: bool,
    ) -> Result<PhoneNumber> {
        let company = actor.company;
        let mut number = self.take(tx, company, office, pick).await?;
        let current = phone_lines(tx.target_numbers_for_update(target).await?);
        let last_assigned = current.iter().filter_map(|n| n.assigned_at).max();
        let primary = primary || current.is_empty();
        if primary {
            for mut old in current.into_iter().filter(|n| n.primary) {
                old.primary = false;
                tx.update_number(&old).await?;
            }
        }
        let now = self.clock.now();
        // A target's numbers keep the order they were assigned in, even within one instant.
        let after_last = last_assigned.map(|t| t + jiff::SignedDuration::from_millis(1));
        number.target = Some(target);
        number.office_id = Some(office);
        number.primary = primary;
        number.assigned_at = Some(after_last.map_or(now, |t| t.max(now)));
        number.updated_at = now;
        tx.update_number(&number).await?;
        let change = Change::on("number_assigned", target.kind.entity(), target.id, "Number assigned")
            .with(json!({"number": number.number, "target_type": target.kind.as_str(), "primary": primary}));
        changelog::record(tx, actor, change, now).await?;
        Ok(number)
    }

    /// A number from the pool (held), or a new one from the network added to the pool.
    pub(super) async fn take(
        &self,
        tx: &mut dyn WriteTx,
        company: CompanyId,
        office: OfficeId,
        pick: Pick,
    ) -> Result<PhoneNumber> {
        let area = match pick {
            Pick::Number(raw) => {
                let n = tx
                    .number_for_update(company, &e164(&raw)?)
                    .await?
                    .ok_or_else(not_found)?;
                if n.target.is_some() {
                    return Err(DomainError::Conflict(format!(
                        "{} is already assigned",
                        n.number
                    )));
                }
                return Ok(n);
            }
            Pick::AreaCode(raw) => check_area_code(&raw)?,
            Pick::Auto => {
                if let Some(n) = tx.pool_number_for_update(company, None).await? {
                    return Ok(n);
                }
                // The area code of the office's own numbers.
                let office_numbers = self
                    .store
                    .numbers_of(TargetKind::Office, &[office.0])
                    .await?;
                office_numbers
                    .into_iter()
                    .find_map(|n| n.area_code)
                    .ok_or_else(|| {
                        DomainError::invalid(
                            "the company has no numbers in its pool: give an area_code",
                        )
                    })?
            }
        };
        if let Some(n) = tx.pool_number_for_update(company, Some(&area)).await? {
            return Ok(n);
        }
        let offered = self.driver.offer_numbers(&area).await?;
        let held = self.store.numbers_held(&offered).await?;
        let free = offered
            .into_iter()
            .find(|n| !held.contains(n))
            .ok_or_else(|| {
                DomainError::invalid(format!("no number is available in area code {area}"))
            })?;
        let (number, _, line) = parse_number(&free, None, Some(&area))?;
        let now = self.clock.now();
        let n = PhoneNumber::in_pool(number, company, Some(office), Some(area), line, now);
        tx.insert_number(&n).await?;
        Ok(n)
    }

    /// Takes a number back from a target into the company's pool. A number the target does not
    /// have is not found. When it was the primary, the target's next number becomes primary.
    pub async fn unassign_number(
        &self,
        actor: &Actor,
        target: Target,
        raw: &str,
    ) -> Result<PhoneNumber> {
        self.target_office(actor.company, target).await?;
        let n = e164(raw)?;
        let mut tx = self.store.begin().await?;
        let found = tx
            .number_for_update(actor.company, &n)
            .await?
            .filter(|n| n.target == Some(target))
            .ok_or_else(not_found)?;
        let back = self.return_to_pool(tx.as_mut(), actor, found).await?;
        tx.commit().await?;
        Ok(back)
    }

    /// Takes a number back from whatever has it; with `release`, the company gives it up.
    pub async fn delete_number(
        &self,
        actor: &Actor,
        raw: &str,
        release: bool,
    ) -> Result<PhoneNumber> {
        let n = e164(raw)?;
        let mut tx = self.store.begin().await?;
        let found = tx
            .number_for_update(actor.company, &n)
            .await?
            .ok_or_else(not_found)?;
        let mut back = self.return_to_pool(tx.as_mut(), actor, found).await?;
        if release {
            tx.delete_number(&back.number).await?;
            let change = Change::new(
                "number_released",
                "Company",
                actor.company,
                "Number released",
            )
            .with(json!({"number": back.number}));
            changelog::record(tx.as_mut(), actor, change, back.updated_at).await?;
            back.office_id = None;
        }
        tx.commit().await?;
        Ok(back)
    }

    pub(super) async fn return_to_pool(
        &self,
        tx: &mut dyn WriteTx,
        actor: &Actor,
        mut n: PhoneNumber,
    ) -> Result<PhoneNumber> {
        let Some(target) = n.target else {
            return Ok(n);
        };
        let was_primary = n.primary;
        let now = self.clock.now();
        n.target = None;
        n.primary = false;
        n.fax = false;
        n.assigned_at = None;
        n.updated_at = now;
        tx.update_number(&n).await?;
        if was_primary {
            let rest = phone_lines(tx.target_numbers_for_update(target).await?);
            if let Some(mut next) = rest.into_iter().next() {
                next.primary = true;
                next.updated_at = now;
                tx.update_number(&next).await?;
            }
        }
        let change = Change::on(
            "number_unassigned",
            target.kind.entity(),
            target.id,
            "Number unassigned",
        )
        .with(json!({"number": n.number, "target_type": target.kind.as_str()}));
        changelog::record(tx, actor, change, now).await?;
        Ok(n)
    }

    /// Replaces a target's primary number with a new one (picked as for an assignment); the old
    /// one goes back to the pool. A target without numbers just gets one.
    pub async fn swap_number(
        &self,
        actor: &Actor,
        target: Target,
        pick: Pick,
    ) -> Result<PhoneNumber> {
        let office = self.target_office(actor.company, target).await?;
        let mut tx = self.store.begin().await?;
        let old = phone_lines(tx.target_numbers_for_update(target).await?)
            .into_iter()
            .find(|n| n.primary);
        if let Some(old) = old {
            self.return_to_pool(tx.as_mut(), actor, old).await?;
        }
        let n = self
            .assign_in(tx.as_mut(), actor, target, office, pick, true)
            .await?;
        tx.commit().await?;
        Ok(n)
    }
}

/// A target's numbers but its fax lines.
pub(super) fn phone_lines(numbers: Vec<PhoneNumber>) -> Vec<PhoneNumber> {
    numbers.into_iter().filter(|n| !n.fax).collect()
}
