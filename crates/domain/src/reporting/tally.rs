//! Call stats: call legs added up per local day, and per user or group within the day.
//!
//! Legs arrive oldest first, so a day is complete when a leg of a later day arrives; the day
//! being added up is carried from page to page in the job's progress, and memory holds one
//! day's rows at most. Per-date stats write every day of the window, days without calls as
//! zeros; per-user and per-group stats write the users and groups that had calls.
//!
//! What counts: per date and per group, calls as the company took them (entry legs and direct
//! legs, not the operator legs an entry leg rang); per user, and for any export narrowed to a
//! user, that user's own legs (an operator leg that stopped ringing because another operator
//! answered counts in `cancelled`).

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::calls::leg::{CallLeg, Direction, Outcome, Party, PartyKind};
use crate::reporting::csv::{self, minutes, push_row, Names};
use crate::reporting::export::{ExportSpec, GroupBy, TargetKind};
use crate::reporting::window::{local_date, next_day};

/// The figures of a stats row after its key columns.
pub const METRIC_COLUMNS: [&str; 19] = [
    "all_calls",
    "inbound_calls",
    "outbound_calls",
    "voicemails",
    "missed",
    "abandoned",
    "answered",
    "cancelled",
    "callbacks_requested",
    "transferred",
    "recorded",
    "talk_duration",
    "avg_talk_duration",
    "hold_duration",
    "ringing_duration",
    "avg_time_to_answer",
    "queued_calls",
    "queued_duration",
    "avg_queued_duration",
];

/// The header of call stats grouped by `group_by`.
pub fn header(group_by: GroupBy) -> Vec<&'static str> {
    let keys: &[&str] = match group_by {
        GroupBy::Date => &["date"],
        GroupBy::User => &["date", "target_id", "name", "email", "target_type"],
        GroupBy::Group => &["date", "target_id", "name", "target_type"],
    };
    let mut h = keys.to_vec();
    h.extend(METRIC_COLUMNS);
    h.push("timezone");
    h
}

/// The figures of one row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    all: u64,
    inbound: u64,
    outbound: u64,
    voicemails: u64,
    missed: u64,
    abandoned: u64,
    answered: u64,
    cancelled: u64,
    callbacks: u64,
    transferred: u64,
    recorded: u64,
    talk_ms: i64,
    hold_ms: i64,
    ringing_ms: i64,
    answer_ms: i64,
    queued: u64,
    queued_ms: i64,
}

fn avg(total: i64, n: u64) -> String {
    if n == 0 {
        "0".into()
    } else {
        minutes(total / n as i64)
    }
}

impl Metrics {
    fn add(&mut self, l: &CallLeg) {
        self.all += 1;
        match l.direction {
            Direction::Inbound => self.inbound += 1,
            Direction::Outbound => self.outbound += 1,
        }
        match csv::category(l) {
            "abandoned" => self.abandoned += 1,
            "cancelled" => self.cancelled += 1,
            _ => {}
        }
        match l.outcome {
            Some(Outcome::Voicemail) => self.voicemails += 1,
            Some(Outcome::Missed) if csv::category(l) != "abandoned" => self.missed += 1,
            Some(Outcome::Answered) => {
                self.answered += 1;
                if let Some(c) = l.date_connected {
                    self.answer_ms += (c.as_millisecond() - l.date_started.as_millisecond()).max(0);
                }
            }
            _ => {}
        }
        self.callbacks += u64::from(l.callback_requested);
        self.transferred += u64::from(l.is_transferred);
        self.recorded += u64::from(l.was_recorded);
        self.talk_ms += csv::talk_ms(l);
        self.hold_ms += l.hold_ms;
        self.ringing_ms += csv::ringing_ms(l);
        if l.date_queued.is_some() {
            self.queued += 1;
            self.queued_ms += csv::queued_ms(l);
        }
    }

    fn cells(&self) -> Vec<String> {
        let n = |v: u64| v.to_string();
        vec![
            n(self.all),
            n(self.inbound),
            n(self.outbound),
            n(self.voicemails),
            n(self.missed),
            n(self.abandoned),
            n(self.answered),
            n(self.cancelled),
            n(self.callbacks),
            n(self.transferred),
            n(self.recorded),
            minutes(self.talk_ms),
            avg(self.talk_ms, self.answered),
            minutes(self.hold_ms),
            minutes(self.ringing_ms),
            avg(self.answer_ms, self.answered),
            n(self.queued),
            minutes(self.queued_ms),
            avg(self.queued_ms, self.queued),
        ]
    }
}

