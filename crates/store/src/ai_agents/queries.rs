//! AI agents, their versions and their shares.

use sqlx::AnyConnection;
use switchboard_domain::ai_agents::agent::{AgentVersion, AiAgent, Share};
use switchboard_domain::ai_agents::list::{AgentListQuery, AgentSort, SortDirection, SortKey};
use switchboard_domain::clock::to_millis;
use switchboard_domain::ids::{AgentId, UserId, VersionId};
use switchboard_domain::page::{Page, Paged};
use switchboard_domain::Result;

use super::rows;
use crate::error::db;
use crate::rows::to_text;
use crate::Backend;

pub(crate) async fn agent(
    c: &mut AnyConnection,
    id: AgentId,
    lock: Option<Backend>,
) -> Result<Option<AiAgent>> {
    crate::sql::by_id(c, "ai_agents", id.0, lock, rows::agent).await
}

pub(crate) async fn insert_agent(c: &mut AnyConnection, a: &AiAgent) -> Result<()> {
    sqlx::query(
        "INSERT INTO ai_agents (id, company_id, owner_id, name, settings, phone_numbers, metadata, extra, \
         revision, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(a.id.0)
    .bind(a.company_id.0)
    .bind(a.owner_id.0)
    .bind(&a.name)
    .bind(to_text(&a.settings))
    .bind(to_text(&a.phone_numbers))
    .bind(to_text(&a.metadata))
    .bind(to_text(&a.extra))
    .bind(a.revision)
    .bind(to_millis(a.created_at))
    .bind(to_millis(a.updated_at))
    .execute(&mut *c)
    .await
    .map_err(db)?;
    sqlx::query(
        "INSERT INTO user_agent_counts (user_id, visible) VALUES ($1, 1) \
         ON CONFLICT (user_id) DO UPDATE SET visible = user_agent_counts.visible + 1",
    )
    .bind(a.owner_id.0)
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn update_agent(c: &mut AnyConnection, a: &AiAgent) -> Result<()> {
    sqlx::query(
        "UPDATE ai_agents SET name = $1, settings = $2, phone_numbers = $3, metadata = $4, extra = $5, \
         revision = $6, updated_at = $7 WHERE id = $8",
    )
    .bind(&a.name)
    .bind(to_text(&a.settings))
    .bind(to_text(&a.phone_numbers))
    .bind(to_text(&a.metadata))
    .bind(to_text(&a.extra))
    .bind(a.revision)
    .bind(to_millis(a.updated_at))
    .bind(a.id.0)
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn delete_agent(c: &mut AnyConnection, id: AgentId) -> Result<()> {
    crate::sql::run_with_id(
        c,
        &[
            // The owner and everyone it was shared with see one agent fewer.
            "UPDATE user_agent_counts SET visible = visible - 1 WHERE user_id IN \
             (SELECT owner_id FROM ai_agents WHERE id = $1 \
              UNION SELECT user_id FROM ai_agent_shares WHERE agent_id = $1)",
            "DELETE FROM ai_agent_versions WHERE agent_id = $1",
            "DELETE FROM ai_agent_shares WHERE agent_id = $1",
            "DELETE FROM ai_agents WHERE id = $1",
        ],
        id.0,
    )
    .await?;
    sqlx::query("DELETE FROM secrets WHERE purpose = $1 AND owner = $2")
        .bind(switchboard_domain::secret::SecretPurpose::AgentCredentials.as_str())
        .bind(id.to_string())
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

/// The agents a user sees: their own, then the ones shared with them by others. Each arm walks
/// its index (`ai_agents_owner*`, `ai_agent_shares_user`) in `order` and stops at `arm_limit`
/// rows, and the union of the two short lists is ordered again, so a page reads what it returns
/// (both databases plan a limited index walk for each arm, which neither does for one limit
/// over the whole union). `extra` holds conditions every arm adds; `$1` is the user.
fn visible_union(extra: &str, order: &str, arm_limit: &str) -> String {
    format!(
        "SELECT * FROM (SELECT a.*, LOWER(a.name) AS sort_name, \
         CAST(NULL AS BIGINT) AS share_agent_id, CAST(NULL AS BIGINT) AS share_user_id, \
         CAST(NULL AS TEXT) AS share_rights, CAST(NULL AS BIGINT) AS share_shared_by, \
         CAST(NULL AS BIGINT) AS share_shared_at \
         FROM ai_agents a WHERE a.owner_id = $1{extra} ORDER BY {order} LIMIT {arm_limit}) owned \
         UNION ALL \
         SELECT * FROM (SELECT a.*, LOWER(a.name) AS sort_name, s.agent_id AS share_agent_id, \
         s.user_id AS share_user_id, s.rights AS share_rights, s.shared_by AS share_shared_by, \
         s.shared_at AS share_shared_at \
         FROM ai_agent_shares s JOIN ai_agents a ON a.id = s.agent_id \
         WHERE s.user_id = $1 AND a.owner_id <> $1{extra} ORDER BY {order} LIMIT {arm_limit}) shared \
         ORDER BY {order}"
    )
}

fn visible_rows(found: &[sqlx::any::AnyRow]) -> Result<Vec<(AiAgent, Option<Share>)>> {
    found
        .iter()
        .map(|row| Ok((rows::agent(row)?, rows::share(row, "share_")?)))
        .collect()
}

/// One offset page of the agents a user sees, oldest first, with their number (kept in
/// `user_agent_counts` by the writes, not counted here).
pub(crate) async fn visible_to(
    c: &mut AnyConnection,
    user: UserId,
    page: Page,
) -> Result<Paged<(AiAgent, Option<Share>)>> {
    let total: Option<i64> =
        sqlx::query_scalar("SELECT visible FROM user_agent_counts WHERE user_id = $1")
            .bind(user.0)
            .fetch_optional(&mut *c)
            .await
            .map_err(db)?;
    let sql = format!(
        "{} LIMIT $2 OFFSET $3",
        visible_union("", "created_at, id", "$4")
    );
    let found = sqlx::query(&sql)
        .bind(user.0)
        .bind(i64::from(page.limit))
        .bind(page.skip as i64)
        .bind((page.skip as i64).saturating_add(i64::from(page.limit)))
        .fetch_all(c)
        .await
        .map_err(db)?;
    Ok(Paged {
        items: visible_rows(&found)?,
        total: total.unwrap_or(0).max(0) as u64,
    })
}

/// One keyset page of the agents visible to a user (see `AgentListQuery`). Names compare
/// through `LOWER` on both sides, so the filter and the order are case-insensitive the same way
/// on SQLite and PostgreSQL.
pub(crate) async fn visible_page(
    c: &mut AnyConnection,
    q: &AgentListQuery,
) -> Result<Vec<(AiAgent, Option<Share>)>> {
    let mut extra = String::new();
    let mut next = 2;
    let mut param = || {
        let p = format!("${next}");
        next += 1;
        p
    };
    let pattern = q
        .name_contains
        .as_deref()
        .map(crate::sql::filter::like_contains);
    if pattern.is_some() {
        extra.push_str(&format!(
            " AND LOWER(a.name) LIKE LOWER({}) ESCAPE '\\'",
            param()
        ));
    }
    let (column, output, key_param) = match q.sort {
        AgentSort::Name => ("LOWER(a.name)", "sort_name", "LOWER({})"),
        AgentSort::CreatedAt => ("a.created_at", "created_at", "{}"),
    };
    let (cmp, order) = match q.direction {
        SortDirection::Asc => (">", "ASC"),
        SortDirection::Desc => ("<", "DESC"),
    };
    if q.after.is_some() {
        let key = key_param.replace("{}", &param());
        let id = param();
        extra.push_str(&format!(
            " AND ({column} {cmp} {key} OR ({column} = {key} AND a.id {cmp} {id}))"
        ));
    }
    let limit = param();
    let sql = format!(
        "{} LIMIT {limit}",
        visible_union(&extra, &format!("{output} {order}, id {order}"), &limit)
    );
    let mut query = sqlx::query(&sql).bind(q.user.0);
    if let Some(p) = pattern {
        query = query.bind(p);
    }
    if let Some((key, id)) = &q.after {
        query = match key {
            SortKey::Name(n) => query.bind(n.clone()),
            SortKey::CreatedAt(t) => query.bind(to_millis(*t)),
        };
        query = query.bind(id.0);
    }
    let found = query
        .bind(i64::from(q.limit))
        .fetch_all(c)
        .await
        .map_err(db)?;
    visible_rows(&found)
}

pub(crate) async fn insert_version(c: &mut AnyConnection, v: &AgentVersion) -> Result<()> {
    sqlx::query(
        "INSERT INTO ai_agent_versions (id, agent_id, number, action, commit_message, updates, snapshot, \
         author_id, author_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(v.id.0)
    .bind(v.agent_id.0)
    .bind(v.number)
    .bind(v.action.as_str())
    .bind(v.commit_message.as_deref())
    .bind(to_text(&v.updates))
    .bind(to_text(&v.snapshot))
    .bind(v.author_id.0)
    .bind(&v.author_name)
    .bind(to_millis(v.created_at))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn versions(
    c: &mut AnyConnection,
    agent: AgentId,
    page: Page,
) -> Result<Paged<AgentVersion>> {
    let total: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM ai_agent_versions WHERE agent_id = $1")
            .bind(agent.0)
            .fetch_one(&mut *c)
            .await
            .map_err(db)?;
    let found = sqlx::query("SELECT * FROM ai_agent_versions WHERE agent_id = $1 ORDER BY number DESC LIMIT $2 OFFSET $3")
        .bind(agent.0)
        .bind(i64::from(page.limit))
        .bind(page.skip as i64)
        .fetch_all(c)
        .await
        .map_err(db)?;
    let items = found
        .iter()
        .map(rows::version)
        .collect::<Result<Vec<_>>>()?;
    Ok(Paged {
        items,
        total: total as u64,
    })
}

pub(crate) async fn version(
    c: &mut AnyConnection,
    agent: AgentId,
    id: VersionId,
) -> Result<Option<AgentVersion>> {
    let row = sqlx::query("SELECT * FROM ai_agent_versions WHERE agent_id = $1 AND id = $2")
        .bind(agent.0)
        .bind(id.0)
        .fetch_optional(c)
        .await
        .map_err(db)?;
    row.as_ref().map(rows::version).transpose()
}

pub(crate) async fn version_by_number(
    c: &mut AnyConnection,
    agent: AgentId,
    number: i64,
) -> Result<Option<AgentVersion>> {
    let row = sqlx::query("SELECT * FROM ai_agent_versions WHERE agent_id = $1 AND number = $2")
        .bind(agent.0)
        .bind(number)
        .fetch_optional(c)
        .await
        .map_err(db)?;
    row.as_ref().map(rows::version).transpose()
}

pub(crate) async fn share(
    c: &mut AnyConnection,
    agent: AgentId,
    user: UserId,
) -> Result<Option<Share>> {
    let row = sqlx::query("SELECT * FROM ai_agent_shares WHERE agent_id = $1 AND user_id = $2")
        .bind(agent.0)
        .bind(user.0)
        .fetch_optional(c)
        .await
        .map_err(db)?;
    Ok(match row {
        Some(r) => rows::share(&r, "")?,
        None => None,
    })
}

pub(crate) async fn shares(c: &mut AnyConnection, agent: AgentId) -> Result<Vec<Share>> {
    let found = sqlx::query(
        "SELECT * FROM ai_agent_shares WHERE agent_id = $1 ORDER BY shared_at, user_id",
    )
    .bind(agent.0)
    .fetch_all(c)
    .await
    .map_err(db)?;
    Ok(found
        .iter()
        .map(|r| rows::share(r, ""))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect())
}

pub(crate) async fn upsert_share(c: &mut AnyConnection, s: &Share) -> Result<()> {
    let added = sqlx::query(
        "INSERT INTO ai_agent_shares (agent_id, user_id, rights, shared_by, shared_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (agent_id, user_id) DO NOTHING",
    )
    .bind(s.agent_id.0)
    .bind(s.user_id.0)
    .bind(rows::rights_text(&s.rights))
    .bind(s.shared_by.0)
    .bind(to_millis(s.shared_at))
    .execute(&mut *c)
    .await
    .map_err(db)?;
    if added.rows_affected() == 0 {
        sqlx::query("UPDATE ai_agent_shares SET rights = $1 WHERE agent_id = $2 AND user_id = $3")
            .bind(rows::rights_text(&s.rights))
            .bind(s.agent_id.0)
            .bind(s.user_id.0)
            .execute(c)
            .await
            .map_err(db)?;
        return Ok(());
    }
    // A new share shows the agent to one more user (its owner already counts it).
    sqlx::query(
        "INSERT INTO user_agent_counts (user_id, visible) \
         SELECT $1, 1 FROM ai_agents WHERE id = $2 AND owner_id <> $1 \
         ON CONFLICT (user_id) DO UPDATE SET visible = user_agent_counts.visible + 1",
    )
    .bind(s.user_id.0)
    .bind(s.agent_id.0)
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn delete_share(
    c: &mut AnyConnection,
    agent: AgentId,
    user: UserId,
) -> Result<bool> {
    let done = sqlx::query("DELETE FROM ai_agent_shares WHERE agent_id = $1 AND user_id = $2")
        .bind(agent.0)
        .bind(user.0)
        .execute(&mut *c)
        .await
        .map_err(db)?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE user_agent_counts SET visible = visible - 1 WHERE user_id = $1 \
         AND EXISTS (SELECT 1 FROM ai_agents WHERE id = $2 AND owner_id <> $1)",
    )
    .bind(user.0)
    .bind(agent.0)
    .execute(c)
    .await
    .map_err(db)?;
    Ok(true)
}
