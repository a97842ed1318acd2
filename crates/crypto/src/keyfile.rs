//! The master key file of the embedded default: `master.key` in the data directory, mode 0600,
//! one key per line: the current key first, then the key it replaced (still opened, never used
//! to seal by a server that has seen the rotation).
//!
//! A rotation first writes the new key to `master.key.next`, then re-encrypts every secret in
//! one database transaction, then writes `master.key` as the new key followed by the old one.
//! A key file left at `.next` by a crash is loaded as well, so every ciphertext stays readable
//! at every step. Keeping the replaced key matters for a server still running on the data
//! directory: whatever it sealed with the old key while the rotation ran stays readable, and
//! [`FileKeyring`] makes it pick up the new key at once.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use switchboard_domain::secret::{Cipher, Sealed};

use crate::{Keyring, MasterKey};

/// Why the key file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// The key files in one data directory.
#[derive(Debug, Clone)]
pub struct KeyFile {
    current: PathBuf,
    next: PathBuf,
}

impl KeyFile {
    /// The key files of `data_dir`.
    pub fn in_dir(data_dir: &Path) -> Self {
        Self {
            current: data_dir.join("master.key"),
            next: data_dir.join("master.key.next"),
        }
    }

    /// Loads the keyring, generating the key on first start.
    pub fn load_or_create(&self) -> Result<(MasterKey, Keyring), KeyFileError> {
        if read_keys(&self.current)?.is_none() {
            write_private(&self.current, &[MasterKey::generate()])?;
        }
        self.load()?.ok_or_else(|| KeyFileError::Invalid {
            path: self.current.clone(),
            message: "the key file disappeared".into(),
        })
    }

    /// Loads the keyring if the key file exists: its first key seals; its other keys and a
    /// staged key open.
    pub fn load(&self) -> Result<Option<(MasterKey, Keyring)>, KeyFileError> {
        let Some(mut keys) = read_keys(&self.current)? else {
            return Ok(None);
        };
        let current = keys.remove(0);
        keys.extend(read_keys(&self.next)?.into_iter().flatten());
        let ring = Keyring::new(&current, &keys);
        Ok(Some((current, ring)))
    }

    /// Writes the key a rotation is moving to, before any secret is re-encrypted.
    pub fn stage(&self, key: &MasterKey) -> Result<(), KeyFileError> {
        write_private(&self.next, std::slice::from_ref(key))
    }

    /// Makes the staged key current, after every secret was re-encrypted, and keeps the key it
    /// replaces for opening (keys before that one are dropped: every secret they sealed was
    /// re-encrypted by the previous rotation).
    pub fn promote(&self) -> Result<(), KeyFileError> {
        let staged = read_keys(&self.next)?
            .ok_or_else(|| KeyFileError::Invalid {
                path: self.next.clone(),
                message: "no staged key".into(),
            })?
            .remove(0);
        let replaced = read_keys(&self.current)?
            .map(|old| old.into_iter().take(1).filter(|k| *k != staged).collect())
            .unwrap_or_default();
        let keys: Vec<MasterKey> = std::iter::once(staged).chain::<Vec<_>>(replaced).collect();
        write_private(&self.current, &keys)?;
        fs::remove_file(&self.next).map_err(|source| KeyFileError::Io {
            path: self.next.clone(),
            source,
        })
    }
}

/// The keys of a key file, one a line (at least one), or `None` if there is no file.
fn read_keys(path: &Path) -> Result<Option<Vec<MasterKey>>, KeyFileError> {
    let invalid = |message: String| KeyFileError::Invalid {
        path: path.to_owned(),
        message,
    };
    match fs::read_to_string(path) {
        Ok(text) => {
            let keys = text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(MasterKey::parse)
                .collect::<Result<Vec<_>, _>>()
                .map_err(invalid)?;
            if keys.is_empty() {
                return Err(invalid("no key in the key file".into()));
            }
            Ok(Some(keys))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(KeyFileError::Io {
            path: path.to_owned(),
            source,
        }),
    }
}

fn write_private(path: &Path, keys: &[MasterKey]) -> Result<(), KeyFileError> {
    let io = |source| KeyFileError::Io {
        path: path.to_owned(),
        source,
    };
    let tmp = path.with_extension("tmp");
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp).map_err(io)?;
    for key in keys {
        file.write_all(key.encode().as_bytes()).map_err(io)?;
        file.write_all(b"\n").map_err(io)?;
    }
    file.sync_all().map_err(io)?;
    fs::rename(&tmp, path).map_err(io)
}

