//! Groups: call centers and departments, the places inbound calls wait for an operator.
//!
//! What the routing engine needs is typed here and validated on every write: opening hours per
//! weekday (open/close pairs, each range ending after it starts, ranges in order), holiday
//! hours, the open and closed routing (try the operators or not, the strategy, the action and its
//! target), the hold queue limits, ring and wrap-up seconds. The rest of a vendor's settings
//! (alerts, call recording, voice intelligence, menus, …) is a document the dialect owns and
//! validates ([`Group::document`]).
//!
//! Membership: a user is an operator of a group with a role and a skill level (0–100). Duty
//! status belongs to the user, across every call center they are in.

use jiff::civil::{Date, Time};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::ids::{CompanyId, GroupId, OfficeId, UserId};
use crate::json::JsonObject;
use crate::telephony::office::EntryState;
use crate::{DomainError, Result};

/// Closed list of names ↔ variants, with parsing that calls unknown names invalid input.
macro_rules! named_enum {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The stored and wire name.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            /// Reads a name; unknown names are invalid input.
            pub fn parse(s: &str) -> Result<Self> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| DomainError::invalid(format!("unknown {} '{s}'", $what)))
            }
        }
    };
}

named_enum!(
    /// Call center or department.
    GroupKind, "group kind" {
        CallCenter => "call_center",
        Department => "department",
    }
);

named_enum!(
    /// How operators are dialed.
    RoutingStrategy, "operator_routing" {
        FixedOrder => "fixedorder",
        LongestIdle => "longestidle",
        MostSkilled => "mostskilled",
        Random => "random",
        RoundRobin => "roundrobin",
        Simultaneous => "simultaneous",
    }
);

named_enum!(
    /// An operator's role in a group.
    OperatorRole, "role" {
        Operator => "operator",
        Admin => "admin",
        Supervisor => "supervisor",
    }
);

named_enum!(
    /// An operator's duty status.
    DutyState, "on_duty_status" {
        Available => "available",
        Busy => "busy",
        Occupied => "occupied",
        OccupiedEnd => "occupied-end",
        Unavailable => "unavailable",
        Wrapup => "wrapup",
        WrapupEnd => "wrapup-end",
    }
);

/// An opening range within one day, `open < close`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    pub open: Time,
    pub close: Time,
}

/// The ranges of one day, in order and not overlapping.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DayHours(pub Vec<Range>);

impl DayHours {
    /// Reads `["08:00", "12:00", "14:00", "18:00"]`: open/close pairs (`24:00` is the end of the
    /// day). An odd count, a bad time, a range that ends before (or when) it starts, or ranges
    /// out of order are invalid input naming `field`.
    pub fn parse(field: &str, raw: &[String]) -> Result<Self> {
        if !raw.len().is_multiple_of(2) {
            return Err(DomainError::invalid(format!(
                "{field} must be pairs of opening and closing times"
            )));
        }
        let mut ranges: Vec<Range> = Vec::new();
        for pair in raw.chunks(2) {
            let open = parse_time(field, &pair[0])?;
            let close = parse_time(field, &pair[1])?;
            if close <= open {
                return Err(DomainError::invalid(format!(
                    "{field}: the range {}-{} ends before it starts",
                    pair[0], pair[1]
                )));
            }
            if ranges.last().is_some_and(|prev| open < prev.close) {
                return Err(DomainError::invalid(format!(
                    "{field}: ranges must be in order and must not overlap"
                )));
            }
            ranges.push(Range { open, close });
        }
        Ok(Self(ranges))
    }

    /// `["08:00", "18:00", …]`.
    pub fn render(&self) -> Vec<String> {
        self.0
            .iter()
            .flat_map(|r| [render_time(r.open), render_time(r.close)])
            .collect()
    }

    /// Whether `t` falls in one of the ranges.
    pub fn contains(&self, t: Time) -> bool {
        self.0.iter().any(|r| r.open <= t && t < r.close)
    }
}

/// The end of the day as a closing time: `24:00` is kept as the last representable instant.
const END_OF_DAY: Time = Time::MAX;

