//! Call legs in the `calls` table: queries, rows, and the leg half of the [`CallLegStore`] /
//! [`CallLegTx`] implementations (see `operators.rs` for the rest).

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::calls::leg::{
    Breadcrumb, CallFilter, CallLeg, CallState, Direction, Outcome, Party, PartyKind,
    TranscriptLine,
};
use switchboard_domain::calls::store::CallPosition;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::{CallId, CompanyId, GroupId, OfficeId, UserId};
use switchboard_domain::workforce::store::KeysetPage;
use switchboard_domain::Result;

use crate::error::db;
use crate::rows::get;
use crate::sql::filter::Arg;
use crate::sql::keyset::Sql;

/// What a leg keeps beside its columns (read whole, never filtered on).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Detail {
    #[serde(default)]
    hold_ms: i64,
    #[serde(default)]
    hold_started: Option<i64>,
    #[serde(default)]
    is_transferred: bool,
    #[serde(default)]
    recording: bool,
    #[serde(default)]
    was_recorded: bool,
    #[serde(default)]
    voice_intelligence: bool,
    #[serde(default)]
    callback_requested: bool,
    #[serde(default)]
    labels: Vec<String>,
    #[serde(default)]
    breadcrumbs: Vec<Breadcrumb>,
    #[serde(default)]
    custom_data: Option<String>,
}

fn party(kind: Option<String>, id: Option<i64>) -> Option<Party> {
    Some(Party {
        kind: PartyKind::parse(&kind?)?,
        id: id?,
    })
}

fn ms(row: &AnyRow, col: &str) -> Result<Option<jiff::Timestamp>> {
    Ok(get::<Option<i64>>(row, col)?.map(from_millis))
}

/// Reads a leg; rows written before calls were live (fixtures, imports) read as ended calls.
pub(crate) fn leg(row: &AnyRow) -> Result<CallLeg> {
    let direction = if get::<String>(row, "direction")? == "outbound" {
        Direction::Outbound
    } else {
        Direction::Inbound
    };
    let from: String = get(row, "from_number")?;
    let to: String = get(row, "to_number")?;
    let (external, internal) = match direction {
        Direction::Inbound => (from, to),
        Direction::Outbound => (to, from),
    };
    let detail: Detail = get::<Option<String>>(row, "detail")?
        .and_then(|d| serde_json::from_str(&d).ok())
        .unwrap_or_default();
    let started = from_millis(get(row, "started_at")?);
    Ok(CallLeg {
        id: CallId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        direction,
        state: get::<Option<String>>(row, "state")?
            .and_then(|s| CallState::parse(&s))
            .unwrap_or(CallState::Hangup),
        outcome: get::<Option<String>>(row, "outcome")?.and_then(|s| Outcome::parse(&s)),
        external_number: external,
        internal_number: internal,
        target: party(get(row, "target_kind")?, get(row, "target_id")?),
        entry_target: party(get(row, "entry_target_kind")?, get(row, "entry_target_id")?),
        group_id: get::<Option<i64>>(row, "group_id")?.map(GroupId),
        office_id: get::<Option<i64>>(row, "office_id")?.map(OfficeId),
        user_id: get::<Option<i64>>(row, "user_id")?.map(UserId),
        master_call_id: get::<Option<i64>>(row, "master_call_id")?.map(CallId),
        entry_point_call_id: get::<Option<i64>>(row, "entry_point_call_id")?.map(CallId),
        operator_call_id: get::<Option<i64>>(row, "operator_call_id")?.map(CallId),
        date_started: started,
        date_rang: ms(row, "date_rang")?,
        date_queued: ms(row, "date_queued")?,
        date_connected: ms(row, "date_connected")?,
        date_ended: ms(row, "date_ended")?,
        hold_ms: detail.hold_ms,
        hold_started: detail.hold_started.map(from_millis),
        is_transferred: detail.is_transferred,
        recording: detail.recording,
        was_recorded: detail.was_recorded,
        voice_intelligence: detail.voice_intelligence,
        callback_requested: detail.callback_requested,
        labels: detail.labels,
        breadcrumbs: detail.breadcrumbs,
        custom_data: detail.custom_data,
        ai_agent_version: get(row, "ai_agent_version")?,
        updated_at: ms(row, "updated_at")?.unwrap_or(started),
    })
}

