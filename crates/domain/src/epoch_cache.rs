//! What was read from the store, kept in memory between requests while the store says it has
//! not changed: resolved API keys and OAuth access tokens (keyed by the key's hash; the key
//! itself is never kept), so that a request need not read the database to learn who is
//! calling, and single AI agents. An entry holds while the store's epoch for that data is the
//! one it was read under (see
//! [`TenancyStore::auth_epoch`](crate::store::TenancyStore::auth_epoch): any commit that
//! changes a partner, company, user or key, in any process, moves it; and
//! [`AgentStore::agents_epoch`](crate::store::AgentStore::agents_epoch)), and for at most a
//! minute, as a backstop should a process die between a commit and its signal.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Entries kept at most; the cache starts afresh when full.
const MAX_ENTRIES: usize = 10_000;
/// The longest an entry is trusted whatever the epoch says.
const MAX_AGE: Duration = Duration::from_secs(60);

/// See the module documentation. `K` is what entries are found by (a key's hash, an agent's
/// id), `T` what was read: a [`Principal`](crate::tenancy::account::Principal) for API keys,
/// an OAuth access token's grant, an agent.
pub(crate) struct EpochCache<K, T> {
    entries: Mutex<HashMap<K, Entry<T>>>,
}

impl<K, T> Default for EpochCache<K, T> {
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

impl<K: Hash + Eq, T: Clone> EpochCache<K, T> {
    /// What was kept under `key`, when read under `epoch` less than a minute ago.
    pub(crate) fn get<Q>(&self, key: &Q, epoch: u64) -> Option<T>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|e| e.epoch == epoch && e.at.elapsed() < MAX_AGE)
            .map(|e| e.principal.clone())
    }

    /// Keeps what was read under `key` and `epoch`.
    pub(crate) fn put(&self, key: K, principal: T, epoch: u64) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            key,
            Entry {
                principal,
                epoch,
                at: Instant::now(),
            },
        );
    }
}
