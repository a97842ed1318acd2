//! A statistics export: what was asked (an [`ExportRequest`], resolved into an [`ExportSpec`]
//! with a concrete time window) and the job that builds its CSV in the background
//! ([`StatsJob`]), page by page, until it is `complete` (or `failed`) and later expires.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::ids::{CompanyId, OfficeId, ReportId, ScheduleReportId};

/// One row per record, or aggregates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportType {
    Records,
    Stats,
}

impl ExportType {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "records" => Some(Self::Records),
            "stats" => Some(Self::Stats),
            _ => None,
        }
    }
}

/// What an export is about: the kinds of record the stored data can answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatType {
    /// Call legs.
    Calls,
    /// SMS messages.
    Texts,
    /// Call legs that went to voicemail.
    Voicemails,
    /// Call legs that were recorded.
    Recordings,
    /// Operators' duty status changes.
    OnDuty,
}

impl StatType {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "calls" => Some(Self::Calls),
            "texts" => Some(Self::Texts),
            "voicemails" => Some(Self::Voicemails),
            "recordings" => Some(Self::Recordings),
            "onduty" => Some(Self::OnDuty),
            _ => None,
        }
    }

    /// Whether the export reads call legs.
    pub fn reads_calls(self) -> bool {
        matches!(self, Self::Calls | Self::Voicemails | Self::Recordings)
    }
}

/// How call stats are grouped: per day, per group and day, per user and day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Date,
    Group,
    User,
}

impl GroupBy {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "date" => Some(Self::Date),
            "group" => Some(Self::Group),
            "user" => Some(Self::User),
            _ => None,
        }
    }
}

/// The kinds of target an export or a schedule can be narrowed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    User,
    Office,
    CallCenter,
    Department,
}

impl From<TargetKind> for crate::telephony::number::TargetKind {
    /// The same kind among the targets a number (or a message's party) can have.
    fn from(kind: TargetKind) -> Self {
        match kind {
            TargetKind::User => Self::User,
            TargetKind::Office => Self::Office,
            TargetKind::CallCenter => Self::CallCenter,
            TargetKind::Department => Self::Department,
        }
    }
}

impl TargetKind {
    /// The name Dialpad's request bodies use (`callcenter`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Office => "office",
            Self::CallCenter => "callcenter",
            Self::Department => "department",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "user" => Some(Self::User),
            "office" => Some(Self::Office),
            "callcenter" => Some(Self::CallCenter),
            "department" => Some(Self::Department),
            _ => None,
        }
    }
}

/// A target: one user, office, call center or department of the company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportTarget {
    pub kind: TargetKind,
    pub id: i64,
}

/// An export as asked for, before its window is fixed.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRequest {
    pub export_type: ExportType,
    pub stat_type: StatType,
    /// Call stats only; `user` when not given.
    pub group_by: Option<GroupBy>,
    /// Days back to the window's most recent day (default 1).
    pub days_ago_start: Option<i64>,
    /// Days back to the window's first day (default 30).
    pub days_ago_end: Option<i64>,
    /// Today only (the days are then ignored).
    pub is_today: bool,
    /// A tz database name (default `UTC`).
    pub timezone: Option<String>,
    pub office: Option<OfficeId>,
    /// Wins over `office`.
    pub target: Option<ReportTarget>,
}

/// An export with its window fixed: the rows of `[start, end)`, rendered in `timezone`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportSpec {
    pub export_type: ExportType,
    pub stat_type: StatType,
    pub group_by: GroupBy,
    pub start: Timestamp,
    pub end: Timestamp,
    pub timezone: String,
    pub office: Option<OfficeId>,
    pub target: Option<ReportTarget>,
}

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStatus {
    Processing,
    Complete,
    Failed,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Processing => "processing",
            Self::Complete => "complete",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "processing" => Some(Self::Processing),
            "complete" => Some(Self::Complete),
            "failed" => Some(Self::Failed),
            _ => None,
        }
    }
}

/// What a scheduled report's job announces when its file is ready (a snapshot of the schedule
/// when it fired).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Announcement {
    pub schedule_report_id: ScheduleReportId,
    pub endpoint_id: i64,
    pub name: String,
    pub report_type: String,
}

/// An export job and its file, which is kept as numbered chunks of CSV text.
#[derive(Debug, Clone, PartialEq)]
pub struct StatsJob {
    pub id: ReportId,
    pub company_id: CompanyId,
    /// The request's parameters and local day: equal keys ask for the same file.
    pub request_key: String,
    pub spec: ExportSpec,
    pub status: JobStatus,
    /// How far the build got (the builder's own JSON).
    pub progress: serde_json::Value,
    /// Chunks written so far; the next chunk's number.
    pub chunks: i64,
    /// Data rows written so far (the header is not counted).
    pub rows: i64,
    /// Why it failed.
    pub failure: Option<String>,
    /// Set for a scheduled report's job.
    pub announce: Option<Announcement>,
    /// Until when an equal request gets this job instead of a new one (`None`: until it
    /// expires).
    pub reuse_until: Option<Timestamp>,
    pub created_at: Timestamp,
    pub completed_at: Option<Timestamp>,
    /// When the job and its file are forgotten (set when it completes or fails).
    pub expires_at: Option<Timestamp>,
}

impl StatsJob {
    /// Whether the job is gone for its readers at `now`.
    pub fn expired(&self, now: Timestamp) -> bool {
        self.expires_at.is_some_and(|e| e <= now)
    }
}
