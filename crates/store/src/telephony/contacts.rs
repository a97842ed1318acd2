//! Contacts, blocked numbers and call labels: queries, rows and the domain's [`ContactStore`]
//! and [`ContactTx`] over them. Every read is scoped to its company.

use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::{CompanyId, ContactId, UserId};
use switchboard_domain::phone::E164;
use switchboard_domain::store::{ContactStore, ContactTx};
use switchboard_domain::telephony::contact::{Contact, ContactScope};
use switchboard_domain::workforce::store::KeysetPage;
use switchboard_domain::{DomainError, Result};

use crate::error::db;
use crate::rows::{get, to_text};
use crate::sql::filter::Arg;
use crate::sql::keyset::{after, order_limit, Sql};
use crate::tx::SqlTx;
use crate::{Backend, SqlStore};

fn contact(row: &AnyRow) -> Result<Contact> {
    let fields: String = get(row, "fields")?;
    Ok(Contact {
        id: ContactId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        owner: get::<Option<i64>>(row, "owner_id")?.map(UserId),
        uid: get(row, "uid")?,
        fields: serde_json::from_str(&fields).map_err(DomainError::internal)?,
        created_at: from_millis(get(row, "created_at")?),
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

async fn contact_where(
    c: &mut AnyConnection,
    company: CompanyId,
    column: &str,
    value: Arg,
    lock: Option<Backend>,
) -> Result<Option<Contact>> {
    let sql = format!(
        "SELECT * FROM contacts WHERE company_id = $1 AND {column} = $2{}",
        lock.map_or("", Backend::lock_clause)
    );
    let q = sqlx::query(&sql).bind(company.0);
    let q = match value {
        Arg::Int(i) => q.bind(i),
        Arg::Text(t) => q.bind(t),
        Arg::Bool(b) => q.bind(b),
    };
    q.fetch_optional(c)
        .await
        .map_err(db)?
        .as_ref()
        .map(contact)
        .transpose()
}

/// One indexed query: `contacts_owner (company_id, owner_id, id)` for shared and one user's
/// contacts, `contacts_company (company_id, id)` for all of them.
async fn contacts_page(
    c: &mut AnyConnection,
    company: CompanyId,
    scope: ContactScope,
    page: KeysetPage<'_, i64>,
) -> Result<Vec<Contact>> {
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    sql.push(&format!("SELECT * FROM contacts WHERE company_id = {co}"));
    match scope {
        ContactScope::Shared => sql.push(" AND owner_id IS NULL"),
        ContactScope::All => {}
        ContactScope::LocalOf(user) => {
            let u = sql.arg(Arg::Int(user.0));
            sql.push(&format!(" AND owner_id = {u}"));
        }
    }
    if let Some(id) = page.after {
        after(&mut sql, "id", vec![Arg::Int(*id)], page.reverse);
    }
    order_limit(&mut sql, "id", page.reverse, page.limit);
    sql.fetch(c).await?.iter().map(contact).collect()
}

async fn write_contact(c: &mut AnyConnection, k: &Contact, insert: bool) -> Result<()> {
    let sql = if insert {
        "INSERT INTO contacts (id, company_id, owner_id, uid, fields, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    } else {
        "UPDATE contacts SET company_id = $2, owner_id = $3, uid = $4, fields = $5, \
         created_at = $6, updated_at = $7 WHERE id = $1"
    };
    sqlx::query(sql)
        .bind(k.id.0)
        .bind(k.company_id.0)
        .bind(k.owner.map(|u| u.0))
        .bind(k.uid.as_deref())
        .bind(to_text(&k.fields))
        .bind(to_millis(k.created_at))
        .bind(to_millis(k.updated_at))
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

async fn is_blocked(c: &mut AnyConnection, company: CompanyId, number: &str) -> Result<bool> {
    let found =
        sqlx::query("SELECT 1 AS one FROM blocked_numbers WHERE company_id = $1 AND number = $2")
            .bind(company.0)
            .bind(number)
            .fetch_optional(c)
            .await
            .map_err(db)?;
    Ok(found.is_some())
}

/// One query over the primary key `(company_id, number)`.
async fn blocked_page(
    c: &mut AnyConnection,
    company: CompanyId,
    page: KeysetPage<'_, String>,
) -> Result<Vec<String>> {
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    sql.push(&format!(
        "SELECT number FROM blocked_numbers WHERE company_id = {co}"
    ));
    if let Some(n) = page.after {
        after(&mut sql, "number", vec![Arg::Text(n.clone())], page.reverse);
    }
    order_limit(&mut sql, "number", page.reverse, page.limit);
    sql.fetch(c)
        .await?
        .iter()
        .map(|r| get::<String>(r, "number"))
        .collect()
}

/// Blocks (or unblocks) each number; answers the numbers that changed.
async fn set_blocked(
    c: &mut AnyConnection,
    company: CompanyId,
    numbers: &[E164],
    block: bool,
    now: i64,
) -> Result<Vec<String>> {
    let mut changed = Vec::new();
    for n in numbers {
        let done = if block {
            sqlx::query(
                "INSERT INTO blocked_numbers (company_id, number, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (company_id, number) DO NOTHING",
            )
            .bind(company.0)
            .bind(n.as_str())
            .bind(now)
            .execute(&mut *c)
            .await
        } else {
            sqlx::query("DELETE FROM blocked_numbers WHERE company_id = $1 AND number = $2")
                .bind(company.0)
                .bind(n.as_str())
                .execute(&mut *c)
                .await
        }
        .map_err(db)?;
        if done.rows_affected() > 0 {
            changed.push(n.as_str().to_owned());
        }
    }
    Ok(changed)
}

async fn call_labels(
    c: &mut AnyConnection,
    company: CompanyId,
    limit: usize,
) -> Result<Vec<String>> {
    sqlx::query("SELECT label FROM call_labels WHERE company_id = $1 ORDER BY position LIMIT $2")
        .bind(company.0)
        .bind(limit as i64)
        .fetch_all(c)
        .await
        .map_err(db)?
        .iter()
        .map(|r| get::<String>(r, "label"))
        .collect()
}

async fn set_call_labels(
    c: &mut AnyConnection,
    company: CompanyId,
    labels: &[String],
) -> Result<()> {
    sqlx::query("DELETE FROM call_labels WHERE company_id = $1")
        .bind(company.0)
        .execute(&mut *c)
        .await
        .map_err(db)?;
    for (i, label) in labels.iter().enumerate() {
        sqlx::query("INSERT INTO call_labels (company_id, position, label) VALUES ($1, $2, $3)")
            .bind(company.0)
            .bind(i as i64)
            .bind(label.as_str())
            .execute(&mut *c)
            .await
            .map_err(db)?;
    }
    Ok(())
}

#[async_trait]
impl ContactStore for SqlStore {
    async fn contact(&self, company: CompanyId, id: ContactId) -> Result<Option<Contact>> {
        contact_where(
            &mut *self.conn().await?,
            company,
            "id",
            Arg::Int(id.0),
            None,
        )
        .await
    }
    async fn contacts_page(
        &self,
        company: CompanyId,
        scope: ContactScope,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<Contact>> {
        contacts_page(&mut *self.conn().await?, company, scope, page).await
    }
    async fn is_blocked(&self, company: CompanyId, number: &E164) -> Result<bool> {
        is_blocked(&mut *self.conn().await?, company, number.as_str()).await
    }
    async fn blocked_page(
        &self,
        company: CompanyId,
        page: KeysetPage<'_, String>,
    ) -> Result<Vec<String>> {
        blocked_page(&mut *self.conn().await?, company, page).await
    }
    async fn call_labels(&self, company: CompanyId, limit: usize) -> Result<Vec<String>> {
        call_labels(&mut *self.conn().await?, company, limit).await
    }
}

#[async_trait]
impl ContactTx for SqlTx {
    async fn contact_for_update(
        &mut self,
        company: CompanyId,
        id: ContactId,
    ) -> Result<Option<Contact>> {
        contact_where(
            &mut self.tx,
            company,
            "id",
            Arg::Int(id.0),
            Some(self.backend),
        )
        .await
    }
    async fn contact_by_uid(&mut self, company: CompanyId, uid: &str) -> Result<Option<Contact>> {
        let uid = Arg::Text(uid.to_owned());
        contact_where(&mut self.tx, company, "uid", uid, Some(self.backend)).await
    }
    async fn insert_contact(&mut self, contact: &Contact) -> Result<()> {
        write_contact(&mut self.tx, contact, true).await
    }
    async fn update_contact(&mut self, contact: &Contact) -> Result<()> {
        write_contact(&mut self.tx, contact, false).await
    }
    async fn delete_contact(&mut self, id: ContactId) -> Result<()> {
        sqlx::query("DELETE FROM contacts WHERE id = $1")
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(())
    }
    async fn block_numbers(
        &mut self,
        company: CompanyId,
        numbers: &[E164],
        at: jiff::Timestamp,
    ) -> Result<Vec<String>> {
        set_blocked(&mut self.tx, company, numbers, true, to_millis(at)).await
    }
    async fn unblock_numbers(
        &mut self,
        company: CompanyId,
        numbers: &[E164],
    ) -> Result<Vec<String>> {
        set_blocked(&mut self.tx, company, numbers, false, 0).await
    }
    async fn set_call_labels(&mut self, company: CompanyId, labels: &[String]) -> Result<()> {
        set_call_labels(&mut self.tx, company, labels).await
    }
}
