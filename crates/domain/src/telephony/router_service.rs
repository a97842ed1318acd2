//! The use cases of call routers. Every read and write is scoped to the caller's company: another
//! company's router, office or target reads as missing. Each write records one change-log event
//! in its transaction; the router's secret is sealed under the server's cipher (bound to the
//! router) and stored with the other secrets, never in the router's row.

use serde_json::json;

use crate::ids::{CallRouterId, CompanyId, GroupId, Id, OfficeId, UserId};
use crate::page::{KeysetPaged, PageRequest};
use crate::secret::{secret_context, SecretPurpose};
use crate::store::WriteTx;
use crate::telephony::changelog::{self, Actor, Change};
use crate::telephony::group::GroupKind;
use crate::telephony::keyset::Opened;
use crate::telephony::number::{Target as NumberTarget, TargetKind as NumberTargetKind};
use crate::telephony::office::EntryState;
use crate::telephony::router::{
    self, CallRouter, CallRouterUpdate, NewCallRouter, RouterSecret, RouterTarget, TargetKind,
};
use crate::telephony::Telephony;
use crate::{DomainError, Result};

const PURPOSE: SecretPurpose = SecretPurpose::CallRouterSigning;

fn missing() -> DomainError {
    DomainError::NotFound("call router")
}

impl Telephony<'_> {
    /// One of the company's call routers (the calls engine routes through this read).
    pub async fn call_router(&self, company: CompanyId, id: CallRouterId) -> Result<CallRouter> {
        self.store
            .call_router(company, id)
            .await?
            .ok_or_else(missing)
    }

    /// The secret that signs a router's routing requests, opened; `None` when it has none.
    pub async fn call_router_secret(
        &self,
        company: CompanyId,
        id: CallRouterId,
    ) -> Result<Option<RouterSecret>> {
        let found = self.call_router(company, id).await?;
        let owner = found.id.to_string();
        let Some(sealed) = self.store.secret(PURPOSE, &owner).await? else {
            return Ok(None);
        };
        let plain = self
            .cipher
            .open(&sealed, &secret_context(PURPOSE, &owner))?;
        let text = String::from_utf8(plain).map_err(DomainError::internal)?;
        Ok(Some(RouterSecret::parse(&text)?))
    }

    /// The company's routers (of one office, if given), a page at a time in id order. An
    /// office the company does not have is not found.
    pub async fn call_routers(
        &self,
        company: CompanyId,
        office: Option<OfficeId>,
        req: &PageRequest,
    ) -> Result<KeysetPaged<CallRouter>> {
        if let Some(o) = office {
            self.office(company, o).await?;
        }
        let scope = format!(
            "telephony.call_routers:{}:{}",
            company.0,
            office.map_or(0, |o| o.0)
        );
        let opened = Opened::new(self, scope, req).await?;
        let page = opened.page();
        let found = self.store.call_routers_page(company, office, page).await?;
        Ok(opened.finish(found, |r| r.id.0))
    }

    /// Creates a router in one of the company's offices.
    pub async fn create_call_router(
        &self,
        actor: &Actor,
        new: NewCallRouter,
    ) -> Result<CallRouter> {
        let company = actor.company;
        let name = router::router_name(&new.name)?;
        let routing_url = router::routing_url(&new.routing_url)?;
        self.office(company, new.office_id).await?;
        self.check_router_target(company, new.default_target, None)
            .await?;
        let now = self.clock.now();
        let created = CallRouter {
            id: CallRouterId::generate(),
            company_id: company,
            office_id: new.office_id,
            name,
            routing_url,
            default_target: new.default_target,
            enabled: new.enabled,
            signed: new.secret.is_some(),
            error_count: 0,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.store.begin().await?;
        tx.insert_call_router(&created).await?;
        if let Some(secret) = &new.secret {
            self.seal_router_secret(tx.as_mut(), created.id, secret)
                .await?;
        }
        let change = Change::new(
            "call_router_created",
            "CallRouter",
            created.id,
            "Call router created",
        )
        .with(json!({"name": created.name, "office_id": created.office_id.0}));
        changelog::record(tx.as_mut(), actor, change, now).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Changes the fields `update` gives, while the router is held.
    pub async fn update_call_router(
        &self,
        actor: &Actor,
        id: CallRouterId,
        update: CallRouterUpdate,
    ) -> Result<CallRouter> {
        let company = actor.company;
        // Input is checked before anything is held.
        let name = update
            .name
            .as_deref()
            .map(router::router_name)
            .transpose()?;
        let url = update
            .routing_url
            .as_deref()
            .map(router::routing_url)
            .transpose()?;
        if let Some(o) = update.office_id {
            self.office(company, o).await?;
        }
        if let Some(t) = update.default_target {
            self.check_router_target(company, t, Some(id)).await?;
        }
        let mut tx = self.store.begin().await?;
        let mut found = tx
            .call_router_for_update(company, id)
            .await?
            .ok_or_else(missing)?;
        let mut changed = Vec::new();
        let mut set = |field: &'static str, differs: bool| {
            if differs {
                changed.push(field);
            }
        };
        if let Some(v) = name {
            set("name", v != found.name);
            found.name = v;
        }
        if let Some(v) = url {
            set("routing_url", v != found.routing_url);
            found.routing_url = v;
        }
        if let Some(v) = update.office_id {
            set("office_id", v != found.office_id);
            found.office_id = v;
        }
        if let Some(v) = update.default_target {
            set("default_target", v != found.default_target);
            found.default_target = v;
        }
        if let Some(v) = update.enabled {
            set("enabled", v != found.enabled);
            found.enabled = v;
        }
        if update.reset_error_count {
            set("error_count", found.error_count != 0);
            found.error_count = 0;
        }
        match &update.secret {
            None => {}
            Some(Some(secret)) => {
                set("secret", true);
                self.seal_router_secret(tx.as_mut(), id, secret).await?;
                found.signed = true;
            }
            Some(None) => {
                set("secret", found.signed);
                tx.delete_secret(PURPOSE, &id.to_string()).await?;
                found.signed = false;
            }
        }
        found.updated_at = self.clock.now();
        tx.update_call_router(&found).await?;
        let change = Change::new(
            "call_router_updated",
            "CallRouter",
            id,
            "Call router updated",
        )
        .with(json!({"changed": changed}));
        changelog::record(tx.as_mut(), actor, change, found.updated_at).await?;
        tx.commit().await?;
        Ok(found)
    }

    /// Deletes a router with its secret; answers the router as it was.
    pub async fn delete_call_router(&self, actor: &Actor, id: CallRouterId) -> Result<CallRouter> {
        let mut tx = self.store.begin().await?;
        let found = tx
            .call_router_for_update(actor.company, id)
            .await?
            .ok_or_else(missing)?;
        tx.delete_call_router(id).await?;
        // Its numbers go back to the company's pool.
        let numbers = NumberTarget {
            kind: NumberTargetKind::CallRouter,
            id: id.0,
        };
        tx.release_numbers_of(numbers, self.clock.now()).await?;
        tx.delete_secret(PURPOSE, &id.to_string()).await?;
        let change = Change::new(
            "call_router_deleted",
            "CallRouter",
            id,
            "Call router deleted",
        )
        .with(json!({"name": found.name}));
        changelog::record(tx.as_mut(), actor, change, self.clock.now()).await?;
        tx.commit().await?;
        Ok(found)
    }

    async fn seal_router_secret(
        &self,
        tx: &mut dyn WriteTx,
        id: CallRouterId,
        secret: &RouterSecret,
    ) -> Result<()> {
        let owner = id.to_string();
        let sealed = self
            .cipher
            .seal(secret.expose().as_bytes(), &secret_context(PURPOSE, &owner))?;
        tx.put_secret(PURPOSE, &owner, &sealed, self.clock.now())
            .await
    }

    /// The target must be the company's (a user who is not deleted; a router other than the
    /// one being changed).
    async fn check_router_target(
        &self,
        company: CompanyId,
        target: RouterTarget,
        changing: Option<CallRouterId>,
    ) -> Result<()> {
        match target.kind {
            TargetKind::User => {
                let u = self
                    .directory_user(company, UserId::from_raw(target.id))
                    .await?;
                if u.entry.state == EntryState::Deleted {
                    return Err(DomainError::NotFound("user"));
                }
            }
            TargetKind::Office => {
                self.office(company, OfficeId::from_raw(target.id)).await?;
            }
            TargetKind::CallCenter => {
                self.group(company, GroupKind::CallCenter, GroupId::from_raw(target.id))
                    .await?;
            }
            TargetKind::Department => {
                self.group(company, GroupKind::Department, GroupId::from_raw(target.id))
                    .await?;
            }
            TargetKind::CallRouter => {
                let other = CallRouterId::from_raw(target.id);
                if changing == Some(other) {
                    return Err(DomainError::invalid(
                        "a call router cannot be its own default target",
                    ));
                }
                self.call_router(company, other).await?;
            }
        }
        Ok(())
    }
}
