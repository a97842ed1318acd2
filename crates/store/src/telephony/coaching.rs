//! Coaching teams and their members: queries, rows and the [`CoachingStore`] /
//! [`CoachingTx`] implementations. Every read of a team is scoped to its company.

use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::{CoachingTeamId, CompanyId, OfficeId, UserId};
use switchboard_domain::store::{CoachingStore, CoachingTx};
use switchboard_domain::telephony::coaching::{CoachingMember, CoachingRole, CoachingTeam};
use switchboard_domain::telephony::directory::DirectoryUser;
use switchboard_domain::telephony::office::EntryState;
use switchboard_domain::workforce::store::KeysetPage;
use switchboard_domain::{DomainError, Result};

use super::directory::directory_user;
use crate::error::db;
use crate::rows::{flag, get};
use crate::sql::filter::Arg;
use crate::sql::keyset::{after, order_limit, Sql};
use crate::tx::SqlTx;
use crate::{Backend, SqlStore};

fn team(row: &AnyRow) -> Result<CoachingTeam> {
    Ok(CoachingTeam {
        id: CoachingTeamId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        office_id: OfficeId(get(row, "office_id")?),
        name: get(row, "name")?,
        description: get(row, "description")?,
        allow_trainee_eavesdrop: flag(row, "allow_trainee_eavesdrop")?,
        ring_seconds: u32::try_from(get::<i64>(row, "ring_seconds")?)
            .map_err(DomainError::internal)?,
        state: EntryState::parse(&get::<String>(row, "state")?)
            .map_err(|_| DomainError::internal("unknown stored team state"))?,
        created_at: from_millis(get(row, "created_at")?),
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

fn member(row: &AnyRow) -> Result<CoachingMember> {
    Ok(CoachingMember {
        team_id: CoachingTeamId(get(row, "team_id")?),
        user_id: UserId(get(row, "user_id")?),
        role: CoachingRole::parse(&get::<String>(row, "role")?)
            .map_err(|_| DomainError::internal("unknown stored coaching role"))?,
        added_at: from_millis(get(row, "added_at")?),
    })
}

async fn team_by_id(
    c: &mut AnyConnection,
    company: CompanyId,
    id: CoachingTeamId,
    lock: Option<Backend>,
) -> Result<Option<CoachingTeam>> {
    crate::sql::in_company(c, "coaching_teams", id.0, company, lock, team).await
}

#[async_trait]
impl CoachingStore for SqlStore {
    async fn coaching_team(
        &self,
        company: CompanyId,
        id: CoachingTeamId,
    ) -> Result<Option<CoachingTeam>> {
        team_by_id(&mut *self.conn().await?, company, id, None).await
    }

    /// One indexed query: `coaching_teams_office (office_id, id)` for an office (the domain
    /// checked it is the company's), `coaching_teams_company (company_id, id)` otherwise.
    async fn coaching_teams_page(
        &self,
        company: CompanyId,
        office: Option<OfficeId>,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<CoachingTeam>> {
        let mut sql = Sql::default();
        let co = sql.arg(Arg::Int(company.0));
        sql.push(&format!(
            "SELECT * FROM coaching_teams WHERE company_id = {co}"
        ));
        if let Some(office) = office {
            let o = sql.arg(Arg::Int(office.0));
            sql.push(&format!(" AND office_id = {o}"));
        }
        if let Some(id) = page.after {
            after(&mut sql, "id", vec![Arg::Int(*id)], page.reverse);
        }
        order_limit(&mut sql, "id", page.reverse, page.limit);
        let rows = sql.fetch(&mut *self.conn().await?).await?;
        rows.iter().map(team).collect()
    }

    /// One query over the members' primary key (team, user id), joined to their users.
    async fn coaching_members_page(
        &self,
        team: CoachingTeamId,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<(CoachingMember, DirectoryUser)>> {
        let mut sql = Sql::default();
        let t = sql.arg(Arg::Int(team.0));
        sql.push(&format!(
            "SELECT u.*, m.team_id, m.user_id, m.role, m.added_at FROM coaching_members m \
             JOIN users u ON u.id = m.user_id WHERE m.team_id = {t}"
        ));
        if let Some(id) = page.after {
            after(&mut sql, "m.user_id", vec![Arg::Int(*id)], page.reverse);
        }
        order_limit(&mut sql, "m.user_id", page.reverse, page.limit);
        let rows = sql.fetch(&mut *self.conn().await?).await?;
        rows.iter()
            .map(|r| Ok((member(r)?, directory_user(r)?)))
            .collect()
    }
}

#[async_trait]
impl CoachingTx for SqlTx {
    async fn coaching_team_for_update(
        &mut self,
        company: CompanyId,
        id: CoachingTeamId,
    ) -> Result<Option<CoachingTeam>> {
        team_by_id(&mut self.tx, company, id, Some(self.backend)).await
    }

    async fn insert_coaching_team(&mut self, t: &CoachingTeam) -> Result<()> {
        sqlx::query(
            "INSERT INTO coaching_teams (id, company_id, office_id, name, description, \
             allow_trainee_eavesdrop, ring_seconds, state, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(t.id.0)
        .bind(t.company_id.0)
        .bind(t.office_id.0)
        .bind(&t.name)
        .bind(t.description.as_deref())
        .bind(t.allow_trainee_eavesdrop)
        .bind(i64::from(t.ring_seconds))
        .bind(t.state.as_str())
        .bind(to_millis(t.created_at))
        .bind(to_millis(t.updated_at))
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn insert_coaching_member(
        &mut self,
        company: CompanyId,
        m: &CoachingMember,
    ) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO coaching_members (team_id, user_id, company_id, role, added_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (team_id, user_id) DO NOTHING",
        )
        .bind(m.team_id.0)
        .bind(m.user_id.0)
        .bind(company.0)
        .bind(m.role.as_str())
        .bind(to_millis(m.added_at))
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(done.rows_affected() > 0)
    }

    async fn remove_coaching_memberships_of(&mut self, user: UserId) -> Result<()> {
        sqlx::query("DELETE FROM coaching_members WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(())
    }
}
