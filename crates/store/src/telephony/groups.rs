//! Groups (call centers, departments), their operators and duty statuses: queries and rows.
//! Every read of a group is scoped to its company. Every write of a membership or a duty status
//! keeps the routing index (`calls::slots`) in the same transaction.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::*;
use switchboard_domain::telephony::directory::DirectoryUser;
use switchboard_domain::telephony::group::{
    DutyState, DutyStatus, Group, GroupFilter, GroupKind, Membership, OperatorRole,
};
use switchboard_domain::telephony::office::EntryState;
use switchboard_domain::workforce::store::KeysetPage;
use switchboard_domain::{DomainError, Result};

use crate::calls::slots;
use crate::error::db;
use crate::rows::{flag, get, object, to_text};
use crate::sql::filter::{like_contains, Arg};
use crate::sql::keyset::{after, order_limit, Sql};
use crate::Backend;

fn stored<T>(r: Result<T>, what: &str) -> Result<T> {
    r.map_err(|_| DomainError::internal(format!("unknown stored {what}")))
}

fn group(row: &AnyRow) -> Result<Group> {
    let settings: String = get(row, "settings")?;
    Ok(Group {
        id: GroupId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        office_id: OfficeId(get(row, "office_id")?),
        kind: stored(GroupKind::parse(&get::<String>(row, "kind")?), "group kind")?,
        name: get(row, "name")?,
        description: get(row, "description")?,
        state: stored(EntryState::parse(&get::<String>(row, "state")?), "state")?,
        settings: serde_json::from_str(&settings).map_err(DomainError::internal)?,
        document: object(row, "document")?,
        created_at: from_millis(get(row, "created_at")?),
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

fn membership(row: &AnyRow) -> Result<Membership> {
    Ok(Membership {
        group_id: GroupId(get(row, "group_id")?),
        user_id: UserId(get(row, "user_id")?),
        role: stored(OperatorRole::parse(&get::<String>(row, "role")?), "role")?,
        skill_level: u8::try_from(get::<i64>(row, "skill_level")?)
            .map_err(DomainError::internal)?,
        added_at: from_millis(get(row, "added_at")?),
    })
}

fn duty(row: &AnyRow) -> Result<DutyStatus> {
    Ok(DutyStatus {
        user_id: UserId(get(row, "user_id")?),
        on_duty: flag(row, "on_duty")?,
        state: stored(DutyState::parse(&get::<String>(row, "state")?), "duty")?,
        reason: get(row, "reason")?,
        on_duty_started: from_millis(get(row, "on_duty_started")?),
        state_started: from_millis(get(row, "state_started")?),
    })
}

pub(crate) async fn group_by_id(
    c: &mut AnyConnection,
    company: CompanyId,
    id: GroupId,
    lock: Option<Backend>,
) -> Result<Option<Group>> {
    crate::sql::in_company(c, "call_groups", id.0, company, lock, group).await
}

/// One indexed query: `call_groups_office (office_id, kind, id)` with an office filter,
/// `call_groups_company (company_id, kind, id)` without; the name search filters those rows.
pub(crate) async fn groups_page(
    c: &mut AnyConnection,
    company: CompanyId,
    filter: &GroupFilter,
    page: KeysetPage<'_, i64>,
) -> Result<Vec<Group>> {
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    let kind = sql.arg(Arg::Text(filter.kind.as_str().into()));
    sql.push(&format!(
        "SELECT * FROM call_groups WHERE company_id = {co} AND kind = {kind}"
    ));
    if let Some(office) = filter.office_id {
        let o = sql.arg(Arg::Int(office.0));
        sql.push(&format!(" AND office_id = {o}"));
    }
    if let Some(name) = &filter.name_search {
        let m = sql.arg(Arg::Text(like_contains(&name.to_lowercase())));
        sql.push(&format!(" AND name_key LIKE {m} ESCAPE '\\'"));
    }
    if let Some(id) = page.after {
        after(&mut sql, "id", vec![Arg::Int(*id)], page.reverse);
    }
    order_limit(&mut sql, "id", page.reverse, page.limit);
    sql.fetch(c).await?.iter().map(group).collect()
}

/// The operators with their users, in one query over `group_operators_order`.
pub(crate) async fn members(
    c: &mut AnyConnection,
    id: GroupId,
) -> Result<Vec<(Membership, DirectoryUser)>> {
    let rows = sqlx::query(
        "SELECT u.*, m.group_id, m.user_id, m.role, m.skill_level, m.added_at \
         FROM group_operators m JOIN users u ON u.id = m.user_id \
         WHERE m.group_id = $1 ORDER BY m.added_at, m.user_id",
    )
    .bind(id.0)
    .fetch_all(c)
    .await
    .map_err(db)?;
    rows.iter()
        .map(|r| Ok((membership(r)?, super::directory::directory_user(r)?)))
        .collect()
}

pub(crate) async fn membership_of(
    c: &mut AnyConnection,
    group: GroupId,
    user: UserId,
) -> Result<Option<Membership>> {
    sqlx::query("SELECT * FROM group_operators WHERE group_id = $1 AND user_id = $2")
        .bind(group.0)
        .bind(user.0)
        .fetch_optional(c)
        .await
        .map_err(db)?
        .as_ref()
        .map(membership)
        .transpose()
}

pub(crate) async fn is_member_of_kind(
    c: &mut AnyConnection,
    user: UserId,
    kind: GroupKind,
) -> Result<bool> {
    let found = sqlx::query(
        "SELECT 1 AS one FROM group_operators WHERE user_id = $1 AND group_kind = $2 LIMIT 1",
    )
    .bind(user.0)
    .bind(kind.as_str())
    .fetch_optional(c)
    .await
    .map_err(db)?;
    Ok(found.is_some())
}

/// One indexed query: `group_operators_user (user_id, group_kind)`.
pub(crate) async fn groups_of_member(
    c: &mut AnyConnection,
    user: UserId,
    kind: GroupKind,
    limit: u32,
) -> Result<Vec<GroupId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT group_id FROM group_operators WHERE user_id = $1 AND group_kind = $2 \
         ORDER BY group_id LIMIT $3",
    )
    .bind(user.0)
    .bind(kind.as_str())
    .bind(i64::from(limit))
    .fetch_all(c)
    .await
    .map_err(db)?;
    Ok(ids.into_iter().map(GroupId).collect())
}

pub(crate) async fn duty_status(c: &mut AnyConnection, user: UserId) -> Result<Option<DutyStatus>> {
    sqlx::query("SELECT * FROM operator_duty WHERE user_id = $1")
        .bind(user.0)
        .fetch_optional(c)
        .await
        .map_err(db)?
        .as_ref()
        .map(duty)
        .transpose()
}

pub(crate) async fn write_group(c: &mut AnyConnection, g: &Group, insert: bool) -> Result<()> {
    let sql = if insert {
        "INSERT INTO call_groups (id, company_id, office_id, kind, name, name_key, description, \
         state, settings, document, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    } else {
        "UPDATE call_groups SET company_id = $2, office_id = $3, kind = $4, name = $5, \
         name_key = $6, description = $7, state = $8, settings = $9, document = $10, \
         created_at = $11, updated_at = $12 WHERE id = $1"
    };
    sqlx::query(sql)
        .bind(g.id.0)
        .bind(g.company_id.0)
        .bind(g.office_id.0)
        .bind(g.kind.as_str())
        .bind(&g.name)
        .bind(g.name.to_lowercase())
        .bind(g.description.as_deref())
        .bind(g.state.as_str())
        .bind(to_text(&g.settings))
        .bind(to_text(&g.document))
        .bind(to_millis(g.created_at))
        .bind(to_millis(g.updated_at))
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn delete_group(c: &mut AnyConnection, id: GroupId) -> Result<()> {
    for sql in [
        "DELETE FROM group_operators WHERE group_id = $1",
        "DELETE FROM call_groups WHERE id = $1",
    ] {
        sqlx::query(sql)
            .bind(id.0)
            .execute(&mut *c)
            .await
            .map_err(db)?;
    }
    slots::remove_group(c, id).await
}

pub(crate) async fn put_membership(
    c: &mut AnyConnection,
    company: CompanyId,
    m: &Membership,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO group_operators (group_id, user_id, company_id, group_kind, role, skill_level, added_at) \
         SELECT $1, $2, $3, kind, $4, $5, $6 FROM call_groups WHERE id = $1 \
         ON CONFLICT (group_id, user_id) DO UPDATE SET role = excluded.role, \
         skill_level = excluded.skill_level",
    )
    .bind(m.group_id.0)
    .bind(m.user_id.0)
    .bind(company.0)
    .bind(m.role.as_str())
    .bind(i64::from(m.skill_level))
    .bind(to_millis(m.added_at))
    .execute(&mut *c)
    .await
    .map_err(db)?;
    slots::put_membership(c, m.group_id, m.user_id).await
}

pub(crate) async fn remove_membership(
    c: &mut AnyConnection,
    group: GroupId,
    user: UserId,
) -> Result<bool> {
    let done = sqlx::query("DELETE FROM group_operators WHERE group_id = $1 AND user_id = $2")
        .bind(group.0)
        .bind(user.0)
        .execute(&mut *c)
        .await
        .map_err(db)?;
    slots::remove_membership(c, group, user).await?;
    Ok(done.rows_affected() > 0)
}

pub(crate) async fn remove_memberships_of(c: &mut AnyConnection, user: UserId) -> Result<()> {
    sqlx::query("DELETE FROM group_operators WHERE user_id = $1")
        .bind(user.0)
        .execute(&mut *c)
        .await
        .map_err(db)?;
    slots::remove_user(c, user).await
}

pub(crate) async fn put_duty_status(
    c: &mut AnyConnection,
    company: CompanyId,
    d: &DutyStatus,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO operator_duty (user_id, company_id, on_duty, state, reason, on_duty_started, state_started) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (user_id) DO UPDATE SET on_duty = excluded.on_duty, state = excluded.state, \
         reason = excluded.reason, on_duty_started = excluded.on_duty_started, \
         state_started = excluded.state_started",
    )
    .bind(d.user_id.0)
    .bind(company.0)
    .bind(d.on_duty)
    .bind(d.state.as_str())
    .bind(d.reason.as_deref())
    .bind(to_millis(d.on_duty_started))
    .bind(to_millis(d.state_started))
    .execute(&mut *c)
    .await
    .map_err(db)?;
    slots::refresh_duty(c, d.user_id).await
}
