//! The use cases of access-control policies and their assignments. A policy belongs to one of
//! the company's admins; users of the company (not deleted) are assigned to it at targets of
//! the policy's level: the company itself, or its offices or call centers (another company's
//! are missing). Every write records one change-log event in its transaction.

use std::collections::BTreeSet;

use serde_json::json;

use crate::ids::{CompanyId, GroupId, Id, OfficeId, PolicyId, UserId};
use crate::page::{KeysetPaged, PageRequest};
use crate::telephony::access::{
    self, Assignment, NewPolicy, Policy, PolicyChange, PolicyLevel, PolicyState, PolicyTarget,
};
use crate::telephony::changelog::{self, Actor, Change};
use crate::telephony::directory::DirectoryUser;
use crate::telephony::group::GroupKind;
use crate::telephony::keyset::Opened;
use crate::telephony::Telephony;
use crate::{DomainError, Result};

/// A user with the targets they hold a policy at.
pub type UserTargets = (DirectoryUser, Vec<PolicyTarget>);

fn missing() -> DomainError {
    DomainError::NotFound("access control policy")
}

impl Telephony<'_> {
    /// One of the company's policies (active or deleted).
    pub async fn policy(&self, company: CompanyId, id: PolicyId) -> Result<Policy> {
        self.store.policy(company, id).await?.ok_or_else(missing)
    }

    /// The company's policies (active and deleted), a page at a time in id order.
    pub async fn policies(
        &self,
        company: CompanyId,
        req: &PageRequest,
    ) -> Result<KeysetPaged<Policy>> {
        let list = format!("telephony.policies:{}", company.0);
        let opened = Opened::new(self, list, req).await?;
        let found = self.store.policies_page(company, opened.page()).await?;
        Ok(opened.finish(found, |p| p.id.0))
    }

    /// Creates an active policy owned by one of the company's admins.
    pub async fn create_policy(&self, actor: &Actor, new: NewPolicy) -> Result<Policy> {
        let name = access::policy_name(&new.name)?;
        let description = match new.description {
            Some(d) => access::policy_description(&d)?,
            None => None,
        };
        let permissions = access::permissions(&new.permissions)?;
        self.company_admin(actor.company, new.owner_id, "owner_id")
            .await?;
        let now = self.clock.now();
        let policy = Policy {
            id: PolicyId::generate(),
            company_id: actor.company,
            name,
            description,
            owner_id: new.owner_id,
            permissions,
            level: new.level,
            state: PolicyState::Active,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.store.begin().await?;
        tx.insert_policy(&policy).await?;
        let change = Change::new("policy_created", "Policy", policy.id, "Policy created")
            .with(json!({"name": policy.name}));
        changelog::record(tx.as_mut(), actor, change, now).await?;
        tx.commit().await?;
        Ok(policy)
    }

    /// Changes the fields given; `restore` makes a deleted policy active again.
    pub async fn update_policy(
        &self,
        actor: &Actor,
        id: PolicyId,
        change: PolicyChange,
    ) -> Result<Policy> {
        if let Some(by) = change.by {
            self.company_admin(actor.company, by, "user_id").await?;
        }
        let name = change
            .name
            .as_deref()
            .map(access::policy_name)
            .transpose()?;
        let description = change
            .description
            .as_deref()
            .map(access::policy_description)
            .transpose()?;
        let permissions = change
            .permissions
            .as_deref()
            .map(access::permissions)
            .transpose()?;
        let mut tx = self.store.begin().await?;
        let mut policy = tx
            .policy_for_update(actor.company, id)
            .await?
            .ok_or_else(missing)?;
        if let Some(n) = name {
            policy.name = n;
        }
        if let Some(d) = description {
            policy.description = d;
        }
        if let Some(p) = permissions {
            policy.permissions = p;
        }
        let restored = change.restore && policy.state == PolicyState::Deleted;
        if change.restore {
            policy.state = PolicyState::Active;
        }
        policy.updated_at = self.clock.now();
        tx.update_policy(&policy).await?;
        let change = if restored {
            Change::new("policy_restored", "Policy", id, "Policy restored")
        } else {
            Change::new("policy_updated", "Policy", id, "Policy updated")
        };
        changelog::record(tx.as_mut(), actor, change, policy.updated_at).await?;
        tx.commit().await?;
        Ok(policy)
    }

    /// Marks a policy deleted and removes its assignments; a deleted policy is not found.
    pub async fn delete_policy(&self, actor: &Actor, id: PolicyId) -> Result<Policy> {
        let mut tx = self.store.begin().await?;
        let mut policy = tx
            .policy_for_update(actor.company, id)
            .await?
            .filter(|p| p.state == PolicyState::Active)
            .ok_or_else(missing)?;
        policy.state = PolicyState::Deleted;
        policy.updated_at = self.clock.now();
        tx.update_policy(&policy).await?;
        tx.clear_assignments(id).await?;
        let change = Change::new("policy_deleted", "Policy", id, "Policy deleted");
        changelog::record(tx.as_mut(), actor, change, policy.updated_at).await?;
        tx.commit().await?;
        Ok(policy)
    }

    /// Resolves a target of `level`: the company itself (any id given is passed over), or one
    /// of its offices or call centers.
    pub async fn policy_target(
        &self,
        company: CompanyId,
        level: PolicyLevel,
        id: Option<i64>,
    ) -> Result<PolicyTarget> {
        let need = || {
            DomainError::invalid(format!(
                "target_id is required for a {} policy",
                level.as_str()
            ))
        };
        let id = match level {
            PolicyLevel::Company => company.0,
            PolicyLevel::Office => {
                let id = id.ok_or_else(need)?;
                self.office(company, OfficeId::from_raw(id)).await?.id.0
            }
            PolicyLevel::CallCenter => {
                let id = id.ok_or_else(need)?;
                self.group(company, GroupKind::CallCenter, GroupId::from_raw(id))
                    .await?
                    .id
                    .0
            }
        };
        Ok(PolicyTarget { level, id })
    }

    /// Assigns a user to an active policy at a target of the policy's level. Holding it there
    /// already is a conflict. Answers the user with every target they now hold it at.
    pub async fn assign_policy(
        &self,
        actor: &Actor,
        id: PolicyId,
        user: UserId,
        level: PolicyLevel,
        target_id: Option<i64>,
    ) -> Result<UserTargets> {
        let policy = self.policy(actor.company, id).await?;
        self.live_directory_user(actor.company, user).await?;
        if level != policy.level {
            return Err(DomainError::invalid(format!(
                "the policy applies at the {} level, not {}",
                policy.level.as_str(),
                level.as_str()
            )));
        }
        let target = self.policy_target(actor.company, level, target_id).await?;
        let mut tx = self.store.begin().await?;
        let policy = tx
            .policy_for_update(actor.company, id)
            .await?
            .ok_or_else(missing)?;
        if policy.state != PolicyState::Active {
            return Err(DomainError::Conflict("the policy is deleted".into()));
        }
        let now = self.clock.now();
        let a = Assignment {
            policy_id: id,
            user_id: user,
            target,
            assigned_at: now,
        };
        if !tx.add_assignment(actor.company, &a).await? {
            return Err(DomainError::Conflict(
                "the user already holds this policy at this target".into(),
            ));
        }
        let change = Change::new("policy_assigned", "Policy", id, "Policy assigned").with(
            json!({"user_id": user.0, "target_type": level.as_str(), "target_id": target.id}),
        );
        changelog::record(tx.as_mut(), actor, change, now).await?;
        tx.commit().await?;
        self.user_targets(actor.company, id, user).await
    }

    /// Unassigns a user from a policy at one target, or at all of theirs (`target` `None`).
    /// A user who does not hold it there is not found.
    pub async fn unassign_policy(
        &self,
        actor: &Actor,
        id: PolicyId,
        user: UserId,
        target: Option<(PolicyLevel, Option<i64>)>,
    ) -> Result<UserTargets> {
        self.directory_user(actor.company, user).await?;
        let target = match target {
            Some((level, tid)) => Some(self.policy_target(actor.company, level, tid).await?),
            None => None,
        };
        let mut tx = self.store.begin().await?;
        tx.policy_for_update(actor.company, id)
            .await?
            .ok_or_else(missing)?;
        if tx.remove_assignments(id, user, target.as_ref()).await? == 0 {
            return Err(DomainError::NotFound("assignment"));
        }
        let change = Change::new("policy_unassigned", "Policy", id, "Policy unassigned")
            .with(json!({"user_id": user.0}));
        changelog::record(tx.as_mut(), actor, change, self.clock.now()).await?;
        tx.commit().await?;
        self.user_targets(actor.company, id, user).await
    }

    /// The users assigned to a policy with their targets, a page of users at a time.
    pub async fn policy_assignments(
        &self,
        company: CompanyId,
        id: PolicyId,
        req: &PageRequest,
    ) -> Result<KeysetPaged<UserTargets>> {
        self.policy(company, id).await?;
        let list = format!("telephony.policy_assignments:{}:{}", company.0, id.0);
        let opened = Opened::new(self, list, req).await?;
        let users = self.store.assigned_users_page(id, opened.page()).await?;
        let page = opened.finish(users, |u| u.0);
        let rows = self.store.assignments_of(id, &page.items).await?;
        let items = page
            .items
            .iter()
            .filter_map(|u| {
                let mine: Vec<_> = rows.iter().filter(|(a, _)| a.user_id == *u).collect();
                let user = mine.first()?.1.clone();
                Some((user, mine.iter().map(|(a, _)| a.target).collect()))
            })
            .collect();
        Ok(KeysetPaged {
            items,
            total: None,
            next: page.next,
        })
    }

    /// The permissions the user holds over one of the company's call centers through the
    /// active policies they are assigned to at the company, at the call center's office or at
    /// the call center itself (another company's call center is not found).
    pub async fn call_center_permissions(
        &self,
        company: CompanyId,
        user: UserId,
        id: GroupId,
    ) -> Result<BTreeSet<String>> {
        let group = self.group(company, GroupKind::CallCenter, id).await?;
        let targets = [
            PolicyTarget {
                level: PolicyLevel::Company,
                id: company.0,
            },
            PolicyTarget {
                level: PolicyLevel::Office,
                id: group.office_id.0,
            },
            PolicyTarget {
                level: PolicyLevel::CallCenter,
                id: id.0,
            },
        ];
        let found = self.store.permissions_at(user, &targets).await?;
        Ok(found.into_iter().collect())
    }

    async fn user_targets(
        &self,
        company: CompanyId,
        id: PolicyId,
        user: UserId,
    ) -> Result<UserTargets> {
        let found = self.directory_user(company, user).await?;
        let rows = self.store.assignments_of(id, &[user]).await?;
        Ok((found, rows.into_iter().map(|(a, _)| a.target).collect()))
    }

    async fn company_admin(&self, company: CompanyId, user: UserId, field: &str) -> Result<()> {
        let found = self.live_directory_user(company, user).await?;
        if !found.user.is_admin {
            return Err(DomainError::invalid(format!(
                "{field} must be a company admin"
            )));
        }
        Ok(())
    }
}
