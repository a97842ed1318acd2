//! What moves calls: operators' claims and activity, the groups' hold queues, timers, the
//! simulator's devices; and the [`CallLegStore`] / [`CallLegTx`] implementations.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::calls::leg::{CallLeg, TranscriptLine};
use switchboard_domain::calls::store::{CallLegTx, CandidateOrder, OperatorRow};
use switchboard_domain::calls::timer::{Timer, TimerKind};
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::{AgentId, CallId, CompanyId, GroupId, UserId};
use switchboard_domain::telephony::group::DutyState;
use switchboard_domain::Result;

use super::{legs, slots};
use crate::error::db;
use crate::rows::{flag, get};
use crate::tx::SqlTx;

/// A group's operators with their duty and activity (no duty row: on duty and available).
pub(super) const OPERATORS: &str =
    "SELECT o.user_id, o.skill_level, o.added_at, d.user_id AS duty_user, \
     d.on_duty, d.state AS duty_state, a.idle_since, a.wrap_up_until, a.last_offered_at, \
     (SELECT COUNT(*) FROM operator_claims c WHERE c.user_id = o.user_id) AS active \
     FROM group_operators o \
     LEFT JOIN operator_duty d ON d.user_id = o.user_id \
     LEFT JOIN operator_activity a ON a.user_id = o.user_id \
     WHERE o.group_id = $1";

pub(super) fn operator(row: &AnyRow) -> Result<OperatorRow> {
    let has_duty = get::<Option<i64>>(row, "duty_user")?.is_some();
    let (on_duty, state) = if has_duty {
        let s: String = get(row, "duty_state")?;
        (
            flag(row, "on_duty")?,
            DutyState::parse(&s).unwrap_or(DutyState::Unavailable),
        )
    } else {
        (true, DutyState::Available)
    };
    Ok(OperatorRow {
        user_id: UserId(get(row, "user_id")?),
        skill_level: u8::try_from(get::<i64>(row, "skill_level")?).unwrap_or(0),
        position: get(row, "added_at")?,
        on_duty,
        duty_state: state,
        active_calls: u32::try_from(get::<i64>(row, "active")?).unwrap_or(0),
        wrap_up_until: get::<Option<i64>>(row, "wrap_up_until")?.map(from_millis),
        idle_since: from_millis(get::<Option<i64>>(row, "idle_since")?.unwrap_or(0)),
        last_offered_at: get::<Option<i64>>(row, "last_offered_at")?.map(from_millis),
    })
}

pub(super) fn timer(row: &AnyRow) -> Result<Option<Timer>> {
    let kind: String = get(row, "kind")?;
    Ok(TimerKind::parse(&kind).map(|kind| Timer {
        id: get(row, "id").unwrap_or_default(),
        company_id: CompanyId(get(row, "company_id").unwrap_or_default()),
        kind,
        call_id: get::<Option<i64>>(row, "call_id")
            .ok()
            .flatten()
            .map(CallId),
        user_id: get::<Option<i64>>(row, "user_id")
            .ok()
            .flatten()
            .map(UserId),
        due_at: from_millis(get(row, "due_at").unwrap_or_default()),
    }))
}

pub(super) async fn count(c: &mut AnyConnection, sql: &str, a: i64, b: Option<i64>) -> Result<u32> {
    let mut q = sqlx::query(sql).bind(a);
    if let Some(b) = b {
        q = q.bind(b);
    }
    let row = q.fetch_one(c).await.map_err(db)?;
    Ok(u32::try_from(get::<i64>(&row, "n")?).unwrap_or(u32::MAX))
}

#[async_trait]
impl CallLegTx for SqlTx {
    async fn call_leg_for_update(
        &mut self,
        company: CompanyId,
        id: CallId,
    ) -> Result<Option<CallLeg>> {
        let lock = self.backend.lock_clause();
        legs::one(&mut self.tx, Some(company), id, lock).await
    }

    async fn call_leg_for_update_any(&mut self, id: CallId) -> Result<Option<CallLeg>> {
        let lock = self.backend.lock_clause();
        legs::one(&mut self.tx, None, id, lock).await
    }

    async fn insert_call_leg(&mut self, leg: &CallLeg) -> Result<()> {
        legs::write(&mut self.tx, leg, true).await
    }

    async fn update_call_leg(&mut self, leg: &CallLeg) -> Result<()> {
        legs::write(&mut self.tx, leg, false).await
    }

    async fn operator_legs_for_update(&mut self, entry: CallId) -> Result<Vec<CallLeg>> {
        let lock = self.backend.lock_clause();
        legs::operator_legs(&mut self.tx, entry, lock).await
    }

    async fn append_transcript(&mut self, company: CompanyId, line: &TranscriptLine) -> Result<()> {
        legs::append_transcript(&mut self.tx, company, line).await
    }

    async fn claim_operator(
        &mut self,
        company: CompanyId,
        user: UserId,
        call: CallId,
        at: Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO operator_claims (user_id, company_id, call_id, since) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(user.0)
        .bind(company.0)
        .bind(call.0)
        .bind(to_millis(at))
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        let claimed = done.rows_affected() == 1;
        if claimed {
            slots::claimed(&mut self.tx, user).await?;
        }
        Ok(claimed)
    }