/// The cipher of a server on a key file: it seals with the file's current key, read afresh for
/// every seal, and re-reads the file when asked to open a ciphertext of a key it does not know.
/// So a `secrets rotate` run while the server is up takes effect in it at once, and nothing the
/// server seals during or after the rotation names a key the file no longer keeps.
pub struct FileKeyring {
    file: KeyFile,
    ring: RwLock<Arc<Keyring>>,
}

impl FileKeyring {
    /// Loads the key file (generating the key on first start).
    pub fn open(file: KeyFile) -> Result<Self, KeyFileError> {
        let (_, ring) = file.load_or_create()?;
        Ok(Self {
            file,
            ring: RwLock::new(Arc::new(ring)),
        })
    }

    fn loaded(&self) -> Arc<Keyring> {
        self.ring
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The keyring as the file has it now (the loaded one if the file cannot be read).
    fn reload(&self) -> Arc<Keyring> {
        match self.file.load() {
            Ok(Some((_, ring))) => {
                let ring = Arc::new(ring);
                *self
                    .ring
                    .write()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = ring.clone();
                ring
            }
            Ok(None) | Err(_) => self.loaded(),
        }
    }
}

impl Cipher for FileKeyring {
    fn seal(&self, plaintext: &[u8], context: &str) -> switchboard_domain::Result<Sealed> {
        self.reload().seal(plaintext, context)
    }

    fn open(&self, sealed: &Sealed, context: &str) -> switchboard_domain::Result<Vec<u8>> {
        let mut ring = self.loaded();
        if ring.find(&sealed.key_id).is_none() {
            ring = self.reload();
        }
        ring.open(sealed, context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_a_private_key_once_and_stages_rotation() {
        let dir = tempfile::tempdir().unwrap();
        let file = KeyFile::in_dir(dir.path());
        let (first, _) = file.load_or_create().unwrap();
        let (again, _) = file.load_or_create().unwrap();
        assert_eq!(first, again);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join("master.key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let next = MasterKey::generate();
        file.stage(&next).unwrap();
        let (cur, ring) = file.load_or_create().unwrap();
        assert_eq!(cur, first);
        assert!(
            ring.find(&next.id()).is_some(),
            "a staged key is loaded too"
        );
        file.promote().unwrap();
        assert_eq!(file.load_or_create().unwrap().0, next);
    }

    #[test]
    fn a_rotation_keeps_the_replaced_key_and_a_running_keyring_follows_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = KeyFile::in_dir(dir.path());
        let running = FileKeyring::open(file.clone()).unwrap();
        let (first, _) = file.load().unwrap().unwrap();
        let before = running.seal(b"one", "c").unwrap();
        assert_eq!(before.key_id, first.id());

        let second = MasterKey::generate();
        file.stage(&second).unwrap();
        // Sealed by another process with the new key: the running keyring reads the file.
        let by_rotation = Keyring::new(&second, &[]).seal(b"two", "c").unwrap();
        assert_eq!(running.open(&by_rotation, "c").unwrap(), b"two");
        file.promote().unwrap();
        assert!(!dir.path().join("master.key.next").exists());
        let after = running.seal(b"three", "c").unwrap();
        assert_eq!(after.key_id, second.id(), "seals with the new key at once");

        let restarted = FileKeyring::open(file.clone()).unwrap();
        for (sealed, plain) in [
            (&before, &b"one"[..]),
            (&by_rotation, b"two"),
            (&after, b"three"),
        ] {
            assert_eq!(restarted.open(sealed, "c").unwrap(), plain);
        }

        // A second rotation drops the first key (its secrets were re-encrypted already).
        let third = MasterKey::generate();
        file.stage(&third).unwrap();
        file.promote().unwrap();
        let (current, ring) = file.load().unwrap().unwrap();
        assert_eq!(current, third);
        assert!(ring.find(&second.id()).is_some());
        assert!(ring.find(&first.id()).is_none());
    }
}
