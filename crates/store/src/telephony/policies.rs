//! Access-control policies and their assignments: queries, rows and the domain's
//! [`PolicyStore`] and [`PolicyTx`] over them.

use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::{CompanyId, PolicyId, UserId};
use switchboard_domain::store::{PolicyStore, PolicyTx};
use switchboard_domain::telephony::access::{
    Assignment, Policy, PolicyLevel, PolicyState, PolicyTarget,
};
use switchboard_domain::telephony::directory::DirectoryUser;
use switchboard_domain::workforce::store::KeysetPage;
use switchboard_domain::{DomainError, Result};

use crate::error::db;
use crate::rows::{get, json, to_text};
use crate::sql::filter::Arg;
use crate::sql::keyset::{after, order_limit, Sql};
use crate::telephony::directory::directory_user;
use crate::tx::SqlTx;
use crate::{Backend, SqlStore};

fn stored<T>(r: Result<T>, what: &str) -> Result<T> {
    r.map_err(|_| DomainError::internal(format!("unknown stored {what}")))
}

fn policy(row: &AnyRow) -> Result<Policy> {
    Ok(Policy {
        id: PolicyId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        name: get(row, "name")?,
        description: get(row, "description")?,
        owner_id: UserId(get(row, "owner_id")?),
        permissions: serde_json::from_value(json(row, "permissions")?)
            .map_err(DomainError::internal)?,
        level: stored(PolicyLevel::parse(&get::<String>(row, "level")?), "level")?,
        state: stored(PolicyState::parse(&get::<String>(row, "state")?), "state")?,
        created_at: from_millis(get(row, "created_at")?),
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

fn assignment(row: &AnyRow) -> Result<Assignment> {
    Ok(Assignment {
        policy_id: PolicyId(get(row, "policy_id")?),
        user_id: UserId(get(row, "id")?),
        target: PolicyTarget {
            level: stored(
                PolicyLevel::parse(&get::<String>(row, "target_type")?),
                "target",
            )?,
            id: get(row, "target_id")?,
        },
        assigned_at: from_millis(get(row, "assigned_at")?),
    })
}

async fn policy_by_id(
    c: &mut AnyConnection,
    company: CompanyId,
    id: PolicyId,
    lock: Option<Backend>,
) -> Result<Option<Policy>> {
    crate::sql::in_company(c, "access_policies", id.0, company, lock, policy).await
}

/// One query over `access_policies_company (company_id, id)`.
async fn policies_page(
    c: &mut AnyConnection,
    company: CompanyId,
    page: KeysetPage<'_, i64>,
) -> Result<Vec<Policy>> {
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    sql.push(&format!(
        "SELECT * FROM access_policies WHERE company_id = {co}"
    ));
    if let Some(id) = page.after {
        after(&mut sql, "id", vec![Arg::Int(*id)], page.reverse);
    }
    order_limit(&mut sql, "id", page.reverse, page.limit);
    sql.fetch(c).await?.iter().map(policy).collect()
}

/// One query over the primary key `(policy_id, user_id, …)`.
async fn assigned_users_page(
    c: &mut AnyConnection,
    id: PolicyId,
    page: KeysetPage<'_, i64>,
) -> Result<Vec<UserId>> {
    let mut sql = Sql::default();
    let p = sql.arg(Arg::Int(id.0));
    sql.push(&format!(
        "SELECT DISTINCT user_id FROM policy_assignments WHERE policy_id = {p}"
    ));
    if let Some(u) = page.after {
        after(&mut sql, "user_id", vec![Arg::Int(*u)], page.reverse);
    }
    order_limit(&mut sql, "user_id", page.reverse, page.limit);
    sql.fetch(c)
        .await?
        .iter()
        .map(|r| get::<i64>(r, "user_id").map(UserId))
        .collect()
}

/// The page's users' assignments joined with the users, in one query.
async fn assignments_of(
    c: &mut AnyConnection,
    id: PolicyId,
    users: &[UserId],
) -> Result<Vec<(Assignment, DirectoryUser)>> {
    if users.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::default();
    let p = sql.arg(Arg::Int(id.0));
    let list = sql.ints(users.iter().map(|u| u.0));
    sql.push(&format!(
        "SELECT u.*, a.policy_id, a.target_type, a.target_id, a.assigned_at \
         FROM policy_assignments a JOIN users u ON u.id = a.user_id \
         WHERE a.policy_id = {p} AND a.user_id IN ({list}) \
         ORDER BY a.user_id, a.assigned_at, a.target_type, a.target_id"
    ));
    sql.fetch(c)
        .await?
        .iter()
        .map(|r| Ok((assignment(r)?, directory_user(r)?)))
        .collect()
}

/// The permission lists of the active policies assigned to the user at any of `targets`, in
/// one query over `policy_assignments_user (user_id)`.
async fn permissions_at(
    c: &mut AnyConnection,
    user: UserId,
    targets: &[PolicyTarget],
) -> Result<Vec<String>> {
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::default();
    let u = sql.arg(Arg::Int(user.0));
    let mut any = Vec::new();
    for t in targets {
        let level = sql.arg(Arg::Text(t.level.as_str().to_owned()));
        let id = sql.arg(Arg::Int(t.id));
        any.push(format!("(a.target_type = {level} AND a.target_id = {id})"));
    }
    sql.push(&format!(
        "SELECT p.permissions FROM policy_assignments a \
         JOIN access_policies p ON p.id = a.policy_id \
         WHERE a.user_id = {u} AND p.state = 'active' AND ({})",
        any.join(" OR ")
    ));
    let mut out = Vec::new();
    for row in sql.fetch(c).await? {
        let list: Vec<String> =
            serde_json::from_value(json(&row, "permissions")?).map_err(DomainError::internal)?;
        out.extend(list);
    }
    Ok(out)
}

async fn write_policy(c: &mut AnyConnection, p: &Policy, insert: bool) -> Result<()> {
    let sql = if insert {
        "INSERT INTO access_policies (id, company_id, name, description, owner_id, permissions, \
         level, state, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    } else {
        "UPDATE access_policies SET company_id = $2, name = $3, description = $4, owner_id = $5, \
         permissions = $6, level = $7, state = $8, created_at = $9, updated_at = $10 WHERE id = $1"
    };
    sqlx::query(sql)
        .bind(p.id.0)
        .bind(p.company_id.0)
        .bind(&p.name)
        .bind(p.description.as_deref())
        .bind(p.owner_id.0)
        .bind(to_text(&p.permissions))
        .bind(p.level.as_str())
        .bind(p.state.as_str())
        .bind(to_millis(p.created_at))
        .bind(to_millis(p.updated_at))
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

#[async_trait]
impl PolicyStore for SqlStore {
    async fn policy(&self, company: CompanyId, id: PolicyId) -> Result<Option<Policy>> {
        policy_by_id(&mut *self.conn().await?, company, id, None).await
    }
    async fn policies_page(
        &self,
        company: CompanyId,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<Policy>> {
        policies_page(&mut *self.conn().await?, company, page).await
    }
    async fn assigned_users_page(
        &self,
        policy: PolicyId,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<UserId>> {
        assigned_users_page(&mut *self.conn().await?, policy, page).await
    }
    async fn assignments_of(
        &self,
        policy: PolicyId,
        users: &[UserId],
    ) -> Result<Vec<(Assignment, DirectoryUser)>> {
        assignments_of(&mut *self.conn().await?, policy, users).await
    }
    async fn permissions_at(&self, user: UserId, targets: &[PolicyTarget]) -> Result<Vec<String>> {
        permissions_at(&mut *self.conn().await?, user, targets).await
    }
}

#[async_trait]
impl PolicyTx for SqlTx {
    async fn policy_for_update(
        &mut self,
        company: CompanyId,
        id: PolicyId,
    ) -> Result<Option<Policy>> {
        policy_by_id(&mut self.tx, company, id, Some(self.backend)).await
    }
    async fn insert_policy(&mut self, policy: &Policy) -> Result<()> {
        write_policy(&mut self.tx, policy, true).await
    }
    async fn update_policy(&mut self, policy: &Policy) -> Result<()> {
        write_policy(&mut self.tx, policy, false).await
    }
    async fn add_assignment(&mut self, company: CompanyId, a: &Assignment) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO policy_assignments (policy_id, user_id, target_type, target_id, \
             company_id, assigned_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (policy_id, user_id, target_type, target_id) DO NOTHING",
        )
        .bind(a.policy_id.0)
        .bind(a.user_id.0)
        .bind(a.target.level.as_str())
        .bind(a.target.id)
        .bind(company.0)
        .bind(to_millis(a.assigned_at))
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(done.rows_affected() > 0)
    }
    async fn remove_assignments(
        &mut self,
        policy: PolicyId,
        user: UserId,
        target: Option<&PolicyTarget>,
    ) -> Result<u64> {
        let done = match target {
            Some(t) => sqlx::query(
                "DELETE FROM policy_assignments WHERE policy_id = $1 AND user_id = $2 \
                 AND target_type = $3 AND target_id = $4",
            )
            .bind(policy.0)
            .bind(user.0)
            .bind(t.level.as_str())
            .bind(t.id),
            None => {
                sqlx::query("DELETE FROM policy_assignments WHERE policy_id = $1 AND user_id = $2")
                    .bind(policy.0)
                    .bind(user.0)
            }
        }
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(done.rows_affected())
    }
    async fn clear_assignments(&mut self, policy: PolicyId) -> Result<()> {
        sqlx::query("DELETE FROM policy_assignments WHERE policy_id = $1")
            .bind(policy.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(())
    }
    async fn remove_assignments_of(&mut self, user: UserId) -> Result<()> {
        sqlx::query("DELETE FROM policy_assignments WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(())
    }
}
