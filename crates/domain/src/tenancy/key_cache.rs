//! Resolved API keys kept in memory between requests, so that a request need not read the
//! database to learn who is calling. An entry is keyed by the key's hash (the key itself is
//! never kept) and holds while the store's authentication epoch is the one it was read under
//! (see [`TenancyStore::auth_epoch`](super::store::TenancyStore::auth_epoch): any commit that
//! changes a partner, company, user or key, in any process, moves it), and for at most a
//! minute, as a backstop should a process die between a commit and its signal.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::account::Principal;

/// Entries kept at most; the cache starts afresh when full.
const MAX_ENTRIES: usize = 10_000;
/// The longest an entry is trusted whatever the epoch says.
const MAX_AGE: Duration = Duration::from_secs(60);

/// See the module documentation.
/// `T` is what a key resolves to: a [`Principal`] for API keys, an OAuth access token's grant.
pub(crate) struct KeyCache<T = Principal> {
    entries: Mutex<HashMap<String, Entry<T>>>,
}

impl<T> Default for KeyCache<T> {
    fn default() -> Self {
        Self {
            entries: Mutex::default(),
        }
    }
}

struct Entry<T> {
    principal: T,
    epoch: u64,
    at: Instant,
}

impl<T: Clone> KeyCache<T> {
    /// The principal of the key with this hash, when read under `epoch` less than a minute ago.
    pub(crate) fn get(&self, hash: &str, epoch: u64) -> Option<T> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(hash)
            .filter(|e| e.epoch == epoch && e.at.elapsed() < MAX_AGE)
            .map(|e| e.principal.clone())
    }

    /// Keeps what the key with this hash resolved to, read under `epoch`.
    pub(crate) fn put(&self, hash: String, principal: T, epoch: u64) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            hash,
            Entry {
                principal,
                epoch,
                at: Instant::now(),
            },
        );
    }
}
