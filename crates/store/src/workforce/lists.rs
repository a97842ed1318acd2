//! The agent list, one indexed query per page: agents filtered, in four orders, after a keyset
//! position; and the rows of one page of agents, each kind read in one query for the whole page.
//! Teams, skills and capacity rules page in `collab_pages`.
//!
//! The agent list reads only `agent_profiles` for its order: `name_key`, `status_rank` and
//! `open_work` are kept there by the writes (profile, presence, work items), with an index per
//! order (migration 0006). `users` is joined only for the email filter and the status-change
//! filters, `user_presence` only for the latter. Filters are checked along the order's index
//! (substring filters cannot use one), so a page reads rows of the company in order until it has
//! `limit` matches; the filtered total is a count that stops at its cap.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use sqlx::AnyConnection;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::*;
use switchboard_domain::workforce::collab::{AgentSkill, ChannelLoad, TeamMembership};
use switchboard_domain::workforce::profile::{AgentKey, AgentQuery, AgentSort};
use switchboard_domain::workforce::store::{AgentRows, KeysetPage};
use switchboard_domain::{DomainError, Result};

use crate::error::db;
use crate::rows::get;
use crate::sql::filter::{like_contains, Arg};
use crate::sql::keyset::{after, order_limit, Sql};

use super::collab_pages::{rules_with_agents, team_infos, TEAM_COLUMNS};

/// The columns an agent order sorts by, and the values of a key in that order.
fn agent_order(sort: AgentSort, k: Option<&AgentKey>) -> (&'static str, Vec<Arg>) {
    let cols = match sort {
        AgentSort::CreatedAt => "p.created_at, p.user_id",
        AgentSort::Name => "p.name_key, p.user_id",
        AgentSort::AssignedCount => "p.open_work, p.created_at, p.user_id",
        AgentSort::StatusAssignedCount => "p.status_rank, p.open_work, p.created_at, p.user_id",
    };
    let vals = match k {
        None => Vec::new(),
        Some(k) => match sort {
            AgentSort::CreatedAt => vec![Arg::Int(k.created_at), Arg::Int(k.user_id)],
            AgentSort::Name => vec![Arg::Text(k.name_key.clone()), Arg::Int(k.user_id)],
            AgentSort::AssignedCount => vec![
                Arg::Int(k.open_work),
                Arg::Int(k.created_at),
                Arg::Int(k.user_id),
            ],
            AgentSort::StatusAssignedCount => vec![
                Arg::Int(k.status_rank),
                Arg::Int(k.open_work),
                Arg::Int(k.created_at),
                Arg::Int(k.user_id),
            ],
        },
    };
    (cols, vals)
}

/// `FROM … WHERE …` of the company's agents matching `q`.
fn agent_from_where(sql: &mut Sql, company: CompanyId, q: &AgentQuery, now: Timestamp) {
    let by_status_change = q.ids.is_none() && (q.status_since.is_some() || q.status_upto.is_some());
    let by_email = q.ids.is_none() && q.email.is_some();
    sql.push(" FROM agent_profiles p");
    if by_email || by_status_change {
        sql.push(" JOIN users u ON u.id = p.user_id");
    }
    if by_status_change {
        sql.push(" LEFT JOIN user_presence pr ON pr.user_id = p.user_id");
    }
    let co = sql.arg(Arg::Int(company.0));
    let removed = sql.arg(Arg::Bool(false));
    if let Some(ids) = &q.ids {
        // Exactly these agents; every other filter is ignored. Found by key (`+company_id`
        // keeps the planner off the company's order indexes), then sorted: at most 1,000.
        if ids.is_empty() {
            sql.push(" WHERE 1 = 0");
        } else {
            let list = sql.ints(ids.iter().map(|i| i.0));
            sql.push(&format!(
                " WHERE p.user_id IN ({list}) AND +p.company_id = {co} AND p.removed = {removed}"
            ));
        }
        return;
    }
    sql.push(&format!(
        " WHERE p.company_id = {co} AND p.removed = {removed}"
    ));
    if let Some(name) = &q.name {
        let m = sql.arg(Arg::Text(like_contains(&name.to_lowercase())));
        sql.push(&format!(" AND p.name_key LIKE {m} ESCAPE '\\'"));
    }
    if let Some(email) = &q.email {
        let m = sql.arg(Arg::Text(like_contains(&email.to_lowercase())));
        sql.push(&format!(" AND u.email LIKE {m} ESCAPE '\\'"));
    }
    if !q.role_ids.is_empty() {
        // Role ids are checked UUIDs: no LIKE wildcards in them.
        let any: Vec<String> = q
            .role_ids
            .iter()
            .map(|r| {
                let m = sql.arg(Arg::Text(format!("%\"{r}\"%")));
                format!("p.role_ids LIKE {m}")
            })
            .collect();
        sql.push(&format!(" AND ({})", any.join(" OR ")));
    }
    if !q.statuses.is_empty() {
        let list: Vec<String> = q
            .statuses
            .iter()
            .map(|s| sql.arg(Arg::Text(s.as_str().to_owned())))
            .collect();
        sql.push(&format!(" AND p.presence_status IN ({})", list.join(", ")));
    }
    if by_status_change {
        // `Presence::last_status_change` at `now`: the last status set, else the presence's
        // last update (moved up to an activity's expiry once it has lapsed), else the user's
        // creation for someone who never set a presence.
        let n = sql.arg(Arg::Int(to_millis(now)));
        let changed = format!(
            "COALESCE(pr.last_status_set, CASE WHEN pr.activity_expires_at <= {n} \
             AND pr.activity_expires_at > pr.updated_at THEN pr.activity_expires_at \
             ELSE pr.updated_at END, u.created_at)"
        );
        if let Some(t) = q.status_since {
            let m = sql.arg(Arg::Int(to_millis(t)));
            sql.push(&format!(" AND {changed} >= {m}"));
        }
        if let Some(t) = q.status_upto {
            let m = sql.arg(Arg::Int(to_millis(t)));
            sql.push(&format!(" AND {changed} <= {m}"));
        }
    }
}

