//! Scheduled reports: a report type built daily, weekly or monthly at an hour of a time zone,
//! and announced to an event endpoint. Weekly `on_day` counts from Monday (0) to Sunday (6);
//! monthly `on_day` 0–30 is the day of the month less one, the month's last day when the month
//! is shorter. Each run reports the period before it: the previous day (daily), the seven days
//! before the run's day (weekly) or the previous calendar month (monthly).

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::ids::{CompanyId, ScheduleReportId};
use crate::reporting::export::{ExportType, GroupBy, ReportTarget, StatType};
use crate::reporting::window;
use crate::{DomainError, Result};

/// Scheduled reports one company may have.
pub const MAX_SCHEDULES_PER_COMPANY: u64 = 100;
/// The longest name.
pub const MAX_NAME_CHARS: usize = 255;

/// How often a report runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    Daily,
    Weekly,
    Monthly,
}

impl Frequency {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Daily => "daily",
            Self::Weekly => "weekly",
            Self::Monthly => "monthly",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "daily" => Some(Self::Daily),
            "weekly" => Some(Self::Weekly),
            "monthly" => Some(Self::Monthly),
            _ => None,
        }
    }

    /// The largest `on_day`.
    fn max_day(self) -> i64 {
        match self {
            Self::Daily => 0,
            Self::Weekly => 6,
            Self::Monthly => 30,
        }
    }
}

/// What a scheduled report builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportType {
    /// Call records.
    CallLogs,
    /// Call stats per day.
    DailyStatistics,
    /// Records of recorded calls.
    Recordings,
    /// Call stats per user and day.
    UserStatistics,
    /// Records of calls that went to voicemail.
    Voicemails,
}

impl ReportType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CallLogs => "call_logs",
            Self::DailyStatistics => "daily_statistics",
            Self::Recordings => "recordings",
            Self::UserStatistics => "user_statistics",
            Self::Voicemails => "voicemails",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::CallLogs,
            Self::DailyStatistics,
            Self::Recordings,
            Self::UserStatistics,
            Self::Voicemails,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }

    /// The export it builds.
    pub fn export(self) -> (ExportType, StatType, GroupBy) {
        match self {
            Self::CallLogs => (ExportType::Records, StatType::Calls, GroupBy::User),
            Self::DailyStatistics => (ExportType::Stats, StatType::Calls, GroupBy::Date),
            Self::Recordings => (ExportType::Records, StatType::Recordings, GroupBy::User),
            Self::UserStatistics => (ExportType::Stats, StatType::Calls, GroupBy::User),
            Self::Voicemails => (ExportType::Records, StatType::Voicemails, GroupBy::User),
        }
    }
}

/// A scheduled report.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleReport {
    pub id: ScheduleReportId,
    pub company_id: CompanyId,
    pub name: String,
    /// The webhook or websocket its announcements go to.
    pub endpoint_id: i64,
    pub report_type: ReportType,
    pub frequency: Frequency,
    /// Hour of the day, 0–23.
    pub at: i64,
    pub on_day: i64,
    pub timezone: String,
    /// `None`: the whole company.
    pub target: Option<ReportTarget>,
    pub enabled: bool,
    /// When it runs next (`None` while disabled).
    pub next_run_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Fields of a new scheduled report, or those an update changes (`None`: unchanged).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScheduleInput {
    pub name: Option<String>,
    pub endpoint_id: Option<i64>,
    pub report_type: Option<ReportType>,
    pub frequency: Option<Frequency>,
    pub at: Option<i64>,
    pub on_day: Option<i64>,
    pub timezone: Option<String>,
    /// `Some(None)` clears the target.
    pub target: Option<Option<ReportTarget>>,
    pub enabled: Option<bool>,
}

/// A name: one line without control characters, not blank, at most [`MAX_NAME_CHARS`]
/// characters.
pub fn schedule_name(raw: &str) -> Result<String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(DomainError::invalid("name must not be empty"));
    }
    if name.chars().any(char::is_control) {
        return Err(DomainError::invalid(
            "name must be a single line without control characters",
        ));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(DomainError::invalid(format!(
            "name must be at most {MAX_NAME_CHARS} characters"
        )));
    }
    Ok(name.to_owned())
}

impl ScheduleReport {
    /// Checks the fields that depend on each other and on the calendar.
    pub fn check(&self) -> Result<()> {
        if !(0..=23).contains(&self.at) {
            return Err(DomainError::invalid("at must be an hour between 0 and 23"));
        }
        let max = self.frequency.max_day();
        if !(0..=max).contains(&self.on_day) {
            return Err(DomainError::invalid(match self.frequency {
                Frequency::Daily => "on_day must be 0 for a daily report".to_owned(),
                f => format!(
                    "on_day must be between 0 and {max} for a {} report",
                    f.as_str()
                ),
            }));
        }
        if self.endpoint_id <= 0 {
            return Err(DomainError::invalid("endpoint_id must be a positive id"));
        }
        window::zone(&self.timezone)?;
        Ok(())
    }

    /// The first run strictly after `after`, in the schedule's zone.
    pub fn next_run(&self, after: Timestamp) -> Result<Timestamp> {
        let tz = window::zone(&self.timezone)?;
        let today = window::local_date(after, &tz);
        // Every frequency has a run within 32 days of any day.
        let mut day = today;
        for _ in 0..64 {
            if self.runs_on(day) {
                let at = run_time(day, self.at, &tz)?;
                if at > after {
                    return Ok(at);
                }
            }
            day = window::next_day(day);
        }
        Err(DomainError::internal("no run within 64 days"))
    }

