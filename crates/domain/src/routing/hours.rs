//! Open or closed: a group's hours read in its office's time zone.

use jiff::civil::{DateTime, Time};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::Serialize;

use crate::telephony::group::{DayHours, GroupSettings, Range};

/// Whether a group takes calls at an instant, the local time it was judged at, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Openness {
    /// Whether the group is open.
    pub open: bool,
    /// The local time in the office's time zone (UTC when the zone is unknown).
    pub local: DateTime,
    /// One sentence: `"hours off: always open"`, `"holiday 'X' (closed all day)"`,
    /// `"Monday 08:00-18:00"`, `"outside Monday hours"`.
    pub why: String,
}

/// Whether the group with `settings` is open at `now`, with `tz` the office's IANA time zone.
///
/// The decision is [`GroupSettings::is_open`] on the local time (a holiday's hours replace the
/// weekday's; hours off means always open); this adds the local time and the sentence saying
/// which rule decided. An unknown zone is read as UTC and the sentence says so.
pub fn openness(settings: &GroupSettings, tz: &str, now: Timestamp) -> Openness {
    let (zone, note) = match TimeZone::get(tz) {
        Ok(zone) => (zone, String::new()),
        Err(_) => (
            TimeZone::UTC,
            format!("unknown time zone '{tz}', read as UTC; "),
        ),
    };
    let local = now.to_zoned(zone).datetime();
    let open = settings.is_open(local);
    let why = format!("{note}{}", reason(settings, local, open));
    Openness { open, local, why }
}

/// The sentence for `local`, given the decision `open`.
fn reason(settings: &GroupSettings, local: DateTime, open: bool) -> String {
    if !settings.hours_on {
        return "hours off: always open".into();
    }
    let time = local.time();
    if let Some(h) = settings.holidays.iter().find(|h| h.date == local.date()) {
        return match (open, matching(&h.hours, time)) {
            _ if h.hours.0.is_empty() => format!("holiday '{}' (closed all day)", h.name),
            (true, Some(r)) => format!("holiday '{}' {}", h.name, range_text(r)),
            _ => format!(
                "outside holiday '{}' hours ({})",
                h.name,
                day_text(&h.hours)
            ),
        };
    }
    let weekday = format!("{:?}", local.weekday());
    let day = &settings.hours.0[local.weekday().to_monday_zero_offset() as usize];
    match (open, matching(day, time)) {
        (true, Some(r)) => format!("{weekday} {}", range_text(r)),
        _ if day.0.is_empty() => format!("outside {weekday} hours (closed all day)"),
        _ => format!("outside {weekday} hours"),
    }
}

fn matching(day: &DayHours, t: Time) -> Option<Range> {
    day.0.iter().copied().find(|r| r.open <= t && t < r.close)
}

fn range_text(r: Range) -> String {
    DayHours(vec![r]).render().join("-")
}

fn day_text(day: &DayHours) -> String {
    day.0
        .iter()
        .map(|r| range_text(*r))
        .collect::<Vec<_>>()
        .join(", ")
}
