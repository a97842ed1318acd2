//! `/{partner_id}/clients`: the partner's client companies.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{Map, Value};
use switchboard_domain::clients::client::{ClientFilter, ClientKey, ClientQuery};
use switchboard_domain::page::Page;
use switchboard_domain::tenancy::account::CompanyStatus;
use switchboard_domain::{Core, DomainError};

use crate::auth::PartnerCaller;
use crate::error::{
    invalid, ApiError, ApiResult, Body, JsonBody, Params, PathParams, QueryParams, Segments,
};
use crate::fields::{client_key, key_name};
use crate::ids;
use crate::wire::{client_change, new_client, Actor, ClientList, ClientOut, ListQuery};

/// The filters of a list: a JSON object of documented keys to values.
fn filters(raw: Option<&str>) -> ApiResult<(Map<String, Value>, Vec<ClientFilter>)> {
    let Some(raw) = raw.filter(|r| !r.trim().is_empty()) else {
        return Ok((Map::new(), Vec::new()));
    };
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(raw) else {
        return Err(invalid("filters must be a JSON object"));
    };
    let mut out = Vec::new();
    for (key, value) in &map {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) if key == "id" => n.to_string(),
            _ => return Err(invalid(format!("filter '{key}' must be a string"))),
        };
        let filter = match client_key(key) {
            Some(ClientKey::Id) => match ids::parse_client(&text) {
                Some(id) => ClientFilter::Id(id),
                // An id that is not one of ours matches nothing.
                None => ClientFilter::Id(switchboard_domain::ids::CompanyId(0)),
            },
            Some(ClientKey::Name) => ClientFilter::NameContains(text),
            Some(ClientKey::Status) => ClientFilter::Status(CompanyStatus::parse(&text)?),
            Some(ClientKey::Text(f)) => ClientFilter::Text(f, text),
            _ => return Err(invalid(format!("unknown filter '{key}'"))),
        };
        out.push(filter);
    }
    Ok((map, out))
}

/// Sort keys with `true` for descending.
type SortKeys = Vec<(ClientKey, bool)>;

/// The sort of a list: fields, `-` prefixed for descending, comma-separated.
fn sort(raw: Option<&str>) -> ApiResult<(Vec<String>, SortKeys)> {
    let raw = raw
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .unwrap_or("-created_at");
    let mut echo = Vec::new();
    let mut keys = Vec::new();
    for part in raw.split(',').map(str::trim) {
        let (desc, name) = match part.strip_prefix('-') {
            Some(n) => (true, n),
            None => (false, part.strip_prefix('+').unwrap_or(part)),
        };
        let key =
            client_key(name).ok_or_else(|| invalid(format!("unknown sort field '{name}'")))?;
        echo.push(format!("{}{}", if desc { "-" } else { "" }, key_name(key)));
        keys.push((key, desc));
    }
    Ok((echo, keys))
}

/// List clients, with `filters` (JSON object), `sort`, `limit` and `offset`.
#[utoipa::path(get, path = "/{partner_id}/clients", tag = "clients",
    params(("partner_id" = String, Path), ListQuery),
    responses((status = 200, body = ClientList), (status = 400), (status = 401), (status = 404)))]
pub(crate) async fn list(
    State(core): State<Core>,
    caller: PartnerCaller,
    PathParams(partner_id, _): Segments<String>,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<ClientList>> {
    let partner = caller.own(&partner_id)?;
    let (echo_filters, parsed_filters) = filters(q.filters.as_deref())?;
    let (echo_sort, parsed_sort) = sort(q.sort.as_deref())?;
    if q.offset.is_some_and(|o| o < 0) {
        return Err(invalid("offset must not be negative"));
    }
    let page = Page::parse(q.limit, q.offset, 20, 100)?;
    let query = ClientQuery {
        partner: partner.id,
        filters: parsed_filters,
        sort: parsed_sort,
        page,
    };
    let found = core.partner_clients().clients(&query).await?;
    let clients: Vec<ClientOut> = found.items.iter().map(ClientOut::new).collect();
    Ok(Json(ClientList {
        count: clients.len(),
        filters: echo_filters,
        sort: echo_sort,
        limit: page.limit,
        offset: page.skip,
        total: found.total,
        clients,
    }))
}

/// Create a client (extension): `name` and any client field; writes a `client_created` event.
#[utoipa::path(post, path = "/{partner_id}/clients", tag = "clients",
    params(("partner_id" = String, Path)), request_body = Object,
    responses((status = 201, body = ClientOut), (status = 400), (status = 401), (status = 404)))]
pub(crate) async fn create(
    State(core): State<Core>,
    caller: PartnerCaller,
    PathParams(partner_id, _): Segments<String>,
    JsonBody(body, _): Body<Value>,
) -> ApiResult<impl IntoResponse> {
    let partner = caller.own(&partner_id)?;
    let new = new_client(&body)?;
    let client = core
        .partner_clients()
        .create_client(partner.id, new, Some(Actor::store(&partner)))
        .await?;
    Ok((StatusCode::CREATED, Json(ClientOut::new(&client))))
}

fn client_id(raw: &str) -> ApiResult<switchboard_domain::ids::CompanyId> {
    ids::parse_client(raw).ok_or(ApiError(DomainError::NotFound("client")))
}

/// Retrieve one client; another partner's client is not found.
#[utoipa::path(get, path = "/{partner_id}/clients/{client_id}", tag = "clients",
    params(("partner_id" = String, Path), ("client_id" = String, Path)),
    responses((status = 200, body = ClientOut), (status = 401), (status = 404)))]
pub(crate) async fn get(
    State(core): State<Core>,
    caller: PartnerCaller,
    PathParams((partner_id, raw_client), _): Segments<(String, String)>,
) -> ApiResult<Json<ClientOut>> {
    let partner = caller.own(&partner_id)?;
    let client = core
        .partner_clients()
        .client(partner.id, client_id(&raw_client)?)
        .await?;
    Ok(Json(ClientOut::new(&client)))
}

/// Update a client: `partner_payload`, `max_channels`; extensions: `status` (writes a
/// `client_status_changed` event), `organisation` and the `meta_info`/`contact_info`/
/// `contact_user` fields.
#[utoipa::path(patch, path = "/{partner_id}/clients/{client_id}", tag = "clients",
    params(("partner_id" = String, Path), ("client_id" = String, Path)), request_body = Object,
    responses((status = 200, body = ClientOut), (status = 400), (status = 401), (status = 404)))]
pub(crate) async fn patch(
    State(core): State<Core>,
    caller: PartnerCaller,
    PathParams((partner_id, raw_client), _): Segments<(String, String)>,
    JsonBody(body, _): Body<Value>,
) -> ApiResult<Json<ClientOut>> {
    let partner = caller.own(&partner_id)?;
    let id = client_id(&raw_client)?;
    let change = client_change(&body)?;
    let client = core
        .partner_clients()
        .update_client(Some(partner.id), id, change, Some(Actor::store(&partner)))
        .await?;
    Ok(Json(ClientOut::new(&client)))
}
