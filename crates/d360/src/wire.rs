//! 360dialog's wire shapes and their translation to and from the domain.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use switchboard_domain::clients::client::{Client, ClientChange, ClientText, NewClient};
use switchboard_domain::tenancy::account::{CompanyStatus, Partner};
use switchboard_domain::tenancy::PartnerChange;
use utoipa::{IntoParams, ToSchema};

use crate::error::{invalid, ApiResult};
use crate::fields::{text_field, CLIENT_TEXT_FIELDS};
use crate::ids;

/// Timestamps as the vendor writes them, e.g. `2023-01-02T12:00:00Z`.
pub fn time(ts: jiff::Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A partner account.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerOut {
    /// Partner id, e.g. `1234567890123456PA`.
    pub id: String,
    pub brand_name: String,
    /// Deprecated; always `false`.
    pub payment_required: bool,
    pub logo_url: Option<String>,
    /// Internal field; always `false`.
    pub onboarding_deeplink_add_params: bool,
    /// Webhook URL for Partner API events (non-messaging); `null` when unset.
    pub webhook_url: Option<String>,
    /// Where clients are redirected after integrated onboarding; `null` when unset.
    pub partner_redirect_url: Option<String>,
    /// Country code, e.g. `US`.
    pub country: Option<String>,
    /// Internal field; always `false`.
    pub blocked_new_submission: bool,
    /// If false, clients cannot onboard new numbers.
    pub allow_client_to_add_phone_no: bool,
    /// Partner hub feature settings.
    #[schema(value_type = Option<Object>)]
    pub settings: Option<Map<String, Value>>,
    /// Internal field; always `"default"`.
    pub billing_system: String,
    /// Deprecated Stripe public key; always `null`.
    pub publishable_key: Option<String>,
}

impl PartnerOut {
    /// Renders a partner.
    pub fn new(p: &Partner) -> Self {
        Self {
            id: ids::partner(p.id),
            brand_name: p.name.clone(),
            payment_required: false,
            logo_url: p.logo_url.clone(),
            onboarding_deeplink_add_params: false,
            webhook_url: p.webhook_url.clone(),
            partner_redirect_url: p.partner_redirect_url.clone(),
            country: p.country.clone(),
            blocked_new_submission: false,
            allow_client_to_add_phone_no: p.allow_client_to_add_phone_no,
            settings: p.settings.clone(),
            billing_system: "default".into(),
            publishable_key: None,
        }
    }
}

/// Reads an optional URL field: a string, or `null` to clear it.
fn url_field(body: &Map<String, Value>, key: &str) -> ApiResult<Option<Option<String>>> {
    match body.get(key) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::String(s)) => Ok(Some(Some(s.clone()))),
        Some(_) => Err(invalid(format!("{key} must be a string"))),
    }
}

/// The partner PATCH body: `webhook_url`, `partner_redirect_url`,
/// `allow_client_to_add_phone_no`; anything else is refused.
pub fn partner_change(body: &Value) -> ApiResult<PartnerChange> {
    let Value::Object(body) = body else {
        return Err(invalid("the body must be a JSON object"));
    };
    const WRITABLE: [&str; 3] = [
        "webhook_url",
        "partner_redirect_url",
        "allow_client_to_add_phone_no",
    ];
    if let Some(k) = body.keys().find(|k| !WRITABLE.contains(&k.as_str())) {
        return Err(invalid(format!(
            "field '{k}' cannot be updated: only webhook_url, partner_redirect_url and allow_client_to_add_phone_no are writable"
        )));
    }
    let allow = match body.get("allow_client_to_add_phone_no") {
        None => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => return Err(invalid("allow_client_to_add_phone_no must be a boolean")),
    };
    Ok(PartnerChange {
        webhook_url: url_field(body, "webhook_url")?,
        partner_redirect_url: url_field(body, "partner_redirect_url")?,
        allow_client_to_add_phone_no: allow,
    })
}

/// `{"webhook_url": …}`, the body of the webhook URL endpoints.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookUrl {
    pub webhook_url: Option<String>,
}

/// Who created or last changed a client.
#[derive(Debug, Serialize, ToSchema)]
pub struct Actor {
    pub user_id: Option<String>,
    pub user_name: Option<String>,
}

impl Actor {
    fn parse(stored: Option<&str>) -> Option<Self> {
        let stored = stored?;
        let v: Value = serde_json::from_str(stored).unwrap_or(Value::Null);
        Some(Self {
            user_id: v["user_id"].as_str().map(str::to_owned),
            user_name: v["user_name"]
                .as_str()
                .map(str::to_owned)
                .or_else(|| Some(stored.to_owned()).filter(|_| v.is_null())),
        })
    }

    /// The stored form for a partner acting through the API.
    pub fn store(p: &Partner) -> String {
        json!({"user_id": ids::partner(p.id), "user_name": p.name}).to_string()
    }
}

/// A client (one of the partner's companies).
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientOut {
    /// Client id, e.g. `1234567890123456CL`.
    pub id: String,
    pub name: String,
    /// `pending`, `active`, `suspended` or `terminated`.
    pub status: String,
    pub max_channels: i64,
    pub organisation: Option<String>,
    /// `{business_vertical, timezone, about, business_description, use_case}`.
    #[schema(value_type = Object)]
    pub meta_info: Value,
    /// `{webpage_url, phone, language, country, street_name, city, email, full_name, zip_code}`.
    #[schema(value_type = Object)]
    pub contact_info: Value,
    /// `{phone, email, name}`.
    #[schema(value_type = Object)]
    pub contact_user: Value,
    pub partner_payload: Option<String>,
    pub created_at: String,
    pub modified_at: String,
    pub created_by: Option<Actor>,
    pub modified_by: Option<Actor>,
    pub suspicious: bool,
}

