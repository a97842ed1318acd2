//! Reading this context's rows into domain entities.

use sqlx::any::AnyRow;
use switchboard_domain::clients::client::{ClientProfile, ClientText};
use switchboard_domain::ids::*;
use switchboard_domain::Result;

use crate::rows::{flag, get};

/// The `client_profiles` column of a client text field.
pub(crate) fn text_column(field: ClientText) -> &'static str {
    match field {
        ClientText::Organisation => "organisation",
        ClientText::PartnerPayload => "partner_payload",
        ClientText::BusinessVertical => "meta_info_business_vertical",
        ClientText::Timezone => "meta_info_timezone",
        ClientText::About => "meta_info_about",
        ClientText::BusinessDescription => "meta_info_business_description",
        ClientText::UseCase => "meta_info_use_case",
        ClientText::WebpageUrl => "contact_info_webpage_url",
        ClientText::Phone => "contact_info_phone",
        ClientText::Language => "contact_info_language",
        ClientText::Country => "contact_info_country",
        ClientText::StreetName => "contact_info_street_name",
        ClientText::City => "contact_info_city",
        ClientText::Email => "contact_info_email",
        ClientText::FullName => "contact_info_full_name",
        ClientText::ZipCode => "contact_info_zip_code",
        ClientText::ContactUserPhone => "contact_user_phone",
        ClientText::ContactUserEmail => "contact_user_email",
        ClientText::ContactUserName => "contact_user_name",
    }
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
    for field in ClientText::ALL {
        if let Some(v) = get::<Option<String>>(row, text_column(field))? {
            profile.text.insert(field, v);
        }
    }
    profile.created_by = get(row, "created_by")?;
    profile.modified_by = get(row, "modified_by")?;
    Ok(profile)
}
