//! Agent lists in keyset pages: a name filter, a sort order and an opaque cursor.
//!
//! The cursor names the last item of the previous page by its sort key *and* its id, so pages
//! neither skip nor repeat items when names or creation times tie, and stay correct while
//! agents are added or removed between requests. Its token is the foundation's signed cursor
//! ([`crate::cursor`]), scoped to the user whose list issued it: an altered, truncated or
//! forged token, or one of another user's list, is [`DomainError::BadCursor`].

use jiff::Timestamp;
use serde_json::{json, Value};

use crate::ai_agents::agent::VisibleAgent;
use crate::clock::{from_millis, to_millis};
use crate::ids::{AgentId, Id, UserId};
use crate::tenancy::account::User;
use crate::{DomainError, Result};

/// Largest page.
pub const MAX_PAGE_SIZE: u32 = 100;
/// Page size when none is asked for.
pub const DEFAULT_PAGE_SIZE: u32 = 30;

/// What agents are ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentSort {
    /// Case-insensitively by name, then by id.
    Name,
    /// By creation time, then by id.
    CreatedAt,
}

impl AgentSort {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::CreatedAt => "created_at",
        }
    }

    /// Reads a wire name.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "name" => Ok(Self::Name),
            "created_at" => Ok(Self::CreatedAt),
            other => Err(DomainError::invalid(format!(
                "sortBy must be name or created_at (got '{other}')"
            ))),
        }
    }
}

/// Ascending or descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortDirection {
    Asc,
    Desc,
}

impl SortDirection {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Asc => "asc",
            Self::Desc => "desc",
        }
    }

    /// Reads a wire name.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "asc" => Ok(Self::Asc),
            "desc" => Ok(Self::Desc),
            other => Err(DomainError::invalid(format!(
                "sortDirection must be asc or desc (got '{other}')"
            ))),
        }
    }
}

/// The sort key of the last item of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortKey {
    Name(String),
    CreatedAt(Timestamp),
}

impl SortKey {
    /// The sort this key belongs to.
    pub fn sort(&self) -> AgentSort {
        match self {
            Self::Name(_) => AgentSort::Name,
            Self::CreatedAt(_) => AgentSort::CreatedAt,
        }
    }
}

/// Where the next page starts: after the item with this key and id, in this direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentCursor {
    pub key: SortKey,
    pub id: AgentId,
    pub direction: SortDirection,
}

impl AgentCursor {
    /// The position a page token carries (signed by the service, see [`crate::cursor`]).
    pub(crate) fn to_doc(&self) -> Value {
        let (sort, key) = match &self.key {
            SortKey::Name(n) => ("name", json!(n)),
            SortKey::CreatedAt(t) => ("created_at", json!(to_millis(*t))),
        };
        json!({"s": sort, "d": self.direction.as_str(), "k": key, "i": self.id.get()})
    }

    /// Reads the position of a page token; a document of another shape is a bad cursor.
    pub(crate) fn from_doc(doc: &Value) -> Result<Self> {
        let bad = || DomainError::BadCursor(BAD_CURSOR.into());
        let direction = doc["d"]
            .as_str()
            .and_then(|d| SortDirection::parse(d).ok())
            .ok_or_else(bad)?;
        let key = match (doc["s"].as_str(), &doc["k"]) {
            (Some("name"), Value::String(n)) => SortKey::Name(n.clone()),
            (Some("created_at"), Value::Number(n)) => {
                SortKey::CreatedAt(from_millis(n.as_i64().ok_or_else(bad)?))
            }
            _ => return Err(bad()),
        };
        let id = doc["i"]
            .as_i64()
            .and_then(|i| AgentId::parse_str(&i.to_string()))
            .ok_or_else(bad)?;
        Ok(Self { key, id, direction })
    }
}

/// What a cursor that this server did not issue for this user's list is told.
pub const BAD_CURSOR: &str = "cursor is not a value this server returned as nextCursor";

/// A request for one page of agents, as a dialect reads it.
#[derive(Debug, Clone, Default)]
pub struct AgentListRequest {
    /// Case-insensitive substring of the name.
    pub name: Option<String>,
    pub sort: Option<AgentSort>,
    pub direction: Option<SortDirection>,
    /// The previous page's token, as the client sent it back (opened by the service).
    pub cursor: Option<String>,
    pub page_size: Option<i64>,
}

