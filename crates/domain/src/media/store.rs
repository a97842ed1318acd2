//! Storage of uploaded media: reads on [`MediaStore`], writes inside a [`MediaTx`]. Implemented for
//! SQLite and PostgreSQL in `switchboard-store`.

use async_trait::async_trait;

use crate::ids::MediaId;
use crate::media::MediaFile;

use crate::Result;

/// Reads of uploaded media.
#[async_trait]
pub trait MediaStore: Send + Sync {
    async fn media(&self, id: MediaId) -> Result<Option<MediaFile>>;
}

/// Writes of uploaded media, inside a write transaction.
#[async_trait]
pub trait MediaTx: Send {
    async fn insert_media(&mut self, file: &MediaFile) -> Result<()>;
    /// Records that the bytes of a file arrived.
    async fn mark_media_uploaded(&mut self, file: &MediaFile) -> Result<()>;
}
