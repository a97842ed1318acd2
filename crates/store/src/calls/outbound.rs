//! Reads behind outbound calls and what a user does on their call: the user's active leg,
//! several users' live legs, and whether a callback is pending.

use sqlx::AnyConnection;
use switchboard_domain::calls::leg::CallLeg;
use switchboard_domain::ids::{CompanyId, GroupId, UserId};
use switchboard_domain::Result;

use super::legs;
use crate::error::db;
use crate::sql::filter::Arg;
use crate::sql::keyset::Sql;

/// The user's own live leg, newest first (index `calls_ringing_user`: user and state).
pub(crate) async fn active_leg_of(
    c: &mut AnyConnection,
    company: CompanyId,
    user: UserId,
) -> Result<Option<CallLeg>> {
    let row = sqlx::query(
        "SELECT * FROM calls WHERE user_id = $1 AND state IN ('connected', 'hold') \
         AND company_id = $2 AND operator_call_id IS NULL \
         ORDER BY started_at DESC, id DESC LIMIT 1",
    )
    .bind(user.0)
    .bind(company.0)
    .fetch_optional(c)
    .await
    .map_err(db)?;
    row.as_ref().map(legs::leg).transpose()
}

/// The own live legs of these users (index `calls_ringing_user`), newest first.
pub(crate) async fn live_legs_of(
    c: &mut AnyConnection,
    company: CompanyId,
    users: &[UserId],
) -> Result<Vec<CallLeg>> {
    if users.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    let ids: Vec<String> = users.iter().map(|u| sql.arg(Arg::Int(u.0))).collect();
    sql.push(&format!(
        "SELECT * FROM calls WHERE user_id IN ({}) \
         AND state IN ('calling', 'ringing', 'connected', 'hold') \
         AND company_id = {co} AND operator_call_id IS NULL ORDER BY started_at DESC, id DESC",
        ids.join(", ")
    ));
    let rows = sql.fetch(c).await?;
    rows.iter().map(legs::leg).collect()
}

/// Whether the group has an outbound leg to `number` that has not ended (index
/// `calls_group_started`).
pub(crate) async fn open_callback(
    c: &mut AnyConnection,
    group: GroupId,
    number: &str,
) -> Result<bool> {
    let row = sqlx::query(
        "SELECT id FROM calls WHERE group_id = $1 AND direction = 'outbound' \
         AND to_number = $2 AND date_ended IS NULL AND entry_point_call_id IS NULL LIMIT 1",
    )
    .bind(group.0)
    .bind(number)
    .fetch_optional(c)
    .await
    .map_err(db)?;
    Ok(row.is_some())
}
