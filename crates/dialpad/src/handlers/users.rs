//! Users: list, get, create and delete. A Dialpad user is the same record as the Bird agent
//! and the Dialgood/Callin account owner; the directory adds the office, state and directory
//! fields.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_domain::ids::{OfficeId, UserId};
use switchboard_domain::page::KeysetPaged;
use switchboard_domain::telephony::directory::{DirectoryUser, NewDirectoryUser, UserFilter};
use switchboard_domain::telephony::office::EntryState;
use switchboard_domain::telephony::Person;
use switchboard_domain::tenancy::account::Email;
use switchboard_domain::Core;

use crate::auth::{Admin, Caller};
use crate::error::{invalid, ApiResult, Body, JsonBody, Params, PathParams, QueryParams, Segments};
use crate::wire::{flag, page, path_id, time, Collection, IdValue};

/// `schemas.user.UserProto`.
#[derive(Serialize)]
pub struct UserProto {
    admin_office_ids: Vec<i64>,
    company_id: i64,
    country: String,
    date_added: String,
    display_name: String,
    do_not_disturb: bool,
    emails: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extension: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: Option<String>,
    forwarding_numbers: Vec<String>,
    id: i64,
    international_dialing_enabled: bool,
    is_admin: bool,
    is_super_admin: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<String>,
    office_id: i64,
    phone_numbers: Vec<String>,
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    status_message: Option<String>,
}

impl From<&Person> for UserProto {
    fn from(p: &Person) -> Self {
        let (u, e) = (&p.directory.user, &p.directory.entry);
        let mut emails = vec![u.email.as_str().to_owned()];
        emails.extend(
            e.fields
                .emails
                .iter()
                .filter(|x| x.as_str() != u.email.as_str())
                .cloned(),
        );
        Self {
            admin_office_ids: e.fields.admin_office_ids.clone(),
            company_id: u.company_id.0,
            country: e.fields.country.clone().unwrap_or_else(|| "us".into()),
            date_added: time(u.created_at),
            display_name: u.display_name(),
            do_not_disturb: p.do_not_disturb,
            emails,
            extension: e.fields.extension.clone(),
            first_name: u.first_name.clone(),
            forwarding_numbers: e.fields.forwarding_numbers.clone(),
            id: u.id.0,
            international_dialing_enabled: e.fields.international_dialing_enabled,
            is_admin: u.is_admin,
            is_super_admin: e.fields.is_super_admin,
            job_title: e.fields.job_title.clone(),
            language: e.fields.language.clone(),
            last_name: u.last_name.clone(),
            license: e.fields.license.clone(),
            office_id: e.office_id.0,
            phone_numbers: p.numbers.clone(),
            state: e.state.as_str(),
            status_message: p.status.message.clone(),
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    cursor: Option<String>,
    state: Option<String>,
    company_admin: Option<String>,
    email: Option<String>,
    number: Option<String>,
    limit: Option<i64>,
}

/// `GET /users`: `state` (`all` for every state; without it, every state but `deleted`),
/// `company_admin`, `email` (exact, case-insensitive) and `number` filters.
pub(crate) async fn list(
    State(core): State<Core>,
    caller: Caller,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<UserProto>>> {
    let req = page(q.limit, q.cursor)?;
    let states = match q.state.as_deref() {
        None => None,
        Some("all") => Some(EntryState::ALL.to_vec()),
        Some(s) => Some(vec![EntryState::parse(s)?]),
    };
    let email = match q.email.as_deref() {
        None => None,
        Some(raw) => match Email::parse(raw) {
            Ok(e) => Some(e),
            // No user has an email that is not one.
            Err(_) => {
                return Ok(Json(Collection {
                    items: Vec::new(),
                    cursor: None,
                }))
            }
        },
    };
    let number = match q.number.as_deref() {
        None => None,
        Some(raw) => match switchboard_domain::phone::E164::parse(raw, None) {
            Ok(n) => Some(n.as_str().to_owned()),
            // No user has a number that is not one.
            Err(_) => {
                return Ok(Json(Collection {
                    items: Vec::new(),
                    cursor: None,
                }))
            }
        },
    };
    let filter = UserFilter {
        states,
        company_admin: flag("company_admin", q.company_admin.as_deref())?,
        email,
        number,
        ids: None,
    };
    let found = core
        .telephony()
        .directory_users(caller.company, &filter, &req)
        .await?;
    Ok(Json(people_page(&core, found).await?))
}

pub(crate) async fn get(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<UserProto>> {
    let id: UserId = path_id(&id, "id")?;
    let found = core.telephony().person(caller.company, id).await?;
    Ok(Json((&found).into()))
}

/// `schemas.user.CreateUserMessage`.
#[derive(Deserialize)]
pub(crate) struct CreateUser {
    email: Option<String>,
    office_id: Option<IdValue>,
    first_name: Option<String>,
    last_name: Option<String>,
    license: Option<String>,
    /// Assign a number from the pool (or the office's area code) at once.
    auto_assign: Option<bool>,
}

/// `POST /users` (admin).
pub(crate) async fn create(
    State(core): State<Core>,
    Admin(caller): Admin,
    JsonBody(body, _): Body<CreateUser>,
) -> ApiResult<Json<UserProto>> {
    let email = body.email.ok_or_else(|| invalid("email is required"))?;
    let office: OfficeId = body
        .office_id
        .ok_or_else(|| invalid("office_id is required"))?
        .id("office_id")?;
    if let Some(l) = &body.license {
        if !crate::allowed_values("schemas.user.CreateUserMessage", "license").contains(&l.as_str())
        {
            return Err(invalid(format!("unknown license '{l}'")));
        }
    }
    let created = core
        .telephony()
        .create_directory_user(
            &caller.actor(),
            NewDirectoryUser {
                company_id: caller.company,
                email,
                first_name: body.first_name,
                last_name: body.last_name,
                office_id: Some(office),
                license: body.license,
                auto_assign: body.auto_assign.unwrap_or(false),
            },
        )
        .await?;
    let created = core.telephony().people(vec![created]).await?;
    Ok(Json(UserProto::from(&created[0])))
}

/// `DELETE /users/{id}` (admin): the user is marked deleted and their keys stop working.
pub(crate) async fn delete(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<UserProto>> {
    let id: UserId = path_id(&id, "id")?;
    let deleted = core
        .telephony()
        .delete_directory_user(&caller.actor(), id)
        .await?;
    let deleted = core.telephony().people(vec![deleted]).await?;
    Ok(Json(UserProto::from(&deleted[0])))
}

/// A page of directory users rendered with their presence (one read for the page).
pub(crate) async fn people_page(
    core: &Core,
    page: KeysetPaged<DirectoryUser>,
) -> ApiResult<Collection<UserProto>> {
    let people = core.telephony().people(page.items).await?;
    Ok(Collection {
        items: people.iter().map(UserProto::from).collect(),
        cursor: page.next,
    })
}
