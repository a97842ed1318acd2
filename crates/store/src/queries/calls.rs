//! Calls, as the call logs read them.

use sqlx::AnyConnection;
use switchboard_domain::call::{Call, CallLogQuery};
use switchboard_domain::clock::to_millis;
use switchboard_domain::page::Paged;
use switchboard_domain::Result;

use crate::error::db;
use crate::rows;

pub(crate) async fn insert_call(c: &mut AnyConnection, call: &Call) -> Result<()> {
    sqlx::query(
        "INSERT INTO calls (id, company_id, ai_agent_id, direction, status, from_number, to_number, campaign_id, \
         conversation_id, contact_id, is_web_call, duration_secs, started_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(call.id.0)
    .bind(call.company_id.0)
    .bind(call.ai_agent_id.map(|a| a.0))
    .bind(&call.direction)
    .bind(&call.status)
    .bind(&call.from_number)
    .bind(&call.to_number)
    .bind(call.campaign_id.as_deref())
    .bind(call.conversation_id.as_deref())
    .bind(call.contact_id.as_deref())
    .bind(call.is_web_call)
    .bind(call.duration_secs)
    .bind(to_millis(call.started_at))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

/// A bind value of the call-log filter.
enum Arg {
    Int(i64),
    Text(String),
}

pub(crate) async fn call_log(c: &mut AnyConnection, q: &CallLogQuery) -> Result<Paged<Call>> {
    let f = &q.filter;
    let mut clauses = vec!["ai_agent_id = $1".to_owned()];
    let mut args = vec![Arg::Int(q.agent_id.0)];
    let mut add = |clause: &str, arg: Arg| {
        args.push(arg);
        clauses.push(clause.replace('?', &format!("${}", args.len())));
    };
    if let Some(t) = f.from {
        add("started_at >= ?", Arg::Int(to_millis(t)));
    }
    if let Some(t) = f.to {
        add("started_at <= ?", Arg::Int(to_millis(t)));
    }
    for (col, value) in [
        ("from_number", &f.from_number),
        ("to_number", &f.to_number),
        ("status", &f.status),
        ("direction", &f.direction),
        ("campaign_id", &f.campaign),
        ("conversation_id", &f.conversation_id),
    ] {
        if let Some(v) = value {
            add(&format!("{col} = ?"), Arg::Text(v.clone()));
        }
    }
    if f.hide_web_calls {
        clauses.push("is_web_call = FALSE".into());
    }
    let filter = clauses.join(" AND ");
    let count_sql = format!("SELECT COUNT(*) FROM calls WHERE {filter}");
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
    for a in &args {
        count = match a {
            Arg::Int(i) => count.bind(*i),
            Arg::Text(s) => count.bind(s.as_str()),
        };
    }
    let total = count.fetch_one(&mut *c).await.map_err(db)?;
    let n = args.len();
    let list_sql = format!(
        "SELECT * FROM calls WHERE {filter} ORDER BY started_at DESC, id DESC LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let mut list = sqlx::query(&list_sql);
    for a in &args {
        list = match a {
            Arg::Int(i) => list.bind(*i),
            Arg::Text(s) => list.bind(s.as_str()),
        };
    }
    let found = list
        .bind(i64::from(q.page.limit))
        .bind(q.page.skip as i64)
        .fetch_all(c)
        .await
        .map_err(db)?;
    let items = found.iter().map(rows::call).collect::<Result<Vec<_>>>()?;
    Ok(Paged {
        items,
        total: total as u64,
    })
}
