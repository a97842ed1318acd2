//! Uploaded media records, and their bytes when they live in the database.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::{CompanyId, MediaId, UserId};
use switchboard_domain::media::{MediaFile, MediaKind};
use switchboard_domain::{DomainError, Result};

use crate::error::db;
use crate::rows::get;

fn media(row: &AnyRow) -> Result<MediaFile> {
    let kind: String = get(row, "kind")?;
    Ok(MediaFile {
        id: MediaId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        user_id: get::<Option<i64>>(row, "user_id")?.map(UserId),
        kind: MediaKind::parse(&kind)
            .ok_or_else(|| DomainError::internal(format!("stored media kind {kind}")))?,
        content_type: get(row, "content_type")?,
        size: get(row, "size")?,
        expires_at: from_millis(get(row, "expires_at")?),
        created_at: from_millis(get(row, "created_at")?),
        uploaded_at: get::<Option<i64>>(row, "uploaded_at")?.map(from_millis),
    })
}

pub(crate) async fn get_media(c: &mut AnyConnection, id: MediaId) -> Result<Option<MediaFile>> {
    let row = sqlx::query(
        "SELECT id, company_id, user_id, kind, content_type, size, expires_at, created_at, uploaded_at \
         FROM media_files WHERE id = $1",
    )
    .bind(id.0)
    .fetch_optional(c)
    .await
    .map_err(db)?;
    row.as_ref().map(media).transpose()
}

pub(crate) async fn insert_media(c: &mut AnyConnection, f: &MediaFile) -> Result<()> {
    sqlx::query(
        "INSERT INTO media_files (id, company_id, user_id, kind, content_type, size, expires_at, created_at, \
         uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(f.id.0)
    .bind(f.company_id.0)
    .bind(f.user_id.map(|u| u.0))
    .bind(f.kind.as_str())
    .bind(f.content_type.as_deref())
    .bind(f.size)
    .bind(to_millis(f.expires_at))
    .bind(to_millis(f.created_at))
    .bind(f.uploaded_at.map(to_millis))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn mark_uploaded(c: &mut AnyConnection, f: &MediaFile) -> Result<()> {
    sqlx::query(
        "UPDATE media_files SET content_type = $1, size = $2, uploaded_at = $3 WHERE id = $4",
    )
    .bind(f.content_type.as_deref())
    .bind(f.size)
    .bind(f.uploaded_at.map(to_millis))
    .bind(f.id.0)
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn put_bytes(c: &mut AnyConnection, id: MediaId, bytes: &[u8]) -> Result<()> {
    sqlx::query("UPDATE media_files SET data = $1 WHERE id = $2")
        .bind(bytes.to_vec())
        .bind(id.0)
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn get_bytes(c: &mut AnyConnection, id: MediaId) -> Result<Option<Vec<u8>>> {
    let row = sqlx::query("SELECT data FROM media_files WHERE id = $1")
        .bind(id.0)
        .fetch_optional(c)
        .await
        .map_err(db)?;
    match row {
        Some(r) => get::<Option<Vec<u8>>>(&r, "data"),
        None => Ok(None),
    }
}
