//! Storage of reports: export jobs and their files' chunks, scheduled reports, and the reads an
//! export pages through (call legs, agent-status events, the names of the parties on a page).
//! Implemented for SQLite and PostgreSQL in `switchboard-store`.

use async_trait::async_trait;
use jiff::Timestamp;

use crate::calls::leg::{CallLeg, Party};
use crate::events::event::Event;
use crate::ids::{CompanyId, GroupId, OfficeId, ReportId, ScheduleReportId, UserId};
use crate::reporting::export::StatsJob;
use crate::reporting::schedule::ScheduleReport;
use crate::workforce::store::KeysetPage;
use crate::Result;

/// Which call legs an export reads: those that started in `[start, end)` and have ended,
/// narrowed to one user's legs, one group's or one office's.
#[derive(Debug, Clone, PartialEq)]
pub struct CallScope {
    pub start: Timestamp,
    pub end: Timestamp,
    pub user: Option<UserId>,
    pub group: Option<GroupId>,
    pub office: Option<OfficeId>,
    /// Only legs that went to voicemail.
    pub voicemail_only: bool,
}

/// Where a page of rows continues: the last row's time (Unix ms) and id.
pub type RowPosition = (i64, i64);

/// A party's name (and a user's email and office), for the rows that name it.
#[derive(Debug, Clone, PartialEq)]
pub struct PartyName {
    pub party: Party,
    pub name: String,
    pub email: String,
    /// A user's office.
    pub office_id: Option<OfficeId>,
}

/// Reads of reports.
#[async_trait]
pub trait ReportingStore: Send + Sync {
    async fn stats_job(&self, id: ReportId) -> Result<Option<StatsJob>>;
    /// The newest job of the company with `key` that may answer an equal request at `now`:
    /// processing, or complete, unexpired and within its reuse time.
    async fn reusable_stats_job(
        &self,
        company: CompanyId,
        key: &str,
        now: Timestamp,
    ) -> Result<Option<StatsJob>>;
    /// Processing jobs, oldest first, at most `limit`.
    async fn processing_stats_jobs(&self, limit: usize) -> Result<Vec<StatsJob>>;
    /// Jobs that expired by `now`, at most `limit`.
    async fn expired_stats_jobs(&self, now: Timestamp, limit: usize) -> Result<Vec<ReportId>>;
    /// Chunks of a job's file after chunk `after` (-1 for the first), in order, at most
    /// `limit`.
    async fn report_chunks(
        &self,
        job: ReportId,
        after: i64,
        limit: usize,
    ) -> Result<Vec<(i64, String)>>;
    /// One page of the company's call legs in `scope`, oldest first.
    async fn report_calls(
        &self,
        company: CompanyId,
        scope: &CallScope,
        page: KeysetPage<'_, RowPosition>,
    ) -> Result<Vec<CallLeg>>;
    /// One page of the company's agent-status events of `[start, end)`, oldest first.
    async fn report_status_events(
        &self,
        company: CompanyId,
        start: Timestamp,
        end: Timestamp,
        page: KeysetPage<'_, RowPosition>,
    ) -> Result<Vec<Event>>;
    /// The company's calls (entry legs) that started in `[start, end)`, added up per bucket of
    /// `bucket_ms` from `start`, call center and outcome (see [`crate::reporting::day`]).
    async fn call_tallies(
        &self,
        company: CompanyId,
        start: Timestamp,
        end: Timestamp,
        bucket_ms: i64,
    ) -> Result<Vec<crate::reporting::day::CallTally>>;
    /// The names of these parties of the company (those that exist), one read per kind.
    async fn party_names(&self, company: CompanyId, parties: &[Party]) -> Result<Vec<PartyName>>;

    async fn schedule_report(
        &self,
        company: CompanyId,
        id: ScheduleReportId,
    ) -> Result<Option<ScheduleReport>>;
    /// One page of the company's scheduled reports, in id order.
    async fn schedule_reports_page(
        &self,
        company: CompanyId,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<ScheduleReport>>;
    /// Enabled scheduled reports due at `now`, earliest first, at most `limit`.
    async fn due_schedule_reports(
        &self,
        now: Timestamp,
        limit: usize,
    ) -> Result<Vec<ScheduleReport>>;
}

/// Writes of reports, inside a write transaction.
#[async_trait]
pub trait ReportingTx: Send {
    async fn stats_job_for_update(&mut self, id: ReportId) -> Result<Option<StatsJob>>;
    async fn insert_stats_job(&mut self, job: &StatsJob) -> Result<()>;
    async fn update_stats_job(&mut self, job: &StatsJob) -> Result<()>;
    async fn insert_report_chunk(&mut self, job: ReportId, seq: i64, text: &str) -> Result<()>;
    /// Deletes jobs and their files.
    async fn delete_stats_jobs(&mut self, ids: &[ReportId]) -> Result<()>;

    async fn schedule_report_for_update(
        &mut self,
        company: CompanyId,
        id: ScheduleReportId,
    ) -> Result<Option<ScheduleReport>>;
    /// How many scheduled reports the company has (counted up to `cap`).
    async fn schedule_report_count(&mut self, company: CompanyId, cap: u64) -> Result<u64>;
    async fn insert_schedule_report(&mut self, report: &ScheduleReport) -> Result<()>;
    async fn update_schedule_report(&mut self, report: &ScheduleReport) -> Result<()>;
    async fn delete_schedule_report(&mut self, id: ScheduleReportId) -> Result<()>;
}
