//! The use cases of groups (call centers, departments), their operators and duty statuses.
//! Every read and write is scoped to the caller's company: another company's group, office or
//! user reads as missing. A group of the other kind is missing too (a department's id is not a
//! call center).
//!
//! Deleting a user (see the directory) removes them from every group in the same transaction:
//! a deleted user never rings. Deleting a group removes its memberships.

use serde_json::json;

use crate::ids::{CompanyId, GroupId, Id, UserId};
use crate::page::{KeysetPaged, PageRequest};
use crate::telephony::changelog::{self, Actor, Change};
use crate::telephony::directory::DirectoryUser;
use crate::telephony::group::{
    DutyState, DutyStatus, Group, GroupFilter, GroupKind, Membership, NewGroup, OperatorRole,
};
use crate::telephony::keyset::Opened;
use crate::telephony::number::{Target, TargetKind};
use crate::telephony::office::EntryState;
use crate::telephony::Telephony;
use crate::workforce::status_event::{self, Source};
use crate::{DomainError, Result};

fn missing(kind: GroupKind) -> DomainError {
    DomainError::NotFound(match kind {
        GroupKind::CallCenter => "call center",
        GroupKind::Department => "department",
    })
}

/// The entity's name as the change log records it.
fn entity(kind: GroupKind) -> &'static str {
    match kind {
        GroupKind::CallCenter => "CallCenter",
        GroupKind::Department => "Department",
    }
}

fn created_action(kind: GroupKind) -> &'static str {
    match kind {
        GroupKind::CallCenter => "call_center_created",
        GroupKind::Department => "department_created",
    }
}

/// Longest group name.
const MAX_NAME: usize = 100;
/// Longest group description.
const MAX_DESCRIPTION: usize = 256;

fn check_texts(name: &str, description: Option<&str>) -> Result<()> {
    if name.trim().is_empty() || name.chars().count() > MAX_NAME || name.contains('\n') {
        return Err(DomainError::invalid(
            "name must be one line of 1 to 100 characters",
        ));
    }
    if description.is_some_and(|d| d.chars().count() > MAX_DESCRIPTION) {
        return Err(DomainError::invalid(
            "group_description must be at most 256 characters",
        ));
    }
    Ok(())
}

