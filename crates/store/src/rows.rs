//! Reading rows into domain entities.

use serde_json::Value;
use sqlx::any::AnyRow;
use sqlx::Row;
use switchboard_domain::account::{ApiKey, Company, CompanyStatus, Email, KeyOwner, Partner, User};
use switchboard_domain::agent::{AgentVersion, AiAgent, Right, Share, VersionAction};
use switchboard_domain::call::Call;
use switchboard_domain::client::{ClientProfile, CLIENT_TEXT_FIELDS};
use switchboard_domain::clock::from_millis;
use switchboard_domain::event::{Delivery, DeliveryAttempt, DeliveryStatus, Event};
use switchboard_domain::ids::*;
use switchboard_domain::{DomainError, Result};

pub(crate) fn get<'r, T>(row: &'r AnyRow, col: &str) -> Result<T>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    row.try_get(col).map_err(DomainError::internal)
}

/// A flag: BOOLEAN on PostgreSQL, INTEGER 0/1 on SQLite.
pub(crate) fn flag(row: &AnyRow, col: &str) -> Result<bool> {
    match row.try_get::<bool, _>(col) {
        Ok(b) => Ok(b),
        Err(_) => Ok(get::<i64>(row, col)? != 0),
    }
}

fn json(row: &AnyRow, col: &str) -> Result<Value> {
    let text: String = get(row, col)?;
    serde_json::from_str(&text).map_err(DomainError::internal)
}

fn object(row: &AnyRow, col: &str) -> Result<serde_json::Map<String, Value>> {
    match json(row, col)? {
        Value::Object(m) => Ok(m),
        _ => Err(DomainError::internal(format!(
            "column {col} is not a JSON object"
        ))),
    }
}

/// Encodes a JSON value for a TEXT column.
pub(crate) fn to_text(v: &impl serde::Serialize) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

