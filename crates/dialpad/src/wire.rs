//! Wire shapes shared by the resources: paging, timestamps, ids.
//!
//! - Ids are JSON integers (int64 below 2^53), the same number every dialect renders for the
//!   entity; in paths they are decimal integers (anything else is 400).
//! - Timestamps are UTC to the second, `2021-06-20T19:18:00Z`: the document's examples leave
//!   the zone out, but its schemas say RFC 3339 `date-time`, which needs one; clients that
//!   parse either form read these.
//! - Lists take `cursor` (and `limit` where the document has it, 1–100, default 100; larger
//!   values give pages of 100) and answer `{"items": [...], "cursor": "..."}`, with `cursor`
//!   absent on the last page. Cursors are signed keyset positions: one of another list, another
//!   filter or another company, or an altered one, is 400.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use switchboard_domain::ids::Id;
use switchboard_domain::page::{KeysetPaged, PageRequest};

use crate::error::{invalid, ApiResult};

/// Largest page.
pub const MAX_LIMIT: usize = 100;

/// `2021-06-20T19:18:00Z`.
pub fn time(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// An id from a path segment.
pub fn path_id<T: Id>(raw: &str, what: &str) -> ApiResult<T> {
    T::parse_str(raw).ok_or_else(|| invalid(format!("{what} must be a positive integer id")))
}

/// `limit` and `cursor` as a page request.
pub fn page(limit: Option<i64>, cursor: Option<String>) -> ApiResult<PageRequest> {
    let limit = match limit {
        None => MAX_LIMIT,
        Some(n) if n < 1 => return Err(invalid("limit must be a positive number")),
        Some(n) => (n as usize).min(MAX_LIMIT),
    };
    Ok(PageRequest {
        limit,
        token: cursor.filter(|c| !c.is_empty()),
        reverse: false,
    })
}

/// `{items, cursor}`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Collection<T> {
    pub items: Vec<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

impl<T> Collection<T> {
    /// A page rendered item by item.
    pub fn of<U>(page: KeysetPaged<U>, render: impl FnMut(&U) -> T) -> Self {
        Self {
            items: page.items.iter().map(render).collect(),
            cursor: page.next,
        }
    }
}

/// An id in a request body: a JSON integer, or its decimal string (the document's examples
/// write ids as strings).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum IdValue {
    Int(i64),
    Text(String),
}

impl IdValue {
    /// The id, or 400 naming `field`.
    pub fn id<T: Id>(&self, field: &str) -> ApiResult<T> {
        let parsed = match self {
            Self::Int(n) if *n > 0 => Some(T::from_raw(*n)),
            Self::Int(_) => None,
            Self::Text(s) => T::parse_str(s),
        };
        parsed.ok_or_else(|| invalid(format!("{field} must be a positive integer id")))
    }
}

/// A boolean query parameter: `true`/`false` in any case (the Python SDK sends `True`), or
/// `1`/`0`; anything else is 400.
pub fn flag(name: &str, raw: Option<&str>) -> ApiResult<Option<bool>> {
    match raw.map(|r| r.trim().to_ascii_lowercase()).as_deref() {
        None => Ok(None),
        Some("true" | "1") => Ok(Some(true)),
        Some("false" | "0") => Ok(Some(false)),
        Some(_) => Err(invalid(format!("{name} must be true or false"))),
    }
}
