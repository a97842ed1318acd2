//! The use cases of statistics exports: start one (or find the equal one already asked for),
//! read where it stands, and the signed links its file is downloaded through.
//!
//! - An equal request (same parameters, same local day) gets the job already asked for while
//!   it is processing or its file is kept, with `already_started`; a window that reaches today
//!   (`is_today`, or `days_ago_start` 0) only for 30 minutes after it was asked, as its data
//!   still grows. A failed job is never reused.
//! - A finished export (complete or failed) is kept for an hour, a scheduled report's for a
//!   day; after that it is not found.
//! - Download links are signed (HMAC-SHA256 under a server key kept sealed) for 15 minutes, never
//!   beyond the file's own expiry; a scheduled report's announced link lasts as long as its file.

use hmac::{Hmac, Mac};
use jiff::{SignedDuration, Timestamp};
use serde_json::json;
use sha2::Sha256;

use crate::ids::{CompanyId, GroupId, Id, OfficeId, ReportId, UserId};
use crate::reporting::export::{
    ExportRequest, ExportSpec, ExportType, GroupBy, JobStatus, ReportTarget, StatType, StatsJob,
    TargetKind,
};
use crate::reporting::{window, Reporting};
use crate::secret::SecretPurpose;
use crate::telephony::group::GroupKind;
use crate::{DomainError, Result};

/// How long a finished export is kept.
pub const EXPORT_LIFETIME: SignedDuration = SignedDuration::from_secs(3600);
/// How long a scheduled report's file is kept.
pub const SCHEDULED_LIFETIME: SignedDuration = SignedDuration::from_secs(24 * 3600);
/// How long an export whose window reaches today answers equal requests.
pub const TODAY_REUSE: SignedDuration = SignedDuration::from_secs(30 * 60);
/// How long a download link is valid.
pub const LINK_VALIDITY: SignedDuration = SignedDuration::from_secs(15 * 60);
/// Where the server serves export files: `{DOWNLOAD_PATH}/{id}/download?expires=…&signature=…`
/// (the Dialpad dialect's route beyond its document).
pub const DOWNLOAD_PATH: &str = "/api/v2/stats";

/// A started (or found) export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Started {
    pub id: ReportId,
    pub already_started: bool,
}

pub(crate) fn later(t: Timestamp, d: SignedDuration) -> Timestamp {
    t.checked_add(d).unwrap_or(t)
}

fn not_found() -> DomainError {
    DomainError::NotFound("request")
}

fn refused(message: &str) -> DomainError {
    DomainError::Forbidden(message.to_owned())
}

