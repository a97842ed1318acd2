//! The share-link use cases: create a link to a call's recording or review, read, change its
//! privacy, delete, and open it (what the link shows, if the viewer may see it).

use crate::calls::share_link::{new_link_id, Privacy, RecordingType, ShareKind, ShareLink, Viewer};
use crate::calls::transcript_link::Transcript;
use crate::calls::Calls;
use crate::ids::{CallId, Id as _};
use crate::telephony::changelog::Actor;
use crate::{DomainError, Result};

/// What a new link shares.
#[derive(Debug, Clone)]
pub enum Shared {
    /// A recording of a call: its id (the call leg's) and type.
    Recording { id: String, kind: RecordingType },
    /// A call's review.
    CallReview(CallId),
}

fn not_found(kind: ShareKind) -> DomainError {
    DomainError::NotFound(match kind {
        ShareKind::Recording => "recording share link",
        ShareKind::CallReview => "call review share link",
    })
}

/// Whether `id` could be a link id (so that any other text never reaches the store).
fn plausible(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

impl Calls<'_> {
    /// A new link to a recording or a call review of the actor's company.
    pub async fn create_share_link(
        &self,
        actor: &Actor,
        shared: Shared,
        privacy: Option<Privacy>,
    ) -> Result<ShareLink> {
        let (kind, call, item) = match shared {
            Shared::Recording { id, kind } => {
                let leg = match CallId::parse_str(&id) {
                    Some(call) => self.store.call_leg(actor.company, call).await?,
                    None => None,
                };
                let leg = leg
                    .filter(|l| kind.of(l))
                    .ok_or(DomainError::NotFound("recording"))?;
                (ShareKind::Recording, leg.id, Some((id, kind)))
            }
            Shared::CallReview(call) => {
                let leg = self.call(actor.company, call).await?;
                (ShareKind::CallReview, leg.id, None)
            }
        };
        let privacy = privacy.unwrap_or(kind.default_privacy());
        if !kind.allows(privacy) {
            return Err(DomainError::invalid(format!(
                "privacy '{}' is not one of a {} link's",
                privacy.as_str(),
                kind.as_str()
            )));
        }
        let now = self.clock.now();
        let (item_id, item_type) = item.unzip();
        let link = ShareLink {
            id: new_link_id(),
            company_id: actor.company,
            kind,
            call_id: call,
            item_id,
            item_type,
            privacy,
            created_by: actor.user,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.store.begin().await?;
        tx.insert_share_link(&link).await?;
        tx.commit().await?;
        Ok(link)
    }

    /// One of the company's links of `kind`.
    pub async fn share_link(
        &self,
        company: crate::ids::CompanyId,
        kind: ShareKind,
        id: &str,
    ) -> Result<ShareLink> {
        if !plausible(id) {
            return Err(not_found(kind));
        }
        self.store
            .share_link(company, id)
            .await?
            .filter(|l| l.kind == kind)
            .ok_or_else(|| not_found(kind))
    }

    /// Changes who may open one of the company's links.
    pub async fn update_share_link(
        &self,
        actor: &Actor,
        kind: ShareKind,
        id: &str,
        privacy: Privacy,
    ) -> Result<ShareLink> {
        if !kind.allows(privacy) {
            return Err(DomainError::invalid(format!(
                "privacy '{}' is not one of a {} link's",
                privacy.as_str(),
                kind.as_str()
            )));
        }
        if !plausible(id) {
            return Err(not_found(kind));
        }
        let mut tx = self.store.begin().await?;
        let mut link = tx
            .share_link_for_update(actor.company, id)
            .await?
            .filter(|l| l.kind == kind)
            .ok_or_else(|| not_found(kind))?;
        link.privacy = privacy;
        link.updated_at = self.clock.now();
        tx.update_share_link(&link).await?;
        tx.commit().await?;
        Ok(link)
    }

    /// Deletes one of the company's links; answers it as it was.
    pub async fn delete_share_link(
        &self,
        actor: &Actor,
        kind: ShareKind,
        id: &str,
    ) -> Result<ShareLink> {
        if !plausible(id) {
            return Err(not_found(kind));
        }
        let mut tx = self.store.begin().await?;
        let link = tx
            .share_link_for_update(actor.company, id)
            .await?
            .filter(|l| l.kind == kind)
            .ok_or_else(|| not_found(kind))?;
        tx.delete_share_link(actor.company, id).await?;
        tx.commit().await?;
        Ok(link)
    }

    /// What a link shows (the call and its transcript), when `viewer` may open it. A link the
    /// viewer may not open is refused (`Forbidden`); a deleted or unknown one is not found.
    pub async fn open_share_link(
        &self,
        id: &str,
        viewer: Option<Viewer>,
    ) -> Result<(ShareLink, Transcript)> {
        if !plausible(id) {
            return Err(DomainError::NotFound("share link"));
        }
        let link = self
            .store
            .share_link_any(id)
            .await?
            .ok_or(DomainError::NotFound("share link"))?;
        if !link.opens_for(viewer) {
            return Err(DomainError::Forbidden(format!(
                "this link is shared with '{}' only",
                link.privacy.as_str()
            )));
        }
        let leg = self.call(link.company_id, link.call_id).await?;
        Ok((link, self.transcript_of(leg).await?))
    }
}
