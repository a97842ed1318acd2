//! Departments: create, get, update, delete, list (the company's and an office's). They share
//! the call centers' handling ([`super::callcenters`]); their operators are in
//! [`super::operators`].

use axum::extract::State;
use axum::Json;
use serde_json::Value;
use switchboard_domain::telephony::group::GroupKind;
use switchboard_domain::Core;

use super::callcenters::{
    create_group, delete_group, get_group, list_groups, update_group, ListQuery,
};
use super::group_wire::GroupBody;
use crate::auth::{Admin, Caller};
use crate::error::{ApiResult, Body, JsonBody, Params, PathParams, QueryParams, Segments};
use crate::wire::Collection;

const KIND: GroupKind = GroupKind::Department;

pub(crate) async fn create(
    State(core): State<Core>,
    Admin(caller): Admin,
    JsonBody(body, _): Body<GroupBody>,
) -> ApiResult<Json<Value>> {
    create_group(&core, &caller, KIND, body).await
}

pub(crate) async fn get(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    get_group(&core, &caller, KIND, &id).await
}

pub(crate) async fn update(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<GroupBody>,
) -> ApiResult<Json<Value>> {
    update_group(&core, &caller, KIND, &id, body).await
}

pub(crate) async fn delete(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    delete_group(&core, &caller, KIND, &id).await
}

/// `GET /departments`: `office_id` and `name_search`.
pub(crate) async fn list(
    State(core): State<Core>,
    caller: Caller,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<Value>>> {
    list_groups(&core, &caller, KIND, None, q).await
}

/// `GET /offices/{office_id}/departments`.
pub(crate) async fn list_in_office(
    State(core): State<Core>,
    caller: Caller,
    PathParams(office, _): Segments<String>,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<Value>>> {
    list_groups(&core, &caller, KIND, Some(&office), q).await
}
