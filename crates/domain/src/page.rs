//! Paging shared by every list: offset pages ([`Page`]) and keyset pages ([`PageRequest`],
//! whose tokens are signed cursors).

use crate::{DomainError, Result};

/// A window into a list: skip `skip` items, return at most `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: u32,
    pub skip: u64,
}

impl Page {
    /// Builds a page from optional raw values, refusing negative numbers and clamping `limit`
    /// to `max`.
    pub fn parse(
        limit: Option<i64>,
        skip: Option<i64>,
        default_limit: u32,
        max: u32,
    ) -> Result<Self> {
        let limit = match limit {
            None => default_limit,
            Some(n) if n < 1 => {
                return Err(DomainError::invalid("limit must be a positive number"))
            }
            Some(n) => n.min(i64::from(max)) as u32,
        };
        let skip = match skip {
            None => 0,
            Some(n) if n < 0 => return Err(DomainError::invalid("skip must not be negative")),
            Some(n) => n as u64,
        };
        Ok(Self { limit, skip })
    }
}

/// One page of results and the total number of matches: a counter the writes keep when no
/// filter narrows the list; with a filter, a count that stops some way (10,000 rows) beyond
/// the page's end, so a total at that bound is a lower bound (and `has_more` stays right).
#[derive(Debug, Clone)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub total: u64,
}

impl<T> Paged<T> {
    /// Whether items exist beyond this page.
    pub fn has_more(&self, page: Page) -> bool {
        page.skip + (self.items.len() as u64) < self.total
    }
}

/// A request for one page of a keyset-paged list: at most `limit` items after the position a
/// previous page's token names (see [`crate::cursor`]).
#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    pub limit: usize,
    pub token: Option<String>,
    pub reverse: bool,
}

/// One page of a keyset-paged list: the items, the number of items in all when the list gives
/// it, and the token of the next page if there is one.
#[derive(Debug, Clone)]
pub struct KeysetPaged<T> {
    pub items: Vec<T>,
    pub total: Option<u64>,
    pub next: Option<String>,
}