impl Reporting<'_> {
    /// Checks that a target is one of the company's (404 like any missing one).
    pub(crate) async fn check_target(&self, company: CompanyId, t: ReportTarget) -> Result<()> {
        let found = match t.kind {
            TargetKind::User => self
                .store
                .directory_user(company, UserId(t.id))
                .await?
                .is_some(),
            TargetKind::Office => self.store.office(company, OfficeId(t.id)).await?.is_some(),
            TargetKind::CallCenter | TargetKind::Department => {
                let kind = if t.kind == TargetKind::CallCenter {
                    GroupKind::CallCenter
                } else {
                    GroupKind::Department
                };
                self.store
                    .group(company, GroupId(t.id))
                    .await?
                    .is_some_and(|g| g.kind == kind)
            }
        };
        if found {
            Ok(())
        } else {
            Err(DomainError::NotFound("target"))
        }
    }

    /// Starts an export of the company's data, or answers the equal one already started.
    pub async fn request_export(&self, company: CompanyId, req: ExportRequest) -> Result<Started> {
        let tz_name = req.timezone.clone().unwrap_or_else(|| "UTC".into());
        let tz = window::zone(&tz_name)?;
        if req.stat_type == StatType::OnDuty && req.export_type == ExportType::Stats {
            return Err(DomainError::invalid(
                "onduty exports are records only (export_type records)",
            ));
        }
        let now = self.clock.now();
        let (start, end, day) = window::export_window(&req, &tz, now)?;
        if let Some(t) = req.target {
            self.check_target(company, t).await?;
        } else if let Some(o) = req.office {
            self.telephony().office(company, o).await?;
        }
        let spec = ExportSpec {
            export_type: req.export_type,
            stat_type: req.stat_type,
            group_by: req.group_by.unwrap_or(GroupBy::User),
            start,
            end,
            timezone: tz_name,
            office: if req.target.is_some() {
                None
            } else {
                req.office
            },
            target: req.target,
        };
        let key = json!({
            "export_type": spec.export_type,
            "stat_type": spec.stat_type,
            "group_by": spec.group_by,
            "days": if req.is_today { None } else { Some((req.days_ago_start, req.days_ago_end)) },
            "timezone": spec.timezone,
            "office": spec.office,
            "target": spec.target,
            "day": day.to_string(),
        })
        .to_string();
        if let Some(found) = self.store.reusable_stats_job(company, &key, now).await? {
            return Ok(Started {
                id: found.id,
                already_started: true,
            });
        }
        let job = StatsJob {
            id: ReportId::generate(),
            company_id: company,
            request_key: key,
            reuse_until: (end == now).then(|| later(now, TODAY_REUSE)),
            spec,
            status: JobStatus::Processing,
            progress: json!({}),
            chunks: 0,
            rows: 0,
            failure: None,
            announce: None,
            created_at: now,
            completed_at: None,
            expires_at: None,
        };
        let mut tx = self.store.begin().await?;
        tx.insert_stats_job(&job).await?;
        tx.commit().await?;
        Ok(Started {
            id: job.id,
            already_started: false,
        })
    }

    /// One of the company's exports, until it expires.
    pub async fn export(&self, company: CompanyId, id: ReportId) -> Result<StatsJob> {
        let now = self.clock.now();
        self.store
            .stats_job(id)
            .await?
            .filter(|j| j.company_id == company && !j.expired(now))
            .ok_or_else(not_found)
    }

    /// The key that signs download links (read before a transaction that needs it: it may be
    /// made on first use, in a transaction of its own).
    pub(crate) async fn link_mac(&self) -> Result<Hmac<Sha256>> {
        let key = self.server_key(SecretPurpose::ReportSigning).await?;
        Hmac::<Sha256>::new_from_slice(&key).map_err(DomainError::internal)
    }

    pub(crate) fn sign(mac: &Hmac<Sha256>, id: ReportId, expires: i64) -> String {
        let mut m = mac.clone();
        m.update(format!("stats:{}:{expires}", id.get()).as_bytes());
        hex::encode(m.finalize().into_bytes())
    }

    /// A signed download link for a complete export: `(expires (Unix seconds), signature)`.
    pub async fn download_link(&self, job: &StatsJob) -> Result<Option<(i64, String)>> {
        if job.status != JobStatus::Complete {
            return Ok(None);
        }
        let mut expires = later(self.clock.now(), LINK_VALIDITY).as_second();
        if let Some(e) = job.expires_at {
            expires = expires.min(e.as_second());
        }
        let mac = self.link_mac().await?;
        Ok(Some((expires, Self::sign(&mac, job.id, expires))))
    }

    /// The export behind a signed link (any company's: the signature is the permission); an
    /// expired or wrong link is refused, an export gone since is not found.
    pub async fn open_download(
        &self,
        id: ReportId,
        expires: i64,
        signature: &str,
    ) -> Result<StatsJob> {
        let now = self.clock.now();
        if expires <= now.as_second() {
            return Err(refused("the link has expired"));
        }
        let given = hex::decode(signature).map_err(|_| refused("the signature does not match"))?;
        let mut mac = self.link_mac().await?;
        mac.update(format!("stats:{}:{expires}", id.get()).as_bytes());
        mac.verify_slice(&given)
            .map_err(|_| refused("the signature does not match"))?;
        self.store
            .stats_job(id)
            .await?
            .filter(|j| j.status == JobStatus::Complete && !j.expired(now))
            .ok_or_else(not_found)
    }

    /// Chunks of an export's file after chunk `after` (-1 for the first), at most `limit`.
    pub async fn file_chunks(
        &self,
        id: ReportId,
        after: i64,
        limit: usize,
    ) -> Result<Vec<(i64, String)>> {
        self.store.report_chunks(id, after, limit).await
    }

    /// The link announced for a scheduled report's file: valid as long as the file is kept.
    pub(crate) fn announced_link(
        &self,
        mac: &Hmac<Sha256>,
        id: ReportId,
        expires_at: Timestamp,
    ) -> String {
        let expires = expires_at.as_second();
        let base = self.public_url.as_deref().unwrap_or_default();
        format!(
            "{base}{DOWNLOAD_PATH}/{}/download?expires={expires}&signature={}",
            id.get(),
            Self::sign(mac, id, expires)
        )
    }
}
