//! 360dialog's names of the client fields: the dotted form of the nesting under `meta_info`,
//! `contact_info` and `contact_user` (as filters and sorts write them), mapped to the domain's
//! client text fields and list keys.

use switchboard_domain::clients::client::{ClientKey, ClientText};

/// Every client text field by its 360dialog name, in the order the wire shows them.
pub const CLIENT_TEXT_FIELDS: &[(&str, ClientText)] = &[
    ("organisation", ClientText::Organisation),
    ("partner_payload", ClientText::PartnerPayload),
    ("meta_info.business_vertical", ClientText::BusinessVertical),
    ("meta_info.timezone", ClientText::Timezone),
    ("meta_info.about", ClientText::About),
    (
        "meta_info.business_description",
        ClientText::BusinessDescription,
    ),
    ("meta_info.use_case", ClientText::UseCase),
    ("contact_info.webpage_url", ClientText::WebpageUrl),
    ("contact_info.phone", ClientText::Phone),
    ("contact_info.language", ClientText::Language),
    ("contact_info.country", ClientText::Country),
    ("contact_info.street_name", ClientText::StreetName),
    ("contact_info.city", ClientText::City),
    ("contact_info.email", ClientText::Email),
    ("contact_info.full_name", ClientText::FullName),
    ("contact_info.zip_code", ClientText::ZipCode),
    ("contact_user.phone", ClientText::ContactUserPhone),
    ("contact_user.email", ClientText::ContactUserEmail),
    ("contact_user.name", ClientText::ContactUserName),
];

/// The text field 360dialog calls `name`, if it is one.
pub fn text_field(name: &str) -> Option<ClientText> {
    CLIENT_TEXT_FIELDS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
}

/// 360dialog's name of a text field.
pub fn text_name(field: ClientText) -> &'static str {
    CLIENT_TEXT_FIELDS
        .iter()
        .find(|(_, f)| *f == field)
        .map(|(n, _)| *n)
        .expect("every text field has a 360dialog name")
}

/// Reads a filter or sort field name.
pub fn client_key(name: &str) -> Option<ClientKey> {
    Some(match name {
        "id" => ClientKey::Id,
        "name" => ClientKey::Name,
        "status" => ClientKey::Status,
        "max_channels" => ClientKey::MaxChannels,
        "created_at" => ClientKey::CreatedAt,
        "modified_at" => ClientKey::ModifiedAt,
        other => ClientKey::Text(text_field(other)?),
    })
}

/// 360dialog's name of a list key.
pub fn key_name(key: ClientKey) -> &'static str {
    match key {
        ClientKey::Id => "id",
        ClientKey::Name => "name",
        ClientKey::Status => "status",
        ClientKey::MaxChannels => "max_channels",
        ClientKey::CreatedAt => "created_at",
        ClientKey::ModifiedAt => "modified_at",
        ClientKey::Text(f) => text_name(f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_field_has_one_name_and_keys_round_trip() {
        assert_eq!(CLIENT_TEXT_FIELDS.len(), ClientText::ALL.len());
        for field in ClientText::ALL {
            assert_eq!(text_field(text_name(field)), Some(field));
            let key = ClientKey::Text(field);
            assert_eq!(client_key(key_name(key)), Some(key));
        }
        for name in [
            "id",
            "name",
            "status",
            "max_channels",
            "created_at",
            "modified_at",
        ] {
            assert_eq!(key_name(client_key(name).unwrap()), name);
        }
        assert_eq!(client_key("meta_info"), None);
        assert_eq!(client_key("contact_info.unknown"), None);
    }
}