pub(crate) async fn agent_keys(
    c: &mut AnyConnection,
    company: CompanyId,
    q: &AgentQuery,
    page: KeysetPage<'_, AgentKey>,
    now: Timestamp,
) -> Result<Vec<AgentKey>> {
    let mut sql = Sql::default();
    sql.push("SELECT p.user_id, p.status_rank, p.open_work, p.created_at, p.name_key");
    agent_from_where(&mut sql, company, q, now);
    let (cols, vals) = agent_order(q.sort, page.after);
    if page.after.is_some() {
        after(&mut sql, cols, vals, page.reverse);
    }
    order_limit(&mut sql, cols, page.reverse, page.limit);
    sql.fetch(c)
        .await?
        .iter()
        .map(|r| {
            Ok(AgentKey {
                status_rank: get(r, "status_rank")?,
                open_work: get(r, "open_work")?,
                created_at: get(r, "created_at")?,
                name_key: get(r, "name_key")?,
                user_id: get(r, "user_id")?,
            })
        })
        .collect()
}

pub(crate) async fn count_agents(
    c: &mut AnyConnection,
    company: CompanyId,
    q: &AgentQuery,
    now: Timestamp,
    cap: u64,
) -> Result<u64> {
    let mut sql = Sql::default();
    sql.push("SELECT COUNT(*) AS n FROM (SELECT 1 AS one");
    agent_from_where(&mut sql, company, q, now);
    let lim = sql.arg(Arg::Int(cap as i64));
    sql.push(&format!(" LIMIT {lim}) matches"));
    let rows = sql.fetch(c).await?;
    let n: i64 = rows.first().map(|r| get(r, "n")).transpose()?.unwrap_or(0);
    Ok(n as u64)
}

pub(crate) async fn agent_count(c: &mut AnyConnection, company: CompanyId) -> Result<u64> {
    let n: Option<i64> =
        sqlx::query_scalar("SELECT agents FROM agent_counts WHERE company_id = $1")
            .bind(company.0)
            .fetch_optional(c)
            .await
            .map_err(db)?;
    Ok(n.unwrap_or(0).max(0) as u64)
}

