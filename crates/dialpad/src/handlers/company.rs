//! `GET /company`: the caller's company.

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use switchboard_domain::telephony::CompanyProfile;
use switchboard_domain::tenancy::account::CompanyStatus;
use switchboard_domain::Core;

use crate::auth::Admin;
use crate::error::ApiResult;

/// `schemas.company.CompanyProto`.
#[derive(Serialize)]
pub struct CompanyProto {
    /// Always `standard`: Switchboard has no plans of its own.
    account_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    admin_email: Option<String>,
    country: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    domain: Option<String>,
    id: i64,
    name: String,
    office_count: u64,
    state: &'static str,
}

/// A company status as Dialpad names it (`terminated` is `cancelled`).
pub(crate) fn state(status: CompanyStatus) -> &'static str {
    match status {
        CompanyStatus::Pending => "pending",
        CompanyStatus::Active => "active",
        CompanyStatus::Suspended => "suspended",
        CompanyStatus::Terminated => "cancelled",
    }
}

impl From<CompanyProfile> for CompanyProto {
    fn from(p: CompanyProfile) -> Self {
        let domain = p
            .admin_email
            .as_deref()
            .and_then(|e| e.split_once('@'))
            .map(|(_, d)| d.to_owned());
        Self {
            account_type: "standard",
            admin_email: p.admin_email,
            country: p.main_office.country,
            domain,
            id: p.company.id.0,
            name: p.company.name,
            office_count: p.office_count,
            state: state(p.company.status),
        }
    }
}

pub(crate) async fn get(
    State(core): State<Core>,
    Admin(caller): Admin,
) -> ApiResult<Json<CompanyProto>> {
    let profile = core.telephony().company_profile(caller.company).await?;
    Ok(Json(profile.into()))
}