/// The query the store answers: agents visible to `user`, after `after`, at most `limit`.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentListQuery {
    pub user: UserId,
    /// Case-insensitive substring of the name.
    pub name_contains: Option<String>,
    pub sort: AgentSort,
    pub direction: SortDirection,
    /// The last item of the previous page: its sort key and id.
    pub after: Option<(SortKey, AgentId)>,
    pub limit: u32,
}

impl AgentListRequest {
    /// Resolves defaults (newest first, 30 a page) and checks the values, with `cursor` the
    /// position the request's token carries. A cursor carries the order it was made for;
    /// asking for another order with it is invalid.
    pub fn resolve(self, user: UserId, cursor: Option<AgentCursor>) -> Result<AgentListQuery> {
        let limit = match self.page_size {
            None => DEFAULT_PAGE_SIZE,
            Some(n) if (1..=i64::from(MAX_PAGE_SIZE)).contains(&n) => n as u32,
            Some(_) => {
                return Err(DomainError::invalid(format!(
                    "pageSize must be between 1 and {MAX_PAGE_SIZE}"
                )))
            }
        };
        let (sort, direction, after) = match cursor {
            None => (
                self.sort.unwrap_or(AgentSort::CreatedAt),
                self.direction.unwrap_or(SortDirection::Desc),
                None,
            ),
            Some(c) => {
                let sort = c.key.sort();
                if self.sort.is_some_and(|s| s != sort)
                    || self.direction.is_some_and(|d| d != c.direction)
                {
                    return Err(DomainError::invalid(
                        "cursor was made for another sortBy or sortDirection",
                    ));
                }
                (sort, c.direction, Some((c.key, c.id)))
            }
        };
        let name_contains = self.name.filter(|n| !n.is_empty());
        Ok(AgentListQuery {
            user,
            name_contains,
            sort,
            direction,
            after,
            limit,
        })
    }
}

/// An agent as a user sees it, with the user who created (owns) it.
#[derive(Debug, Clone)]
pub struct AgentView {
    pub visible: VisibleAgent,
    /// The owner, when the account still exists.
    pub owner: Option<User>,
}

/// One page of agents.
#[derive(Debug, Clone)]
pub struct AgentPage {
    pub items: Vec<AgentView>,
    /// The signed token of the next page; `None` on the last page.
    pub next: Option<String>,
    pub sort: AgentSort,
    pub direction: SortDirection,
    pub page_size: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_positions_round_trip_and_other_shapes_are_bad_cursors() {
        for key in [
            SortKey::Name("Ann's \"agent\"".into()),
            SortKey::CreatedAt(from_millis(1_700_000_000_123)),
        ] {
            let c = AgentCursor {
                key,
                id: AgentId(1_234_567_890_123_456),
                direction: SortDirection::Asc,
            };
            assert_eq!(AgentCursor::from_doc(&c.to_doc()).unwrap(), c);
        }
        for bad in [json!({}), json!({"s": "x"}), json!("text"), json!([1, 2])] {
            assert!(matches!(
                AgentCursor::from_doc(&bad),
                Err(DomainError::BadCursor(_))
            ));
        }
    }

    #[test]
    fn requests_resolve_defaults_and_refuse_mismatched_cursors() {
        let q = AgentListRequest::default()
            .resolve(UserId(1), None)
            .unwrap();
        assert_eq!(
            (q.sort, q.direction, q.limit),
            (AgentSort::CreatedAt, SortDirection::Desc, 30)
        );
        for size in [0, 101, -1] {
            let r = AgentListRequest {
                page_size: Some(size),
                ..Default::default()
            };
            assert!(r.resolve(UserId(1), None).is_err());
        }
        let cursor = AgentCursor {
            key: SortKey::Name("a".into()),
            id: AgentId(5),
            direction: SortDirection::Asc,
        };
        let follow = AgentListRequest::default()
            .resolve(UserId(1), Some(cursor.clone()))
            .unwrap();
        assert_eq!(
            (follow.sort, follow.direction),
            (AgentSort::Name, SortDirection::Asc)
        );
        let clash = AgentListRequest {
            sort: Some(AgentSort::CreatedAt),
            ..Default::default()
        };
        assert!(clash.resolve(UserId(1), Some(cursor)).is_err());
    }
}
