//! The workforce use cases, one file per concern.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::cursor::CursorKey;
use crate::ids::CompanyId;
use crate::page::PageRequest;
use crate::workforce::store::KeysetPage;
use crate::workforce::Workforce;
use crate::Result;

mod agents;
mod assemble;
mod collab;
mod teams;

pub use agents::SkillSelection;
pub use collab::{RuleInput, SkillInput};
pub use teams::TeamInput;

impl Workforce<'_> {
    /// The cursor key, the token scope of the list `list` of `company` in `req`'s direction,
    /// and the position `req`'s token names (a token of another list, company or direction
    /// fails).
    pub(super) async fn open_token<K: DeserializeOwned>(
        &self,
        company: CompanyId,
        list: &str,
        req: &PageRequest,
    ) -> Result<(CursorKey, String, Option<K>)> {
        let key = self.cursor_key().await?;
        let dir = if req.reverse { "desc" } else { "asc" };
        let scope = format!("workforce.{list}:{}:{dir}", company.0);
        let after = req
            .token
            .as_deref()
            .map(|t| key.open(&scope, t))
            .transpose()?;
        Ok((key, scope, after))
    }
}

/// The store page for `req`: one more row than the page shows, to learn whether more follow.
fn keyset<'a, K>(after: Option<&'a K>, req: &PageRequest) -> KeysetPage<'a, K> {
    KeysetPage {
        after,
        limit: req.limit + 1,
        reverse: req.reverse,
    }
}

/// Cuts the extra row off `found` and signs the next page's token from the last row shown.
fn finish<T, K: Serialize>(
    key: &CursorKey,
    scope: &str,
    mut found: Vec<T>,
    limit: usize,
    key_of: impl Fn(&T) -> K,
) -> (Vec<T>, Option<String>) {
    let more = found.len() > limit;
    found.truncate(limit);
    let next = if more {
        found.last().map(|t| key.seal(scope, &key_of(t)))
    } else {
        None
    };
    (found, next)
}
