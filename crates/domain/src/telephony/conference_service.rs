//! The use cases of meeting rooms and meetings: reads, scoped to the caller's company. A
//! user's meeting room exists while the user does (deleted users have none).

use crate::ids::CompanyId;
use crate::page::{KeysetPaged, PageRequest};
use crate::telephony::conference::{Meeting, MeetingFilter, MeetingRoom};
use crate::telephony::directory::UserFilter;
use crate::telephony::keyset::Opened;
use crate::telephony::Telephony;
use crate::{DomainError, Result};

impl Telephony<'_> {
    /// The company's meeting rooms (one per user but deleted ones), a page at a time in the
    /// order of their owners' ids.
    pub async fn meeting_rooms(
        &self,
        company: CompanyId,
        req: &PageRequest,
    ) -> Result<KeysetPaged<MeetingRoom>> {
        let name = self
            .store
            .company(company)
            .await?
            .ok_or(DomainError::NotFound("company"))?
            .name;
        let scope = format!("telephony.meeting_rooms:{}", company.0);
        let opened = Opened::new(self, scope, req).await?;
        let found = self
            .store
            .directory_users(company, &UserFilter::default(), opened.page())
            .await?;
        let page = opened.finish(found, |u| u.user.id.0);
        Ok(KeysetPaged {
            items: page
                .items
                .iter()
                .map(|u| MeetingRoom::of(u, &name))
                .collect(),
            total: page.total,
            next: page.next,
        })
    }

    /// The meetings held in the company's rooms (or one room's), a page at a time. A room
    /// the company does not have is not found. Meetings are recorded once calls exist: until
    /// then every list is empty, and a page token (which no list has issued) is refused.
    pub async fn meetings(
        &self,
        company: CompanyId,
        filter: &MeetingFilter,
        req: &PageRequest,
    ) -> Result<KeysetPaged<Meeting>> {
        if let Some(room) = filter.room {
            self.live_directory_user(company, room)
                .await
                .map_err(|e| match e {
                    DomainError::NotFound(_) => DomainError::NotFound("meeting room"),
                    other => other,
                })?;
        }
        let scope = format!(
            "telephony.meetings:{}:{}",
            company.0,
            filter.room.map_or(0, |r| r.0)
        );
        let opened = Opened::new(self, scope, req).await?;
        Ok(opened.finish(Vec::new(), |m: &Meeting| m.id))
    }
}
