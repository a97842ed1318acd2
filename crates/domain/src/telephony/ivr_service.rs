//! The use cases of custom IVRs. Targets are the company's offices, call centers, departments
//! and users who are not deleted (anything else is missing). The audio is stored by the media
//! context and read back through its signed links. A new IVR is the selected one of its target
//! and kind; selecting another deselects it. Every write records one change-log event in its
//! transaction (the audio itself is stored just before it).

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::ids::{CompanyId, Id, IvrId};
use crate::media::MediaKind;
use crate::page::{KeysetPaged, PageRequest};
use crate::telephony::changelog::{self, Actor, Change};
use crate::telephony::group::GroupKind;
use crate::telephony::ivr::{self, Ivr, IvrTarget, NewIvr, MAX_IVRS_PER_KIND, MAX_IVR_BYTES};
use crate::telephony::Telephony;
use crate::workforce::store::KeysetPage;
use crate::{DomainError, Result};

/// The position an IVR page token holds: the last IVR kind shown.
#[derive(Serialize, Deserialize)]
struct After(String);

/// A kind of IVR with the target's IVRs of it.
pub type IvrKind = (String, Vec<Ivr>);

fn missing() -> DomainError {
    DomainError::NotFound("custom IVR")
}

fn change(action: &'static str, note: &str, ivr: &Ivr) -> Change {
    Change::new(action, "CustomIvr", ivr.id, note).with(json!({
        "target_type": ivr.target.kind(),
        "target_id": ivr.target.id(),
        "ivr_type": ivr.ivr_type,
    }))
}

