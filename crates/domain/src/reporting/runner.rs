//! The job runner: builds processing exports a page at a time, fires due scheduled reports,
//! and forgets expired exports. The server calls [`Reporting::run_due`] every second; tests and
//! the simulator's control API call it directly.
//!
//! Each step reads one page of rows (one indexed query, and one batched read of the names the
//! page shows), renders it as CSV, and in one short transaction appends it to the file as the
//! next chunk and records how far the build got — only if no other process moved the job
//! meanwhile, so several server processes may run side by side. Requests never wait for it.

use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::calls::leg::{Party, PartyKind};
use crate::events::event::{Event, SCHEDULED_REPORT};
use crate::ids::{EventId, GroupId, Id, OfficeId, UserId};
use crate::reporting::csv::{self, push_row, Names, CALL_COLUMNS, ONDUTY_COLUMNS, TEXT_COLUMNS};
use crate::reporting::export::{ExportType, JobStatus, StatType, StatsJob, TargetKind};
use crate::reporting::service::{later, EXPORT_LIFETIME, SCHEDULED_LIFETIME};
use crate::reporting::store::{CallScope, RowPosition};
use crate::reporting::tally::{self, Tally};
use crate::reporting::{window, Reporting};
use crate::workforce::store::KeysetPage;
use crate::{DomainError, Result};

/// Rows read per step.
pub const PAGE_ROWS: usize = 500;
/// Steps one call of [`Reporting::run_due`] takes at most (the rest waits for the next call).
const STEP_BUDGET: u32 = 400;
/// The most rows one export may have; larger ones fail, asking for a narrower window.
pub const MAX_ROWS: i64 = 1_000_000;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunOutcome {
    /// Scheduled reports that fired.
    pub fired: u32,
    /// Pages built.
    pub steps: u32,
    /// Exports that finished (complete or failed).
    pub finished: u32,
    /// Expired exports forgotten.
    pub pruned: u32,
}

/// How far a build got.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Progress {
    #[serde(default)]
    header: bool,
    #[serde(default)]
    after: Option<RowPosition>,
    #[serde(default)]
    tally: Option<Tally>,
}

impl Progress {
    /// The next page of rows, after the last one read.
    fn page(&self) -> KeysetPage<'_, RowPosition> {
        KeysetPage {
            after: self.after.as_ref(),
            limit: PAGE_ROWS,
            reverse: false,
        }
    }

    /// Moves past a page of `read` rows whose last row stands at `last`; `true` when it was
    /// the last page.
    fn moved(&mut self, read: usize, last: Option<RowPosition>) -> bool {
        if last.is_some() {
            self.after = last;
        }
        read < PAGE_ROWS
    }
}

/// What a step made: CSV text, data rows, and whether the file is whole.
struct Page {
    text: String,
    rows: i64,
    done: bool,
}

fn lines(text: &str) -> i64 {
    text.matches("\r\n").count() as i64
}

