//! The routing index (`routing_slots`, migration 0019): one row per group membership holding
//! what the strategies order candidates by, and whether the operator could be offered a call
//! (`ready`: on duty, available, holding no call). A routing decision reads one bounded range
//! of it ([`candidates`]) whatever the size of the group.
//!
//! It is kept here, by the store, in the same transaction as each write that changes one of
//! its facts, so that no use case can forget it: memberships (`telephony::groups`), duty
//! statuses (the same), operator claims and activity (`calls::operators`). Facts that belong to
//! the user (duty, claim, activity) are copied to every membership of the user, found through
//! `routing_slots_user`.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::calls::store::{CandidateOrder, OperatorRow};
use switchboard_domain::clock::from_millis;
use switchboard_domain::ids::{GroupId, UserId};
use switchboard_domain::telephony::group::DutyState;
use switchboard_domain::Result;

use crate::error::db;
use crate::rows::get;

/// `1` when the user named by `u` could be offered a call as far as the store knows (no duty
/// row: on duty and available), else `0`.
fn ready(u: &str) -> String {
    format!(
        "CASE WHEN EXISTS (SELECT 1 FROM operator_duty d WHERE d.user_id = {u} \
         AND NOT (d.on_duty = TRUE AND d.state = 'available')) \
         OR EXISTS (SELECT 1 FROM operator_claims c WHERE c.user_id = {u}) THEN 0 ELSE 1 END"
    )
}

/// `1` when the user named by `u` is on duty (no duty row: on duty), else `0`.
fn on_duty(u: &str) -> String {
    format!(
        "CASE WHEN EXISTS (SELECT 1 FROM operator_duty d WHERE d.user_id = {u} \
         AND NOT (d.on_duty = TRUE)) THEN 0 ELSE 1 END"
    )
}

async fn run(c: &mut AnyConnection, sql: &str, a: i64, b: Option<i64>) -> Result<()> {
    let mut q = sqlx::query(sql).bind(a);
    if let Some(b) = b {
        q = q.bind(b);
    }
    q.execute(c).await.map_err(db)?;
    Ok(())
}

/// Writes the slot of one membership from its sources (after the membership was added or its
/// skill level changed); nothing when the membership does not exist.
pub(crate) async fn put_membership(
    c: &mut AnyConnection,
    group: GroupId,
    user: UserId,
) -> Result<()> {
    let sql = format!(
        "INSERT INTO routing_slots (group_id, user_id, ready, on_duty, position, skill_level, \
         idle_since, wrap_up_until, last_offered_at) \
         SELECT o.group_id, o.user_id, {}, {}, o.added_at, o.skill_level, \
         COALESCE(a.idle_since, 0), a.wrap_up_until, COALESCE(a.last_offered_at, 0) \
         FROM group_operators o LEFT JOIN operator_activity a ON a.user_id = o.user_id \
         WHERE o.group_id = $1 AND o.user_id = $2 \
         ON CONFLICT (group_id, user_id) DO UPDATE SET ready = excluded.ready, \
         on_duty = excluded.on_duty, position = excluded.position, \
         skill_level = excluded.skill_level, idle_since = excluded.idle_since, \
         wrap_up_until = excluded.wrap_up_until, last_offered_at = excluded.last_offered_at",
        ready("o.user_id"),
        on_duty("o.user_id"),
    );
    run(c, &sql, group.0, Some(user.0)).await
}

/// Drops the slot of one membership.
pub(crate) async fn remove_membership(
    c: &mut AnyConnection,
    group: GroupId,
    user: UserId,
) -> Result<()> {
    run(
        c,
        "DELETE FROM routing_slots WHERE group_id = $1 AND user_id = $2",
        group.0,
        Some(user.0),
    )
    .await
}

/// Drops every slot of the user (they left every group).
pub(crate) async fn remove_user(c: &mut AnyConnection, user: UserId) -> Result<()> {
    run(
        c,
        "DELETE FROM routing_slots WHERE user_id = $1",
        user.0,
        None,
    )
    .await
}

/// Drops every slot of the group (it is deleted).
pub(crate) async fn remove_group(c: &mut AnyConnection, group: GroupId) -> Result<()> {
    run(
        c,
        "DELETE FROM routing_slots WHERE group_id = $1",
        group.0,
        None,
    )
    .await
}

/// Recomputes `ready` and `on_duty` of every slot of the user from their duty status and
/// claim (after either changed).
pub(crate) async fn refresh_duty(c: &mut AnyConnection, user: UserId) -> Result<()> {
    let sql = format!(
        "UPDATE routing_slots SET ready = {}, on_duty = {} WHERE user_id = $1",
        ready("$1"),
        on_duty("$1")
    );
    run(c, &sql, user.0, None).await
}

