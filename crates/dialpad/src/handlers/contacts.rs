//! Contacts: the company's shared contacts and its users' local ones (list, create, create or
//! update by `uid`, get, update, delete). Ids are the contact's integer id written as a string,
//! as the document's `ContactProto.id` is.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_domain::ids::{ContactId, UserId};
use switchboard_domain::telephony::contact::{Contact, ContactInput, ContactScope};
use switchboard_domain::Core;

use crate::auth::{Admin, Caller};
use crate::error::{invalid, ApiResult, Body, JsonBody, Params, PathParams, QueryParams, Segments};
use crate::wire::{flag, page, path_id, Collection, IdValue};

/// `CreateContactMessage`, `CreateContactMessageWithUid` and `UpdateContactMessage` together:
/// `owner_id` is for `POST`, `uid` for `PUT`, neither for `PATCH`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContactBody {
    first_name: Option<String>,
    last_name: Option<String>,
    company_name: Option<String>,
    job_title: Option<String>,
    extension: Option<String>,
    trunk_group: Option<String>,
    emails: Option<Vec<String>>,
    phones: Option<Vec<String>>,
    urls: Option<Vec<String>>,
    owner_id: Option<IdValue>,
    uid: Option<String>,
}

impl ContactBody {
    fn input(self) -> ContactInput {
        ContactInput {
            first_name: self.first_name,
            last_name: self.last_name,
            company_name: self.company_name,
            job_title: self.job_title,
            extension: self.extension,
            trunk_group: self.trunk_group,
            emails: self.emails,
            phones: self.phones,
            urls: self.urls,
        }
    }
}

/// `schemas.contact.ContactProto`.
#[derive(Serialize)]
pub(crate) struct ContactProto {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    owner_id: String,
    first_name: String,
    last_name: String,
    display_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    company_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extension: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trunk_group: Option<String>,
    emails: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    primary_email: Option<String>,
    phones: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    primary_phone: Option<String>,
    urls: Vec<String>,
}

impl From<&Contact> for ContactProto {
    fn from(c: &Contact) -> Self {
        let f = &c.fields;
        Self {
            id: c.id.0.to_string(),
            kind: if c.owner.is_some() { "local" } else { "shared" },
            owner_id: c.owner.map_or(c.company_id.0, |u| u.0).to_string(),
            first_name: f.first_name.clone(),
            last_name: f.last_name.clone(),
            display_name: c.display_name(),
            company_name: f.company_name.clone(),
            job_title: f.job_title.clone(),
            extension: f.extension.clone(),
            trunk_group: f.trunk_group.clone(),
            emails: f.emails.clone(),
            primary_email: f.emails.first().cloned(),
            phones: f.phones.clone(),
            primary_phone: f.phones.first().cloned(),
            urls: f.urls.clone(),
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    cursor: Option<String>,
    include_local: Option<String>,
    owner_id: Option<String>,
}

/// `GET /contacts`: shared contacts; with `include_local=true` every user's local ones too;
/// with `owner_id` only that user's local contacts.
pub(crate) async fn list(
    State(core): State<Core>,
    caller: Caller,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<ContactProto>>> {
    let req = page(None, q.cursor)?;
    let include_local = flag("include_local", q.include_local.as_deref())?.unwrap_or(false);
    let scope = match q.owner_id.as_deref().filter(|o| !o.is_empty()) {
        Some(raw) => ContactScope::LocalOf(path_id::<UserId>(raw, "owner_id")?),
        None if include_local => ContactScope::All,
        None => ContactScope::Shared,
    };
    let found = core
        .telephony()
        .contacts(caller.company, scope, &req)
        .await?;
    Ok(Json(Collection::of(found, |c| c.into())))
}

/// `POST /contacts` (admin): a shared contact, or a local one of the user `owner_id`.
pub(crate) async fn create(
    State(core): State<Core>,
    Admin(caller): Admin,
    JsonBody(body, _): Body<ContactBody>,
) -> ApiResult<Json<ContactProto>> {
    if body.uid.is_some() {
        return Err(invalid("uid is for PUT /contacts"));
    }
    let owner = body
        .owner_id
        .as_ref()
        .map(|o| o.id::<UserId>("owner_id"))
        .transpose()?;
    let created = core
        .telephony()
        .create_contact(&caller.actor(), owner, body.input())
        .await?;
    Ok(Json((&created).into()))
}

/// `PUT /contacts` (admin): the shared contact of `uid`, created or replaced.
pub(crate) async fn put(
    State(core): State<Core>,
    Admin(caller): Admin,
    JsonBody(mut body, _): Body<ContactBody>,
) -> ApiResult<Json<ContactProto>> {
    if body.owner_id.is_some() {
        return Err(invalid("owner_id is for POST /contacts"));
    }
    let uid = body.uid.take().ok_or_else(|| invalid("uid is required"))?;
    let put = core
        .telephony()
        .put_contact_by_uid(&caller.actor(), &uid, body.input())
        .await?;
    Ok(Json((&put).into()))
}

pub(crate) async fn get(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<ContactProto>> {
    let id: ContactId = path_id(&id, "id")?;
    let found = core.telephony().contact(caller.company, id).await?;
    Ok(Json((&found).into()))
}

/// `PATCH /contacts/{id}` (admin): the fields given replace; the rest stay.
pub(crate) async fn update(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<ContactBody>,
) -> ApiResult<Json<ContactProto>> {
    let id: ContactId = path_id(&id, "id")?;
    if body.owner_id.is_some() || body.uid.is_some() {
        return Err(invalid("owner_id and uid cannot be changed"));
    }
    let updated = core
        .telephony()
        .update_contact(&caller.actor(), id, body.input())
        .await?;
    Ok(Json((&updated).into()))
}

/// `DELETE /contacts/{id}` (admin): answers the contact as it was.
pub(crate) async fn delete(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<ContactProto>> {
    let id: ContactId = path_id(&id, "id")?;
    let deleted = core.telephony().delete_contact(&caller.actor(), id).await?;
    Ok(Json((&deleted).into()))
}
