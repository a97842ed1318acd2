//! Messages, opt-out entries and the simulator's unreachable numbers: queries and rows. Every
//! read is scoped to its company.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::{CompanyId, MediaId, MessageId, UserId};
use switchboard_domain::messaging::{
    DeliveryResult, Direction, Message, MessageMedia, OptOut, OptOutState, Party, Status,
};
use switchboard_domain::telephony::number::{Target, TargetKind};
use switchboard_domain::workforce::store::KeysetPage;
use switchboard_domain::{DomainError, Result};

use crate::error::db;
use crate::rows::{flag, get, to_text};
use crate::sql::filter::Arg;
use crate::sql::keyset::{after, order_limit, Sql};
use crate::Backend;

fn stored<T>(what: &str, value: &str, parsed: Option<T>) -> Result<T> {
    parsed.ok_or_else(|| DomainError::internal(format!("stored {what} '{value}'")))
}

fn message(row: &AnyRow) -> Result<Message> {
    let direction: String = get(row, "direction")?;
    let kind: String = get(row, "target_kind")?;
    let status: String = get(row, "status")?;
    let result: Option<String> = get(row, "delivery_result")?;
    let to: String = get(row, "to_numbers")?;
    let media = match get::<Option<i64>>(row, "media_id")? {
        Some(id) => Some(MessageMedia {
            media_id: MediaId(id),
            content_type: get::<Option<String>>(row, "media_type")?.unwrap_or_default(),
            size: get::<Option<i64>>(row, "media_size")?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(Message {
        id: MessageId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        direction: Direction::parse(&direction).map_err(DomainError::internal)?,
        party: Party {
            target: Target {
                kind: TargetKind::parse(&kind).map_err(DomainError::internal)?,
                id: get(row, "target_id")?,
            },
            name: get(row, "target_name")?,
        },
        sender_user: get::<Option<i64>>(row, "sender_user_id")?.map(UserId),
        from_number: get(row, "from_number")?,
        to_numbers: serde_json::from_str(&to).map_err(DomainError::internal)?,
        text: get(row, "body")?,
        media,
        status: stored("status", &status, Status::parse(&status))?,
        delivery_result: match result {
            Some(r) => Some(stored("result", &r, DeliveryResult::parse(&r))?),
            None => None,
        },
        is_internal: flag(row, "is_internal")?,
        created_at: from_millis(get(row, "created_at")?),
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

fn opt_out(row: &AnyRow) -> Result<OptOut> {
    let state: String = get(row, "state")?;
    Ok(OptOut {
        company_id: CompanyId(get(row, "company_id")?),
        number: get(row, "number")?,
        state: OptOutState::parse(&state).map_err(DomainError::internal)?,
        keyword: get(row, "keyword")?,
        changed_at: from_millis(get(row, "changed_at")?),
    })
}

pub(crate) async fn insert_message(c: &mut AnyConnection, m: &Message) -> Result<()> {
    sqlx::query(
        "INSERT INTO sms_messages (id, company_id, direction, target_kind, target_id, target_name, \
         sender_user_id, from_number, to_numbers, body, media_id, media_type, media_size, status, \
         delivery_result, is_internal, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
    )
    .bind(m.id.0)
    .bind(m.company_id.0)
    .bind(m.direction.as_str())
    .bind(m.party.target.kind.as_str())
    .bind(m.party.target.id)
    .bind(m.party.name.as_str())
    .bind(m.sender_user.map(|u| u.0))
    .bind(m.from_number.as_str())
    .bind(to_text(&m.to_numbers))
    .bind(m.text.as_str())
    .bind(m.media.as_ref().map(|x| x.media_id.0))
    .bind(m.media.as_ref().map(|x| x.content_type.clone()))
    .bind(m.media.as_ref().map(|x| x.size))
    .bind(m.status.as_str())
    .bind(m.delivery_result.map(DeliveryResult::as_str))
    .bind(m.is_internal)
    .bind(to_millis(m.created_at))
    .bind(to_millis(m.updated_at))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn update_status(c: &mut AnyConnection, m: &Message) -> Result<()> {
    sqlx::query(
        "UPDATE sms_messages SET status = $1, delivery_result = $2, updated_at = $3 \
         WHERE id = $4 AND company_id = $5",
    )
    .bind(m.status.as_str())
    .bind(m.delivery_result.map(DeliveryResult::as_str))
    .bind(to_millis(m.updated_at))
    .bind(m.id.0)
    .bind(m.company_id.0)
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn get_message(
    c: &mut AnyConnection,
    company: CompanyId,
    id: MessageId,
    lock: Option<Backend>,
) -> Result<Option<Message>> {
    crate::sql::in_company(c, "sms_messages", id.0, company, lock, message).await
}

/// One query over `sms_messages_list (company_id, direction, created_at, id)`.
pub(crate) async fn messages_page(
    c: &mut AnyConnection,
    company: CompanyId,
    direction: Direction,
    page: KeysetPage<'_, (i64, i64)>,
) -> Result<Vec<Message>> {
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    let dir = sql.arg(Arg::Text(direction.as_str().to_owned()));
    sql.push(&format!(
        "SELECT * FROM sms_messages WHERE company_id = {co} AND direction = {dir}"
    ));
    if let Some((at, id)) = page.after {
        let values = vec![Arg::Int(*at), Arg::Int(*id)];
        after(&mut sql, "created_at, id", values, page.reverse);
    }
    order_limit(&mut sql, "created_at, id", page.reverse, page.limit);
    sql.fetch(c).await?.iter().map(message).collect()
}

/// One indexed query: `sms_messages_time (company_id, created_at, id)`.
pub(crate) async fn messages_in_window(
    c: &mut AnyConnection,
    company: CompanyId,
    start: jiff::Timestamp,
    end: jiff::Timestamp,
    page: KeysetPage<'_, (i64, i64)>,
) -> Result<Vec<Message>> {
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    let from = sql.arg(Arg::Int(start.as_millisecond()));
    let to = sql.arg(Arg::Int(end.as_millisecond()));
    sql.push(&format!(
        "SELECT * FROM sms_messages WHERE company_id = {co} AND created_at >= {from} \
         AND created_at < {to}"
    ));
    if let Some((at, id)) = page.after {
        let values = vec![Arg::Int(*at), Arg::Int(*id)];
        after(&mut sql, "created_at, id", values, page.reverse);
    }
    order_limit(&mut sql, "created_at, id", page.reverse, page.limit);
    sql.fetch(c).await?.iter().map(message).collect()
}

/// Which of `numbers` are opted out: one query over the primary key.
pub(crate) async fn opted_out(
    c: &mut AnyConnection,
    company: CompanyId,
    numbers: &[String],
) -> Result<Vec<String>> {
    if numbers.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    let state = sql.arg(Arg::Text(OptOutState::OptedOut.as_str().to_owned()));
    let list: Vec<String> = numbers
        .iter()
        .map(|n| sql.arg(Arg::Text(n.clone())))
        .collect();
    sql.push(&format!(
        "SELECT number FROM sms_opt_outs WHERE company_id = {co} AND state = {state} \
         AND number IN ({}) ORDER BY number",
        list.join(", ")
    ));
    sql.fetch(c)
        .await?
        .iter()
        .map(|r| get::<String>(r, "number"))
        .collect()
}

/// One query over `sms_opt_outs_state (company_id, state, number)`.
pub(crate) async fn opt_outs_page(
    c: &mut AnyConnection,
    company: CompanyId,
    state: OptOutState,
    page: KeysetPage<'_, String>,
) -> Result<Vec<OptOut>> {
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    let st = sql.arg(Arg::Text(state.as_str().to_owned()));
    sql.push(&format!(
        "SELECT * FROM sms_opt_outs WHERE company_id = {co} AND state = {st}"
    ));
    if let Some(n) = page.after {
        after(&mut sql, "number", vec![Arg::Text(n.clone())], page.reverse);
    }
    order_limit(&mut sql, "number", page.reverse, page.limit);
    sql.fetch(c).await?.iter().map(opt_out).collect()
}

pub(crate) async fn put_opt_out(c: &mut AnyConnection, o: &OptOut) -> Result<()> {
    sqlx::query(
        "INSERT INTO sms_opt_outs (company_id, number, state, keyword, changed_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (company_id, number) DO UPDATE SET \
         state = excluded.state, keyword = excluded.keyword, changed_at = excluded.changed_at",
    )
    .bind(o.company_id.0)
    .bind(o.number.as_str())
    .bind(o.state.as_str())
    .bind(o.keyword.as_str())
    .bind(to_millis(o.changed_at))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn sim_unreachable(
    c: &mut AnyConnection,
    company: CompanyId,
    number: &str,
) -> Result<bool> {
    let found = sqlx::query(
        "SELECT 1 AS one FROM sim_unreachable_numbers WHERE company_id = $1 AND number = $2",
    )
    .bind(company.0)
    .bind(number)
    .fetch_optional(c)
    .await
    .map_err(db)?;
    Ok(found.is_some())
}

pub(crate) async fn set_sim_unreachable(
    c: &mut AnyConnection,
    company: CompanyId,
    number: &str,
    unreachable: bool,
) -> Result<()> {
    let sql = if unreachable {
        "INSERT INTO sim_unreachable_numbers (company_id, number) VALUES ($1, $2) \
         ON CONFLICT (company_id, number) DO NOTHING"
    } else {
        "DELETE FROM sim_unreachable_numbers WHERE company_id = $1 AND number = $2"
    };
    sqlx::query(sql)
        .bind(company.0)
        .bind(number)
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}
