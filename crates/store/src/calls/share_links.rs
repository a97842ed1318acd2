//! Share links in `share_links`: queries, rows and the [`ShareLinkStore`] / [`ShareLinkTx`]
//! implementations. Ids are random text; every read but the opening of a link is scoped to the
//! company.

use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::calls::share_link::{Privacy, RecordingType, ShareKind, ShareLink};
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::{CallId, CompanyId, UserId};
use switchboard_domain::store::{ShareLinkStore, ShareLinkTx};
use switchboard_domain::{DomainError, Result};

use crate::error::db;
use crate::rows::get;
use crate::tx::SqlTx;
use crate::SqlStore;

fn link(row: &AnyRow) -> Result<ShareLink> {
    let stored = |what: &str| DomainError::internal(format!("unknown stored share link {what}"));
    Ok(ShareLink {
        id: get(row, "id")?,
        company_id: CompanyId(get(row, "company_id")?),
        kind: ShareKind::parse(&get::<String>(row, "kind")?).ok_or_else(|| stored("kind"))?,
        call_id: CallId(get(row, "call_id")?),
        item_id: get(row, "item_id")?,
        item_type: match get::<Option<String>>(row, "item_type")? {
            Some(t) => Some(RecordingType::parse(&t).ok_or_else(|| stored("item type"))?),
            None => None,
        },
        privacy: Privacy::parse(&get::<String>(row, "privacy")?)
            .ok_or_else(|| stored("privacy"))?,
        created_by: get::<Option<i64>>(row, "created_by")?.map(UserId),
        created_at: from_millis(get(row, "created_at")?),
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

async fn one(
    c: &mut AnyConnection,
    company: Option<CompanyId>,
    id: &str,
    lock: &str,
) -> Result<Option<ShareLink>> {
    let row = match company {
        Some(co) => {
            sqlx::query(&format!(
                "SELECT * FROM share_links WHERE id = $1 AND company_id = $2{lock}"
            ))
            .bind(id)
            .bind(co.0)
            .fetch_optional(c)
            .await
        }
        None => {
            sqlx::query("SELECT * FROM share_links WHERE id = $1")
                .bind(id)
                .fetch_optional(c)
                .await
        }
    }
    .map_err(db)?;
    row.as_ref().map(link).transpose()
}

#[async_trait]
impl ShareLinkStore for SqlStore {
    async fn share_link(&self, company: CompanyId, id: &str) -> Result<Option<ShareLink>> {
        one(&mut *self.conn().await?, Some(company), id, "").await
    }

    async fn share_link_any(&self, id: &str) -> Result<Option<ShareLink>> {
        one(&mut *self.conn().await?, None, id, "").await
    }
}

#[async_trait]
impl ShareLinkTx for SqlTx {
    async fn share_link_for_update(
        &mut self,
        company: CompanyId,
        id: &str,
    ) -> Result<Option<ShareLink>> {
        let lock = self.backend.lock_clause();
        one(&mut self.tx, Some(company), id, lock).await
    }

    async fn insert_share_link(&mut self, l: &ShareLink) -> Result<()> {
        sqlx::query(
            "INSERT INTO share_links (id, company_id, kind, call_id, item_id, item_type, \
             privacy, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(l.id.as_str())
        .bind(l.company_id.0)
        .bind(l.kind.as_str())
        .bind(l.call_id.0)
        .bind(l.item_id.as_deref())
        .bind(l.item_type.map(|t| t.as_str()))
        .bind(l.privacy.as_str())
        .bind(l.created_by.map(|u| u.0))
        .bind(to_millis(l.created_at))
        .bind(to_millis(l.updated_at))
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn update_share_link(&mut self, l: &ShareLink) -> Result<()> {
        sqlx::query(
            "UPDATE share_links SET privacy = $3, updated_at = $4 \
             WHERE id = $1 AND company_id = $2",
        )
        .bind(l.id.as_str())
        .bind(l.company_id.0)
        .bind(l.privacy.as_str())
        .bind(to_millis(l.updated_at))
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn delete_share_link(&mut self, company: CompanyId, id: &str) -> Result<()> {
        sqlx::query("DELETE FROM share_links WHERE id = $1 AND company_id = $2")
            .bind(id)
            .bind(company.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(())
    }
}
