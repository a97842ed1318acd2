//! What a call center's or department's wire body names, looked up in the directory: the
//! targets its routes point at, and the offices of a page of groups.

use std::collections::HashMap;

use switchboard_domain::ids::{CallRouterId, CompanyId, GroupId, Id, OfficeId, UserId};
use switchboard_domain::telephony::group::{Group, GroupKind};
use switchboard_domain::telephony::office::Office;
use switchboard_domain::{Core, DomainError};

use crate::error::{ApiError, ApiResult};

/// Checks that the targets of users, offices, call centers, departments and call routers exist
/// in the company (404 otherwise). Other kinds of target are not part of the directory yet.
pub(crate) async fn check_targets(
    core: &Core,
    company: CompanyId,
    refs: &[(i64, String)],
) -> ApiResult<()> {
    let t = core.telephony();
    for (id, kind) in refs {
        match kind.as_str() {
            "user" => {
                let u = t.directory_user(company, UserId::from_raw(*id)).await?;
                if u.entry.state.as_str() == "deleted" {
                    return Err(ApiError(DomainError::NotFound("user")));
                }
            }
            "office" => {
                t.office(company, OfficeId::from_raw(*id)).await?;
            }
            "callcenter" => {
                t.group(company, GroupKind::CallCenter, GroupId::from_raw(*id))
                    .await?;
            }
            "department" => {
                t.group(company, GroupKind::Department, GroupId::from_raw(*id))
                    .await?;
            }
            "callrouter" => {
                t.call_router(company, CallRouterId::from_raw(*id)).await?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// The offices of the groups, by id (a page names few).
pub(crate) async fn offices_of(
    core: &Core,
    company: CompanyId,
    groups: &[Group],
) -> ApiResult<HashMap<i64, Office>> {
    let mut found = HashMap::new();
    for g in groups {
        if let std::collections::hash_map::Entry::Vacant(slot) = found.entry(g.office_id.0) {
            slot.insert(core.telephony().office(company, g.office_id).await?);
        }
    }
    Ok(found)
}
