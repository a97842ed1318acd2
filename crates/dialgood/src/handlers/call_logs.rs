//! `/agents/{agentId}/call-logs`.

use axum::extract::State;
use axum::Json;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::Deserialize;
use switchboard_domain::page::Page;
use switchboard_domain::telephony::call::CallLogFilter;
use switchboard_domain::{Core, DomainError, Result};
use utoipa::IntoParams;

use super::agent_id;
use crate::auth::Caller;
use crate::error::{ApiResult, Params, PathParams, QueryParams, Segments};
use crate::wire::{CallLogList, CallLogOut};

/// Call-log filters, as the vendor names them.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct CallLogParams {
    /// Start of the range: Unix seconds or milliseconds, or a date/date-time (read in `tz` when
    /// it has no offset).
    from: Option<String>,
    /// End of the range (inclusive), in the same forms; a bare date means the end of that day.
    to: Option<String>,
    /// Page number, from 1 (default 1).
    page: Option<i64>,
    /// Records per page (default 10, at most 100).
    limit: Option<i64>,
    /// IANA time zone for dates without offset (default `Australia/Melbourne`).
    tz: Option<String>,
    fromnumber: Option<String>,
    tonumber: Option<String>,
    status: Option<String>,
    direction: Option<String>,
    campaign: Option<String>,
    conversationid: Option<String>,
    /// `true` hides web calls.
    hidewebcalls: Option<String>,
}

/// Default time zone of the CDR lookup.
const DEFAULT_TZ: &str = "Australia/Melbourne";

/// Calls handled by the agent, newest first.
#[utoipa::path(get, path = "/agents/{agentId}/call-logs", tag = "call logs", params(("agentId" = String, Path), CallLogParams),
    responses((status = 200, body = CallLogList), (status = 400), (status = 401), (status = 403), (status = 404)))]
pub(crate) async fn list(
    State(core): State<Core>,
    Caller(user): Caller,
    PathParams(id, _): Segments<String>,
    QueryParams(q, _): Params<CallLogParams>,
) -> ApiResult<Json<CallLogList>> {
    let page_number = match q.page {
        None => 1,
        Some(n) if n >= 1 => n as u64,
        Some(_) => return Err(DomainError::invalid("page must be 1 or more").into()),
    };
    let limit = Page::parse(q.limit, None, 10, 100)?.limit;
    let page = Page {
        limit,
        skip: (page_number - 1).saturating_mul(u64::from(limit)),
    };
    let tz_name = q.tz.as_deref().unwrap_or(DEFAULT_TZ);
    let tz = TimeZone::get(tz_name)
        .map_err(|_| DomainError::invalid(format!("unknown time zone '{tz_name}'")))?;
    let hide_web_calls = match q.hidewebcalls.as_deref() {
        None | Some("false") | Some("0") | Some("") => false,
        Some("true") | Some("1") => true,
        Some(other) => {
            return Err(DomainError::invalid(format!(
                "hidewebcalls must be true or false, not '{other}'"
            ))
            .into())
        }
    };
    let filter = CallLogFilter {
        from: q
            .from
            .as_deref()
            .map(|s| instant("from", s, &tz, false))
            .transpose()?,
        to: q
            .to
            .as_deref()
            .map(|s| instant("to", s, &tz, true))
            .transpose()?,
        from_number: q.fromnumber,
        to_number: q.tonumber,
        status: q.status,
        direction: q.direction,
        campaign: q.campaign,
        conversation_id: q.conversationid,
        hide_web_calls,
    };
    let found = core
        .telephony()
        .call_log(&user, agent_id(&id)?, filter, page)
        .await?;
    Ok(Json(CallLogList {
        data: found.items.iter().map(CallLogOut::new).collect(),
        total_pages: found.total.div_ceil(u64::from(limit)),
        total_records: found.total,
        current_page: page_number,
    }))
}

/// Reads a range bound: Unix seconds (below 10^11) or milliseconds, an RFC 3339 instant, or a
/// civil date/date-time in `tz`. A bare date as the end of a range means the end of that day.
fn instant(field: &str, raw: &str, tz: &TimeZone, end_of_day: bool) -> Result<Timestamp> {
    let bad = || {
        DomainError::invalid(format!(
            "{field} must be a Unix timestamp or a date, not '{raw}'"
        ))
    };
    let raw = raw.trim();
    if let Ok(n) = raw.parse::<i64>() {
        let ms = if n.abs() < 100_000_000_000 {
            n.saturating_mul(1000)
        } else {
            n
        };
        return Timestamp::from_millisecond(ms).map_err(|_| bad());
    }
    if let Ok(ts) = raw.parse::<Timestamp>() {
        return Ok(ts);
    }
    let is_date_only = !raw.contains(['T', 't', ' ']);
    if !is_date_only {
        let dt: DateTime = raw.parse().map_err(|_| bad())?;
        return dt
            .to_zoned(tz.clone())
            .map(|z| z.timestamp())
            .map_err(|_| bad());
    }
    let date: Date = raw.parse().map_err(|_| bad())?;
    let start = date.to_zoned(tz.clone()).map_err(|_| bad())?;
    if !end_of_day {
        return Ok(start.timestamp());
    }
    let next = start.tomorrow().map_err(|_| bad())?;
    Ok(next.timestamp() - jiff::SignedDuration::from_millis(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_bounds_accept_seconds_millis_and_dates_in_the_zone() {
        let tz = TimeZone::get(DEFAULT_TZ).unwrap();
        assert_eq!(
            instant("from", "1779560000", &tz, false)
                .unwrap()
                .as_millisecond(),
            1_779_560_000_000
        );
        assert_eq!(
            instant("from", "1779560000123", &tz, false)
                .unwrap()
                .as_millisecond(),
            1_779_560_000_123
        );
        // Melbourne is UTC+10 in May.
        assert_eq!(
            instant("from", "2026-05-24", &tz, false)
                .unwrap()
                .to_string(),
            "2026-05-23T14:00:00Z"
        );
        assert_eq!(
            instant("to", "2026-05-24", &tz, true).unwrap().to_string(),
            "2026-05-24T13:59:59.999Z"
        );
        assert!(instant("from", "yesterday", &tz, false).is_err());
    }
}