impl Reporting<'_> {
    /// Fires due scheduled reports, builds processing exports (up to a budget of pages) and
    /// forgets expired ones.
    pub async fn run_due(&self) -> Result<RunOutcome> {
        let mut outcome = RunOutcome {
            fired: self.fire_due_schedules().await?,
            ..Default::default()
        };
        'rounds: while outcome.steps < STEP_BUDGET {
            let jobs = self.store.processing_stats_jobs(16).await?;
            if jobs.is_empty() {
                break;
            }
            let mut moved = false;
            for job in jobs {
                if let Some(finished) = self.step(job).await? {
                    moved = true;
                    outcome.steps += 1;
                    outcome.finished += u32::from(finished);
                    if outcome.steps >= STEP_BUDGET {
                        break 'rounds;
                    }
                }
            }
            if !moved {
                break;
            }
        }
        let expired = self.store.expired_stats_jobs(self.clock.now(), 100).await?;
        if !expired.is_empty() {
            let mut tx = self.store.begin().await?;
            tx.delete_stats_jobs(&expired).await?;
            tx.commit().await?;
            outcome.pruned = expired.len() as u32;
        }
        Ok(outcome)
    }

    /// Builds one page of a job: `None` when another process moved the job first, else whether
    /// the job finished.
    async fn step(&self, job: StatsJob) -> Result<Option<bool>> {
        let page = match self.build_page(&job).await {
            Ok(p) => Ok(p),
            Err(DomainError::Internal(e)) => return Err(DomainError::Internal(e)),
            Err(e) => Err(e.to_string()),
        };
        let mac = match (&page, &job.announce) {
            (Ok((p, _)), Some(_)) if p.done => Some(self.link_mac().await?),
            _ => None,
        };
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let Some(mut current) = tx.stats_job_for_update(job.id).await? else {
            return Ok(None);
        };
        if current.status != JobStatus::Processing
            || current.chunks != job.chunks
            || current.progress != job.progress
        {
            return Ok(None);
        }
        let mut failure = page.as_ref().err().cloned();
        if let Ok((page, progress)) = &page {
            current.rows += page.rows;
            if current.rows > MAX_ROWS {
                failure = Some(format!(
                    "the export has more than {MAX_ROWS} rows; ask for a shorter window"
                ));
            } else {
                if !page.text.is_empty() {
                    tx.insert_report_chunk(job.id, current.chunks, &page.text)
                        .await?;
                    current.chunks += 1;
                }
                current.progress = serde_json::to_value(progress).map_err(DomainError::internal)?;
            }
        }
        let finished = failure.is_some() || page.as_ref().is_ok_and(|(p, _)| p.done);
        if finished {
            let lifetime = if current.announce.is_some() {
                SCHEDULED_LIFETIME
            } else {
                EXPORT_LIFETIME
            };
            current.status = if failure.is_some() {
                JobStatus::Failed
            } else {
                JobStatus::Complete
            };
            current.failure = failure;
            current.completed_at = Some(now);
            current.expires_at = Some(later(now, lifetime));
            if let (Some(a), Some(mac), Some(expires)) =
                (&current.announce, &mac, current.expires_at)
            {
                if current.status == JobStatus::Complete {
                    let tz = window::zone(&current.spec.timezone)?;
                    let at = |t: jiff::Timestamp| {
                        t.to_zoned(tz.clone())
                            .strftime("%Y-%m-%dT%H:%M:%S%:z")
                            .to_string()
                    };
                    let payload = json!({
                        "endpoint_id": a.endpoint_id,
                        "schedule_report_id": a.schedule_report_id.0.to_string(),
                        "name": a.name,
                        "report_type": a.report_type,
                        "download_url": self.announced_link(mac, current.id, expires),
                        "period_start": at(current.spec.start),
                        "period_end": at(current.spec.end),
                        "timezone": current.spec.timezone,
                    });
                    let event = Event {
                        id: EventId::generate(),
                        kind: SCHEDULED_REPORT.to_owned(),
                        partner_id: None,
                        company_id: Some(current.company_id),
                        payload,
                        created_at: now,
                    };
                    tx.insert_event(&event).await?;
                }
            }
        }
        tx.update_stats_job(&current).await?;
        tx.commit().await?;
        Ok(Some(finished))
    }

    /// The next page of a job's file and the progress after it.
    async fn build_page(&self, job: &StatsJob) -> Result<(Page, Progress)> {
        let tz = window::zone(&job.spec.timezone)?;
        let mut progress: Progress =
            serde_json::from_value(job.progress.clone()).unwrap_or_default();
        let mut text = String::new();
        let header = !progress.header;
        if header {
            let columns: Vec<&str> = match (job.spec.stat_type, job.spec.export_type) {
                (StatType::OnDuty, _) => ONDUTY_COLUMNS.to_vec(),
                (StatType::Texts, _) => TEXT_COLUMNS.to_vec(),
                (_, ExportType::Records) => CALL_COLUMNS.to_vec(),
                (_, ExportType::Stats) => tally::header(job.spec.group_by),
            };
            push_row(&mut text, &columns);
            progress.header = true;
        }
        let done = match (job.spec.stat_type, job.spec.export_type) {
            (StatType::Texts, _) => self.texts_page(job, &tz, &mut progress, &mut text).await?,
            (StatType::OnDuty, _) => self.onduty_page(job, &tz, &mut progress, &mut text).await?,
            _ => self.calls_page(job, &tz, &mut progress, &mut text).await?,
        };
        let rows = lines(&text) - i64::from(header);
        Ok((Page { text, rows, done }, progress))
    }

    async fn names(&self, job: &StatsJob, mut parties: Vec<Party>) -> Result<Names> {
        parties.sort_by_key(|p| (p.kind.as_str(), p.id));
        parties.dedup();
        if parties.is_empty() {
            return Ok(Names::default());
        }
        Ok(Names::new(
            self.store.party_names(job.company_id, &parties).await?,
        ))
    }

    /// A page of text records: the company's messages in the window, those of the target (or
    /// office) when one is given.
    async fn texts_page(
        &self,
        job: &StatsJob,
        tz: &TimeZone,
        progress: &mut Progress,
        out: &mut String,
    ) -> Result<bool> {
        let spec = &job.spec;
        let found = self
            .store
            .messages_in_window(job.company_id, spec.start, spec.end, progress.page())
            .await?;
        let last = found
            .last()
            .map(|m| (m.created_at.as_millisecond(), m.id.get()));
        let done = progress.moved(found.len(), last);
        use crate::telephony::number::TargetKind as Kind;
        for m in &found {
            let party = m.party.target;
            let wanted = match (spec.target, spec.office) {
                (Some(t), _) => party.kind == Kind::from(t.kind) && party.id == t.id,
                (None, Some(o)) => party.kind == Kind::Office && party.id == o.0,
                (None, None) => true,
            };
            if wanted {
                push_row(out, &csv::text_record(m, tz, &spec.timezone));
            }
        }
        Ok(done)
    }

    async fn calls_page(
        &self,
        job: &StatsJob,
        tz: &TimeZone,
        progress: &mut Progress,
        out: &mut String,
    ) -> Result<bool> {
        let spec = &job.spec;
        let target = |k: TargetKind| spec.target.filter(|t| t.kind == k).map(|t| t.id);
        let scope = CallScope {
            start: spec.start,
            end: spec.end,
            user: target(TargetKind::User).map(UserId),
            group: target(TargetKind::CallCenter)
                .or(target(TargetKind::Department))
                .map(GroupId),
            office: target(TargetKind::Office).map(OfficeId).or(spec.office),
            voicemail_only: spec.stat_type == StatType::Voicemails,
        };
        let found = self
            .store
            .report_calls(job.company_id, &scope, progress.page())
            .await?;
        let last = found
            .last()
            .map(|l| (l.date_started.as_millisecond(), l.id.get()));
        let done = progress.moved(found.len(), last);
        let legs: Vec<_> = found
            .into_iter()
            .filter(|l| spec.stat_type != StatType::Recordings || l.was_recorded)
            .collect();
        if spec.export_type == ExportType::Records {
            let names = self
                .names(job, legs.iter().filter_map(|l| l.target).collect())
                .await?;
            for l in &legs {
                push_row(out, &csv::call_record(l, &names, tz, &spec.timezone));
            }
            return Ok(done);
        }
        let mut tally = progress
            .tally
            .take()
            .unwrap_or_else(|| Tally::new(spec, tz));
        let mut parties = tally.parties();
        parties.extend(legs.iter().filter_map(|l| Tally::party_of(l, spec)));
        let names = self.names(job, parties).await?;
        for l in &legs {
            tally.add(l, spec, tz, &names, out);
        }
        if done {
            tally.finish(spec, tz, &names, out);
        }
        progress.tally = Some(tally);
        Ok(done)
    }

    /// A page of agent-status events as duty changes.
    async fn onduty_page(
        &self,
        job: &StatsJob,
        tz: &TimeZone,
        progress: &mut Progress,
        out: &mut String,
    ) -> Result<bool> {
        let spec = &job.spec;
        let found = self
            .store
            .report_status_events(job.company_id, spec.start, spec.end, progress.page())
            .await?;
        let last = found
            .last()
            .map(|e| (e.created_at.as_millisecond(), e.id.get()));
        let done = progress.moved(found.len(), last);
        let user_of = |e: &Event| -> Option<i64> { e.payload["user_id"].as_str()?.parse().ok() };
        let users: Vec<Party> = found
            .iter()
            .filter_map(user_of)
            .map(|id| Party {
                kind: PartyKind::User,
                id,
            })
            .collect();
        let names = self.names(job, users).await?;
        let group = spec
            .target
            .filter(|t| matches!(t.kind, TargetKind::CallCenter | TargetKind::Department));
        let members: Option<Vec<i64>> = match group {
            Some(g) => Some(
                self.store
                    .group_members(GroupId(g.id))
                    .await?
                    .iter()
                    .map(|(m, _)| m.user_id.0)
                    .collect(),
            ),
            None => None,
        };
        let office = match spec.target {
            Some(t) if t.kind == TargetKind::Office => Some(OfficeId(t.id)),
            Some(_) => None,
            None => spec.office,
        };
        for e in &found {
            let Some(user) = user_of(e) else { continue };
            let keep = match spec.target {
                Some(t) if t.kind == TargetKind::User => t.id == user,
                _ => members.as_ref().is_none_or(|m| m.contains(&user)),
            } && office.is_none_or(|o| {
                names
                    .get(Some(Party {
                        kind: PartyKind::User,
                        id: user,
                    }))
                    .is_some_and(|n| n.office_id == Some(o))
            });
            if keep {
                let row = csv::onduty_record(e, &names, tz, &spec.timezone, group.map(|g| g.id));
                if let Some(row) = row {
                    push_row(out, &row);
                }
            }
        }
        Ok(done)
    }
}