/// The user now holds a call: none of their slots is ready.
pub(crate) async fn claimed(c: &mut AnyConnection, user: UserId) -> Result<()> {
    run(
        c,
        "UPDATE routing_slots SET ready = 0 WHERE user_id = $1 AND ready = 1",
        user.0,
        None,
    )
    .await
}

/// Copies the user's activity (idle since, wrap-up, last offered) to every slot of theirs.
pub(crate) async fn refresh_activity(c: &mut AnyConnection, user: UserId) -> Result<()> {
    run(
        c,
        "UPDATE routing_slots SET \
         idle_since = COALESCE((SELECT a.idle_since FROM operator_activity a WHERE a.user_id = $1), 0), \
         wrap_up_until = (SELECT a.wrap_up_until FROM operator_activity a WHERE a.user_id = $1), \
         last_offered_at = COALESCE((SELECT a.last_offered_at FROM operator_activity a \
         WHERE a.user_id = $1), 0) \
         WHERE user_id = $1",
        user.0,
        None,
    )
    .await
}

fn candidate(row: &AnyRow) -> Result<OperatorRow> {
    let offered: i64 = get(row, "last_offered_at")?;
    Ok(OperatorRow {
        user_id: UserId(get(row, "user_id")?),
        skill_level: u8::try_from(get::<i64>(row, "skill_level")?).unwrap_or(0),
        position: get(row, "position")?,
        on_duty: true,
        duty_state: DutyState::Available,
        active_calls: 0,
        wrap_up_until: get::<Option<i64>>(row, "wrap_up_until")?.map(from_millis),
        idle_since: from_millis(get(row, "idle_since")?),
        last_offered_at: (offered != 0).then(|| from_millis(offered)),
    })
}

/// The group's ready operators, at most `limit`, in `order`: one range of the index that
/// serves the order (`routing_slots_position`, `_idle`, `_skill`, `_offered`).
pub(crate) async fn candidates(
    c: &mut AnyConnection,
    group: GroupId,
    order: CandidateOrder,
    limit: usize,
) -> Result<Vec<OperatorRow>> {
    if let CandidateOrder::RandomFrom(start) = order {
        return random_candidates(c, group, start, limit).await;
    }
    let order_by = match order {
        CandidateOrder::RandomFrom(_) => "user_id",
        CandidateOrder::Position => "position, user_id",
        CandidateOrder::IdleSince => "idle_since, user_id",
        CandidateOrder::SkillDesc => "skill_level DESC, idle_since, user_id",
        CandidateOrder::LastOfferedAsc => "last_offered_at, position, user_id",
    };
    let sql = format!(
        "SELECT user_id, skill_level, position, idle_since, wrap_up_until, last_offered_at \
         FROM routing_slots WHERE group_id = $1 AND ready = 1 ORDER BY {order_by} LIMIT $2"
    );
    let rows = sqlx::query(&sql)
        .bind(group.0)
        .bind(limit as i64)
        .fetch_all(c)
        .await
        .map_err(db)?;
    rows.iter().map(candidate).collect()
}

/// Ready operators from a random user id onwards, wrapping around to the first: two range
/// reads of the primary key (user ids are random, so the first is any operator alike).
async fn random_candidates(
    c: &mut AnyConnection,
    group: GroupId,
    start: i64,
    limit: usize,
) -> Result<Vec<OperatorRow>> {
    let mut out = Vec::new();
    for (cond, bound) in [("user_id >= $2", start), ("user_id < $2", start)] {
        let left = limit.saturating_sub(out.len());
        if left == 0 {
            break;
        }
        let sql = format!(
            "SELECT user_id, skill_level, position, idle_since, wrap_up_until, last_offered_at \
             FROM routing_slots WHERE group_id = $1 AND ready = 1 AND {cond} \
             ORDER BY user_id LIMIT $3"
        );
        let rows = sqlx::query(&sql)
            .bind(group.0)
            .bind(bound)
            .bind(left as i64)
            .fetch_all(&mut *c)
            .await
            .map_err(db)?;
        for row in &rows {
            out.push(candidate(row)?);
        }
    }
    Ok(out)
}

/// Whether any operator of the group is on duty: one probe of `routing_slots_on_duty`.
pub(crate) async fn any_on_duty(c: &mut AnyConnection, group: GroupId) -> Result<bool> {
    let row = sqlx::query(
        "SELECT 1 AS one FROM routing_slots WHERE group_id = $1 AND on_duty = 1 LIMIT 1",
    )
    .bind(group.0)
    .fetch_optional(c)
    .await
    .map_err(db)?;
    Ok(row.is_some())
}
