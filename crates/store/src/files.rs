//! Where uploaded media bytes live: files in a directory (the embedded default), or the
//! database itself (PostgreSQL, so that every node sees them).

use std::path::PathBuf;

use async_trait::async_trait;
use switchboard_domain::ids::MediaId;
use switchboard_domain::media::FileStore;
use switchboard_domain::{DomainError, Result};

use crate::media::queries as media;
use crate::SqlStore;

/// Files under a directory, one per media id.
pub struct DirFileStore {
    dir: PathBuf,
}

impl DirFileStore {
    /// Files go under `dir` (created when needed).
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    fn path(&self, id: MediaId) -> PathBuf {
        self.dir.join(id.0.to_string())
    }
}

#[async_trait]
impl FileStore for DirFileStore {
    async fn put(&self, id: MediaId, bytes: &[u8]) -> Result<()> {
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(DomainError::internal)?;
        // Write aside and rename, so a reader never sees half a file.
        let tmp = self.dir.join(format!(".{}.part", id.0));
        tokio::fs::write(&tmp, bytes)
            .await
            .map_err(DomainError::internal)?;
        tokio::fs::rename(&tmp, self.path(id))
            .await
            .map_err(DomainError::internal)
    }

    async fn get(&self, id: MediaId) -> Result<Option<Vec<u8>>> {
        match tokio::fs::read(self.path(id)).await {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(DomainError::internal(e)),
        }
    }
}

#[async_trait]
impl FileStore for SqlStore {
    async fn put(&self, id: MediaId, bytes: &[u8]) -> Result<()> {
        let mut c = self.pool.acquire().await.map_err(crate::error::db)?;
        media::put_bytes(&mut c, id, bytes).await
    }

    async fn get(&self, id: MediaId) -> Result<Option<Vec<u8>>> {
        let mut c = self.pool.acquire().await.map_err(crate::error::db)?;
        media::get_bytes(&mut c, id).await
    }
}
