//! Users: update and move office (admin). Names and the primary email are the person every
//! dialect shows; `state` `suspended` stops the user's keys from the next request on.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use switchboard_domain::ids::{OfficeId, UserId};
use switchboard_domain::telephony::office::EntryState;
use switchboard_domain::telephony::people::DirectoryPatch;
use switchboard_domain::Core;

use super::users::UserProto;
use crate::auth::Admin;
use crate::error::{invalid, ApiResult, Body, JsonBody, PathParams, Segments};
use crate::wire::{path_id, IdValue};

/// `schemas.user.PresenceStatus`.
#[derive(Deserialize)]
pub(crate) struct PresenceStatusBody {
    message: Option<String>,
    provider: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

impl PresenceStatusBody {
    /// The status message the vendor's templates make of it.
    fn render(self) -> ApiResult<String> {
        let message = self.message.unwrap_or_default();
        let provider = self.provider.filter(|p| !p.trim().is_empty());
        Ok(match (self.kind.as_deref(), provider) {
            (None | Some("default"), None) => message,
            (None | Some("default"), Some(p)) => format!("{p}: {message}"),
            (Some("conference"), Some(p)) => format!("On {p}: in the {message} meeting"),
            (Some("conference"), None) => format!("In the {message} meeting"),
            (Some(other), _) => {
                return Err(invalid(format!(
                    "presence_status.type must be conference or default; got '{other}'"
                )))
            }
        })
    }
}

/// `schemas.user.UpdateUserMessage`.
#[derive(Deserialize)]
pub(crate) struct UpdateUser {
    admin_office_ids: Option<Vec<IdValue>>,
    emails: Option<Vec<String>>,
    extension: Option<String>,
    first_name: Option<String>,
    forwarding_numbers: Option<Vec<String>>,
    international_dialing_enabled: Option<bool>,
    is_super_admin: Option<bool>,
    job_title: Option<String>,
    /// Numbers are kept when the licence changes; accepted and nothing else to do.
    #[allow(dead_code)]
    keep_paid_numbers: Option<bool>,
    last_name: Option<String>,
    license: Option<String>,
    office_id: Option<IdValue>,
    phone_numbers: Option<Vec<String>>,
    presence_status: Option<PresenceStatusBody>,
    state: Option<String>,
}

/// `PATCH /users/{id}` (admin).
pub(crate) async fn update(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<UpdateUser>,
) -> ApiResult<Json<UserProto>> {
    let id: UserId = path_id(&id, "id")?;
    if let Some(l) = &body.license {
        if !crate::allowed_values("schemas.user.UpdateUserMessage", "license").contains(&l.as_str())
        {
            return Err(invalid(format!("unknown license '{l}'")));
        }
    }
    let state = match body.state.as_deref() {
        None => None,
        Some(s @ ("active" | "suspended")) => Some(EntryState::parse(s)?),
        Some(other) => {
            return Err(invalid(format!(
                "state must be active or suspended; got '{other}'"
            )))
        }
    };
    let admin_office_ids = body
        .admin_office_ids
        .map(|ids| {
            ids.iter()
                .map(|i| i.id::<OfficeId>("admin_office_ids"))
                .collect::<ApiResult<Vec<_>>>()
        })
        .transpose()?;
    let patch = DirectoryPatch {
        first_name: body.first_name,
        last_name: body.last_name,
        emails: body.emails,
        extension: body.extension,
        job_title: body.job_title,
        license: body.license,
        office_id: body.office_id.map(|o| o.id("office_id")).transpose()?,
        state,
        forwarding_numbers: body.forwarding_numbers,
        international_dialing_enabled: body.international_dialing_enabled,
        is_super_admin: body.is_super_admin,
        admin_office_ids,
        status_message: body.presence_status.map(|p| p.render()).transpose()?,
        phone_numbers: body.phone_numbers,
    };
    let updated = core
        .telephony()
        .update_directory_user(&caller.actor(), id, patch)
        .await?;
    Ok(Json((&updated).into()))
}

/// `schemas.user.MoveOfficeMessage`.
#[derive(Deserialize)]
pub(crate) struct MoveOffice {
    office_id: Option<IdValue>,
}

/// `PATCH /users/{id}/move_office` (admin): the office must be the company's. Without an
/// office the user stays where they are.
pub(crate) async fn move_office(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<MoveOffice>,
) -> ApiResult<Json<UserProto>> {
    let id: UserId = path_id(&id, "id")?;
    let patch = DirectoryPatch {
        office_id: body.office_id.map(|o| o.id("office_id")).transpose()?,
        ..Default::default()
    };
    let moved = core
        .telephony()
        .update_directory_user(&caller.actor(), id, patch)
        .await?;
    Ok(Json((&moved).into()))
}
