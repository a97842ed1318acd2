//! Statistics exports: `POST /stats` starts one, `GET /stats/{id}` tells where it stands and,
//! once complete, gives its `download_url`; `GET /stats/{id}/download` (beyond the document)
//! serves the CSV behind that signed link, without a key.
//!
//! Choices where the vendor is silent (also in the README):
//! - company admins only (a plain user's key is 403), like the company-wide data they hold.
//! - `stat_type` `calls`, `voicemails` and `recordings` read call legs (records: the 54 columns
//!   of the vendor's call export; stats: per `group_by`, `user` by default), `onduty` reads
//!   duty changes (records only), `texts` lists the window's text messages in the text
//!   columns (for `stats` too); `csat`, `dispositions` and
//!   `screenshare` are 400, as no such data is kept; so are coaching-group and coaching-team
//!   exports. Targets are `user`, `office`, `callcenter` and `department` (others 400; another
//!   company's 404); a target wins over `office_id`.
//! - the window: whole local days from `days_ago_end` days ago through `days_ago_start` days
//!   ago (0 is today so far; at most 366 days back), or today with `is_today`, in `timezone`.
//! - the same parameters on the same local day answer the same `request_id` with
//!   `already_started: true` while the job runs or its file is kept (windows that reach today:
//!   for 30 minutes). Finished exports are kept for an hour, then `GET` is 404 "Request with id
//!   {id} not found.". `download_url` is signed for 15 minutes; each `GET` gives a fresh one.

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get as get_route, post};
use axum::Json;
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::ids::{Id, OfficeId, ReportId};
use switchboard_domain::reporting::export::{
    ExportRequest, ExportType, GroupBy, JobStatus, ReportTarget, StatType, TargetKind,
};
use switchboard_domain::{Core, DomainError};
use switchboard_http::Dialect;

use crate::auth::Admin;
use crate::error::{invalid, ApiError, ApiResult, Body as JsonIn, JsonBody, PathParams, Segments};
use crate::handlers::customivrs::origin;
use crate::wire::IdValue;
use crate::Dialpad;

const SCHEMA: &str = "schemas.stats.ProcessStatsMessage";

/// The routes of statistics exports (and their files, beyond the document) and scheduled
/// reports.
pub(crate) fn routes() -> Router<Core> {
    use super::schedulereports as schedules;
    Router::new()
        .route("/stats", post(create))
        .route("/stats/{id}", get_route(get))
        .route("/stats/{id}/download", get_route(download))
        .route(
            "/schedulereports",
            get_route(schedules::list).post(schedules::create),
        )
        .route(
            "/schedulereports/{id}",
            get_route(schedules::get)
                .patch(schedules::update)
                .delete(schedules::delete),
        )
}

/// `ProcessStatsMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProcessStats {
    coaching_group: Option<bool>,
    coaching_team: Option<bool>,
    days_ago_end: Option<i64>,
    days_ago_start: Option<i64>,
    export_type: Option<String>,
    group_by: Option<String>,
    is_today: Option<bool>,
    office_id: Option<IdValue>,
    stat_type: Option<String>,
    target_id: Option<IdValue>,
    target_type: Option<String>,
    timezone: Option<String>,
}

/// A value of the document's enum for `field`, read by `parse`; else 400.
fn one_of<T>(field: &str, raw: &str, parse: fn(&str) -> Option<T>) -> ApiResult<T> {
    if !crate::allowed_values(SCHEMA, field).contains(&raw) {
        return Err(invalid(format!("unknown {field} '{raw}'")));
    }
    parse(raw).ok_or_else(|| {
        invalid(format!(
            "{field} '{raw}' cannot be exported: no such data is kept"
        ))
    })
}

/// A target from `target_type` and `target_id` (both or neither).
pub(crate) fn target(
    kind: Option<&str>,
    id: Option<&IdValue>,
    known: &[&str],
) -> ApiResult<Option<ReportTarget>> {
    let (kind, id) = match (kind, id) {
        (None, None) => return Ok(None),
        (Some(k), Some(i)) => (k, i),
        _ => return Err(invalid("target_type and target_id go together")),
    };
    if !known.contains(&kind) {
        return Err(invalid(format!("unknown target_type '{kind}'")));
    }
    let kind = TargetKind::parse(kind).ok_or_else(|| {
        invalid(format!(
            "target_type '{kind}' is not supported: use user, office, callcenter or department"
        ))
    })?;
    let id: OfficeId = id.id("target_id")?;
    Ok(Some(ReportTarget { kind, id: id.get() }))
}

