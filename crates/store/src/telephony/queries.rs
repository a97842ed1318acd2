//! Calls, as the call logs read them.

use sqlx::AnyConnection;
use switchboard_domain::clock::to_millis;
use switchboard_domain::page::Paged;
use switchboard_domain::telephony::call::{Call, CallLogQuery};
use switchboard_domain::Result;

use super::rows;
use crate::error::db;
use crate::sql::filter::{counter, Arg, Filter, Total};

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

/// One page of an agent's calls, newest first (index `calls_agent_started_id`). The total of
/// the unfiltered list is the agent's call counter; a filtered one is counted up to a bound.
pub(crate) async fn call_log(c: &mut AnyConnection, q: &CallLogQuery) -> Result<Paged<Call>> {
    let f = &q.filter;
    let mut filter = Filter::new("ai_agent_id = ?", Arg::Int(q.agent_id.0));
    let mut narrowed = f.hide_web_calls || f.from.is_some() || f.to.is_some();
    if let Some(t) = f.from {
        filter.add("started_at >= ?", Arg::Int(to_millis(t)));
    }
    if let Some(t) = f.to {
        filter.add("started_at <= ?", Arg::Int(to_millis(t)));
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
            filter.add(&format!("{col} = ?"), Arg::Text(v.clone()));
            narrowed = true;
        }
    }
    if f.hide_web_calls {
        filter.add_fixed("is_web_call = FALSE");
    }
    let total = if narrowed {
        Total::CountBounded
    } else {
        Total::Known(
            counter(
                &mut *c,
                "SELECT calls FROM agent_call_counts WHERE agent_id = $1",
                q.agent_id.0,
            )
            .await?,
        )
    };
    filter
        .page(
            c,
            "*",
            "calls",
            "started_at DESC, id DESC",
            q.page,
            total,
            rows::call,
        )
        .await
}
