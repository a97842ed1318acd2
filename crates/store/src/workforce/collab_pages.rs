//! The pages of a company's teams, skills and capacity rules, each one indexed query after a
//! keyset position, and the reads that complete a page's teams and rules in one query each.
use std::collections::BTreeSet;

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::clock::from_millis;
use switchboard_domain::ids::*;
use switchboard_domain::workforce::collab::{
    CapacityRule, ChannelLoad, RuleWithAgents, Skill, Team, TeamInfo,
};
use switchboard_domain::workforce::store::KeysetPage;
use switchboard_domain::Result;

use crate::error::db;
use crate::rows::{flag, get};
use crate::sql::filter::Arg;
use crate::sql::keyset::{after, order_limit, Sql};

/// The columns of a team with its member counts (`t` is `teams`).
pub(super) const TEAM_COLUMNS: &str = "SELECT t.*, \
    (SELECT COUNT(*) FROM team_members m2 WHERE m2.team_id = t.id AND m2.status = 'active') AS active_count, \
    (SELECT COUNT(*) FROM team_members m2 WHERE m2.team_id = t.id AND m2.status <> 'active') AS pending_count";

/// Teams of rows read with [`TEAM_COLUMNS`], with up to five members each (oldest first),
/// read in one query for all of them.
pub(super) async fn team_infos(c: &mut AnyConnection, rows: &[AnyRow]) -> Result<Vec<TeamInfo>> {
    let mut teams = Vec::with_capacity(rows.len());
    for row in rows {
        teams.push((
            Team {
                id: TeamId(get(row, "id")?),
                company_id: CompanyId(get(row, "company_id")?),
                name: get(row, "name")?,
                description: get(row, "description")?,
                visibility: get(row, "visibility")?,
                accessibility: get(row, "accessibility")?,
                hide_from_views: flag(row, "hide_from_views")?,
                created_at: from_millis(get(row, "created_at")?),
                updated_at: from_millis(get(row, "updated_at")?),
            },
            get::<i64>(row, "active_count")?,
            get::<i64>(row, "pending_count")?,
        ));
    }
    let ids: BTreeSet<i64> = teams.iter().map(|(t, _, _)| t.id.0).collect();
    let mut featured: Vec<(i64, UserId)> = Vec::new();
    if !ids.is_empty() {
        let mut sql = Sql::default();
        let list = sql.ints(ids);
        sql.push(&format!(
            "SELECT team_id, user_id FROM (SELECT team_id, user_id, created_at, ROW_NUMBER() OVER \
             (PARTITION BY team_id ORDER BY created_at, user_id) AS n FROM team_members \
             WHERE team_id IN ({list})) ranked WHERE n <= 5 ORDER BY team_id, created_at, user_id"
        ));
        for r in sql.fetch(c).await? {
            featured.push((get(&r, "team_id")?, UserId(get(&r, "user_id")?)));
        }
    }
    Ok(teams
        .into_iter()
        .map(|(team, active, pending)| TeamInfo {
            featured_members: featured
                .iter()
                .filter(|(t, _)| *t == team.id.0)
                .map(|(_, u)| *u)
                .collect(),
            team,
            active_member_count: active,
            pending_member_count: pending,
        })
        .collect())
}

/// Capacity rules of `rows` with their agents, read in one query for all of them.
pub(super) async fn rules_with_agents(
    c: &mut AnyConnection,
    rows: &[AnyRow],
) -> Result<Vec<RuleWithAgents>> {
    let mut rules = Vec::with_capacity(rows.len());
    for row in rows {
        rules.push(CapacityRule {
            id: CapacityRuleId(get(row, "id")?),
            company_id: CompanyId(get(row, "company_id")?),
            name: get(row, "name")?,
            description: get(row, "description")?,
            is_default: flag(row, "is_default")?,
            capacity: ChannelLoad {
                messaging: get(row, "messaging")?,
                email: get(row, "email")?,
            },
            created_at: from_millis(get(row, "created_at")?),
            updated_at: from_millis(get(row, "updated_at")?),
        });
    }
    let mut agents: Vec<(i64, UserId)> = Vec::new();
    if !rules.is_empty() {
        let mut sql = Sql::default();
        let list = sql.ints(rules.iter().map(|r| r.id.0));
        sql.push(&format!(
            "SELECT rule_id, user_id FROM capacity_rule_agents WHERE rule_id IN ({list}) \
             ORDER BY user_id"
        ));
        for r in sql.fetch(c).await? {
            agents.push((get(&r, "rule_id")?, UserId(get(&r, "user_id")?)));
        }
    }
    Ok(rules
        .into_iter()
        .map(|rule| RuleWithAgents {
            agents: agents
                .iter()
                .filter(|(r, _)| *r == rule.id.0)
                .map(|(_, u)| *u)
                .collect(),
            rule,
        })
        .collect())
}

pub(crate) async fn default_capacity_rule(
    c: &mut AnyConnection,
    company: CompanyId,
) -> Result<Option<RuleWithAgents>> {
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    let yes = sql.arg(Arg::Bool(true));
    sql.push(&format!(
        "SELECT * FROM capacity_rules WHERE company_id = {co} AND is_default = {yes}"
    ));
    let rows = sql.fetch(c).await?;
    Ok(rules_with_agents(c, &rows).await?.into_iter().next())
}

pub(crate) async fn team_page(
    c: &mut AnyConnection,
    company: CompanyId,
    page: KeysetPage<'_, (String, i64)>,
) -> Result<Vec<TeamInfo>> {
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    sql.push(&format!(
        "{TEAM_COLUMNS} FROM teams t WHERE t.company_id = {co}"
    ));
    let cols = "t.name, t.id";
    if let Some((name, id)) = page.after {
        after(
            &mut sql,
            cols,
            vec![Arg::Text(name.clone()), Arg::Int(*id)],
            page.reverse,
        );
    }
    order_limit(&mut sql, cols, page.reverse, page.limit);
    let rows = sql.fetch(c).await?;
    team_infos(c, &rows).await
}

pub(crate) async fn team_count(c: &mut AnyConnection, company: CompanyId) -> Result<u64> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM teams WHERE company_id = $1")
        .bind(company.0)
        .fetch_one(c)
        .await
        .map_err(db)?;
    Ok(n as u64)
}

/// Rows of `table` (with `company_id`, `created_at`, `id`) of one page, oldest first.
async fn by_creation(
    c: &mut AnyConnection,
    table: &str,
    company: CompanyId,
    page: KeysetPage<'_, (i64, i64)>,
) -> Result<Vec<AnyRow>> {
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    sql.push(&format!("SELECT * FROM {table} WHERE company_id = {co}"));
    let cols = "created_at, id";
    if let Some((at, id)) = page.after {
        after(
            &mut sql,
            cols,
            vec![Arg::Int(*at), Arg::Int(*id)],
            page.reverse,
        );
    }
    order_limit(&mut sql, cols, page.reverse, page.limit);
    sql.fetch(c).await
}

pub(crate) async fn skill_page(
    c: &mut AnyConnection,
    company: CompanyId,
    page: KeysetPage<'_, (i64, i64)>,
) -> Result<Vec<Skill>> {
    by_creation(c, "skills", company, page)
        .await?
        .iter()
        .map(crate::workforce::collab::skill)
        .collect()
}

pub(crate) async fn capacity_rule_page(
    c: &mut AnyConnection,
    company: CompanyId,
    page: KeysetPage<'_, (i64, i64)>,
) -> Result<Vec<RuleWithAgents>> {
    let rows = by_creation(c, "capacity_rules", company, page).await?;
    rules_with_agents(c, &rows).await
}
