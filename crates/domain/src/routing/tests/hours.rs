use jiff::civil::{date, DateTime, Time};

use super::{call_center, ts};
use crate::routing::openness;
use crate::telephony::group::{DayHours, GroupSettings, Holiday, Range};

const NY: &str = "America/New_York";

fn day(ranges: &[(i8, i8)]) -> DayHours {
    DayHours(
        ranges
            .iter()
            .map(|(open, close)| Range {
                open: Time::constant(*open, 0, 0, 0),
                close: if *close == 24 {
                    Time::MAX
                } else {
                    Time::constant(*close, 0, 0, 0)
                },
            })
            .collect(),
    )
}

/// Hours on: 08:00–18:00 Monday to Friday, the weekend closed.
fn with_hours() -> GroupSettings {
    let mut s = call_center();
    s.hours_on = true;
    s
}

fn local(s: &str) -> DateTime {
    s.parse().unwrap()
}

#[test]
fn hours_off_is_always_open() {
    let s = call_center();
    let o = openness(&s, NY, ts("2026-11-29T08:00:00Z"));
    assert!(o.open);
    assert_eq!(o.why, "hours off: always open");
    assert_eq!(o.local, local("2026-11-29T03:00:00"));
}

#[test]
fn weekday_hours_name_the_range_or_the_day() {
    let mut s = with_hours();
    // Wednesday 2026-12-02, 09:00 in New York (UTC-5).
    let o = openness(&s, NY, ts("2026-12-02T14:00:00Z"));
    assert!(o.open);
    assert_eq!(o.why, "Wednesday 08:00-18:00");
    let o = openness(&s, NY, ts("2026-12-02T23:00:00Z"));
    assert!(!o.open);
    assert_eq!(o.why, "outside Wednesday hours");
    let o = openness(&s, NY, ts("2026-12-05T15:00:00Z"));
    assert!(!o.open);
    assert_eq!(o.why, "outside Saturday hours (closed all day)");

    // Split day and a range to midnight.
    s.hours.0[0] = day(&[(8, 12), (14, 24)]);
    let o = openness(&s, NY, ts("2026-11-30T17:30:00Z"));
    assert!(!o.open, "12:30 falls between the ranges");
    assert_eq!(o.why, "outside Monday hours");
    let o = openness(&s, NY, ts("2026-12-01T04:59:59Z"));
    assert!(o.open, "23:59:59 is before 24:00");
    assert_eq!(o.why, "Monday 14:00-24:00");
}

#[test]
fn opening_and_closing_instants() {
    let s = with_hours();
    // Monday 2026-11-30: 08:00 New York is 13:00 UTC.
    assert!(!openness(&s, NY, ts("2026-11-30T12:59:59Z")).open);
    assert!(openness(&s, NY, ts("2026-11-30T13:00:00Z")).open);
    assert!(openness(&s, NY, ts("2026-11-30T22:59:59Z")).open);
    assert!(!openness(&s, NY, ts("2026-11-30T23:00:00Z")).open);
}

#[test]
fn spring_forward_in_new_york() {
    // 2026-03-08 (Sunday): 02:00 EST jumps to 03:00 EDT, at 07:00 UTC.
    let mut s = with_hours();
    s.hours.0[6] = day(&[(3, 4)]);
    let before = openness(&s, NY, ts("2026-03-08T06:59:59Z"));
    assert_eq!(before.local, local("2026-03-08T01:59:59"));
    assert!(!before.open);
    assert_eq!(before.why, "outside Sunday hours");
    let after = openness(&s, NY, ts("2026-03-08T07:00:00Z"));
    assert_eq!(after.local, local("2026-03-08T03:00:00"));
    assert!(after.open);
    assert_eq!(after.why, "Sunday 03:00-04:00");

    // The Friday before opens at 13:00 UTC (EST), the Monday after at 12:00 UTC (EDT).
    assert!(!openness(&s, NY, ts("2026-03-06T12:00:00Z")).open);
    assert!(openness(&s, NY, ts("2026-03-06T13:00:00Z")).open);
    assert!(!openness(&s, NY, ts("2026-03-09T11:59:59Z")).open);
    let monday = openness(&s, NY, ts("2026-03-09T12:00:00Z"));
    assert!(monday.open);
    assert_eq!(monday.local, local("2026-03-09T08:00:00"));
    assert_eq!(monday.why, "Monday 08:00-18:00");
}

