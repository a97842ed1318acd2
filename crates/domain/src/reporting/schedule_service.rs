//! The use cases of scheduled reports: list, create, read, update and delete a company's
//! schedules (another company's is not found), and fire the ones that are due.
//!
//! A due schedule starts the export its report type names over the period before the run, in
//! its zone, narrowed to its target; when the file is complete one `scheduled_report` event
//! announces it to the schedule's endpoint. The schedule then waits for its next run. A server
//! that was down past a run fires it once when it is back, then keeps to the schedule (missed
//! runs are not made up one by one).

use std::collections::HashMap;

use serde_json::json;

use crate::events::endpoint::Endpoint;
use crate::ids::{CompanyId, EndpointId, Id, ReportId, ScheduleReportId};
use crate::page::{KeysetPaged, PageRequest};
use crate::reporting::export::{Announcement, ExportSpec, JobStatus, StatsJob};
use crate::reporting::schedule::{
    schedule_name, ScheduleInput, ScheduleReport, MAX_SCHEDULES_PER_COMPANY,
};
use crate::reporting::Reporting;
use crate::telephony::keyset::Opened;
use crate::{DomainError, Result};

fn missing() -> DomainError {
    DomainError::NotFound("schedule report")
}

fn required<T>(v: Option<T>, field: &str) -> Result<T> {
    v.ok_or_else(|| DomainError::invalid(format!("{field} is required")))
}

