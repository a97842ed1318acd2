//! Users' devices: queries, rows and the [`DeviceStore`] / [`DeviceTx`] implementations.
//! Every read is scoped to its company.

use async_trait::async_trait;
use sqlx::any::AnyRow;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::{CompanyId, DeviceId, UserId};
use switchboard_domain::store::{DeviceStore, DeviceTx};
use switchboard_domain::telephony::device::{Device, DeviceFilter};
use switchboard_domain::workforce::store::KeysetPage;
use switchboard_domain::Result;

use crate::error::db;
use crate::rows::get;
use crate::sql::filter::Arg;
use crate::sql::keyset::{after, order_limit, Sql};
use crate::tx::SqlTx;
use crate::SqlStore;

fn device(row: &AnyRow) -> Result<Device> {
    Ok(Device {
        id: DeviceId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        user_id: UserId(get(row, "user_id")?),
        kind: get(row, "kind")?,
        display_name: get(row, "display_name")?,
        phone_number: get(row, "phone_number")?,
        created_at: from_millis(get(row, "created_at")?),
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

#[async_trait]
impl DeviceStore for SqlStore {
    async fn device(&self, company: CompanyId, id: DeviceId) -> Result<Option<Device>> {
        sqlx::query("SELECT * FROM user_devices WHERE id = $1 AND company_id = $2")
            .bind(id.0)
            .bind(company.0)
            .fetch_optional(&mut *self.conn().await?)
            .await
            .map_err(db)?
            .as_ref()
            .map(device)
            .transpose()
    }

    /// One indexed query: `user_devices_user (company_id, user_id, id)` with a user filter,
    /// `user_devices_company (company_id, id)` without.
    async fn devices_page(
        &self,
        company: CompanyId,
        filter: &DeviceFilter,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<Device>> {
        let mut sql = Sql::default();
        let co = sql.arg(Arg::Int(company.0));
        sql.push(&format!(
            "SELECT * FROM user_devices WHERE company_id = {co}"
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
}

#[async_trait]
impl DeviceTx for SqlTx {
    async fn insert_device(&mut self, d: &Device) -> Result<()> {
        sqlx::query(
            "INSERT INTO user_devices (id, company_id, user_id, kind, display_name, \
             phone_number, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(d.id.0)
        .bind(d.company_id.0)
        .bind(d.user_id.0)
        .bind(&d.kind)
        .bind(d.display_name.as_deref())
        .bind(d.phone_number.as_deref())
        .bind(to_millis(d.created_at))
        .bind(to_millis(d.updated_at))
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(())
    }
}
