//! The [`CallLegStore`] implementation: reads of calls, operators, queues and timers.

use async_trait::async_trait;
use jiff::Timestamp;
use switchboard_domain::calls::leg::{CallFilter, CallLeg, TranscriptLine};
use switchboard_domain::calls::store::{
    CallActivity, CallLegStore, CallPosition, OperatorRow, QueueFigures,
};
use switchboard_domain::calls::timer::Timer;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::{AgentId, CallId, CompanyId, GroupId, UserId};
use switchboard_domain::workforce::store::KeysetPage;
use switchboard_domain::Result;

use super::legs;
use crate::error::db;
use crate::rows::{flag, get};
use crate::SqlStore;

use super::operators::{operator, timer, OPERATORS};

#[async_trait]
impl CallLegStore for SqlStore {
    async fn call_leg(&self, company: CompanyId, id: CallId) -> Result<Option<CallLeg>> {
        legs::one(&mut *self.conn().await?, Some(company), id, "").await
    }

    async fn call_leg_any(&self, id: CallId) -> Result<Option<CallLeg>> {
        legs::one(&mut *self.conn().await?, None, id, "").await
    }

    async fn calls_page(
        &self,
        company: CompanyId,
        filter: &CallFilter,
        page: KeysetPage<'_, CallPosition>,
    ) -> Result<Vec<CallLeg>> {
        legs::page(&mut *self.conn().await?, company, filter, page).await
    }

    async fn operator_legs(&self, entry: CallId) -> Result<Vec<CallLeg>> {
        legs::operator_legs(&mut *self.conn().await?, entry, "").await
    }

    async fn transcript(&self, call: CallId) -> Result<Vec<TranscriptLine>> {
        legs::transcript(&mut *self.conn().await?, call).await
    }

    async fn ringing_leg_of(&self, company: CompanyId, user: UserId) -> Result<Option<CallLeg>> {
        let row = sqlx::query(
            "SELECT * FROM calls WHERE user_id = $1 AND state IN ('ringing', 'calling') \
             AND company_id = $2 ORDER BY started_at, id LIMIT 1",
        )
        .bind(user.0)
        .bind(company.0)
        .fetch_optional(&mut *self.conn().await?)
        .await
        .map_err(db)?;
        row.as_ref().map(legs::leg).transpose()
    }

    async fn active_leg_of(&self, company: CompanyId, user: UserId) -> Result<Option<CallLeg>> {
        super::outbound::active_leg_of(&mut *self.conn().await?, company, user).await
    }

    async fn live_legs_of(&self, company: CompanyId, users: &[UserId]) -> Result<Vec<CallLeg>> {
        super::outbound::live_legs_of(&mut *self.conn().await?, company, users).await
    }

    async fn open_callback(&self, group: GroupId, number: &str) -> Result<bool> {
        super::outbound::open_callback(&mut *self.conn().await?, group, number).await
    }

    async fn sim_auto_answer(&self, user: UserId) -> Result<bool> {
        let row = sqlx::query("SELECT auto_answer FROM sim_devices WHERE user_id = $1")
            .bind(user.0)
            .fetch_optional(&mut *self.conn().await?)
            .await
            .map_err(db)?;
        row.map_or(Ok(false), |r| flag(&r, "auto_answer"))
    }

    async fn due_timers(&self, now: Timestamp, limit: usize) -> Result<Vec<Timer>> {
        let rows = sqlx::query(
            "SELECT * FROM call_timers WHERE due_at <= $1 ORDER BY due_at, id LIMIT $2",
        )
        .bind(to_millis(now))
        .bind(limit as i64)
        .fetch_all(&mut *self.conn().await?)
        .await
        .map_err(db)?;
        Ok(rows
            .iter()
            .filter_map(|r| timer(r).ok().flatten())
            .collect())
    }

    async fn group_operator_rows(
        &self,
        group: GroupId,
        after: Option<(i64, i64)>,
        limit: usize,
    ) -> Result<Vec<OperatorRow>> {
        let mut sql = OPERATORS.to_owned();
        if after.is_some() {
            sql.push_str(" AND (o.added_at, o.user_id) > ($3, $4)");
        }
        sql.push_str(" ORDER BY o.added_at, o.user_id LIMIT $2");
        let mut q = sqlx::query(&sql).bind(group.0).bind(limit as i64);
        if let Some((at, id)) = after {
            q = q.bind(at).bind(id);
        }
        let rows = q.fetch_all(&mut *self.conn().await?).await.map_err(db)?;
        rows.iter().map(operator).collect()
    }