impl Telephony<'_> {
    /// One of the company's groups of `kind`.
    pub async fn group(&self, company: CompanyId, kind: GroupKind, id: GroupId) -> Result<Group> {
        self.store
            .group(company, id)
            .await?
            .filter(|g| g.kind == kind)
            .ok_or_else(|| missing(kind))
    }

    /// The company's groups matching `filter`, a page at a time in id order. An office filter
    /// naming an office the company does not have is not found.
    pub async fn groups(
        &self,
        company: CompanyId,
        filter: &GroupFilter,
        req: &PageRequest,
    ) -> Result<KeysetPaged<Group>> {
        if let Some(office) = filter.office_id {
            self.office(company, office).await?;
        }
        let scope = format!(
            "telephony.groups:{}:{}:{}:{}",
            company.0,
            filter.kind.as_str(),
            filter.office_id.map_or(0, |o| o.0),
            filter.name_search.as_deref().unwrap_or("")
        );
        let opened = Opened::new(self, scope, req).await?;
        let found = self
            .store
            .groups_page(company, filter, opened.page())
            .await?;
        Ok(opened.finish(found, |g| g.id.0))
    }

    /// Creates a group in one of the company's offices, active.
    pub async fn create_group(&self, actor: &Actor, new: NewGroup) -> Result<Group> {
        check_texts(&new.name, new.description.as_deref())?;
        new.settings.validate(new.kind)?;
        self.office(actor.company, new.office_id).await?;
        let now = self.clock().now();
        let group = Group {
            id: GroupId::generate(),
            company_id: actor.company,
            office_id: new.office_id,
            kind: new.kind,
            name: new.name,
            description: new.description,
            state: EntryState::Active,
            settings: new.settings,
            document: new.document,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.store.begin().await?;
        tx.insert_group(&group).await?;
        let change = Change::new(
            created_action(group.kind),
            entity(group.kind),
            group.id,
            "Group created",
        )
        .with(json!({"name": group.name, "office_id": group.office_id.0}));
        changelog::record(tx.as_mut(), actor, change, now).await?;
        tx.commit().await?;
        Ok(group)
    }

    /// Changes a group: `change` edits it (and may refuse), then the result is validated and
    /// stored, all while the group is held.
    pub async fn update_group(
        &self,
        actor: &Actor,
        kind: GroupKind,
        id: GroupId,
        change: impl FnOnce(&mut Group) -> Result<()> + Send,
    ) -> Result<Group> {
        let mut tx = self.store.begin().await?;
        let mut group = tx
            .group_for_update(actor.company, id)
            .await?
            .filter(|g| g.kind == kind)
            .ok_or_else(|| missing(kind))?;
        change(&mut group)?;
        check_texts(&group.name, group.description.as_deref())?;
        group.settings.validate(kind)?;
        group.updated_at = self.clock().now();
        tx.update_group(&group).await?;
        let logged = Change::new("group_updated", entity(kind), id, "Group settings updated");
        changelog::record(tx.as_mut(), actor, logged, group.updated_at).await?;
        tx.commit().await?;
        Ok(group)
    }

    /// Deletes a group with its memberships; answers the group as it was.
    pub async fn delete_group(&self, actor: &Actor, kind: GroupKind, id: GroupId) -> Result<Group> {
        let mut tx = self.store.begin().await?;
        let mut group = tx
            .group_for_update(actor.company, id)
            .await?
            .filter(|g| g.kind == kind)
            .ok_or_else(|| missing(kind))?;
        tx.delete_group(id).await?;
        // Its numbers go back to the company's pool.
        let target = Target {
            kind: match kind {
                GroupKind::CallCenter => TargetKind::CallCenter,
                GroupKind::Department => TargetKind::Department,
            },
            id: id.0,
        };
        let now = self.clock().now();
        tx.release_numbers_of(target, now).await?;
        let change = Change::new("group_deleted", entity(kind), id, "Group deleted");
        changelog::record(tx.as_mut(), actor, change, now).await?;
        tx.commit().await?;
        group.state = EntryState::Deleted;
        Ok(group)
    }

    /// The group's operators with their users.
    pub async fn operators(
        &self,
        company: CompanyId,
        kind: GroupKind,
        id: GroupId,
    ) -> Result<Vec<(Membership, DirectoryUser)>> {
        let group = self.group(company, kind, id).await?;
        self.store.group_members(group.id).await
    }

    /// Makes one of the company's users (not deleted) an operator of the group. A user who is
    /// already one is a conflict. A user who never had a duty status starts on duty and
    /// available.
    pub async fn add_operator(
        &self,
        actor: &Actor,
        kind: GroupKind,
        id: GroupId,
        user: UserId,
        role: OperatorRole,
        skill_level: u8,
    ) -> Result<(Membership, DirectoryUser)> {
        let company = actor.company;
        let found = self.live_user(company, user).await?;
        let mut tx = self.store.begin().await?;
        let group = tx
            .group_for_update(company, id)
            .await?
            .filter(|g| g.kind == kind)
            .ok_or_else(|| missing(kind))?;
        if self.store.membership(group.id, user).await?.is_some() {
            return Err(DomainError::Conflict(
                "the user is already an operator of this group".into(),
            ));
        }
        let now = self.clock().now();
        let m = Membership {
            group_id: group.id,
            user_id: user,
            role,
            skill_level,
            added_at: now,
        };
        tx.put_membership(company, &m).await?;
        if self.store.duty_status(user).await?.is_none() {
            tx.put_duty_status(company, &DutyStatus::initial(user, now))
                .await?;
        }
        let change = Change::new("operator_added", entity(kind), id, "Operator added")
            .with(json!({"user_id": user.0, "role": role.as_str(), "skill_level": skill_level}));
        changelog::record(tx.as_mut(), actor, change, now).await?;
        tx.commit().await?;
        Ok((m, found))
    }

    /// Removes an operator from the group; a user who is not one is not found.
    pub async fn remove_operator(
        &self,
        actor: &Actor,
        kind: GroupKind,
        id: GroupId,
        user: UserId,
    ) -> Result<DirectoryUser> {
        let company = actor.company;
        let found = self.directory_user(company, user).await?;
        let mut tx = self.store.begin().await?;
        let group = tx
            .group_for_update(company, id)
            .await?
            .filter(|g| g.kind == kind)
            .ok_or_else(|| missing(kind))?;
        if !tx.remove_membership(group.id, user).await? {
            return Err(DomainError::NotFound("operator"));
        }
        let change = Change::new("operator_removed", entity(kind), id, "Operator removed")
            .with(json!({"user_id": user.0}));
        changelog::record(tx.as_mut(), actor, change, self.clock().now()).await?;
        tx.commit().await?;
        Ok(found)
    }

    /// An operator's membership of a call center.
    pub async fn operator(
        &self,
        company: CompanyId,
        kind: GroupKind,
        id: GroupId,
        user: UserId,
    ) -> Result<Membership> {
        let group = self.group(company, kind, id).await?;
        self.store
            .membership(group.id, user)
            .await?
            .ok_or(DomainError::NotFound("operator"))
    }

    /// Sets an operator's skill level in a group.
    pub async fn set_skill_level(
        &self,
        actor: &Actor,
        kind: GroupKind,
        id: GroupId,
        user: UserId,
        skill_level: u8,
    ) -> Result<Membership> {
        let company = actor.company;
        let mut tx = self.store.begin().await?;
        let group = tx
            .group_for_update(company, id)
            .await?
            .filter(|g| g.kind == kind)
            .ok_or_else(|| missing(kind))?;
        let mut m = self
            .store
            .membership(group.id, user)
            .await?
            .ok_or(DomainError::NotFound("operator"))?;
        m.skill_level = skill_level;
        tx.put_membership(company, &m).await?;
        let change = Change::new(
            "operator_skill_updated",
            entity(kind),
            id,
            "Operator skill level updated",
        )
        .with(json!({"user_id": user.0, "skill_level": skill_level}));
        changelog::record(tx.as_mut(), actor, change, self.clock().now()).await?;
        tx.commit().await?;
        Ok(m)
    }

    /// The duty status of one of the company's users who is a call center operator.
    pub async fn duty_status(&self, company: CompanyId, user: UserId) -> Result<DutyStatus> {
        let stored = self.stored_duty_status(company, user).await?;
        self.with_calls(stored).await
    }

    async fn stored_duty_status(&self, company: CompanyId, user: UserId) -> Result<DutyStatus> {
        self.call_center_operator(company, user).await?;
        Ok(self
            .store
            .duty_status(user)
            .await?
            .unwrap_or_else(|| DutyStatus::initial(user, self.clock().now())))
    }

    /// An available operator's status as calls move it (the calls context's fact, not
    /// stored here): `occupied` while holding a call, `wrapup` until their wrap-up ends.
    async fn with_calls(&self, mut status: DutyStatus) -> Result<DutyStatus> {
        if !status.on_duty || status.state != DutyState::Available {
            return Ok(status);
        }
        let now = self.clock().now();
        let activity = self.store.call_activity(&[status.user_id]).await?;
        if let Some(a) = activity.first() {
            if a.active_calls > 0 {
                status.state = DutyState::Occupied;
                status.state_started = a.last_offered_at.unwrap_or(status.state_started);
            } else if a.wrap_up_until.is_some_and(|u| u > now) {
                status.state = DutyState::Wrapup;
            }
        }
        Ok(status)
    }

    /// Puts a call center operator on or off duty (for every call center they are in), with
    /// a reason. On duty they are available; off duty, unavailable.
    pub async fn set_duty_status(
        &self,
        company: CompanyId,
        user: UserId,
        on_duty: bool,
        reason: Option<String>,
    ) -> Result<DutyStatus> {
        let mut status = self.stored_duty_status(company, user).await?;
        let now = self.clock().now();
        if on_duty && !status.on_duty {
            status.on_duty_started = now;
        }
        let state = if on_duty {
            DutyState::Available
        } else {
            DutyState::Unavailable
        };
        if state != status.state {
            status.state_started = now;
        }
        status.on_duty = on_duty;
        status.state = state;
        status.reason = reason;
        let mut tx = self.store.begin().await?;
        tx.put_duty_status(company, &status).await?;
        let fields = serde_json::json!({
            "on_duty": status.on_duty,
            "on_duty_status": status.state.as_str(),
            "on_duty_status_reason": status.reason,
        });
        status_event::record(tx.as_mut(), company, user, Source::Duty, fields, now).await?;
        tx.commit().await?;
        self.with_calls(status).await
    }

    async fn call_center_operator(&self, company: CompanyId, user: UserId) -> Result<()> {
        self.live_user(company, user).await?;
        if !self
            .store
            .is_member_of_kind(user, GroupKind::CallCenter)
            .await?
        {
            return Err(DomainError::NotFound("operator"));
        }
        Ok(())
    }

    async fn live_user(&self, company: CompanyId, user: UserId) -> Result<DirectoryUser> {
        let found = self.directory_user(company, user).await?;
        if found.entry.state == EntryState::Deleted {
            return Err(DomainError::NotFound("user"));
        }
        Ok(found)
    }
}
