//! Hours, holidays and settings ranges of groups.

use super::*;

fn hours(v: &[&str]) -> Result<DayHours> {
    let raw: Vec<String> = v.iter().map(|s| s.to_string()).collect();
    DayHours::parse("monday_hours", &raw)
}

#[test]
fn hours_are_ordered_pairs_that_end_after_they_start() {
    let h = hours(&["08:00", "12:00", "14:00", "24:00"]).unwrap();
    assert_eq!(h.render(), ["08:00", "12:00", "14:00", "24:00"]);
    assert!(h.contains(Time::constant(23, 59, 0, 0)));
    assert!(!h.contains(Time::constant(12, 0, 0, 0)));
    assert!(hours(&["18:00", "08:00"]).is_err());
    assert!(hours(&["08:00", "08:00"]).is_err());
    assert!(hours(&["08:00"]).is_err());
    assert!(hours(&["08:00", "12:00", "11:00", "13:00"]).is_err());
    assert!(hours(&["8:00", "12:00"]).is_err());
    assert!(hours(&["25:00", "26:00"]).is_err());
    assert!(hours(&[]).unwrap().0.is_empty());
}

#[test]
fn open_follows_hours_and_holidays() {
    let mut s = GroupSettings::default_for(GroupKind::CallCenter);
    let monday_9 = jiff::civil::date(2026, 11, 30).at(9, 0, 0, 0);
    let sunday_9 = jiff::civil::date(2026, 11, 29).at(9, 0, 0, 0);
    assert!(s.is_open(sunday_9));
    s.hours_on = true;
    assert!(s.is_open(monday_9));
    assert!(!s.is_open(sunday_9));
    s.holidays.push(Holiday {
        date: monday_9.date(),
        name: "closed".into(),
        hours: DayHours::default(),
    });
    assert!(!s.is_open(monday_9));
}

#[test]
fn settings_ranges() {
    let mut s = GroupSettings::default_for(GroupKind::Department);
    assert!(s.validate(GroupKind::Department).is_ok());
    s.hold_queue.max_hold_count = 51;
    assert!(s.validate(GroupKind::Department).is_err());
    assert!(s.validate(GroupKind::CallCenter).is_ok());
    s.ring_seconds = 5;
    assert!(s.validate(GroupKind::CallCenter).is_err());
    assert!(skill_level(101).is_err());
    assert_eq!(skill_level(0).unwrap(), 0);
}
