//! The media context's storage: its queries, its rows, and the domain's
//! [`MediaStore`] and [`MediaTx`] over them.

pub(crate) mod queries;

use async_trait::async_trait;
use switchboard_domain::ids::*;
use switchboard_domain::media::MediaFile;
use switchboard_domain::Result;

use crate::tx::SqlTx;
use crate::SqlStore;
use switchboard_domain::store::{MediaStore, MediaTx};

#[async_trait]
impl MediaStore for SqlStore {
    async fn media(&self, id: MediaId) -> Result<Option<MediaFile>> {
        queries::get_media(&mut *self.conn().await?, id).await
    }
}

#[async_trait]
impl MediaTx for SqlTx {
    async fn insert_media(&mut self, file: &MediaFile) -> Result<()> {
        queries::insert_media(&mut self.tx, file).await
    }
    async fn mark_media_uploaded(&mut self, file: &MediaFile) -> Result<()> {
        queries::mark_uploaded(&mut self.tx, file).await
    }
}
