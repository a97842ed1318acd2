//! Bird's wire shapes and their translation to and from the domain.

pub mod agents;
pub mod collab;
pub mod input;

use serde::{Deserialize, Deserializer};
use switchboard_domain::clock::iso_millis;
use switchboard_domain::ids::Id;

/// Renders an instant as Bird does: RFC 3339, UTC, milliseconds.
pub fn ts(t: jiff::Timestamp) -> String {
    iso_millis(t)
}

/// An id in Bird's UUID form.
pub fn uuid(id: impl Id) -> String {
    id.to_uuid()
}

/// For `Option<Option<T>>` fields: absent stays `None`, `null` becomes `Some(None)`.
pub fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}
