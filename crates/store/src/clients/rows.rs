//! Reading this context's rows into domain entities.

use sqlx::any::AnyRow;
use switchboard_domain::clients::client::{ClientProfile, CLIENT_TEXT_FIELDS};
use switchboard_domain::ids::*;
use switchboard_domain::Result;

use crate::rows::{flag, get};

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