    async fn queue_figures(&self, group: GroupId) -> Result<QueueFigures> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(queued_at) AS oldest FROM call_queue WHERE group_id = $1",
        )
        .bind(group.0)
        .fetch_one(&mut *self.conn().await?)
        .await
        .map_err(db)?;
        Ok(QueueFigures {
            waiting: u32::try_from(get::<i64>(&row, "n")?).unwrap_or(u32::MAX),
            oldest: get::<Option<i64>>(&row, "oldest")?.map(from_millis),
        })
    }

    async fn ai_members(&self, group: GroupId, limit: usize) -> Result<Vec<(AgentId, Timestamp)>> {
        let rows = sqlx::query(
            "SELECT agent_id, added_at FROM group_ai_agents WHERE group_id = $1 \
             ORDER BY added_at, agent_id LIMIT $2",
        )
        .bind(group.0)
        .bind(limit as i64)
        .fetch_all(&mut *self.conn().await?)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok((
                    AgentId(get(r, "agent_id")?),
                    from_millis(get(r, "added_at")?),
                ))
            })
            .collect()
    }

    async fn call_activity(&self, users: &[UserId]) -> Result<Vec<CallActivity>> {
        if users.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (1..=users.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT u.user_id, (SELECT COUNT(*) FROM operator_claims c WHERE c.user_id = u.user_id) \
             AS active, (SELECT a.last_offered_at FROM operator_activity a \
             WHERE a.user_id = u.user_id) AS last_offered_at, (SELECT a.wrap_up_until FROM \
             operator_activity a WHERE a.user_id = u.user_id) AS wrap_up_until FROM (SELECT user_id FROM \
             operator_activity WHERE user_id IN ({0}) UNION SELECT user_id FROM operator_claims \
             WHERE user_id IN ({0})) u",
            marks.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for u in users {
            q = q.bind(u.0);
        }
        let rows = q.fetch_all(&mut *self.conn().await?).await.map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(CallActivity {
                    user_id: UserId(get(r, "user_id")?),
                    active_calls: u32::try_from(get::<i64>(r, "active")?).unwrap_or(0),
                    last_offered_at: get::<Option<i64>>(r, "last_offered_at")?.map(from_millis),
                    wrap_up_until: get::<Option<i64>>(r, "wrap_up_until")?.map(from_millis),
                })
            })
            .collect()
    }

    async fn group_operator_counts(&self, group: GroupId, now: Timestamp) -> Result<(u32, u32)> {
        let row = sqlx::query(
            "SELECT COALESCE(SUM(CASE WHEN d.user_id IS NULL OR d.on_duty = $2 THEN 1 ELSE 0 END), 0) \
             AS on_duty, COALESCE(SUM(CASE WHEN (d.user_id IS NULL OR (d.on_duty = $2 AND \
             d.state = 'available')) AND NOT EXISTS (SELECT 1 FROM operator_claims c WHERE \
             c.user_id = o.user_id) AND (a.wrap_up_until IS NULL OR a.wrap_up_until <= $3) \
             THEN 1 ELSE 0 END), 0) AS available FROM group_operators o \
             LEFT JOIN operator_duty d ON d.user_id = o.user_id \
             LEFT JOIN operator_activity a ON a.user_id = o.user_id WHERE o.group_id = $1",
        )
        .bind(group.0)
        .bind(true)
        .bind(to_millis(now))
        .fetch_one(&mut *self.conn().await?)
        .await
        .map_err(db)?;
        let n = |c: &str| get::<i64>(&row, c).map(|v| u32::try_from(v).unwrap_or(u32::MAX));
        Ok((n("on_duty")?, n("available")?))
    }

    async fn group_calls_since(&self, group: GroupId, since: Timestamp) -> Result<(u64, u64)> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN outcome = 'answered' THEN 1 ELSE 0 END), 0) \
             AS answered FROM calls WHERE group_id = $1 AND started_at >= $2 \
             AND entry_point_call_id IS NULL",
        )
        .bind(group.0)
        .bind(to_millis(since))
        .fetch_one(&mut *self.conn().await?)
        .await
        .map_err(db)?;
        let n: i64 = get(&row, "n")?;
        let answered: i64 = get(&row, "answered")?;
        Ok((n.max(0) as u64, answered.max(0) as u64))
    }
}