/// Adds `delta` to the company's agent count.
pub(crate) async fn add_agents(c: &mut AnyConnection, company: i64, delta: i64) -> Result<()> {
    if delta == 0 {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO agent_counts (company_id, agents) VALUES ($1, $2) ON CONFLICT (company_id) \
         DO UPDATE SET agents = agent_counts.agents + $2",
    )
    .bind(company)
    .bind(delta)
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

/// The users, profiles and presences of these agents of `company` (what the all-agents read
/// shows): three queries for all of them.
pub(crate) async fn agent_brief_rows(
    c: &mut AnyConnection,
    company: CompanyId,
    users: &[UserId],
) -> Result<AgentRows> {
    let mut out = AgentRows::default();
    if users.is_empty() {
        return Ok(out);
    }
    let ids = || users.iter().map(|u| u.0);
    let in_company = |table: &str, col: &str| {
        let mut sql = Sql::default();
        let co = sql.arg(Arg::Int(company.0));
        let list = sql.ints(ids());
        // `+company_id` keeps the planner on the key index: without statistics SQLite would
        // otherwise walk the company's whole (company_id, …) index to find a page of ids.
        sql.push(&format!(
            "SELECT * FROM {table} WHERE {col} IN ({list}) AND +company_id = {co}"
        ));
        sql
    };
    out.users = in_company("users", "id")
        .fetch(c)
        .await?
        .iter()
        .map(crate::tenancy::rows::user)
        .collect::<Result<_>>()?;
    out.profiles = in_company("agent_profiles", "user_id")
        .fetch(c)
        .await?
        .iter()
        .map(crate::workforce::people::profile)
        .collect::<Result<_>>()?;
    let shown: Vec<i64> = out.users.iter().map(|u| u.id.0).collect();
    if shown.is_empty() {
        return Ok(out);
    }
    let by_user = |select: &str, tail: &str| {
        let mut sql = Sql::default();
        let list = sql.ints(shown.iter().copied());
        sql.push(&select.replace("{ids}", &list));
        sql.push(tail);
        sql
    };
    out.presences = by_user("SELECT * FROM user_presence WHERE user_id IN ({ids})", "")
        .fetch(c)
        .await?
        .iter()
        .map(crate::workforce::people::presence)
        .collect::<Result<_>>()?;
    Ok(out)
}

/// The rows of these agents of `company`.
pub(crate) async fn agent_rows(
    c: &mut AnyConnection,
    company: CompanyId,
    users: &[UserId],
) -> Result<AgentRows> {
    let mut out = agent_brief_rows(&mut *c, company, users).await?;
    if out.users.is_empty() {
        return Ok(out);
    }
    let shown: Vec<i64> = out.users.iter().map(|u| u.id.0).collect();
    let by_user = |select: &str, tail: &str| {
        let mut sql = Sql::default();
        let list = sql.ints(shown.iter().copied());
        sql.push(&select.replace("{ids}", &list));
        sql.push(tail);
        sql
    };

    // Teams, by name, with their counts and featured members.
    let rows = by_user(
        &format!(
            "{TEAM_COLUMNS}, m.user_id AS member_id, m.created_at AS member_since \
          FROM team_members m JOIN teams t ON t.id = m.team_id WHERE m.user_id IN ({{ids}})"
        ),
        " ORDER BY t.name, t.id",
    )
    .fetch(c)
    .await?;
    let infos = team_infos(c, &rows).await?;
    for (r, info) in rows.iter().zip(infos) {
        out.teams.push((
            UserId(get(r, "member_id")?),
            TeamMembership {
                team: info,
                member_since: from_millis(get(r, "member_since")?),
            },
        ));
    }

    // Skills given, by skill name, and the skills themselves.
    let rows = by_user(
        "SELECT a.user_id, a.skill_id, a.selected_value_ids FROM agent_skills a \
         JOIN skills s ON s.id = a.skill_id WHERE a.user_id IN ({ids})",
        " ORDER BY s.name, s.id",
    )
    .fetch(c)
    .await?;
    let mut skill_ids = BTreeSet::new();
    for r in &rows {
        let text: String = get(r, "selected_value_ids")?;
        let selected: Vec<i64> = serde_json::from_str(&text).map_err(DomainError::internal)?;
        let skill_id = SkillId(get(r, "skill_id")?);
        skill_ids.insert(skill_id.0);
        out.skills.push(AgentSkill {
            user_id: UserId(get(r, "user_id")?),
            skill_id,
            selected: selected.into_iter().map(SkillValueId).collect(),
        });
    }
    if !skill_ids.is_empty() {
        let mut sql = Sql::default();
        let list = sql.ints(skill_ids);
        sql.push(&format!("SELECT * FROM skills WHERE id IN ({list})"));
        out.skill_defs = sql
            .fetch(c)
            .await?
            .iter()
            .map(crate::workforce::collab::skill)
            .collect::<Result<_>>()?;
    }

    // Open work per channel.
    let rows = by_user(
        "SELECT user_id, channel, COUNT(*) AS n FROM agent_work_items \
         WHERE user_id IN ({ids}) AND closed_at IS NULL",
        " GROUP BY user_id, channel",
    )
    .fetch(c)
    .await?;
    let mut load: BTreeMap<i64, ChannelLoad> = BTreeMap::new();
    for r in &rows {
        let n: i64 = get(r, "n")?;
        let channel: String = get(r, "channel")?;
        let entry = load.entry(get(r, "user_id")?).or_default();
        match channel.as_str() {
            "messaging" => entry.messaging = n,
            "email" => entry.email = n,
            _ => {}
        }
    }
    out.load = load.into_iter().map(|(u, l)| (UserId(u), l)).collect();

    // Capacity rules: each agent's own, and the company's default.
    let rows = by_user(
        "SELECT user_id, rule_id FROM capacity_rule_agents WHERE user_id IN ({ids})",
        "",
    )
    .fetch(c)
    .await?;
    let mut rule_ids = BTreeSet::new();
    for r in &rows {
        let rule = CapacityRuleId(get(r, "rule_id")?);
        rule_ids.insert(rule.0);
        out.rules.push((UserId(get(r, "user_id")?), rule));
    }
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    let yes = sql.arg(Arg::Bool(true));
    sql.push(&format!(
        "SELECT * FROM capacity_rules WHERE (company_id = {co} AND is_default = {yes})"
    ));
    if !rule_ids.is_empty() {
        let list = sql.ints(rule_ids);
        sql.push(&format!(" OR id IN ({list})"));
    }
    let rows = sql.fetch(c).await?;
    out.rule_defs = rules_with_agents(c, &rows).await?;
    Ok(out)
}
