//! What exports page through: the company's call legs of a window (oldest first), its
//! agent-status events, and the names of the parties a page shows (one read per kind).

use sqlx::AnyConnection;
use switchboard_domain::calls::leg::{CallLeg, Party, PartyKind};
use switchboard_domain::clock::to_millis;
use switchboard_domain::events::event::{Event, AGENT_STATUS_CHANGED};
use switchboard_domain::ids::{CompanyId, GroupId, OfficeId};
use switchboard_domain::reporting::day::CallTally;
use switchboard_domain::reporting::store::{CallScope, PartyName, RowPosition};
use switchboard_domain::workforce::store::KeysetPage;
use switchboard_domain::Result;

use crate::rows::get;
use crate::sql::filter::Arg;
use crate::sql::keyset::{after, order_limit, Sql};

/// One page of legs in `scope`, by start then id: `calls_user_started`,
/// `calls_group_started` or `calls_office_started` when narrowed, else
/// `calls_company_started_id`. Legs still going on are left out (rows written before calls
/// were live have no state and count as ended).
pub(crate) async fn calls(
    c: &mut AnyConnection,
    company: CompanyId,
    scope: &CallScope,
    page: KeysetPage<'_, RowPosition>,
) -> Result<Vec<CallLeg>> {
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    let s = sql.arg(Arg::Int(to_millis(scope.start)));
    let e = sql.arg(Arg::Int(to_millis(scope.end)));
    sql.push(&format!(
        "SELECT * FROM calls WHERE company_id = {co} AND started_at >= {s} AND started_at < {e} \
         AND (state IS NULL OR date_ended IS NOT NULL)"
    ));
    let narrow = [
        ("user_id", scope.user.map(|u| u.0)),
        ("group_id", scope.group.map(|g| g.0)),
        ("office_id", scope.office.map(|o| o.0)),
    ];
    for (col, v) in narrow {
        if let Some(v) = v {
            let v = sql.arg(Arg::Int(v));
            sql.push(&format!(" AND {col} = {v}"));
        }
    }
    if scope.voicemail_only {
        sql.push(" AND outcome = 'voicemail'");
    }
    if let Some((at, id)) = page.after {
        after(
            &mut sql,
            "started_at, id",
            vec![Arg::Int(*at), Arg::Int(*id)],
            false,
        );
    }
    order_limit(&mut sql, "started_at, id", false, page.limit);
    sql.fetch(c)
        .await?
        .iter()
        .map(crate::calls::legs::leg)
        .collect()
}

/// One page of the company's agent-status events of `[start, end)`, by time then id
/// (`events_company_kind`).
pub(crate) async fn status_events(
    c: &mut AnyConnection,
    company: CompanyId,
    start: jiff::Timestamp,
    end: jiff::Timestamp,
    page: KeysetPage<'_, RowPosition>,
) -> Result<Vec<Event>> {
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    let kind = sql.arg(Arg::Text(AGENT_STATUS_CHANGED.into()));
    let s = sql.arg(Arg::Int(to_millis(start)));
    let e = sql.arg(Arg::Int(to_millis(end)));
    sql.push(&format!(
        "SELECT * FROM events WHERE company_id = {co} AND kind = {kind} \
         AND created_at >= {s} AND created_at < {e}"
    ));
    if let Some((at, id)) = page.after {
        after(
            &mut sql,
            "created_at, id",
            vec![Arg::Int(*at), Arg::Int(*id)],
            false,
        );
    }
    order_limit(&mut sql, "created_at, id", false, page.limit);
    sql.fetch(c)
        .await?
        .iter()
        .map(crate::events::rows::event)
        .collect()
}

/// The table and name column of a kind of party.
fn source(kind: PartyKind) -> (&'static str, &'static str) {
    match kind {
        PartyKind::User => ("users", "first_name, last_name, email, office_id"),
        PartyKind::Office => ("offices", "name"),
        PartyKind::CallCenter | PartyKind::Department => ("call_groups", "name"),
        PartyKind::CallRouter => ("call_routers", "name"),
        PartyKind::AiAgent => ("ai_agents", "name"),
    }
}

/// The names of the company's parties among `parties`: one query per kind present.
pub(crate) async fn names(
    c: &mut AnyConnection,
    company: CompanyId,
    parties: &[Party],
) -> Result<Vec<PartyName>> {
    let mut out = Vec::new();
    for kind in PartyKind::ALL {
        let ids: Vec<i64> = parties
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| p.id)
            .collect();
        if ids.is_empty() {
            continue;
        }
        let (table, cols) = source(kind);
        let mut sql = Sql::default();
        let co = sql.arg(Arg::Int(company.0));
        let list = sql.ints(ids);
        sql.push(&format!(
            "SELECT id, {cols} FROM {table} WHERE company_id = {co} AND id IN ({list})"
        ));
        for row in sql.fetch(&mut *c).await? {
            let id: i64 = get(&row, "id")?;
            let party = Party { kind, id };
            out.push(if kind == PartyKind::User {
                let first: Option<String> = get(&row, "first_name")?;
                let last: Option<String> = get(&row, "last_name")?;
                let name = [first, last]
                    .into_iter()
                    .flatten()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                PartyName {
                    party,
                    name,
                    email: get(&row, "email")?,
                    office_id: get::<Option<i64>>(&row, "office_id")?.map(OfficeId),
                }
            } else {
                PartyName {
                    party,
                    name: get(&row, "name")?,
                    email: String::new(),
                    office_id: None,
                }
            });
        }
    }
    Ok(out)
}

/// A day's calls added up per bucket, call center and outcome: one range read of
/// `calls_company_started_id`, grouped by the database.
pub(crate) async fn call_tallies(
    c: &mut AnyConnection,
    company: CompanyId,
    start: jiff::Timestamp,
    end: jiff::Timestamp,
    bucket_ms: i64,
) -> Result<Vec<CallTally>> {
    let mut sql = Sql::default();
    let from = sql.arg(Arg::Int(to_millis(start)));
    let width = sql.arg(Arg::Int(bucket_ms.max(1)));
    let co = sql.arg(Arg::Int(company.0));
    let s = sql.arg(Arg::Int(to_millis(start)));
    let e = sql.arg(Arg::Int(to_millis(end)));
    let waited = "COALESCE(date_connected, date_ended) - started_at";
    sql.push(&format!(
        "SELECT (started_at - {from}) / {width} AS bucket, group_id, outcome, COUNT(*) AS calls, \
         COUNT({waited}) AS waited, CAST(COALESCE(SUM({waited}), 0) AS BIGINT) AS wait_sum, \
         COALESCE(MAX({waited}), 0) AS wait_max FROM calls \
         WHERE company_id = {co} AND started_at >= {s} AND started_at < {e} \
         AND entry_point_call_id IS NULL GROUP BY 1, group_id, outcome"
    ));
    let rows = sql.fetch(c).await?;
    rows.iter()
        .map(|r| {
            Ok(CallTally {
                bucket: get(r, "bucket")?,
                group_id: get::<Option<i64>>(r, "group_id")?.map(GroupId),
                outcome: get(r, "outcome")?,
                calls: u64::try_from(get::<i64>(r, "calls")?).unwrap_or(0),
                waited: u64::try_from(get::<i64>(r, "waited")?).unwrap_or(0),
                wait_sum_ms: get(r, "wait_sum")?,
                wait_max_ms: get(r, "wait_max")?,
            })
        })
        .collect()
}
