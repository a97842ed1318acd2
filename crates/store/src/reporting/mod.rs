//! The reporting context's storage: export jobs and their files ([`jobs`]), scheduled reports
//! ([`schedules`]), the pages exports read ([`reads`]), and the domain's [`ReportingStore`] and
//! [`ReportingTx`] over them.

pub(crate) mod jobs;
pub(crate) mod reads;
pub(crate) mod schedules;

use async_trait::async_trait;
use jiff::Timestamp;
use switchboard_domain::calls::leg::{CallLeg, Party};
use switchboard_domain::events::event::Event;
use switchboard_domain::ids::{CompanyId, ReportId, ScheduleReportId};
use switchboard_domain::reporting::day::CallTally;
use switchboard_domain::reporting::export::StatsJob;
use switchboard_domain::reporting::schedule::ScheduleReport;
use switchboard_domain::reporting::store::{CallScope, PartyName, RowPosition};
use switchboard_domain::store::{ReportingStore, ReportingTx};
use switchboard_domain::workforce::store::KeysetPage;
use switchboard_domain::Result;

use crate::tx::SqlTx;
use crate::SqlStore;

#[async_trait]
impl ReportingStore for SqlStore {
    async fn stats_job(&self, id: ReportId) -> Result<Option<StatsJob>> {
        jobs::one(&mut *self.conn().await?, id, "").await
    }
    async fn reusable_stats_job(
        &self,
        company: CompanyId,
        key: &str,
        now: Timestamp,
    ) -> Result<Option<StatsJob>> {
        jobs::reusable(&mut *self.conn().await?, company, key, now).await
    }
    async fn processing_stats_jobs(&self, limit: usize) -> Result<Vec<StatsJob>> {
        jobs::processing(&mut *self.conn().await?, limit).await
    }
    async fn expired_stats_jobs(&self, now: Timestamp, limit: usize) -> Result<Vec<ReportId>> {
        jobs::expired(&mut *self.conn().await?, now, limit).await
    }
    async fn report_chunks(
        &self,
        job: ReportId,
        after: i64,
        limit: usize,
    ) -> Result<Vec<(i64, String)>> {
        jobs::chunks(&mut *self.conn().await?, job, after, limit).await
    }
    async fn report_calls(
        &self,
        company: CompanyId,
        scope: &CallScope,
        page: KeysetPage<'_, RowPosition>,
    ) -> Result<Vec<CallLeg>> {
        reads::calls(&mut *self.conn().await?, company, scope, page).await
    }
    async fn report_status_events(
        &self,
        company: CompanyId,
        start: Timestamp,
        end: Timestamp,
        page: KeysetPage<'_, RowPosition>,
    ) -> Result<Vec<Event>> {
        reads::status_events(&mut *self.conn().await?, company, start, end, page).await
    }
    async fn call_tallies(
        &self,
        company: CompanyId,
        start: Timestamp,
        end: Timestamp,
        bucket_ms: i64,
    ) -> Result<Vec<CallTally>> {
        reads::call_tallies(&mut *self.conn().await?, company, start, end, bucket_ms).await
    }
    async fn party_names(&self, company: CompanyId, parties: &[Party]) -> Result<Vec<PartyName>> {
        reads::names(&mut *self.conn().await?, company, parties).await
    }
    async fn schedule_report(
        &self,
        company: CompanyId,
        id: ScheduleReportId,
    ) -> Result<Option<ScheduleReport>> {
        schedules::one(&mut *self.conn().await?, company, id, None).await
    }
    async fn schedule_reports_page(
        &self,
        company: CompanyId,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<ScheduleReport>> {
        schedules::page(&mut *self.conn().await?, company, page).await
    }
    async fn due_schedule_reports(
        &self,
        now: Timestamp,
        limit: usize,
    ) -> Result<Vec<ScheduleReport>> {
        schedules::due(&mut *self.conn().await?, now, limit).await
    }
}

#[async_trait]
impl ReportingTx for SqlTx {
    async fn stats_job_for_update(&mut self, id: ReportId) -> Result<Option<StatsJob>> {
        jobs::one(&mut self.tx, id, self.backend.lock_clause()).await
    }
    async fn insert_stats_job(&mut self, job: &StatsJob) -> Result<()> {
        jobs::write(&mut self.tx, job, true).await
    }
    async fn update_stats_job(&mut self, job: &StatsJob) -> Result<()> {
        jobs::write(&mut self.tx, job, false).await
    }
    async fn insert_report_chunk(&mut self, job: ReportId, seq: i64, text: &str) -> Result<()> {
        jobs::insert_chunk(&mut self.tx, job, seq, text).await
    }
    async fn delete_stats_jobs(&mut self, ids: &[ReportId]) -> Result<()> {
        jobs::delete(&mut self.tx, ids).await
    }
    async fn schedule_report_for_update(
        &mut self,
        company: CompanyId,
        id: ScheduleReportId,
    ) -> Result<Option<ScheduleReport>> {
        schedules::one(&mut self.tx, company, id, Some(self.backend)).await
    }
    async fn schedule_report_count(&mut self, company: CompanyId, cap: u64) -> Result<u64> {
        schedules::count(&mut self.tx, company, cap).await
    }
    async fn insert_schedule_report(&mut self, report: &ScheduleReport) -> Result<()> {
        schedules::write(&mut self.tx, report, true).await
    }
    async fn update_schedule_report(&mut self, report: &ScheduleReport) -> Result<()> {
        schedules::write(&mut self.tx, report, false).await
    }
    async fn delete_schedule_report(&mut self, id: ScheduleReportId) -> Result<()> {
        schedules::delete(&mut self.tx, id).await
    }
}
