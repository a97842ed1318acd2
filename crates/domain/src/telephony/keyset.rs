//! Keyset paging for every directory list: the page token holds the position of the last row
//! shown (its id, or the text key of lists ordered by number), signed for the list's scope (its
//! name, company and filter), so a token only continues the list it came from.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::cursor::CursorKey;
use crate::page::{KeysetPaged, PageRequest};
use crate::telephony::Telephony;
use crate::workforce::store::KeysetPage;
use crate::Result;

/// The position a page token holds: the key of the last row shown.
#[derive(Serialize, Deserialize)]
struct After<K>(K);

/// An opened page request: the key that signs its tokens and the position to continue after
/// (a row id unless the list says otherwise).
pub(crate) struct Opened<K = i64> {
    key: CursorKey,
    scope: String,
    after: Option<K>,
    limit: usize,
}

impl<K: Serialize + DeserializeOwned> Opened<K> {
    /// Opens `req` for the list named by `scope` (a bad token is 400).
    pub(crate) async fn new(t: &Telephony<'_>, scope: String, req: &PageRequest) -> Result<Self> {
        Self::open(t, scope, req).await
    }

    /// [`Self::new`] for any context's list.
    pub(crate) async fn open(core: &crate::Core, scope: String, req: &PageRequest) -> Result<Self> {
        let key = core.cursor_key().await?;
        let after = req
            .token
            .as_deref()
            .map(|tok| key.open::<After<K>>(&scope, tok).map(|a| a.0))
            .transpose()?;
        Ok(Self {
            key,
            scope,
            after,
            limit: req.limit,
        })
    }

    /// The store's page: one row more than shown, to know whether another page follows.
    pub(crate) fn page(&self) -> KeysetPage<'_, K> {
        KeysetPage {
            after: self.after.as_ref(),
            limit: self.limit + 1,
            reverse: false,
        }
    }

    /// The page shown, with the token of the next one when more rows follow.
    pub(crate) fn finish<T>(&self, mut found: Vec<T>, key_of: impl Fn(&T) -> K) -> KeysetPaged<T> {
        let more = found.len() > self.limit;
        found.truncate(self.limit);
        let next = more
            .then(|| {
                found
                    .last()
                    .map(|t| self.key.seal(&self.scope, &After(key_of(t))))
            })
            .flatten();
        KeysetPaged {
            items: found,
            total: None,
            next,
        }
    }
}
