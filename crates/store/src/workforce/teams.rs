//! Teams and their members.

use sqlx::AnyConnection;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::*;
use switchboard_domain::workforce::collab::{Team, TeamInfo, TeamMember};
use switchboard_domain::Result;

use super::collab_pages::{team_infos, TEAM_COLUMNS};
use crate::error::db;
use crate::rows::get;

pub(crate) async fn team(c: &mut AnyConnection, id: TeamId) -> Result<Option<TeamInfo>> {
    let row = sqlx::query(&format!("{TEAM_COLUMNS} FROM teams t WHERE t.id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *c)
        .await
        .map_err(db)?;
    match row {
        Some(r) => Ok(team_infos(c, &[r]).await?.pop()),
        None => Ok(None),
    }
}

pub(crate) async fn team_members(c: &mut AnyConnection, id: TeamId) -> Result<Vec<TeamMember>> {
    let rows =
        sqlx::query("SELECT * FROM team_members WHERE team_id = $1 ORDER BY created_at, user_id")
            .bind(id.0)
            .fetch_all(c)
            .await
            .map_err(db)?;
    rows.iter()
        .map(|r| {
            Ok(TeamMember {
                team_id: TeamId(get(r, "team_id")?),
                user_id: UserId(get(r, "user_id")?),
                status: get(r, "status")?,
                created_at: from_millis(get(r, "created_at")?),
                updated_at: from_millis(get(r, "updated_at")?),
            })
        })
        .collect()
}

pub(crate) async fn insert_team(c: &mut AnyConnection, t: &Team) -> Result<()> {
    sqlx::query(
        "INSERT INTO teams (id, company_id, name, description, visibility, accessibility, hide_from_views, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(t.id.0)
    .bind(t.company_id.0)
    .bind(&t.name)
    .bind(&t.description)
    .bind(&t.visibility)
    .bind(&t.accessibility)
    .bind(t.hide_from_views)
    .bind(to_millis(t.created_at))
    .bind(to_millis(t.updated_at))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn update_team(c: &mut AnyConnection, t: &Team) -> Result<()> {
    sqlx::query(
        "UPDATE teams SET name = $1, description = $2, visibility = $3, accessibility = $4, \
         hide_from_views = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(&t.name)
    .bind(&t.description)
    .bind(&t.visibility)
    .bind(&t.accessibility)
    .bind(t.hide_from_views)
    .bind(to_millis(t.updated_at))
    .bind(t.id.0)
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn delete_team(c: &mut AnyConnection, id: TeamId) -> Result<()> {
    crate::sql::run_with_id(
        c,
        &[
            "DELETE FROM team_members WHERE team_id = $1",
            "DELETE FROM teams WHERE id = $1",
        ],
        id.0,
    )
    .await?;
    Ok(())
}

pub(crate) async fn put_team_member(c: &mut AnyConnection, m: &TeamMember) -> Result<()> {
    sqlx::query(
        "INSERT INTO team_members (team_id, user_id, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (team_id, user_id) DO UPDATE SET status = $3, updated_at = $5",
    )
    .bind(m.team_id.0)
    .bind(m.user_id.0)
    .bind(&m.status)
    .bind(to_millis(m.created_at))
    .bind(to_millis(m.updated_at))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn delete_team_member(
    c: &mut AnyConnection,
    team: TeamId,
    user: UserId,
) -> Result<bool> {
    let done = sqlx::query("DELETE FROM team_members WHERE team_id = $1 AND user_id = $2")
        .bind(team.0)
        .bind(user.0)
        .execute(c)
        .await
        .map_err(db)?;
    Ok(done.rows_affected() > 0)
}