fn parse_time(field: &str, raw: &str) -> Result<Time> {
    let bad = || DomainError::invalid(format!("{field}: '{raw}' is not a time HH:MM"));
    if raw == "24:00" {
        return Ok(END_OF_DAY);
    }
    let (h, m) = raw.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: i8 = h.parse().map_err(|_| bad())?;
    let m: i8 = m.parse().map_err(|_| bad())?;
    Time::new(h, m, 0, 0).map_err(|_| bad())
}

fn render_time(t: Time) -> String {
    if t == END_OF_DAY {
        "24:00".into()
    } else {
        format!("{:02}:{:02}", t.hour(), t.minute())
    }
}

/// Hours for each weekday, Monday first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekHours(pub [DayHours; 7]);

impl Default for WeekHours {
    /// 08:00–18:00 Monday to Friday, closed at the weekend.
    fn default() -> Self {
        let work = || {
            DayHours(vec![Range {
                open: Time::constant(8, 0, 0, 0),
                close: Time::constant(18, 0, 0, 0),
            }])
        };
        Self([
            work(),
            work(),
            work(),
            work(),
            work(),
            DayHours::default(),
            DayHours::default(),
        ])
    }
}

/// A holiday: a date with its own hours (none: closed all day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub date: Date,
    pub name: String,
    pub hours: DayHours,
}

/// What happens to a call while the group is open, or while it is closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    /// Whether operators are dialed.
    pub try_dial_operators: bool,
    pub strategy: RoutingStrategy,
    /// What to do when no operator takes the call (a name the dialect checks).
    pub action: String,
    /// The target of `action`: its id and kind (names the dialect checks).
    pub target: Option<(i64, String)>,
}

/// Open and closed routing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Routing {
    pub open: Route,
    pub closed: Route,
}

impl Default for Routing {
    /// Open: ring operators at once, then voicemail; closed: voicemail.
    fn default() -> Self {
        Self {
            open: Route {
                try_dial_operators: true,
                strategy: RoutingStrategy::Simultaneous,
                action: "voicemail".into(),
                target: None,
            },
            closed: Route {
                try_dial_operators: false,
                strategy: RoutingStrategy::Simultaneous,
                action: "voicemail".into(),
                target: None,
            },
        }
    }
}

/// The hold queue: where calls wait while every operator is busy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldQueue {
    /// Whether calls queue at all (call centers always queue; departments choose).
    pub enabled: bool,
    /// 1–1000 for a call center, 1–50 for a department.
    pub max_hold_count: u32,
    /// 30–18000.
    pub max_hold_seconds: u32,
    pub announce_position: bool,
    pub announcement_interval_seconds: u32,
    pub allow_queue_callback: bool,
    pub queue_callback_threshold: u32,
    /// One of `0-9*#`.
    pub queue_callback_dtmf: char,
    /// One of `0-9*#`.
    pub queue_escape_dtmf: char,
    pub stay_in_queue_after_closing: bool,
    /// Whether calls queue when no operator is on duty.
    pub unattended_queue: bool,
}

impl HoldQueue {
    /// The defaults of a group of `kind`.
    pub fn default_for(kind: GroupKind) -> Self {
        Self {
            enabled: kind == GroupKind::CallCenter,
            max_hold_count: 50,
            max_hold_seconds: 900,
            announce_position: true,
            announcement_interval_seconds: 120,
            allow_queue_callback: false,
            queue_callback_threshold: 5,
            queue_callback_dtmf: '9',
            queue_escape_dtmf: '*',
            stay_in_queue_after_closing: false,
            unattended_queue: false,
        }
    }
}

/// The settings the routing engine reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSettings {
    /// Whether the hours apply; when off the group takes calls at all times.
    pub hours_on: bool,
    pub hours: WeekHours,
    pub holidays: Vec<Holiday>,
    pub routing: Routing,
    pub hold_queue: HoldQueue,
    /// 10–45.
    pub ring_seconds: u32,
    pub max_wrap_up_seconds: u32,
}

impl GroupSettings {
    /// The defaults of a new group of `kind`.
    pub fn default_for(kind: GroupKind) -> Self {
        Self {
            hours_on: false,
            hours: WeekHours::default(),
            holidays: Vec::new(),
            routing: Routing::default(),
            hold_queue: HoldQueue::default_for(kind),
            ring_seconds: 30,
            max_wrap_up_seconds: 0,
        }
    }