pub(crate) fn partner(row: &AnyRow) -> Result<Partner> {
    let settings = match get::<Option<String>>(row, "settings")? {
        None => None,
        Some(text) => match serde_json::from_str(&text).map_err(DomainError::internal)? {
            Value::Object(m) => Some(m),
            _ => None,
        },
    };
    Ok(Partner {
        id: PartnerId(get(row, "id")?),
        name: get(row, "name")?,
        logo_url: get(row, "logo_url")?,
        webhook_url: get(row, "webhook_url")?,
        partner_redirect_url: get(row, "partner_redirect_url")?,
        country: get(row, "country")?,
        allow_client_to_add_phone_no: flag(row, "allow_client_to_add_phone_no")?,
        settings,
        created_at: from_millis(get(row, "created_at")?),
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

pub(crate) fn company(row: &AnyRow) -> Result<Company> {
    Ok(Company {
        id: CompanyId(get(row, "id")?),
        name: get(row, "name")?,
        partner_id: get::<Option<i64>>(row, "partner_id")?.map(PartnerId),
        status: CompanyStatus::parse(&get::<String>(row, "status")?)
            .map_err(|_| DomainError::internal("unknown company status"))?,
        created_at: from_millis(get(row, "created_at")?),
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

pub(crate) fn user(row: &AnyRow) -> Result<User> {
    Ok(User {
        id: UserId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        email: Email::parse(&get::<String>(row, "email")?)?,
        first_name: get(row, "first_name")?,
        last_name: get(row, "last_name")?,
        is_admin: flag(row, "is_admin")?,
        partner_api_enabled: flag(row, "partner_api_enabled")?,
        created_at: from_millis(get(row, "created_at")?),
    })
}

pub(crate) fn api_key(row: &AnyRow) -> Result<ApiKey> {
    let owner = match (
        get::<Option<i64>>(row, "user_id")?,
        get::<Option<i64>>(row, "partner_id")?,
    ) {
        (Some(u), _) => KeyOwner::User(UserId(u)),
        (None, Some(p)) => KeyOwner::Partner(PartnerId(p)),
        (None, None) => return Err(DomainError::internal("api key without owner")),
    };
    Ok(ApiKey {
        id: ApiKeyId(get(row, "id")?),
        owner,
        hash: get(row, "hash")?,
        created_at: from_millis(get(row, "created_at")?),
        revoked_at: get::<Option<i64>>(row, "revoked_at")?.map(from_millis),
    })
}

pub(crate) fn agent(row: &AnyRow) -> Result<AiAgent> {
    let phone_numbers = match json(row, "phone_numbers")? {
        Value::Array(a) => a,
        _ => Vec::new(),
    };
    Ok(AiAgent {
        id: AgentId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        owner_id: UserId(get(row, "owner_id")?),
        name: get(row, "name")?,
        settings: object(row, "settings")?,
        phone_numbers,
        metadata: object(row, "metadata")?,
        extra: object(row, "extra")?,
        revision: get(row, "revision")?,
        created_at: from_millis(get(row, "created_at")?),
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

pub(crate) fn version(row: &AnyRow) -> Result<AgentVersion> {
    let action: String = get(row, "action")?;
    Ok(AgentVersion {
        id: VersionId(get(row, "id")?),
        agent_id: AgentId(get(row, "agent_id")?),
        number: get(row, "number")?,
        action: VersionAction::parse(&action)
            .ok_or_else(|| DomainError::internal("unknown version action"))?,
        commit_message: get(row, "commit_message")?,
        updates: json(row, "updates")?,
        snapshot: json(row, "snapshot")?,
        author_id: UserId(get(row, "author_id")?),
        author_name: get(row, "author_name")?,
        created_at: from_millis(get(row, "created_at")?),
    })
}

/// Reads the share columns (prefixed `share_` when joined).
pub(crate) fn share(row: &AnyRow, prefix: &str) -> Result<Option<Share>> {
    let Some(user_id) = get::<Option<i64>>(row, &format!("{prefix}user_id"))? else {
        return Ok(None);
    };
    let rights_text: String = get(row, &format!("{prefix}rights"))?;
    let rights = rights_text
        .split(',')
        .filter(|s| !s.is_empty())
        .map(Right::parse)
        .collect::<Result<Vec<_>>>()
        .map_err(DomainError::internal)?;
    Ok(Some(Share {
        agent_id: AgentId(get(row, &format!("{prefix}agent_id"))?),
        user_id: UserId(user_id),
        rights,
        shared_by: UserId(get(row, &format!("{prefix}shared_by"))?),
        shared_at: from_millis(get(row, &format!("{prefix}shared_at"))?),
    }))
}

/// The stored form of a rights list.
pub(crate) fn rights_text(rights: &[Right]) -> String {
    rights
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

pub(crate) fn call(row: &AnyRow) -> Result<Call> {
    Ok(Call {
        id: CallId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        ai_agent_id: get::<Option<i64>>(row, "ai_agent_id")?.map(AgentId),
        direction: get(row, "direction")?,
        status: get(row, "status")?,
        from_number: get(row, "from_number")?,
        to_number: get(row, "to_number")?,
        campaign_id: get(row, "campaign_id")?,
        conversation_id: get(row, "conversation_id")?,
        contact_id: get(row, "contact_id")?,
        is_web_call: flag(row, "is_web_call")?,
        duration_secs: get(row, "duration_secs")?,
        started_at: from_millis(get(row, "started_at")?),
    })
}

/// The column of a client text field (`contact_info.email` → `contact_info_email`).
pub(crate) fn text_column(field: &str) -> String {
    field.replace('.', "_")
}

/// Reads the profile columns of a `client_profiles` row (joined: `max_channels` NULL means the
/// company has no profile yet).
pub(crate) fn client_profile(row: &AnyRow, company: CompanyId) -> Result<ClientProfile> {
    let mut profile = ClientProfile::new(company);
    let Some(max_channels) = get::<Option<i64>>(row, "max_channels")? else {
        return Ok(profile);
    };
    profile.max_channels = max_channels;
    profile.suspicious = flag(row, "suspicious")?;
    for field in CLIENT_TEXT_FIELDS {
        if let Some(v) = get::<Option<String>>(row, &text_column(field))? {
            profile.text.insert(field, v);
        }
    }
    profile.created_by = get(row, "created_by")?;
    profile.modified_by = get(row, "modified_by")?;
    Ok(profile)
}

pub(crate) fn event(row: &AnyRow) -> Result<Event> {
    Ok(Event {
        id: EventId(get(row, "id")?),
        kind: get(row, "kind")?,
        partner_id: get::<Option<i64>>(row, "partner_id")?.map(PartnerId),
        company_id: get::<Option<i64>>(row, "company_id")?.map(CompanyId),
        payload: json(row, "payload")?,
        created_at: from_millis(get(row, "created_at")?),
    })
}

pub(crate) fn delivery(row: &AnyRow) -> Result<Delivery> {
    let status: String = get(row, "status")?;
    Ok(Delivery {
        id: DeliveryId(get(row, "id")?),
        event_id: EventId(get(row, "event_id")?),
        partner_id: get::<Option<i64>>(row, "partner_id")?.map(PartnerId),
        url: get(row, "url")?,
        signing_owner: get(row, "signing_owner")?,
        body: get(row, "body")?,
        status: DeliveryStatus::parse(&status)
            .ok_or_else(|| DomainError::internal("unknown delivery status"))?,
        attempts: get(row, "attempts")?,
        next_attempt_at: from_millis(get(row, "next_attempt_at")?),
        last_error: get(row, "last_error")?,
        created_at: from_millis(get(row, "created_at")?),
        finished_at: get::<Option<i64>>(row, "finished_at")?.map(from_millis),
    })
}

pub(crate) fn attempt(row: &AnyRow) -> Result<DeliveryAttempt> {
    Ok(DeliveryAttempt {
        id: AttemptId(get(row, "id")?),
        delivery_id: DeliveryId(get(row, "delivery_id")?),
        attempted_at: from_millis(get(row, "attempted_at")?),
        status_code: get(row, "status_code")?,
        error: get(row, "error")?,
        duration_ms: get(row, "duration_ms")?,
    })
}
