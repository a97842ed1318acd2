//! Reading this context's rows into domain entities.

use serde_json::Value;
use sqlx::any::AnyRow;
use switchboard_domain::clock::from_millis;
use switchboard_domain::ids::*;
use switchboard_domain::tenancy::account::{
    ApiKey, Company, CompanyStatus, Email, KeyOwner, Partner, User,
};
use switchboard_domain::{DomainError, Result};

use crate::rows::{flag, get};

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
        get::<Option<i64>>(row, "company_id")?,
    ) {
        (Some(u), _, _) => KeyOwner::User(UserId(u)),
        (None, Some(p), _) => KeyOwner::Partner(PartnerId(p)),
        (None, None, Some(c)) => KeyOwner::Company(CompanyId(c)),
        (None, None, None) => return Err(DomainError::internal("api key without owner")),
    };
    Ok(ApiKey {
        id: ApiKeyId(get(row, "id")?),
        owner,
        hash: get(row, "hash")?,
        created_at: from_millis(get(row, "created_at")?),
        revoked_at: get::<Option<i64>>(row, "revoked_at")?.map(from_millis),
    })
}