    /// Checks the ranges the settings allow for a group of `kind`.
    pub fn validate(&self, kind: GroupKind) -> Result<()> {
        let within = |name: &str, v: u32, lo: u32, hi: u32| {
            if (lo..=hi).contains(&v) {
                Ok(())
            } else {
                Err(DomainError::invalid(format!(
                    "{name} must be between {lo} and {hi}"
                )))
            }
        };
        within("ring_seconds", self.ring_seconds, 10, 45)?;
        within("max_wrap_up_seconds", self.max_wrap_up_seconds, 0, 86_400)?;
        let q = &self.hold_queue;
        let max_count = if kind == GroupKind::CallCenter {
            1000
        } else {
            50
        };
        within("hold_queue.max_hold_count", q.max_hold_count, 1, max_count)?;
        within(
            "hold_queue.max_hold_seconds",
            q.max_hold_seconds,
            30,
            18_000,
        )?;
        within(
            "hold_queue.announcement_interval_seconds",
            q.announcement_interval_seconds,
            1,
            18_000,
        )?;
        within(
            "hold_queue.queue_callback_threshold",
            q.queue_callback_threshold,
            1,
            1000,
        )?;
        for (name, c) in [
            ("hold_queue.queue_callback_dtmf", q.queue_callback_dtmf),
            ("hold_queue.queue_escape_dtmf", q.queue_escape_dtmf),
        ] {
            if !(c.is_ascii_digit() || c == '*' || c == '#') {
                return Err(DomainError::invalid(format!(
                    "{name} must be one of 0-9, * or #"
                )));
            }
        }
        Ok(())
    }

    /// Whether the group takes calls at `at`, local time `local` (the office's time zone).
    pub fn is_open(&self, local: jiff::civil::DateTime) -> bool {
        if !self.hours_on {
            return true;
        }
        if let Some(h) = self.holidays.iter().find(|h| h.date == local.date()) {
            return h.hours.contains(local.time());
        }
        let day = local.weekday().to_monday_zero_offset() as usize;
        self.hours.0[day].contains(local.time())
    }
}

/// A call center or department.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub id: GroupId,
    pub company_id: CompanyId,
    pub office_id: OfficeId,
    pub kind: GroupKind,
    pub name: String,
    pub description: Option<String>,
    pub state: EntryState,
    pub settings: GroupSettings,
    /// The dialect's other settings, validated by it.
    pub document: JsonObject,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Which groups a list shows.
#[derive(Debug, Clone)]
pub struct GroupFilter {
    pub kind: GroupKind,
    pub office_id: Option<OfficeId>,
    /// Case-insensitive substring of the name.
    pub name_search: Option<String>,
}

/// A new group.
#[derive(Debug, Clone)]
pub struct NewGroup {
    pub company_id: CompanyId,
    pub office_id: OfficeId,
    pub kind: GroupKind,
    pub name: String,
    pub description: Option<String>,
    pub settings: GroupSettings,
    pub document: JsonObject,
}

/// A user's membership of a group.
#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub group_id: GroupId,
    pub user_id: UserId,
    pub role: OperatorRole,
    /// 0–100.
    pub skill_level: u8,
    pub added_at: Timestamp,
}

/// A user's duty status across the call centers they are in.
#[derive(Debug, Clone, PartialEq)]
pub struct DutyStatus {
    pub user_id: UserId,
    pub on_duty: bool,
    pub state: DutyState,
    pub reason: Option<String>,
    /// When the user last went on duty.
    pub on_duty_started: Timestamp,
    /// When `state` last changed.
    pub state_started: Timestamp,
}

impl DutyStatus {
    /// An operator who never changed status: on duty and available since `at`.
    pub fn initial(user: UserId, at: Timestamp) -> Self {
        Self {
            user_id: user,
            on_duty: true,
            state: DutyState::Available,
            reason: None,
            on_duty_started: at,
            state_started: at,
        }
    }
}

/// Checks a skill level.
pub fn skill_level(raw: i64) -> Result<u8> {
    u8::try_from(raw)
        .ok()
        .filter(|s| *s <= 100)
        .ok_or_else(|| DomainError::invalid("skill_level must be between 0 and 100"))
}

#[cfg(test)]
mod tests;