impl Telephony<'_> {
    /// Checks that the target is the company's (a user must not be deleted).
    pub async fn ivr_target(&self, company: CompanyId, target: IvrTarget) -> Result<()> {
        match target {
            IvrTarget::Office(id) => {
                self.office(company, id).await?;
            }
            IvrTarget::CallCenter(id) => {
                self.group(company, GroupKind::CallCenter, id).await?;
            }
            IvrTarget::Department(id) => {
                self.group(company, GroupKind::Department, id).await?;
            }
            IvrTarget::User(id) => {
                self.live_directory_user(company, id).await?;
            }
        }
        Ok(())
    }

    /// One of the company's IVRs.
    pub async fn ivr(&self, company: CompanyId, id: IvrId) -> Result<Ivr> {
        self.store.ivr(company, id).await?.ok_or_else(missing)
    }

    /// The target's IVRs grouped by kind, a page of kinds at a time in name order.
    pub async fn ivrs(
        &self,
        company: CompanyId,
        target: IvrTarget,
        req: &PageRequest,
    ) -> Result<KeysetPaged<IvrKind>> {
        self.ivr_target(company, target).await?;
        let list = format!(
            "telephony.ivrs:{}:{}:{}",
            company.0,
            target.kind(),
            target.id()
        );
        let key = self.cursor_key().await?;
        let after = req
            .token
            .as_deref()
            .map(|t| key.open::<After>(&list, t).map(|a| a.0))
            .transpose()?;
        let mut kinds = self
            .store
            .ivr_types_page(
                company,
                target,
                KeysetPage {
                    after: after.as_ref(),
                    limit: req.limit + 1,
                    reverse: false,
                },
            )
            .await?;
        let more = kinds.len() > req.limit;
        kinds.truncate(req.limit);
        let next = more
            .then(|| kinds.last().map(|k| key.seal(&list, &After(k.clone()))))
            .flatten();
        let found = self.store.ivrs_of(company, target, &kinds).await?;
        let items = kinds
            .into_iter()
            .map(|k| {
                let of_kind = found.iter().filter(|i| i.ivr_type == k).cloned().collect();
                (k, of_kind)
            })
            .collect();
        Ok(KeysetPaged {
            items,
            total: None,
            next,
        })
    }

    /// Creates an IVR with its MP3 audio for a target, selected for its kind.
    pub async fn create_ivr(&self, actor: &Actor, new: NewIvr) -> Result<Ivr> {
        let name = match &new.name {
            Some(n) => ivr::ivr_name(n)?,
            None => new.ivr_type.clone(),
        };
        let description = match &new.description {
            Some(d) => ivr::ivr_description(d)?,
            None => None,
        };
        if new.audio.is_empty() || !ivr::is_mp3(&new.audio) {
            return Err(DomainError::invalid("file must be MP3 audio"));
        }
        if new.audio.len() > MAX_IVR_BYTES {
            return Err(DomainError::invalid(format!(
                "file is larger than {MAX_IVR_BYTES} bytes"
            )));
        }
        self.ivr_target(actor.company, new.target).await?;
        let file = self
            .media()
            .store_file(
                actor.company,
                actor.user,
                MediaKind::Audio,
                &new.content_type,
                &new.audio,
            )
            .await?;
        let now = self.clock.now();
        let created = Ivr {
            id: IvrId::generate(),
            company_id: actor.company,
            target: new.target,
            ivr_type: new.ivr_type,
            name,
            description,
            media_id: file.id,
            selected: true,
            select_option: None,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.store.begin().await?;
        let held = tx
            .ivr_count(actor.company, created.target, &created.ivr_type)
            .await?;
        if held >= MAX_IVRS_PER_KIND {
            return Err(DomainError::Conflict(format!(
                "a target keeps at most {MAX_IVRS_PER_KIND} IVRs of one type"
            )));
        }
        tx.deselect_ivrs(actor.company, created.target, &created.ivr_type)
            .await?;
        tx.insert_ivr(&created).await?;
        let c = change("custom_ivr_created", "Custom IVR created", &created);
        changelog::record(tx.as_mut(), actor, c, now).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Renames an IVR or changes its description.
    pub async fn update_ivr(
        &self,
        actor: &Actor,
        id: IvrId,
        name: Option<String>,
        description: Option<String>,
    ) -> Result<Ivr> {
        let name = name.as_deref().map(ivr::ivr_name).transpose()?;
        let description = description
            .as_deref()
            .map(ivr::ivr_description)
            .transpose()?;
        let mut tx = self.store.begin().await?;
        let mut found = tx
            .ivr_for_update(actor.company, id)
            .await?
            .ok_or_else(missing)?;
        if let Some(n) = name {
            found.name = n;
        }
        if let Some(d) = description {
            found.description = d;
        }
        found.updated_at = self.clock.now();
        tx.update_ivr(&found).await?;
        let c = change("custom_ivr_updated", "Custom IVR updated", &found);
        changelog::record(tx.as_mut(), actor, c, found.updated_at).await?;
        tx.commit().await?;
        Ok(found)
    }

    /// Selects one of the target's IVRs of a kind (the others of it are deselected); answers
    /// the target's IVRs of that kind. An IVR of another target or kind is missing.
    pub async fn select_ivr(
        &self,
        actor: &Actor,
        target: IvrTarget,
        ivr_type: &str,
        id: IvrId,
        select_option: Option<String>,
    ) -> Result<Vec<Ivr>> {
        self.ivr_target(actor.company, target).await?;
        let mut tx = self.store.begin().await?;
        let mut found = tx
            .ivr_for_update(actor.company, id)
            .await?
            .filter(|i| i.target == target && i.ivr_type == ivr_type)
            .ok_or_else(missing)?;
        tx.deselect_ivrs(actor.company, target, ivr_type).await?;
        found.selected = true;
        found.select_option = select_option;
        found.updated_at = self.clock.now();
        tx.update_ivr(&found).await?;
        let c = change("custom_ivr_selected", "Custom IVR selected", &found);
        changelog::record(tx.as_mut(), actor, c, found.updated_at).await?;
        tx.commit().await?;
        self.store
            .ivrs_of(actor.company, target, &[ivr_type.to_owned()])
            .await
    }

    /// Deletes one of the target's IVRs of a kind (it no longer plays); answers it as it was,
    /// deselected.
    pub async fn delete_ivr(
        &self,
        actor: &Actor,
        target: IvrTarget,
        ivr_type: &str,
        id: IvrId,
    ) -> Result<Ivr> {
        self.ivr_target(actor.company, target).await?;
        let mut tx = self.store.begin().await?;
        let mut found = tx
            .ivr_for_update(actor.company, id)
            .await?
            .filter(|i| i.target == target && i.ivr_type == ivr_type)
            .ok_or_else(missing)?;
        tx.delete_ivr(id).await?;
        let c = change("custom_ivr_deleted", "Custom IVR deleted", &found);
        changelog::record(tx.as_mut(), actor, c, self.clock.now()).await?;
        tx.commit().await?;
        found.selected = false;
        Ok(found)
    }

    /// Signed links to the IVRs' audio: `(expires (Unix seconds), signature)` for each, in
    /// order.
    pub async fn ivr_audio_links(&self, ivrs: &[&Ivr]) -> Result<Vec<(i64, String)>> {
        let ids: Vec<_> = ivrs.iter().map(|i| i.media_id).collect();
        self.media().signed_links(&ids).await
    }
}
