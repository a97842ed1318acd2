//! The master key file of the embedded default: `master.key` in the data directory, mode 0600.
//!
//! A rotation first writes the new key to `master.key.next`, then re-encrypts every secret in
//! one database transaction, then renames the new file over the old one. A key file left at
//! `.next` by a crash is loaded as well, so every ciphertext stays readable at every step.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

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
        let current = match read_key(&self.current)? {
            Some(k) => k,
            None => {
                let k = MasterKey::generate();
                write_private(&self.current, &k)?;
                k
            }
        };
        let older: Vec<MasterKey> = read_key(&self.next)?.into_iter().collect();
        let ring = Keyring::new(&current, &older);
        Ok((current, ring))
    }

    /// Writes the key a rotation is moving to, before any secret is re-encrypted.
    pub fn stage(&self, key: &MasterKey) -> Result<(), KeyFileError> {
        write_private(&self.next, key)
    }

    /// Makes the staged key current, after every secret was re-encrypted.
    pub fn promote(&self) -> Result<(), KeyFileError> {
        fs::rename(&self.next, &self.current).map_err(|source| KeyFileError::Io {
            path: self.next.clone(),
            source,
        })
    }
}

fn read_key(path: &Path) -> Result<Option<MasterKey>, KeyFileError> {
    match fs::read_to_string(path) {
        Ok(text) => MasterKey::parse(&text)
            .map(Some)
            .map_err(|message| KeyFileError::Invalid {
                path: path.to_owned(),
                message,
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(KeyFileError::Io {
            path: path.to_owned(),
            source,
        }),
    }
}

fn write_private(path: &Path, key: &MasterKey) -> Result<(), KeyFileError> {
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
    file.write_all(key.encode().as_bytes()).map_err(io)?;
    file.write_all(b"\n").map_err(io)?;
    file.sync_all().map_err(io)?;
    fs::rename(&tmp, path).map_err(io)
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
}