#[test]
fn fall_back_in_new_york() {
    // 2026-11-01 (Sunday): 02:00 EDT falls back to 01:00 EST, at 06:00 UTC; 01:30 happens twice.
    let mut s = with_hours();
    s.hours.0[6] = day(&[(1, 2)]);
    for instant in ["2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z"] {
        let o = openness(&s, NY, ts(instant));
        assert_eq!(o.local, local("2026-11-01T01:30:00"), "{instant}");
        assert!(o.open, "{instant}");
        assert_eq!(o.why, "Sunday 01:00-02:00");
    }
    let o = openness(&s, NY, ts("2026-11-01T07:00:00Z"));
    assert_eq!(o.local, local("2026-11-01T02:00:00"));
    assert!(!o.open);

    // The Monday after opens at 13:00 UTC (EST); the Friday before at 12:00 UTC (EDT).
    assert!(!openness(&s, NY, ts("2026-11-02T12:59:59Z")).open);
    assert!(openness(&s, NY, ts("2026-11-02T13:00:00Z")).open);
    assert!(openness(&s, NY, ts("2026-10-30T12:00:00Z")).open);
}

#[test]
fn other_zones_read_their_own_clock() {
    let s = with_hours();
    // Monday 2026-11-30 08:00 UTC is 09:00 in Paris and 17:00 in Tokyo.
    let paris = openness(&s, "Europe/Paris", ts("2026-11-30T08:00:00Z"));
    assert!(paris.open);
    assert_eq!(paris.local, local("2026-11-30T09:00:00"));
    let tokyo = openness(&s, "Asia/Tokyo", ts("2026-11-30T09:00:00Z"));
    assert!(!tokyo.open);
    assert_eq!(tokyo.local, local("2026-11-30T18:00:00"));
}

#[test]
fn unknown_zone_falls_back_to_utc_and_says_so() {
    let s = with_hours();
    let o = openness(&s, "Mars/Olympus", ts("2026-11-30T08:30:00Z"));
    assert!(o.open);
    assert_eq!(o.local, local("2026-11-30T08:30:00"));
    assert_eq!(
        o.why,
        "unknown time zone 'Mars/Olympus', read as UTC; Monday 08:00-18:00"
    );
}

#[test]
fn holiday_without_hours_is_closed_all_day() {
    let mut s = with_hours();
    s.holidays.push(Holiday {
        date: date(2026, 11, 26),
        name: "Thanksgiving".into(),
        hours: DayHours::default(),
    });
    for instant in ["2026-11-26T05:00:00Z", "2026-11-26T15:00:00Z"] {
        let o = openness(&s, NY, ts(instant));
        assert!(!o.open, "{instant}");
        assert_eq!(o.why, "holiday 'Thanksgiving' (closed all day)");
    }
    // The holiday is a local date: 04:59 UTC on the 27th is still the 26th in New York.
    assert!(!openness(&s, NY, ts("2026-11-27T04:59:59Z")).open);
    assert!(openness(&s, NY, ts("2026-11-27T14:00:00Z")).open);
}

#[test]
fn holiday_with_hours_replaces_the_weekday() {
    let mut s = with_hours();
    // Christmas Eve 2026 is a Thursday; a Sunday holiday opens a day that is normally closed.
    s.holidays.push(Holiday {
        date: date(2026, 12, 24),
        name: "Christmas Eve".into(),
        hours: day(&[(10, 14)]),
    });
    s.holidays.push(Holiday {
        date: date(2026, 12, 27),
        name: "Year-end sale".into(),
        hours: day(&[(9, 12), (13, 17)]),
    });
    let o = openness(&s, NY, ts("2026-12-24T14:00:00Z"));
    assert!(
        !o.open,
        "09:00 is inside Thursday hours but outside the holiday's"
    );
    assert_eq!(o.why, "outside holiday 'Christmas Eve' hours (10:00-14:00)");
    let o = openness(&s, NY, ts("2026-12-24T15:00:00Z"));
    assert!(o.open);
    assert_eq!(o.why, "holiday 'Christmas Eve' 10:00-14:00");
    let o = openness(&s, NY, ts("2026-12-27T17:30:00Z"));
    assert!(!o.open);
    assert_eq!(
        o.why,
        "outside holiday 'Year-end sale' hours (09:00-12:00, 13:00-17:00)"
    );
    assert!(openness(&s, NY, ts("2026-12-27T18:00:00Z")).open);
}

#[test]
fn holidays_do_not_apply_with_hours_off() {
    let mut s = call_center();
    s.holidays.push(Holiday {
        date: date(2026, 11, 26),
        name: "Thanksgiving".into(),
        hours: DayHours::default(),
    });
    let o = openness(&s, NY, ts("2026-11-26T15:00:00Z"));
    assert!(o.open);
    assert_eq!(o.why, "hours off: always open");
}
