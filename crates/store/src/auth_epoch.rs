//! The epoch of the data that authentication reads (partners, companies, users, API keys), so
//! that the domain may keep resolved keys in memory and still see a revocation, a suspension or
//! a new user at once, in every process.
//!
//! A write transaction that changes that data marks itself (the tenancy writes do); its commit
//! moves the epoch:
//! - in this process, an atomic counter, moved after the commit and before the request that
//!   made it answers;
//! - on SQLite, also a small file beside the database (`<database>-auth-epoch`) that holds a
//!   random value, rewritten after every such commit by whichever process made it (a command
//!   line `switchboard key revoke` while a server runs, say) and read by every request (one
//!   `pread`, no database round trip);
//! - on PostgreSQL, also `NOTIFY switchboard_auth` in the transaction, which every process's
//!   listener turns into a move of its counter. While a process's listener is not connected,
//!   the epoch is unknown and nothing is served from memory.
//!
//! The same mechanism keeps the **agents epoch** (`<database>-agents-epoch`), moved by every
//! commit that writes an AI agent's row, so that single-agent reads may be served from memory
//! on SQLite. On PostgreSQL it is always unknown: agents are read per request there, so that a
//! PATCH does not pay for a `NOTIFY`.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The PostgreSQL channel that announces commits of authentication data.
pub const AUTH_CHANNEL: &str = "switchboard_auth";

/// See the module documentation.
pub(crate) struct AuthEpoch {
    local: AtomicU64,
    /// SQLite's shared epoch file, when the database is a file.
    file: Option<File>,
    /// PostgreSQL: whether this process's listener is in force.
    listening: Option<AtomicBool>,
}

impl AuthEpoch {
    /// SQLite: the epoch file beside the database file (none for an in-memory database, which
    /// no other process can open).
    pub(crate) fn sqlite(url: &str) -> Self {
        Self::sqlite_file(url, "auth-epoch")
    }

    /// SQLite: an epoch kept in the file `<database>-<suffix>`.
    pub(crate) fn sqlite_file(url: &str, suffix: &str) -> Self {
        let (file, listening) = match sqlite_path(url) {
            None => (None, None),
            Some(db) => match std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(format!("{db}-{suffix}"))
            {
                Ok(f) => (Some(f), None),
                // Without its file, a file database cannot vouch for other processes' writes.
                Err(e) => {
                    tracing::warn!(error = %e, "no authentication epoch file; keys are read per request");
                    (None, Some(AtomicBool::new(false)))
                }
            },
        };
        Self {
            local: AtomicU64::new(0),
            file,
            listening,
        }
    }

    /// An epoch that is never known: nothing it guards is served from memory.
    pub(crate) fn unknown() -> Self {
        Self::postgres()
    }

    /// PostgreSQL: unknown until the listener is in force.
    pub(crate) fn postgres() -> Self {
        Self {
            local: AtomicU64::new(0),
            file: None,
            listening: Some(AtomicBool::new(false)),
        }
    }

    /// The current epoch, or `None` when it cannot be known (nothing may then be served from
    /// memory).
    pub(crate) fn current(&self) -> Option<u64> {
        if let Some(listening) = &self.listening {
            if !listening.load(Ordering::Acquire) {
                return None;
            }
        }
        let local = self.local.load(Ordering::Acquire);
        match &self.file {
            None => Some(local),
            Some(file) => {
                let mut buf = [0u8; 8];
                match file.read_at(&mut buf, 0) {
                    Ok(_) => Some(local.wrapping_add(u64::from_le_bytes(buf))),
                    Err(_) => None,
                }
            }
        }
    }

    /// After a commit that changed authentication data.
    pub(crate) fn bump(&self) {
        self.local.fetch_add(1, Ordering::AcqRel);
        if let Some(file) = &self.file {
            let value: u64 = rand::random();
            if let Err(e) = file.write_all_at(&value.to_le_bytes(), 0) {
                tracing::warn!(error = %e, "the authentication epoch file could not be written");
            }
        }
    }

    /// PostgreSQL's listener: in force (`true`) or lost (`false`); either way, what was kept
    /// before is stale.
    pub(crate) fn set_listening(&self, on: bool) {
        self.local.fetch_add(1, Ordering::AcqRel);
        if let Some(listening) = &self.listening {
            listening.store(on, Ordering::Release);
        }
    }
}

/// The file of a `sqlite:` URL, or `None` for an in-memory database.
fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" || url.contains("mode=memory") {
        None
    } else {
        Some(path.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths() {
        assert_eq!(
            sqlite_path("sqlite:///data/s.db?mode=rwc").as_deref(),
            Some("/data/s.db")
        );
        assert_eq!(sqlite_path("sqlite:s.db").as_deref(), Some("s.db"));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("sqlite://x?mode=memory"), None);
    }

    #[test]
    fn a_bump_in_another_process_moves_the_epoch() {
        let dir = std::env::temp_dir().join(format!("auth-epoch-{}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}/s.db", dir.display());
        let (one, two) = (AuthEpoch::sqlite(&url), AuthEpoch::sqlite(&url));
        let before = one.current().unwrap();
        two.bump();
        assert_ne!(one.current().unwrap(), before);
        let before = one.current().unwrap();
        assert_eq!(one.current().unwrap(), before);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn postgres_knows_nothing_until_listening() {
        let e = AuthEpoch::postgres();
        assert_eq!(e.current(), None);
        e.set_listening(true);
        let at = e.current().unwrap();
        e.bump();
        assert_ne!(e.current(), Some(at));
        e.set_listening(false);
        assert_eq!(e.current(), None);
    }
}
