//! Custom IVRs: queries, rows and the domain's [`IvrStore`] and [`IvrTx`] over them. Every
//! query is served by `custom_ivrs_target (company_id, target_type, target_id, ivr_type, id)`.

use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::{CompanyId, IvrId, MediaId};
use switchboard_domain::store::{IvrStore, IvrTx};
use switchboard_domain::telephony::ivr::{Ivr, IvrTarget};
use switchboard_domain::workforce::store::KeysetPage;
use switchboard_domain::{DomainError, Result};

use crate::error::db;
use crate::rows::{flag, get};
use crate::sql::filter::Arg;
use crate::sql::keyset::{after, order_limit, Sql};
use crate::tx::SqlTx;
use crate::{Backend, SqlStore};

fn ivr(row: &AnyRow) -> Result<Ivr> {
    let kind: String = get(row, "target_type")?;
    Ok(Ivr {
        id: IvrId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        target: IvrTarget::of(&kind, get(row, "target_id")?)
            .ok_or_else(|| DomainError::internal(format!("unknown stored IVR target {kind}")))?,
        ivr_type: get(row, "ivr_type")?,
        name: get(row, "name")?,
        description: get(row, "description")?,
        media_id: MediaId(get(row, "media_id")?),
        selected: flag(row, "selected")?,
        select_option: get(row, "select_option")?,
        created_at: from_millis(get(row, "created_at")?),
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

/// `company_id = … AND target_type = … AND target_id = …`.
fn of_target(sql: &mut Sql, company: CompanyId, target: IvrTarget) -> String {
    let co = sql.arg(Arg::Int(company.0));
    let kind = sql.arg(Arg::Text(target.kind().into()));
    let id = sql.arg(Arg::Int(target.id()));
    format!("company_id = {co} AND target_type = {kind} AND target_id = {id}")
}

async fn ivr_by_id(
    c: &mut AnyConnection,
    company: CompanyId,
    id: IvrId,
    lock: Option<Backend>,
) -> Result<Option<Ivr>> {
    crate::sql::in_company(c, "custom_ivrs", id.0, company, lock, ivr).await
}

async fn types_page(
    c: &mut AnyConnection,
    company: CompanyId,
    target: IvrTarget,
    page: KeysetPage<'_, String>,
) -> Result<Vec<String>> {
    let mut sql = Sql::default();
    let cond = of_target(&mut sql, company, target);
    sql.push(&format!(
        "SELECT DISTINCT ivr_type FROM custom_ivrs WHERE {cond}"
    ));
    if let Some(t) = page.after {
        after(
            &mut sql,
            "ivr_type",
            vec![Arg::Text(t.clone())],
            page.reverse,
        );
    }
    order_limit(&mut sql, "ivr_type", page.reverse, page.limit);
    sql.fetch(c)
        .await?
        .iter()
        .map(|r| get::<String>(r, "ivr_type"))
        .collect()
}

async fn ivrs_of(
    c: &mut AnyConnection,
    company: CompanyId,
    target: IvrTarget,
    types: &[String],
) -> Result<Vec<Ivr>> {
    if types.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::default();
    let cond = of_target(&mut sql, company, target);
    let list: Vec<String> = types
        .iter()
        .map(|t| sql.arg(Arg::Text(t.clone())))
        .collect();
    sql.push(&format!(
        "SELECT * FROM custom_ivrs WHERE {cond} AND ivr_type IN ({}) ORDER BY ivr_type, id",
        list.join(", ")
    ));
    sql.fetch(c).await?.iter().map(ivr).collect()
}

async fn write_ivr(c: &mut AnyConnection, i: &Ivr, insert: bool) -> Result<()> {
    let sql = if insert {
        "INSERT INTO custom_ivrs (id, company_id, target_type, target_id, ivr_type, name, \
         description, media_id, selected, select_option, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    } else {
        "UPDATE custom_ivrs SET company_id = $2, target_type = $3, target_id = $4, \
         ivr_type = $5, name = $6, description = $7, media_id = $8, selected = $9, \
         select_option = $10, created_at = $11, updated_at = $12 WHERE id = $1"
    };
    sqlx::query(sql)
        .bind(i.id.0)
        .bind(i.company_id.0)
        .bind(i.target.kind())
        .bind(i.target.id())
        .bind(&i.ivr_type)
        .bind(&i.name)
        .bind(i.description.as_deref())
        .bind(i.media_id.0)
        .bind(i.selected)
        .bind(i.select_option.as_deref())
        .bind(to_millis(i.created_at))
        .bind(to_millis(i.updated_at))
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

#[async_trait]
impl IvrStore for SqlStore {
    async fn ivr(&self, company: CompanyId, id: IvrId) -> Result<Option<Ivr>> {
        ivr_by_id(&mut *self.conn().await?, company, id, None).await
    }
    async fn ivr_types_page(
        &self,
        company: CompanyId,
        target: IvrTarget,
        page: KeysetPage<'_, String>,
    ) -> Result<Vec<String>> {
        types_page(&mut *self.conn().await?, company, target, page).await
    }
    async fn ivrs_of(
        &self,
        company: CompanyId,
        target: IvrTarget,
        types: &[String],
    ) -> Result<Vec<Ivr>> {
        ivrs_of(&mut *self.conn().await?, company, target, types).await
    }
}

#[async_trait]
impl IvrTx for SqlTx {
    async fn ivr_for_update(&mut self, company: CompanyId, id: IvrId) -> Result<Option<Ivr>> {
        ivr_by_id(&mut self.tx, company, id, Some(self.backend)).await
    }
    async fn ivr_count(
        &mut self,
        company: CompanyId,
        target: IvrTarget,
        ivr_type: &str,
    ) -> Result<u64> {
        let mut sql = Sql::default();
        let cond = of_target(&mut sql, company, target);
        let t = sql.arg(Arg::Text(ivr_type.into()));
        sql.push(&format!(
            "SELECT COUNT(*) AS n FROM custom_ivrs WHERE {cond} AND ivr_type = {t}"
        ));
        let rows = sql.fetch(&mut self.tx).await?;
        let n: i64 = rows.first().map(|r| get(r, "n")).transpose()?.unwrap_or(0);
        Ok(n as u64)
    }
    async fn insert_ivr(&mut self, ivr: &Ivr) -> Result<()> {
        write_ivr(&mut self.tx, ivr, true).await
    }
    async fn update_ivr(&mut self, ivr: &Ivr) -> Result<()> {
        write_ivr(&mut self.tx, ivr, false).await
    }
    async fn delete_ivr(&mut self, id: IvrId) -> Result<()> {
        sqlx::query("DELETE FROM custom_ivrs WHERE id = $1")
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(())
    }
    async fn deselect_ivrs(
        &mut self,
        company: CompanyId,
        target: IvrTarget,
        ivr_type: &str,
    ) -> Result<()> {
        let mut sql = Sql::default();
        let f = sql.arg(Arg::Bool(false));
        let cond = of_target(&mut sql, company, target);
        let t = sql.arg(Arg::Text(ivr_type.into()));
        sql.push(&format!(
            "UPDATE custom_ivrs SET selected = {f} WHERE {cond} AND ivr_type = {t}"
        ));
        sql.fetch(&mut self.tx).await?;
        Ok(())
    }
}