    async fn release_operator(&mut self, user: UserId, call: CallId) -> Result<()> {
        let done = sqlx::query("DELETE FROM operator_claims WHERE user_id = $1 AND call_id = $2")
            .bind(user.0)
            .bind(call.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        if done.rows_affected() > 0 {
            slots::refresh_duty(&mut self.tx, user).await?;
        }
        Ok(())
    }

    async fn operator_offered(
        &mut self,
        company: CompanyId,
        user: UserId,
        at: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO operator_activity (user_id, company_id, idle_since, wrap_up_until, \
             last_offered_at) VALUES ($1, $2, 0, NULL, $3) \
             ON CONFLICT (user_id) DO UPDATE SET last_offered_at = excluded.last_offered_at",
        )
        .bind(user.0)
        .bind(company.0)
        .bind(to_millis(at))
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        slots::refresh_activity(&mut self.tx, user).await
    }

    async fn operator_idle(
        &mut self,
        company: CompanyId,
        user: UserId,
        idle_since: Timestamp,
        wrap_up_until: Option<Timestamp>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO operator_activity (user_id, company_id, idle_since, wrap_up_until, \
             last_offered_at) VALUES ($1, $2, $3, $4, NULL) \
             ON CONFLICT (user_id) DO UPDATE SET idle_since = excluded.idle_since, \
             wrap_up_until = excluded.wrap_up_until",
        )
        .bind(user.0)
        .bind(company.0)
        .bind(to_millis(idle_since))
        .bind(wrap_up_until.map(to_millis))
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        slots::refresh_activity(&mut self.tx, user).await
    }

    async fn routing_candidates(
        &mut self,
        group: GroupId,
        order: CandidateOrder,
        limit: usize,
    ) -> Result<Vec<OperatorRow>> {
        slots::candidates(&mut self.tx, group, order, limit).await
    }

    async fn any_on_duty(&mut self, group: GroupId) -> Result<bool> {
        slots::any_on_duty(&mut self.tx, group).await
    }

    async fn enqueue(
        &mut self,
        company: CompanyId,
        call: CallId,
        group: GroupId,
        at: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO call_queue (call_id, company_id, group_id, queued_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (call_id) DO NOTHING",
        )
        .bind(call.0)
        .bind(company.0)
        .bind(group.0)
        .bind(to_millis(at))
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn dequeue(&mut self, call: CallId) -> Result<bool> {
        let done = sqlx::query("DELETE FROM call_queue WHERE call_id = $1")
            .bind(call.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(done.rows_affected() > 0)
    }

    async fn queued_calls(&mut self, group: GroupId, limit: usize) -> Result<Vec<CallId>> {
        let rows = sqlx::query(
            "SELECT call_id FROM call_queue WHERE group_id = $1 ORDER BY queued_at, call_id LIMIT $2",
        )
        .bind(group.0)
        .bind(limit as i64)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| get::<i64>(r, "call_id").map(CallId))
            .collect()
    }

    async fn queue_position(&mut self, group: GroupId, call: CallId) -> Result<u32> {
        count(
            &mut self.tx,
            "SELECT COUNT(*) AS n FROM call_queue q WHERE q.group_id = $1 AND \
             (q.queued_at, q.call_id) <= (SELECT m.queued_at, m.call_id FROM call_queue m \
             WHERE m.call_id = $2)",
            group.0,
            Some(call.0),
        )
        .await
    }

    async fn queue_length(&mut self, group: GroupId) -> Result<u32> {
        count(
            &mut self.tx,
            "SELECT COUNT(*) AS n FROM call_queue WHERE group_id = $1",
            group.0,
            None,
        )
        .await
    }

    async fn groups_waiting_for(&mut self, user: UserId) -> Result<Vec<GroupId>> {
        let rows = sqlx::query(
            "SELECT o.group_id FROM group_operators o WHERE o.user_id = $1 AND EXISTS \
             (SELECT 1 FROM call_queue q WHERE q.group_id = o.group_id) ORDER BY o.group_id",
        )
        .bind(user.0)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| get::<i64>(r, "group_id").map(GroupId))
            .collect()
    }

    async fn insert_timer(&mut self, t: &Timer) -> Result<()> {
        sqlx::query(
            "INSERT INTO call_timers (id, company_id, kind, call_id, user_id, due_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(t.id)
        .bind(t.company_id.0)
        .bind(t.kind.as_str())
        .bind(t.call_id.map(|c| c.0))
        .bind(t.user_id.map(|u| u.0))
        .bind(to_millis(t.due_at))
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn take_timer(&mut self, id: i64) -> Result<bool> {
        let done = sqlx::query("DELETE FROM call_timers WHERE id = $1")
            .bind(id)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(done.rows_affected() == 1)
    }

    async fn drop_timers_of(&mut self, call: CallId) -> Result<()> {
        sqlx::query("DELETE FROM call_timers WHERE call_id = $1")
            .bind(call.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn add_ai_member(
        &mut self,
        company: CompanyId,
        group: GroupId,
        agent: AgentId,
        at: Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO group_ai_agents (group_id, agent_id, company_id, added_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (group_id, agent_id) DO NOTHING",
        )
        .bind(group.0)
        .bind(agent.0)
        .bind(company.0)
        .bind(to_millis(at))
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(done.rows_affected() == 1)
    }

    async fn remove_ai_member(&mut self, group: GroupId, agent: AgentId) -> Result<bool> {
        let done = sqlx::query("DELETE FROM group_ai_agents WHERE group_id = $1 AND agent_id = $2")
            .bind(group.0)
            .bind(agent.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(done.rows_affected() == 1)
    }

    async fn set_sim_auto_answer(
        &mut self,
        company: CompanyId,
        user: UserId,
        enabled: bool,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO sim_devices (user_id, company_id, auto_answer) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET auto_answer = excluded.auto_answer",
        )
        .bind(user.0)
        .bind(company.0)
        .bind(enabled)
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(())
    }
}
