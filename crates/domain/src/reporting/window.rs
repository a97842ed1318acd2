//! Time for reports: the window of an export in its time zone, and the naive local times the
//! CSV files are written in.
//!
//! A `days_ago` window is the whole local days from `days_ago_end` days ago through
//! `days_ago_start` days ago, both included (day 0 is today, up to now); `is_today` is today
//! up to now. So the defaults (1 and 30) are the thirty days before today.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::reporting::export::ExportRequest;
use crate::{DomainError, Result};

/// The furthest back a window may start, in days.
pub const MAX_DAYS_AGO: i64 = 366;

/// The zone of a tz database name; anything else is invalid input.
pub fn zone(name: &str) -> Result<TimeZone> {
    if name.is_empty() || name.len() > 64 {
        return Err(DomainError::invalid(format!(
            "timezone '{name}' is not a tz database name"
        )));
    }
    TimeZone::get(name)
        .map_err(|_| DomainError::invalid(format!("timezone '{name}' is not a tz database name")))
}

/// `YYYY-MM-DD HH:MM:SS.ffffff` in `tz`, without the zone.
pub fn local_time(ts: Timestamp, tz: &TimeZone) -> String {
    ts.to_zoned(tz.clone())
        .strftime("%Y-%m-%d %H:%M:%S%.6f")
        .to_string()
}

/// The local day of an instant.
pub fn local_date(ts: Timestamp, tz: &TimeZone) -> Date {
    ts.to_zoned(tz.clone()).date()
}

/// The first instant of a local day (the day's first existing time, across a gap).
pub fn start_of_day(date: Date, tz: &TimeZone) -> Result<Timestamp> {
    date.to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .map_err(DomainError::internal)
}

/// The day after `date` (`date` itself at the end of the calendar).
pub fn next_day(date: Date) -> Date {
    date.checked_add(1.day()).unwrap_or(date)
}

fn days_before(date: Date, days: i64) -> Result<Date> {
    date.checked_sub(days.days()).map_err(DomainError::internal)
}

/// The window `[start, end)` a request covers at `now`, and the local day it was asked on
/// (part of the key that finds an equal request).
pub fn export_window(
    req: &ExportRequest,
    tz: &TimeZone,
    now: Timestamp,
) -> Result<(Timestamp, Timestamp, Date)> {
    let today = local_date(now, tz);
    if req.is_today {
        return Ok((start_of_day(today, tz)?, now, today));
    }
    let start_days = req.days_ago_start.unwrap_or(1);
    let end_days = req.days_ago_end.unwrap_or(30);
    for (name, v) in [("days_ago_start", start_days), ("days_ago_end", end_days)] {
        if !(0..=MAX_DAYS_AGO).contains(&v) {
            return Err(DomainError::invalid(format!(
                "{name} must be between 0 and {MAX_DAYS_AGO}"
            )));
        }
    }
    if start_days > end_days {
        return Err(DomainError::invalid(
            "days_ago_start must not be more than days_ago_end (start is the most recent day)",
        ));
    }
    let first = days_before(today, end_days)?;
    let start = start_of_day(first, tz)?;
    let end = if start_days == 0 {
        now
    } else {
        start_of_day(next_day(days_before(today, start_days)?), tz)?
    };
    Ok((start, end, today))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reporting::export::{ExportType, StatType};

    fn req(start: Option<i64>, end: Option<i64>, today: bool) -> ExportRequest {
        ExportRequest {
            export_type: ExportType::Records,
            stat_type: StatType::Calls,
            group_by: None,
            days_ago_start: start,
            days_ago_end: end,
            is_today: today,
            timezone: None,
            office: None,
            target: None,
        }
    }

    #[test]
    fn windows_are_whole_local_days() {
        let tz = zone("America/New_York").unwrap();
        // 2024-03-12 15:30 in New York.
        let now: Timestamp = "2024-03-12T19:30:00Z".parse().unwrap();
        let (s, e, day) = export_window(&req(None, None, false), &tz, now).unwrap();
        assert_eq!(day.to_string(), "2024-03-12");
        assert_eq!(local_time(s, &tz), "2024-02-11 00:00:00.000000");
        assert_eq!(local_time(e, &tz), "2024-03-12 00:00:00.000000");
        let (s, e, _) = export_window(&req(Some(1), Some(1), false), &tz, now).unwrap();
        assert_eq!(s.to_string(), "2024-03-11T04:00:00Z");
        assert_eq!(e.to_string(), "2024-03-12T04:00:00Z");
        // Across the spring-forward night the day is 23 hours long.
        let (s, e, _) = export_window(&req(Some(2), Some(2), false), &tz, now).unwrap();
        assert_eq!(e.as_second() - s.as_second(), 23 * 3600);
        let (s, e, _) = export_window(&req(Some(0), Some(0), false), &tz, now).unwrap();
        assert_eq!(
            (local_time(s, &tz).as_str(), e),
            ("2024-03-12 00:00:00.000000", now)
        );
        let (s, e, _) = export_window(&req(Some(5), None, true), &tz, now).unwrap();
        assert_eq!((s.to_string().as_str(), e), ("2024-03-12T04:00:00Z", now));
    }

    #[test]
    fn bad_windows_and_zones_are_refused() {
        let tz = zone("UTC").unwrap();
        let now = Timestamp::UNIX_EPOCH;
        for (s, e) in [(Some(3), Some(2)), (Some(-1), None), (None, Some(400))] {
            assert!(export_window(&req(s, e, false), &tz, now).is_err());
        }
        assert!(zone("Mars/Olympus").is_err());
        assert!(zone("").is_err());
        assert!(zone("Europe/Paris").is_ok());
    }
}
