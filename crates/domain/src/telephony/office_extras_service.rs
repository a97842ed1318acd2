//! The use cases of what an office has beyond its record: its main-line operators, its
//! off-duty reasons and its licence counts. Scoped to the caller's company like the rest of the
//! directory; each write records one change-log event in its transaction.
//!
//! Deleting a user (see the directory) takes them off every office's main line in the same
//! transaction, as it takes them out of every group.

use serde_json::{json, Value};

use crate::ids::{CompanyId, OfficeId, UserId};
use crate::telephony::changelog::{self, Actor, Change};
use crate::telephony::directory::DirectoryUser;
use crate::telephony::group::OperatorRole;
use crate::telephony::office::EntryState;
use crate::telephony::office_extras::{
    self, LicenseCount, OfficeOperator, DEFAULT_OFF_DUTY_STATUSES, OFF_DUTY_SETTING,
};
use crate::telephony::Telephony;
use crate::{DomainError, Result};

impl Telephony<'_> {
    /// The main-line operators of one of the company's offices, with their users.
    pub async fn office_operators(
        &self,
        company: CompanyId,
        office: OfficeId,
    ) -> Result<Vec<(OfficeOperator, DirectoryUser)>> {
        let office = self.office(company, office).await?;
        self.store.office_operators(office.id).await
    }

    /// Puts one of the company's users (not deleted) on an office's main line. A user who is
    /// already there is a conflict.
    pub async fn add_office_operator(
        &self,
        actor: &Actor,
        office: OfficeId,
        user: UserId,
        role: OperatorRole,
    ) -> Result<(OfficeOperator, DirectoryUser)> {
        let office = self.office(actor.company, office).await?;
        let found = self.directory_user(actor.company, user).await?;
        if found.entry.state == EntryState::Deleted {
            return Err(DomainError::NotFound("user"));
        }
        let now = self.clock.now();
        let operator = OfficeOperator {
            office_id: office.id,
            user_id: user,
            role,
            added_at: now,
        };
        let mut tx = self.store.begin().await?;
        // The user is held, so a concurrent delete cannot leave them on the line.
        tx.directory_user_for_update(actor.company, user)
            .await?
            .filter(|u| u.entry.state != EntryState::Deleted)
            .ok_or(DomainError::NotFound("user"))?;
        if !tx.insert_office_operator(actor.company, &operator).await? {
            return Err(DomainError::Conflict(
                "the user is already an operator of this office".into(),
            ));
        }
        let change = Change::new("operator_added", "Office", office.id, "Operator added")
            .with(json!({"user_id": user.0, "role": role.as_str()}));
        changelog::record(tx.as_mut(), actor, change, now).await?;
        tx.commit().await?;
        Ok((operator, found))
    }

    /// Takes a user off an office's main line; a user who is not on it is not found.
    pub async fn remove_office_operator(
        &self,
        actor: &Actor,
        office: OfficeId,
        user: UserId,
    ) -> Result<DirectoryUser> {
        let office = self.office(actor.company, office).await?;
        let found = self.directory_user(actor.company, user).await?;
        let mut tx = self.store.begin().await?;
        if !tx.remove_office_operator(office.id, user).await? {
            return Err(DomainError::NotFound("operator"));
        }
        let change = Change::new("operator_removed", "Office", office.id, "Operator removed")
            .with(json!({"user_id": user.0}));
        changelog::record(tx.as_mut(), actor, change, self.clock.now()).await?;
        tx.commit().await?;
        Ok(found)
    }

    /// How many of the office's users hold each licence.
    pub async fn office_license_counts(
        &self,
        company: CompanyId,
        office: OfficeId,
    ) -> Result<Vec<LicenseCount>> {
        let office = self.office(company, office).await?;
        self.store.office_license_counts(office.id).await
    }

    /// The reasons an office's operators may give for being off duty: the defaults, then the
    /// office's own.
    pub async fn off_duty_statuses(
        &self,
        company: CompanyId,
        office: OfficeId,
    ) -> Result<Vec<String>> {
        let office = self.office(company, office).await?;
        let own = office
            .settings
            .get(OFF_DUTY_SETTING)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned);
        Ok(DEFAULT_OFF_DUTY_STATUSES
            .iter()
            .map(|s| (*s).to_owned())
            .chain(own)
            .collect())
    }

    /// Replaces the office's own off-duty reasons (the defaults always stay); answers the whole
    /// list.
    pub async fn set_off_duty_statuses(
        &self,
        actor: &Actor,
        office: OfficeId,
        own: Vec<String>,
    ) -> Result<Vec<String>> {
        let own = office_extras::off_duty_statuses(own)?;
        let mut found = self.office(actor.company, office).await?;
        found
            .settings
            .insert(OFF_DUTY_SETTING.into(), json!(own.clone()));
        found.updated_at = self.clock.now();
        let mut tx = self.store.begin().await?;
        tx.update_office(&found).await?;
        let change = Change::new(
            "off_duty_statuses_updated",
            "Office",
            found.id,
            "Off-duty statuses updated",
        )
        .with(json!({"off_duty_statuses": own}));
        changelog::record(tx.as_mut(), actor, change, found.updated_at).await?;
        tx.commit().await?;
        self.off_duty_statuses(actor.company, office).await
    }
}
