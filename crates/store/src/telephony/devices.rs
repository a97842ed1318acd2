//! Users' devices: queries, rows and the [`DeviceStore`] / [`DeviceTx`] implementations.
//! Every read is scoped to its company.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::any::AnyRow;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::{CompanyId, DeviceId, UserId};
use switchboard_domain::store::{DeviceStore, DeviceTx};
use switchboard_domain::telephony::device::{Device, DeviceFilter, SipAccount, SipBinding};
use switchboard_domain::workforce::store::KeysetPage;
use switchboard_domain::Result;

use crate::error::db;
use crate::rows::get;
use crate::sql::filter::Arg;
use crate::sql::keyset::{after, order_limit, Sql};
use crate::tx::SqlTx;
use crate::SqlStore;

fn device(row: &AnyRow) -> Result<Device> {
    let username: Option<String> = get(row, "sip_username")?;
    let sip = match username {
        Some(username) => Some(SipBinding {
            username,
            key: get(row, "sip_key")?,
            contact: get(row, "sip_contact")?,
            expires_at: from_millis(get(row, "expires_at")?),
        }),
        None => None,
    };
    Ok(Device {
        id: DeviceId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        user_id: UserId(get(row, "user_id")?),
        kind: get(row, "kind")?,
        display_name: get(row, "display_name")?,
        phone_number: get(row, "phone_number")?,
        app_version: get(row, "app_version")?,
        registered_at: get::<Option<i64>>(row, "registered_at")?.map(from_millis),
        sip,
        created_at: from_millis(get(row, "created_at")?),
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

#[async_trait]
impl DeviceStore for SqlStore {
    async fn device(
        &self,
        company: CompanyId,
        id: DeviceId,
        now: Timestamp,
    ) -> Result<Option<Device>> {
        // A registration that lapsed is not there.
        sqlx::query(
            "SELECT * FROM user_devices WHERE id = $1 AND company_id = $2 \
             AND (expires_at IS NULL OR expires_at > $3)",
        )
        .bind(id.0)
        .bind(company.0)
        .bind(to_millis(now))
        .fetch_optional(&mut *self.conn().await?)
        .await
        .map_err(db)?
        .as_ref()
        .map(device)
        .transpose()
    }

    /// One indexed query: `user_devices_user (company_id, user_id, id)` with a user filter,
    /// `user_devices_company (company_id, id)` without. Lapsed registrations are skipped on the
    /// way; the registrar removes an account's lapsed ones whenever one of its phones registers.
    async fn devices_page(
        &self,
        company: CompanyId,
        filter: &DeviceFilter,
        now: Timestamp,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<Device>> {
        let mut sql = Sql::default();
        let co = sql.arg(Arg::Int(company.0));
        let at = sql.arg(Arg::Int(to_millis(now)));
        sql.push(&format!(
            "SELECT * FROM user_devices WHERE company_id = {co} \
             AND (expires_at IS NULL OR expires_at > {at})"
        ));
        if let Some(user) = filter.user_id {
            let u = sql.arg(Arg::Int(user.0));
            sql.push(&format!(" AND user_id = {u}"));
        }
        if let Some(id) = page.after {
            after(&mut sql, "id", vec![Arg::Int(*id)], page.reverse);
        }
        order_limit(&mut sql, "id", page.reverse, page.limit);
        let rows = sql.fetch(&mut *self.conn().await?).await?;
        rows.iter().map(device).collect()
    }

    async fn sip_account(&self, username: &str) -> Result<Option<SipAccount>> {
        sqlx::query("SELECT * FROM sip_accounts WHERE username = $1")
            .bind(username)
            .fetch_optional(&mut *self.conn().await?)
            .await
            .map_err(db)?
            .as_ref()
            .map(sip_account)
            .transpose()
    }

    /// `user_devices_sip (sip_username, sip_key)`.
    async fn sip_bindings(
        &self,
        username: &str,
        now: Timestamp,
        limit: i64,
    ) -> Result<Vec<Device>> {
        let rows = sqlx::query(
            "SELECT * FROM user_devices WHERE sip_username = $1 AND expires_at > $2 \
             ORDER BY sip_key LIMIT $3",
        )
        .bind(username)
        .bind(to_millis(now))
        .bind(limit)
        .fetch_all(&mut *self.conn().await?)
        .await
        .map_err(db)?;
        rows.iter().map(device).collect()
    }

    /// `user_devices_ringing (company_id, user_id, expires_at)`.
    async fn ringing_devices(
        &self,
        company: CompanyId,
        user: UserId,
        now: Timestamp,
        limit: i64,
    ) -> Result<Vec<Device>> {
        let rows = sqlx::query(
            "SELECT * FROM user_devices WHERE company_id = $1 AND user_id = $2 \
             AND sip_username IS NOT NULL AND expires_at > $3 ORDER BY expires_at DESC LIMIT $4",
        )
        .bind(company.0)
        .bind(user.0)
        .bind(to_millis(now))
        .bind(limit)
        .fetch_all(&mut *self.conn().await?)
        .await
        .map_err(db)?;
        rows.iter().map(device).collect()
    }
}

fn sip_account(row: &AnyRow) -> Result<SipAccount> {
    Ok(SipAccount {
        username: get(row, "username")?,
        company_id: CompanyId(get(row, "company_id")?),
        user_id: UserId(get(row, "user_id")?),
        created_at: from_millis(get(row, "created_at")?),
    })
}

#[async_trait]
impl DeviceTx for SqlTx {
    async fn insert_device(&mut self, d: &Device) -> Result<()> {
        let sip = d.sip.as_ref();
        sqlx::query(
            "INSERT INTO user_devices (id, company_id, user_id, kind, display_name, \
             phone_number, app_version, registered_at, sip_username, sip_key, sip_contact, \
             expires_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(d.id.0)
        .bind(d.company_id.0)
        .bind(d.user_id.0)
        .bind(&d.kind)
        .bind(d.display_name.as_deref())
        .bind(d.phone_number.as_deref())
        .bind(d.app_version.as_deref())
        .bind(d.registered_at.map(to_millis))
        .bind(sip.map(|b| b.username.as_str()))
        .bind(sip.map(|b| b.key.as_str()))
        .bind(sip.map(|b| b.contact.as_str()))
        .bind(sip.map(|b| to_millis(b.expires_at)))
        .bind(to_millis(d.created_at))
        .bind(to_millis(d.updated_at))
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn update_device(&mut self, d: &Device) -> Result<()> {
        let sip = d.sip.as_ref();
        sqlx::query(
            "UPDATE user_devices SET kind = $1, display_name = $2, app_version = $3, \
             registered_at = $4, sip_contact = $5, expires_at = $6, updated_at = $7 \
             WHERE id = $8",
        )
        .bind(&d.kind)
        .bind(d.display_name.as_deref())
        .bind(d.app_version.as_deref())
        .bind(d.registered_at.map(to_millis))
        .bind(sip.map(|b| b.contact.as_str()))
        .bind(sip.map(|b| to_millis(b.expires_at)))
        .bind(to_millis(d.updated_at))
        .bind(d.id.0)
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn delete_device(&mut self, id: DeviceId) -> Result<()> {
        sqlx::query("DELETE FROM user_devices WHERE id = $1")
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn sip_binding_for_update(
        &mut self,
        username: &str,
        key: &str,
    ) -> Result<Option<Device>> {
        sqlx::query(&format!(
            "SELECT * FROM user_devices WHERE sip_username = $1 AND sip_key = $2{}",
            self.backend.lock_clause()
        ))
        .bind(username)
        .bind(key)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db)?
        .as_ref()
        .map(device)
        .transpose()
    }

    async fn sip_binding_count(&mut self, username: &str) -> Result<i64> {
        sqlx::query_scalar("SELECT count(*) FROM user_devices WHERE sip_username = $1")
            .bind(username)
            .fetch_one(&mut *self.tx)
            .await
            .map_err(db)
    }

    async fn delete_sip_bindings(&mut self, username: &str) -> Result<u64> {
        Ok(
            sqlx::query("DELETE FROM user_devices WHERE sip_username = $1")
                .bind(username)
                .execute(&mut *self.tx)
                .await
                .map_err(db)?
                .rows_affected(),
        )
    }

    async fn delete_lapsed_sip_bindings(&mut self, username: &str, now: Timestamp) -> Result<u64> {
        Ok(
            sqlx::query("DELETE FROM user_devices WHERE sip_username = $1 AND expires_at <= $2")
                .bind(username)
                .bind(to_millis(now))
                .execute(&mut *self.tx)
                .await
                .map_err(db)?
                .rows_affected(),
        )
    }

    async fn insert_sip_account(&mut self, a: &SipAccount) -> Result<()> {
        sqlx::query(
            "INSERT INTO sip_accounts (username, company_id, user_id, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(&a.username)
        .bind(a.company_id.0)
        .bind(a.user_id.0)
        .bind(to_millis(a.created_at))
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(())
    }
}