impl Reporting<'_> {
    async fn check_schedule(&self, s: &ScheduleReport) -> Result<()> {
        s.check()?;
        if let Some(t) = s.target {
            self.check_target(s.company_id, t).await?;
        }
        if !self
            .events()
            .endpoint_exists(s.company_id, s.endpoint_id)
            .await?
        {
            return Err(DomainError::NotFound("endpoint"));
        }
        Ok(())
    }

    /// The company's scheduled reports, a page at a time in id order.
    pub async fn schedule_reports(
        &self,
        company: CompanyId,
        req: &PageRequest,
    ) -> Result<KeysetPaged<ScheduleReport>> {
        let scope = format!("reporting.schedule_reports:{}", company.0);
        let opened = Opened::open(self, scope, req).await?;
        let found = self
            .store
            .schedule_reports_page(company, opened.page())
            .await?;
        Ok(opened.finish(found, |s| s.id.0))
    }

    /// The endpoints the schedules announce to (one batched read), by id.
    pub async fn schedule_endpoints(
        &self,
        company: CompanyId,
        schedules: &[ScheduleReport],
    ) -> Result<HashMap<i64, Endpoint>> {
        let mut ids: Vec<EndpointId> = schedules
            .iter()
            .map(|s| EndpointId(s.endpoint_id))
            .collect();
        ids.sort();
        ids.dedup();
        let found = self.store.endpoints_by_ids(company, &ids).await?;
        Ok(found.into_iter().map(|e| (e.id.0, e)).collect())
    }

    /// One of the company's scheduled reports.
    pub async fn schedule_report(
        &self,
        company: CompanyId,
        id: ScheduleReportId,
    ) -> Result<ScheduleReport> {
        self.store
            .schedule_report(company, id)
            .await?
            .ok_or_else(missing)
    }

    /// Creates a scheduled report; its first run is the first scheduled time from now on.
    pub async fn create_schedule_report(
        &self,
        company: CompanyId,
        input: ScheduleInput,
    ) -> Result<ScheduleReport> {
        let now = self.clock.now();
        let mut s = ScheduleReport {
            id: ScheduleReportId::generate(),
            company_id: company,
            name: schedule_name(&required(input.name, "name")?)?,
            endpoint_id: required(input.endpoint_id, "endpoint_id")?,
            report_type: required(input.report_type, "report_type")?,
            frequency: required(input.frequency, "frequency")?,
            at: required(input.at, "at")?,
            on_day: required(input.on_day, "on_day")?,
            timezone: input.timezone.unwrap_or_else(|| "UTC".into()),
            target: input.target.flatten(),
            enabled: input.enabled.unwrap_or(true),
            next_run_at: None,
            created_at: now,
            updated_at: now,
        };
        self.check_schedule(&s).await?;
        if s.enabled {
            s.next_run_at = Some(s.next_run(now)?);
        }
        let mut tx = self.store.begin().await?;
        let cap = MAX_SCHEDULES_PER_COMPANY;
        if tx.schedule_report_count(company, cap).await? >= cap {
            return Err(DomainError::Conflict(format!(
                "a company has at most {cap} schedule reports"
            )));
        }
        tx.insert_schedule_report(&s).await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Changes the fields `input` gives; a change of timing (or enabling) reschedules from now.
    pub async fn update_schedule_report(
        &self,
        company: CompanyId,
        id: ScheduleReportId,
        input: ScheduleInput,
    ) -> Result<ScheduleReport> {
        let name = input.name.as_deref().map(schedule_name).transpose()?;
        let mut tx = self.store.begin().await?;
        let current = tx
            .schedule_report_for_update(company, id)
            .await?
            .ok_or_else(missing)?;
        let mut s = current.clone();
        s.name = name.unwrap_or(s.name);
        s.endpoint_id = input.endpoint_id.unwrap_or(s.endpoint_id);
        s.report_type = input.report_type.unwrap_or(s.report_type);
        s.frequency = input.frequency.unwrap_or(s.frequency);
        s.at = input.at.unwrap_or(s.at);
        s.on_day = input.on_day.unwrap_or(s.on_day);
        s.timezone = input.timezone.unwrap_or(s.timezone);
        s.target = input.target.unwrap_or(s.target);
        s.enabled = input.enabled.unwrap_or(s.enabled);
        self.check_schedule(&s).await?;
        let now = self.clock.now();
        let retimed = (s.frequency, s.at, s.on_day, &s.timezone)
            != (
                current.frequency,
                current.at,
                current.on_day,
                &current.timezone,
            );
        s.next_run_at = match (s.enabled, current.enabled) {
            (false, _) => None,
            (true, true) if !retimed => current.next_run_at,
            _ => Some(s.next_run(now)?),
        };
        s.updated_at = now;
        tx.update_schedule_report(&s).await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Deletes a scheduled report; answers it as it was. Exports it started are kept until
    /// they expire.
    pub async fn delete_schedule_report(
        &self,
        company: CompanyId,
        id: ScheduleReportId,
    ) -> Result<ScheduleReport> {
        let mut tx = self.store.begin().await?;
        let found = tx
            .schedule_report_for_update(company, id)
            .await?
            .ok_or_else(missing)?;
        tx.delete_schedule_report(id).await?;
        tx.commit().await?;
        Ok(found)
    }

    /// Starts the exports of the schedules due now; answers how many fired.
    pub(crate) async fn fire_due_schedules(&self) -> Result<u32> {
        let now = self.clock.now();
        let due = self.store.due_schedule_reports(now, 32).await?;
        let mut fired = 0;
        for s in due {
            let mut tx = self.store.begin().await?;
            let Some(mut s) = tx.schedule_report_for_update(s.company_id, s.id).await? else {
                continue;
            };
            let Some(run) = s.next_run_at.filter(|r| s.enabled && *r <= now) else {
                continue;
            };
            let (start, end) = s.period(run)?;
            let (export_type, stat_type, group_by) = s.report_type.export();
            let spec = ExportSpec {
                export_type,
                stat_type,
                group_by,
                start,
                end,
                timezone: s.timezone.clone(),
                office: None,
                target: s.target,
            };
            let job = StatsJob {
                id: ReportId::generate(),
                company_id: s.company_id,
                request_key: json!({"schedule_report": s.id.0, "run": run.as_second()}).to_string(),
                spec,
                status: JobStatus::Processing,
                progress: json!({}),
                chunks: 0,
                rows: 0,
                failure: None,
                announce: Some(Announcement {
                    schedule_report_id: s.id,
                    endpoint_id: s.endpoint_id,
                    name: s.name.clone(),
                    report_type: s.report_type.as_str().to_owned(),
                }),
                // Never the answer to a request.
                reuse_until: Some(now),
                created_at: now,
                completed_at: None,
                expires_at: None,
            };
            tx.insert_stats_job(&job).await?;
            s.next_run_at = Some(s.next_run(now.max(run))?);
            tx.update_schedule_report(&s).await?;
            tx.commit().await?;
            fired += 1;
        }
        Ok(fired)
    }
}