/// The stats being added up, carried from page to page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    /// The local day being added up.
    day: Option<Date>,
    /// The first day not written yet (per-date stats write every day).
    next_day: Option<Date>,
    /// The day's rows by party (`None` for per-date stats).
    rows: BTreeMap<String, (Option<Party>, Metrics)>,
}

/// The row a leg adds to, if it counts: `Some(None)` for the day's own row.
fn row_of(l: &CallLeg, spec: &ExportSpec) -> Option<Option<Party>> {
    let user_target = spec.target.is_some_and(|t| t.kind == TargetKind::User);
    if user_target || spec.group_by == GroupBy::User {
        l.user_id?;
    } else if l.entry_point_call_id.is_some() {
        return None;
    }
    match spec.group_by {
        GroupBy::Date => Some(None),
        GroupBy::User => Some(Some(Party {
            kind: PartyKind::User,
            id: l.user_id?.0,
        })),
        GroupBy::Group => {
            let group = l.group_id?;
            let kind = match l.entry_target {
                Some(t) if t.id == group.0 && t.kind == PartyKind::Department => {
                    PartyKind::Department
                }
                _ => PartyKind::CallCenter,
            };
            Some(Some(Party { kind, id: group.0 }))
        }
    }
}

impl Tally {
    /// Stats starting at the window's first day.
    pub fn new(spec: &ExportSpec, tz: &TimeZone) -> Self {
        Self {
            day: None,
            next_day: Some(local_date(spec.start, tz)),
            rows: BTreeMap::new(),
        }
    }

    /// The parties of the rows carried now (their names are needed when the day is written).
    pub fn parties(&self) -> Vec<Party> {
        self.rows.values().filter_map(|(p, _)| *p).collect()
    }

    /// The parties a leg would add a row for.
    pub fn party_of(l: &CallLeg, spec: &ExportSpec) -> Option<Party> {
        row_of(l, spec).flatten()
    }

    /// Adds a leg, writing the day before it into `out` once the leg starts a later day.
    pub fn add(
        &mut self,
        l: &CallLeg,
        spec: &ExportSpec,
        tz: &TimeZone,
        names: &Names,
        out: &mut String,
    ) {
        let Some(row) = row_of(l, spec) else {
            return;
        };
        let day = local_date(l.date_started, tz);
        if self.day.is_some_and(|d| d != day) {
            self.write_day(spec, names, out);
        }
        self.write_empty_days_before(day, spec, out);
        self.day = Some(day);
        let key = row.map_or_else(String::new, |p| format!("{}:{}", p.kind.as_str(), p.id));
        self.rows
            .entry(key)
            .or_insert((row, Metrics::default()))
            .1
            .add(l);
    }

    /// Writes what is left: the day being added up, and (per date) the empty days after it.
    pub fn finish(&mut self, spec: &ExportSpec, tz: &TimeZone, names: &Names, out: &mut String) {
        self.write_day(spec, names, out);
        if spec.end > spec.start {
            let last = local_date(
                spec.end
                    .checked_sub(jiff::SignedDuration::from_millis(1))
                    .unwrap_or(spec.end),
                tz,
            );
            self.write_empty_days_before(next_day(last), spec, out);
        }
    }

    fn write_empty_days_before(&mut self, day: Date, spec: &ExportSpec, out: &mut String) {
        if spec.group_by != GroupBy::Date {
            return;
        }
        while let Some(d) = self.next_day.filter(|d| *d < day) {
            let mut cells = vec![d.to_string()];
            cells.extend(Metrics::default().cells());
            cells.push(spec.timezone.clone());
            push_row(out, &cells);
            self.next_day = Some(next_day(d)).filter(|n| *n != d);
        }
    }

    fn write_day(&mut self, spec: &ExportSpec, names: &Names, out: &mut String) {
        let Some(day) = self.day.take() else {
            return;
        };
        for (party, m) in std::mem::take(&mut self.rows).into_values() {
            let mut cells = vec![day.to_string()];
            if let Some(p) = party {
                let named = names.get(Some(p));
                cells.push(p.id.to_string());
                cells.push(named.map(|n| n.name.clone()).unwrap_or_default());
                if spec.group_by == GroupBy::User {
                    cells.push(named.map(|n| n.email.clone()).unwrap_or_default());
                }
                cells.push(p.kind.as_str().to_owned());
            }
            cells.extend(m.cells());
            cells.push(spec.timezone.clone());
            push_row(out, &cells);
        }
        if self.next_day.is_some_and(|n| n <= day) {
            self.next_day = Some(next_day(day));
        }
    }
}