impl ProcessStats {
    fn request(self) -> ApiResult<ExportRequest> {
        let export_type = self
            .export_type
            .ok_or_else(|| invalid("export_type is required"))?;
        let stat_type = self
            .stat_type
            .ok_or_else(|| invalid("stat_type is required"))?;
        if self.coaching_group == Some(true) || self.coaching_team == Some(true) {
            return Err(invalid(
                "coaching group and coaching team exports are not supported",
            ));
        }
        Ok(ExportRequest {
            export_type: one_of("export_type", &export_type, ExportType::parse)?,
            stat_type: one_of("stat_type", &stat_type, StatType::parse)?,
            group_by: self
                .group_by
                .as_deref()
                .map(|g| one_of("group_by", g, GroupBy::parse))
                .transpose()?,
            days_ago_start: self.days_ago_start,
            days_ago_end: self.days_ago_end,
            is_today: self.is_today.unwrap_or(false),
            timezone: self.timezone,
            office: self
                .office_id
                .as_ref()
                .map(|o| o.id("office_id"))
                .transpose()?,
            target: target(
                self.target_type.as_deref(),
                self.target_id.as_ref(),
                &crate::allowed_values(SCHEMA, "target_type"),
            )?,
        })
    }
}

/// `POST /stats` (admin): `{request_id, already_started}`.
pub(crate) async fn create(
    State(core): State<Core>,
    Admin(caller): Admin,
    JsonBody(body, _): JsonIn<ProcessStats>,
) -> ApiResult<Json<Value>> {
    let started = core
        .reporting()
        .request_export(caller.company, body.request()?)
        .await?;
    Ok(Json(json!({
        "already_started": started.already_started,
        "request_id": started.id.get().to_string(),
    })))
}

fn gone(id: &str) -> Response {
    let shown: String = id.chars().take(64).collect();
    Dialpad::error(
        StatusCode::NOT_FOUND,
        &format!("Request with id {shown} not found."),
    )
}

/// `GET /stats/{id}` (admin): `{status}`, with `download_url` and `file_type` once complete.
pub(crate) async fn get(
    State(core): State<Core>,
    headers: HeaderMap,
    Admin(caller): Admin,
    PathParams(raw, _): Segments<String>,
) -> Result<Json<Value>, Response> {
    let Some(id) = ReportId::parse_str(&raw) else {
        return Err(gone(&raw));
    };
    let job = match core.reporting().export(caller.company, id).await {
        Ok(job) => job,
        Err(DomainError::NotFound(_)) => return Err(gone(&raw)),
        Err(e) => return Err(ApiError(e).into_response()),
    };
    let mut out = json!({"status": job.status.as_str(), "file_type": "csv"});
    if job.status == JobStatus::Processing {
        out = json!({"status": "processing"});
    }
    let link = core
        .reporting()
        .download_link(&job)
        .await
        .map_err(|e| ApiError(e).into_response())?;
    if let Some((expires, signature)) = link {
        out["download_url"] = json!(format!(
            "{}{}/stats/{}/download?expires={expires}&signature={signature}",
            origin(&headers),
            crate::MOUNT,
            id.get()
        ));
    }
    Ok(Json(out))
}

/// Chunks read from the store per round of a download.
const CHUNKS_PER_READ: usize = 4;

/// `GET /stats/{id}/download?expires=…&signature=…` (beyond the document): the CSV, streamed
/// chunk by chunk. Needs no key: the signature is the permission (403 when wrong or expired).
pub(crate) async fn download(
    State(core): State<Core>,
    PathParams(raw, _): Segments<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, Response> {
    let Some(id) = ReportId::parse_str(&raw) else {
        return Err(gone(&raw));
    };
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    let find = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let expires = find("expires").and_then(|e| e.parse().ok()).unwrap_or(0);
    let signature = find("signature").unwrap_or_default();
    match core.reporting().open_download(id, expires, signature).await {
        Ok(_) => {}
        Err(DomainError::NotFound(_)) => return Err(gone(&raw)),
        Err(e) => return Err(ApiError(e).into_response()),
    }
    let stream = futures::stream::unfold(Some((core, -1_i64)), move |state| async move {
        let (core, after) = state?;
        match core
            .reporting()
            .file_chunks(id, after, CHUNKS_PER_READ)
            .await
        {
            Ok(chunks) if chunks.is_empty() => None,
            Ok(chunks) => {
                let last = chunks.last().map_or(after, |c| c.0);
                let text: String = chunks.into_iter().map(|(_, t)| t).collect();
                Some((Ok::<_, DomainError>(text), Some((core, last))))
            }
            Err(e) => Some((Err(e), None)),
        }
    });
    let mut r = Body::from_stream(stream).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) =
        HeaderValue::from_str(&format!("attachment; filename=\"stats-{}.csv\"", id.get()))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(r)
}