impl ClientOut {
    /// Renders a client; nested objects carry every documented key (`null` when unset).
    pub fn new(c: &Client) -> Self {
        let mut nested: Map<String, Value> = ["meta_info", "contact_info", "contact_user"]
            .into_iter()
            .map(|k| (k.to_owned(), Value::Object(Map::new())))
            .collect();
        for (name, field) in CLIENT_TEXT_FIELDS {
            if let Some((outer, inner)) = name.split_once('.') {
                let value = c
                    .profile
                    .text
                    .get(field)
                    .cloned()
                    .map_or(Value::Null, Value::from);
                if let Some(Value::Object(m)) = nested.get_mut(outer) {
                    m.insert(inner.to_owned(), value);
                }
            }
        }
        let text = |f: ClientText| c.profile.text.get(&f).cloned();
        Self {
            id: ids::client(c.company.id),
            name: c.company.name.clone(),
            status: c.company.status.as_str().into(),
            max_channels: c.profile.max_channels,
            organisation: text(ClientText::Organisation),
            meta_info: nested.remove("meta_info").unwrap_or_default(),
            contact_info: nested.remove("contact_info").unwrap_or_default(),
            contact_user: nested.remove("contact_user").unwrap_or_default(),
            partner_payload: text(ClientText::PartnerPayload),
            created_at: time(c.company.created_at),
            modified_at: time(c.company.updated_at),
            created_by: Actor::parse(c.profile.created_by.as_deref()),
            modified_by: Actor::parse(c.profile.modified_by.as_deref()),
            suspicious: c.profile.suspicious,
        }
    }
}

/// A page of clients.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientList {
    /// Clients on this page.
    pub count: usize,
    /// The filters applied, as sent.
    #[schema(value_type = Object)]
    pub filters: Map<String, Value>,
    /// The sort applied, e.g. `["-created_at"]`.
    pub sort: Vec<String>,
    pub limit: u32,
    pub offset: u64,
    /// Clients matching the filters.
    pub total: u64,
    pub clients: Vec<ClientOut>,
}

/// Query of the clients list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// A JSON object of field → value, e.g. `{"status": "active", "contact_info.email": "a@b.co"}`.
    pub filters: Option<String>,
    /// Page size, 1 to 100 (default 20).
    pub limit: Option<i64>,
    /// Clients to skip (default 0).
    pub offset: Option<i64>,
    /// A field, `-` prefixed for descending; several separated by commas (default `-created_at`).
    pub sort: Option<String>,
}

const NESTED: [&str; 3] = ["meta_info", "contact_info", "contact_user"];

/// Reads the client text fields of a body: top-level `organisation` and `partner_payload`, and
/// the keys of the nested objects. `null` clears a field.
fn text_fields(
    body: &Map<String, Value>,
    top_level_extra: &[&str],
) -> ApiResult<Vec<(ClientText, String, Option<String>)>> {
    let mut out = Vec::new();
    let string = |key: &str, v: &Value| match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        _ => Err(invalid(format!("{key} must be a string"))),
    };
    for (key, value) in body {
        if top_level_extra.contains(&key.as_str()) {
            continue;
        }
        if NESTED.contains(&key.as_str()) {
            let Value::Object(inner) = value else {
                return Err(invalid(format!("{key} must be an object")));
            };
            for (sub, v) in inner {
                let dotted = format!("{key}.{sub}");
                let Some(field) = text_field(&dotted) else {
                    return Err(invalid(format!("unknown field '{dotted}'")));
                };
                let v = string(&dotted, v)?;
                out.push((field, dotted, v));
            }
        } else if let Some(field) = text_field(key).filter(|_| !key.contains('.')) {
            out.push((field, key.clone(), string(key, value)?));
        } else {
            return Err(invalid(format!("unknown field '{key}'")));
        }
    }
    Ok(out)
}

fn int_field(body: &Map<String, Value>, key: &str) -> ApiResult<Option<i64>> {
    match body.get(key) {
        None => Ok(None),
        Some(v) => v
            .as_i64()
            .map(Some)
            .ok_or_else(|| invalid(format!("{key} must be an integer"))),
    }
}

fn status_field(body: &Map<String, Value>) -> ApiResult<Option<CompanyStatus>> {
    match body.get("status") {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(CompanyStatus::parse(s)?)),
        Some(_) => Err(invalid("status must be a string")),
    }
}

fn object(body: &Value) -> ApiResult<&Map<String, Value>> {
    body.as_object()
        .ok_or_else(|| invalid("the body must be a JSON object"))
}

/// The client creation body (an extension): `name` plus any client field.
pub fn new_client(body: &Value) -> ApiResult<NewClient> {
    let body = object(body)?;
    let name = match body.get("name") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(invalid("name must be a string")),
        None => return Err(invalid("name is required")),
    };
    let text = text_fields(body, &["name", "status", "max_channels"])?
        .into_iter()
        .filter_map(|(f, k, v)| v.map(|v| (f, k, v)))
        .collect();
    Ok(NewClient {
        name,
        status: status_field(body)?,
        max_channels: int_field(body, "max_channels")?,
        text,
    })
}

/// The client PATCH body: `partner_payload`, `max_channels`, and (extensions) `status` and the
/// other client fields.
pub fn client_change(body: &Value) -> ApiResult<ClientChange> {
    let body = object(body)?;
    Ok(ClientChange {
        status: status_field(body)?,
        max_channels: int_field(body, "max_channels")?,
        text: text_fields(body, &["status", "max_channels"])?,
    })
}
