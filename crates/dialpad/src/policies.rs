//! Access-control policies, enforced for user-scoped callers (plain users' keys and OAuth
//! access tokens of users who are not company admins). A policy's write permissions let its
//! users do the matching admin operation on a call center where they hold it: assigned at the
//! company (every call center), at the call center's office, or at the call center itself.
//! Admins need no policy; a user without the permission gets 403 (another company's call center
//! is 404 first). What is enforced, and nothing else:
//!
//! | operation | permission |
//! |---|---|
//! | `PATCH /callcenters/{id}`: `name`, `group_description` | `name_language_description_settings_write` |
//! | … `hours_on`, `monday_hours` … `sunday_hours` | `business_hours_write` |
//! | … `routing_options` | `call_routing_hours_settings_write` |
//! | … `ring_seconds`, `hold_queue`, `advanced_settings.max_wrap_up_seconds` | `cc_call_settings_write` |
//! | … `advanced_settings.auto_call_recording` | `auto_call_recording_and_transcription_settings_write` |
//! | … `alerts` | `dashboard_and_alerts_write` |
//! | … `voice_intelligence` | `dialpad_ai_settings_write` |
//! | `POST`/`DELETE /callcenters/{id}/operators` | `agents_admins_manage_agents_settings_write` |
//! | `PATCH /callcenters/{id}/operators/{user_id}/skill` | `agents_admins_skill_level_write` |
//!
//! A call-center update needs every permission its fields need (`office_id` only admins may
//! send); an update with no field needs any one permission over the call center. The `…_read`
//! permissions restrict nothing: every user of the company reads the directory already. Other
//! admin operations stay admin-only whatever the policies say.

use std::collections::BTreeSet;

use serde_json::{Map, Value};
use switchboard_domain::ids::GroupId;
use switchboard_domain::{Core, DomainError};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

/// Adding and removing a call center's operators.
pub const MANAGE_OPERATORS: &str = "agents_admins_manage_agents_settings_write";
/// Changing an operator's skill level.
pub const SKILL_LEVEL: &str = "agents_admins_skill_level_write";

/// What a call-center update needs: the permissions of its fields, or `None` when a field is
/// for admins only.
pub type Needed = Option<BTreeSet<&'static str>>;

/// What an operation of one permission needs.
pub fn one(permission: &'static str) -> Needed {
    Some(BTreeSet::from([permission]))
}

/// The permission each field of a call-center update needs (`None`: admins only).
fn field_permission(field: &str) -> Option<Option<&'static str>> {
    Some(Some(match field {
        "name" | "group_description" => "name_language_description_settings_write",
        "hours_on" => "business_hours_write",
        f if f.ends_with("day_hours") => "business_hours_write",
        "routing_options" => "call_routing_hours_settings_write",
        "ring_seconds" | "hold_queue" => "cc_call_settings_write",
        "alerts" => "dashboard_and_alerts_write",
        "voice_intelligence" => "dialpad_ai_settings_write",
        "office_id" | "auto_call_recording" => return Some(None),
        // `advanced_settings` is read field by field; other fields are not read at all.
        _ => return None,
    }))
}

/// What a call-center update with this body needs (see the module documentation).
pub fn call_center_update_needs(body: &Map<String, Value>) -> Needed {
    let mut needed = BTreeSet::new();
    for (field, value) in body.iter().filter(|(_, v)| !v.is_null()) {
        if field == "advanced_settings" {
            let advanced = value.as_object().into_iter().flatten();
            for (inner, _) in advanced.filter(|(_, v)| !v.is_null()) {
                match inner.as_str() {
                    "max_wrap_up_seconds" => needed.insert("cc_call_settings_write"),
                    "auto_call_recording" => {
                        needed.insert("auto_call_recording_and_transcription_settings_write")
                    }
                    _ => false,
                };
            }
            continue;
        }
        match field_permission(field) {
            Some(Some(p)) => {
                needed.insert(p);
            }
            Some(None) => return None,
            None => {}
        }
    }
    Some(needed)
}

impl Caller {
    /// Passes an admin; passes a user whose policies over call center `id` grant every
    /// permission in `needed` (any one when it is empty); 403 otherwise.
    pub async fn may_manage_call_center(
        &self,
        core: &Core,
        id: GroupId,
        needed: Needed,
    ) -> ApiResult<()> {
        if self.admin {
            return Ok(());
        }
        let forbidden = || {
            ApiError(DomainError::Forbidden(
                "Requires a company admin API key or an access-control policy that grants it"
                    .into(),
            ))
        };
        let Some(user) = &self.user else {
            return Err(forbidden());
        };
        let granted = core
            .telephony()
            .call_center_permissions(self.company, user.id, id)
            .await?;
        let Some(needed) = needed else {
            return Err(forbidden());
        };
        let allowed = if needed.is_empty() {
            granted.iter().any(|p| p.ends_with("_write"))
        } else {
            needed.iter().all(|p| granted.contains(*p))
        };
        if allowed {
            Ok(())
        } else {
            Err(forbidden())
        }
    }
}
