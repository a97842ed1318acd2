//! Sealed secrets.

use sqlx::AnyConnection;
use switchboard_domain::secret::{Sealed, SecretPurpose, StoredSecret};
use switchboard_domain::Result;

use crate::error::db;
use crate::rows::get;

pub(crate) async fn get_secret(
    c: &mut AnyConnection,
    purpose: SecretPurpose,
    owner: &str,
) -> Result<Option<Sealed>> {
    let row =
        sqlx::query("SELECT key_id, ciphertext FROM secrets WHERE purpose = $1 AND owner = $2")
            .bind(purpose.as_str())
            .bind(owner)
            .fetch_optional(c)
            .await
            .map_err(db)?;
    row.map(|r| {
        Ok(Sealed {
            key_id: get(&r, "key_id")?,
            data: get(&r, "ciphertext")?,
        })
    })
    .transpose()
}

pub(crate) async fn put_secret(
    c: &mut AnyConnection,
    purpose: &str,
    owner: &str,
    sealed: &Sealed,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO secrets (purpose, owner, key_id, ciphertext, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (purpose, owner) DO UPDATE SET key_id = excluded.key_id, ciphertext = excluded.ciphertext, \
         updated_at = excluded.updated_at",
    )
    .bind(purpose)
    .bind(owner)
    .bind(&sealed.key_id)
    .bind(&sealed.data)
    .bind(at)
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn delete_secret(
    c: &mut AnyConnection,
    purpose: SecretPurpose,
    owner: &str,
) -> Result<()> {
    sqlx::query("DELETE FROM secrets WHERE purpose = $1 AND owner = $2")
        .bind(purpose.as_str())
        .bind(owner)
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn all_secrets(c: &mut AnyConnection) -> Result<Vec<StoredSecret>> {
    let found = sqlx::query(
        "SELECT purpose, owner, key_id, ciphertext FROM secrets ORDER BY purpose, owner",
    )
    .fetch_all(c)
    .await
    .map_err(db)?;
    found
        .iter()
        .map(|r| {
            Ok(StoredSecret {
                purpose: get(r, "purpose")?,
                owner: get(r, "owner")?,
                sealed: Sealed {
                    key_id: get(r, "key_id")?,
                    data: get(r, "ciphertext")?,
                },
            })
        })
        .collect()
}