/// The status Dialgood's call logs show for a leg.
fn log_status(l: &CallLeg) -> &'static str {
    match l.outcome {
        Some(Outcome::Answered) => "completed",
        Some(Outcome::Missed) => "no-answer",
        Some(Outcome::Voicemail) => "voicemail",
        Some(Outcome::Blocked) => "blocked",
        Some(Outcome::Cancelled) => "canceled",
        None if l.state == CallState::Queued => "queued",
        None if l.state.is_live() => "in-progress",
        None => "ringing",
    }
}

const COLUMNS: &str = "id, company_id, ai_agent_id, direction, status, from_number, to_number, \
     campaign_id, conversation_id, contact_id, is_web_call, duration_secs, started_at, state, \
     outcome, target_kind, target_id, entry_target_kind, entry_target_id, group_id, office_id, \
     user_id, master_call_id, entry_point_call_id, operator_call_id, date_rang, date_queued, \
     date_connected, date_ended, detail, updated_at, ai_agent_version";

/// Inserts (`insert`) or rewrites a leg.
pub(crate) async fn write(c: &mut AnyConnection, l: &CallLeg, insert: bool) -> Result<()> {
    let (from, to) = match l.direction {
        Direction::Inbound => (&l.external_number, &l.internal_number),
        Direction::Outbound => (&l.internal_number, &l.external_number),
    };
    let detail = Detail {
        hold_ms: l.hold_ms,
        hold_started: l.hold_started.map(to_millis),
        is_transferred: l.is_transferred,
        recording: l.recording,
        was_recorded: l.was_recorded,
        voice_intelligence: l.voice_intelligence,
        callback_requested: l.callback_requested,
        labels: l.labels.clone(),
        breadcrumbs: l.breadcrumbs.clone(),
        custom_data: l.custom_data.clone(),
    };
    let detail =
        serde_json::to_string(&detail).map_err(switchboard_domain::DomainError::internal)?;
    let duration = l.date_ended.map(|_| l.talk_ms(l.updated_at) / 1000);
    let sql = if insert {
        format!(
            "INSERT INTO calls ({COLUMNS}) VALUES ($1, $2, $29, $3, $4, $5, $6, NULL, NULL, \
             NULL, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, \
             $22, $23, $24, $25, $26, $27, $28)"
        )
    } else {
        "UPDATE calls SET company_id = $2, direction = $3, status = $4, from_number = $5, \
         to_number = $6, is_web_call = $7, duration_secs = $8, started_at = $9, state = $10, \
         outcome = $11, target_kind = $12, target_id = $13, entry_target_kind = $14, \
         entry_target_id = $15, group_id = $16, office_id = $17, user_id = $18, \
         master_call_id = $19, entry_point_call_id = $20, operator_call_id = $21, \
         date_rang = $22, date_queued = $23, date_connected = $24, date_ended = $25, \
         detail = $26, updated_at = $27, ai_agent_version = $28, ai_agent_id = $29 \
         WHERE id = $1"
            .to_owned()
    };
    sqlx::query(&sql)
        .bind(l.id.0)
        .bind(l.company_id.0)
        .bind(l.direction.as_str())
        .bind(log_status(l))
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(false)
        .bind(duration)
        .bind(to_millis(l.date_started))
        .bind(l.state.as_str())
        .bind(l.outcome.map(|o| o.as_str()))
        .bind(l.target.map(|p| p.kind.as_str()))
        .bind(l.target.map(|p| p.id))
        .bind(l.entry_target.map(|p| p.kind.as_str()))
        .bind(l.entry_target.map(|p| p.id))
        .bind(l.group_id.map(|g| g.0))
        .bind(l.office_id.map(|o| o.0))
        .bind(l.user_id.map(|u| u.0))
        .bind(l.master_call_id.map(|c| c.0))
        .bind(l.entry_point_call_id.map(|c| c.0))
        .bind(l.operator_call_id.map(|c| c.0))
        .bind(l.date_rang.map(to_millis))
        .bind(l.date_queued.map(to_millis))
        .bind(l.date_connected.map(to_millis))
        .bind(l.date_ended.map(to_millis))
        .bind(detail)
        .bind(to_millis(l.updated_at))
        .bind(l.ai_agent_version)
        .bind(
            l.target
                .filter(|t| t.kind == PartyKind::AiAgent)
                .map(|t| t.id),
        )
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

/// One leg by id, scoped to `company` when given; `lock` is the backend's lock clause.
pub(crate) async fn one(
    c: &mut AnyConnection,
    company: Option<CompanyId>,
    id: CallId,
    lock: &str,
) -> Result<Option<CallLeg>> {
    let row = match company {
        Some(co) => {
            sqlx::query(&format!(
                "SELECT * FROM calls WHERE id = $1 AND company_id = $2{lock}"
            ))
            .bind(id.0)
            .bind(co.0)
            .fetch_optional(c)
            .await
        }
        None => {
            sqlx::query(&format!("SELECT * FROM calls WHERE id = $1{lock}"))
                .bind(id.0)
                .fetch_optional(c)
                .await
        }
    }
    .map_err(db)?;
    row.as_ref().map(leg).transpose()
}

/// The operator legs of an entry-point leg, oldest first (index `calls_entry`).
pub(crate) async fn operator_legs(
    c: &mut AnyConnection,
    entry: CallId,
    lock: &str,
) -> Result<Vec<CallLeg>> {
    let rows = sqlx::query(&format!(
        "SELECT * FROM calls WHERE entry_point_call_id = $1 ORDER BY started_at, id{lock}"
    ))
    .bind(entry.0)
    .fetch_all(c)
    .await
    .map_err(db)?;
    rows.iter().map(leg).collect()
}

/// One page of a company's calls, newest first: `calls_company_started_id`, or
/// `calls_company_target` with a target filter.
pub(crate) async fn page(
    c: &mut AnyConnection,
    company: CompanyId,
    filter: &CallFilter,
    page: KeysetPage<'_, CallPosition>,
) -> Result<Vec<CallLeg>> {
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    sql.push(&format!("SELECT * FROM calls WHERE company_id = {co}"));
    if let Some(t) = filter.target {
        let k = sql.arg(Arg::Text(t.kind.as_str().into()));
        let i = sql.arg(Arg::Int(t.id));
        sql.push(&format!(" AND target_kind = {k} AND target_id = {i}"));
    }
    if filter.concluded {
        sql.push(" AND date_ended IS NOT NULL");
    }
    if let Some(d) = filter.direction {
        let d = sql.arg(Arg::Text(d.as_str().into()));
        sql.push(&format!(" AND direction = {d}"));
    }
    if let Some(s) = filter.state {
        let s = sql.arg(Arg::Text(s.as_str().into()));
        sql.push(&format!(" AND state = {s}"));
    }
    if let Some(n) = &filter.number {
        // The expression of the index `calls_company_outside` (migration 0029).
        let n = sql.arg(Arg::Text(n.clone()));
        sql.push(&format!(
            " AND (CASE WHEN direction = 'outbound' THEN to_number ELSE from_number END) = {n}"
        ));
    }
    if let Some(a) = filter.started_after {
        let a = sql.arg(Arg::Int(to_millis(a)));
        sql.push(&format!(" AND started_at >= {a}"));
    }
    if let Some(b) = filter.started_before {
        let b = sql.arg(Arg::Int(to_millis(b)));
        sql.push(&format!(" AND started_at < {b}"));
    }
    if let Some((at, id)) = page.after {
        let at = sql.arg(Arg::Int(*at));
        let id = sql.arg(Arg::Int(*id));
        sql.push(&format!(" AND (started_at, id) < ({at}, {id})"));
    }
    let lim = sql.arg(Arg::Int(page.limit as i64));
    sql.push(&format!(" ORDER BY started_at DESC, id DESC LIMIT {lim}"));
    let rows = sql.fetch(c).await?;
    rows.iter().map(leg).collect()
}

pub(crate) async fn transcript(c: &mut AnyConnection, call: CallId) -> Result<Vec<TranscriptLine>> {
    let rows = sqlx::query("SELECT * FROM call_transcripts WHERE call_id = $1 ORDER BY seq")
        .bind(call.0)
        .fetch_all(c)
        .await
        .map_err(db)?;
    rows.iter()
        .map(|r| {
            Ok(TranscriptLine {
                call_id: CallId(get(r, "call_id")?),
                seq: get(r, "seq")?,
                side: get(r, "side")?,
                speaker: get(r, "speaker")?,
                text: get(r, "text")?,
                at: from_millis(get(r, "at")?),
            })
        })
        .collect()
}

/// Appends a line after the call's last (the leg is held, so the sequence has no race).
pub(crate) async fn append_transcript(
    c: &mut AnyConnection,
    company: CompanyId,
    line: &TranscriptLine,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO call_transcripts (call_id, seq, company_id, side, speaker, text, at) \
         SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5, $6 FROM call_transcripts \
         WHERE call_id = $1",
    )
    .bind(line.call_id.0)
    .bind(company.0)
    .bind(line.side.as_str())
    .bind(line.speaker.as_deref())
    .bind(line.text.as_str())
    .bind(to_millis(line.at))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}
