//! The use cases of users' devices: reads, scoped to the caller's company. Devices are written
//! by the SIP registrar as they register (`sip_service`); a lapsed registration is not there.

use crate::ids::{CompanyId, DeviceId};
use crate::page::{KeysetPaged, PageRequest};
use crate::telephony::device::{Device, DeviceFilter};
use crate::telephony::keyset::Opened;
use crate::telephony::Telephony;
use crate::{DomainError, Result};

impl Telephony<'_> {
    /// One of the company's devices.
    pub async fn device(&self, company: CompanyId, id: DeviceId) -> Result<Device> {
        self.store
            .device(company, id, self.clock.now())
            .await?
            .ok_or(DomainError::NotFound("device"))
    }

    /// The company's devices (or one user's), a page at a time in id order. A user filter
    /// naming a user the company does not have (or a deleted one) is not found.
    pub async fn devices(
        &self,
        company: CompanyId,
        filter: &DeviceFilter,
        req: &PageRequest,
    ) -> Result<KeysetPaged<Device>> {
        if let Some(user) = filter.user_id {
            self.live_directory_user(company, user).await?;
        }
        let scope = format!(
            "telephony.devices:{}:{}",
            company.0,
            filter.user_id.map_or(0, |u| u.0)
        );
        let opened = Opened::new(self, scope, req).await?;
        let found = self
            .store
            .devices_page(company, filter, self.clock.now(), opened.page())
            .await?;
        Ok(opened.finish(found, |d| d.id.0))
    }
}
