//! Keyset paging by id for the directory's lists of rooms, devices, coaching teams, channels
//! and members: the page token holds the last id shown, signed for the list's scope (its
//! name, company and filter), so a token only continues the list it came from.

use serde::{Deserialize, Serialize};

use crate::cursor::CursorKey;
use crate::page::{KeysetPaged, PageRequest};
use crate::telephony::Telephony;
use crate::workforce::store::KeysetPage;
use crate::Result;

/// The position a page token holds: the id of the last row shown.
#[derive(Serialize, Deserialize)]
struct After(i64);

/// An opened page request: the key that signs its tokens and the position to continue after.
pub(crate) struct Opened {
    key: CursorKey,
    scope: String,
    after: Option<i64>,
    limit: usize,
}

impl Opened {
    /// Opens `req` for the list named by `scope` (a bad token is 400).
    pub(crate) async fn new(t: &Telephony<'_>, scope: String, req: &PageRequest) -> Result<Self> {
        let key = t.cursor_key().await?;
        let after = req
            .token
            .as_deref()
            .map(|tok| key.open::<After>(&scope, tok).map(|a| a.0))
            .transpose()?;
        Ok(Self {
            key,
            scope,
            after,
            limit: req.limit,
        })
    }

    /// The store's page: one row more than shown, to know whether another page follows.
    pub(crate) fn page(&self) -> KeysetPage<'_, i64> {
        KeysetPage {
            after: self.after.as_ref(),
            limit: self.limit + 1,
            reverse: false,
        }
    }

    /// The page shown, with the token of the next one when more rows follow.
    pub(crate) fn finish<T>(&self, mut found: Vec<T>, id_of: impl Fn(&T) -> i64) -> KeysetPaged<T> {
        let more = found.len() > self.limit;
        found.truncate(self.limit);
        let next = more
            .then(|| {
                found
                    .last()
                    .map(|t| self.key.seal(&self.scope, &After(id_of(t))))
            })
            .flatten();
        KeysetPaged {
            items: found,
            total: None,
            next,
        }
    }
}