    fn runs_on(&self, day: Date) -> bool {
        match self.frequency {
            Frequency::Daily => true,
            Frequency::Weekly => i64::from(day.weekday().to_monday_zero_offset()) == self.on_day,
            Frequency::Monthly => {
                let wanted = i64::from(day.days_in_month()).min(self.on_day + 1);
                i64::from(day.day()) == wanted
            }
        }
    }

    /// The period a run at `run` reports: `[start, end)`.
    pub fn period(&self, run: Timestamp) -> Result<(Timestamp, Timestamp)> {
        let tz = window::zone(&self.timezone)?;
        let day = window::local_date(run, &tz);
        let (first, end) = match self.frequency {
            Frequency::Daily => (day.checked_sub(1.day()), day),
            Frequency::Weekly => (day.checked_sub(7.days()), day),
            Frequency::Monthly => {
                let this_month = day.first_of_month();
                (this_month.checked_sub(1.month()), this_month)
            }
        };
        let first = first.map_err(DomainError::internal)?;
        Ok((
            window::start_of_day(first, &tz)?,
            window::start_of_day(end, &tz)?,
        ))
    }
}

fn run_time(day: Date, hour: i64, tz: &TimeZone) -> Result<Timestamp> {
    let hour = i8::try_from(hour).map_err(DomainError::internal)?;
    DateTime::from_parts(day, jiff::civil::time(hour, 0, 0, 0))
        .to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .map_err(DomainError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(frequency: Frequency, at: i64, on_day: i64) -> ScheduleReport {
        let t = Timestamp::UNIX_EPOCH;
        ScheduleReport {
            id: ScheduleReportId(1),
            company_id: CompanyId(1),
            name: "Daily".into(),
            endpoint_id: 7,
            report_type: ReportType::CallLogs,
            frequency,
            at,
            on_day,
            timezone: "Europe/Paris".into(),
            target: None,
            enabled: true,
            next_run_at: None,
            created_at: t,
            updated_at: t,
        }
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn runs_fall_at_the_hour_of_the_zone() {
        // 2024-05-15 is a Wednesday; 10:00 in Paris is 08:00 UTC in May.
        let daily = schedule(Frequency::Daily, 10, 0);
        assert_eq!(
            daily.next_run(ts("2024-05-15T07:00:00Z")).unwrap(),
            ts("2024-05-15T08:00:00Z")
        );
        assert_eq!(
            daily.next_run(ts("2024-05-15T08:00:00Z")).unwrap(),
            ts("2024-05-16T08:00:00Z")
        );
        let weekly = schedule(Frequency::Weekly, 6, 0);
        assert_eq!(
            weekly.next_run(ts("2024-05-15T07:00:00Z")).unwrap(),
            ts("2024-05-20T04:00:00Z")
        );
        let monthly = schedule(Frequency::Monthly, 0, 30);
        // The 31st, or the last day of a shorter month.
        assert_eq!(
            monthly.next_run(ts("2024-05-15T07:00:00Z")).unwrap(),
            ts("2024-05-30T22:00:00Z")
        );
        assert_eq!(
            monthly.next_run(ts("2024-06-01T07:00:00Z")).unwrap(),
            ts("2024-06-29T22:00:00Z")
        );
    }

    #[test]
    fn a_run_reports_the_period_before_it() {
        let run = ts("2024-05-15T08:00:00Z");
        let (s, e) = schedule(Frequency::Daily, 10, 0).period(run).unwrap();
        assert_eq!(
            (s, e),
            (ts("2024-05-13T22:00:00Z"), ts("2024-05-14T22:00:00Z"))
        );
        let (s, e) = schedule(Frequency::Weekly, 10, 2).period(run).unwrap();
        assert_eq!(
            (s, e),
            (ts("2024-05-07T22:00:00Z"), ts("2024-05-14T22:00:00Z"))
        );
        let (s, e) = schedule(Frequency::Monthly, 10, 14).period(run).unwrap();
        assert_eq!(
            (s, e),
            (ts("2024-03-31T22:00:00Z"), ts("2024-04-30T22:00:00Z"))
        );
    }

    #[test]
    fn days_hours_and_names_are_checked() {
        assert!(schedule(Frequency::Daily, 10, 0).check().is_ok());
        assert!(schedule(Frequency::Daily, 10, 1).check().is_err());
        assert!(schedule(Frequency::Weekly, 10, 7).check().is_err());
        assert!(schedule(Frequency::Monthly, 10, 31).check().is_err());
        assert!(schedule(Frequency::Monthly, 24, 3).check().is_err());
        assert!(schedule(Frequency::Monthly, -1, 3).check().is_err());
        let mut bad_zone = schedule(Frequency::Daily, 1, 0);
        bad_zone.timezone = "Nowhere/Land".into();
        assert!(bad_zone.check().is_err());
        assert!(schedule_name("  ").is_err());
        assert!(schedule_name("a\nb").is_err());
        assert!(schedule_name("a\u{0}b").is_err());
        assert!(schedule_name(&"x".repeat(256)).is_err());
        assert_eq!(schedule_name(" Weekly calls ").unwrap(), "Weekly calls");
    }
}
