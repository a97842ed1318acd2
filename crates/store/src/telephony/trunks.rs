//! SIP trunks: queries, rows and the [`TrunkStore`] / [`TrunkTx`] implementations.

use async_trait::async_trait;
use sqlx::any::AnyRow;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::{CompanyId, TrunkId};
use switchboard_domain::store::{TrunkStore, TrunkTx};
use switchboard_domain::telephony::trunk::SipTrunk;
use switchboard_domain::{DomainError, Result};

use crate::error::db;
use crate::rows::get;
use crate::tx::SqlTx;
use crate::SqlStore;

fn trunk(row: &AnyRow) -> Result<SipTrunk> {
    let allow: String = get(row, "allow")?;
    let allow = allow
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse()
                .map_err(|_| DomainError::internal("a stored trunk range does not parse"))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(SipTrunk {
        id: TrunkId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        name: get(row, "name")?,
        allow,
        username: get(row, "username")?,
        outbound_uri: get(row, "outbound_uri")?,
        created_at: from_millis(get(row, "created_at")?),
    })
}

#[async_trait]
impl TrunkStore for SqlStore {
    /// `sip_trunks_company (company_id, created_at, id)`.
    async fn trunks_of(&self, company: CompanyId, limit: i64) -> Result<Vec<SipTrunk>> {
        let rows = sqlx::query(
            "SELECT * FROM sip_trunks WHERE company_id = $1 ORDER BY created_at, id LIMIT $2",
        )
        .bind(company.0)
        .bind(limit)
        .fetch_all(&mut *self.conn().await?)
        .await
        .map_err(db)?;
        rows.iter().map(trunk).collect()
    }
}

#[async_trait]
impl TrunkTx for SqlTx {
    async fn insert_trunk(&mut self, t: &SipTrunk) -> Result<()> {
        let allow = t
            .allow
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",");
        sqlx::query(
            "INSERT INTO sip_trunks (id, company_id, name, allow, username, outbound_uri, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(t.id.0)
        .bind(t.company_id.0)
        .bind(&t.name)
        .bind(allow)
        .bind(t.username.as_deref())
        .bind(t.outbound_uri.as_deref())
        .bind(to_millis(t.created_at))
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn trunk_count(&mut self, company: CompanyId) -> Result<i64> {
        sqlx::query_scalar("SELECT count(*) FROM sip_trunks WHERE company_id = $1")
            .bind(company.0)
            .fetch_one(&mut *self.tx)
            .await
            .map_err(db)
    }
}
