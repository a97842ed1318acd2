//! Scheduled reports: list, create, get, update, delete (company admins only).
//!
//! Choices where the vendor is silent (also in the README):
//! - `name`, `endpoint_id`, `report_type`, `frequency`, `at` and `on_day` are required on
//!   create; `PATCH` changes only the fields given (`null` leaves a field as it is).
//! - `at` is an hour 0–23 of `timezone` (default `UTC`); `on_day` is 0 for daily, 0–6 for
//!   weekly (Monday to Sunday), 0–30 for monthly (the day of the month less one; the month's
//!   last day when it is shorter). A run reports the period before it: the previous day, the
//!   seven days before the run's day, or the previous calendar month.
//! - report types build exports: `call_logs` call records, `daily_statistics` call stats per
//!   day, `user_statistics` per user, `recordings` and `voicemails` records of those calls.
//!   When the file is ready, one `scheduled_report` event goes to `endpoint_id` with
//!   `download_url` (valid 24 hours), `period_start`, `period_end` (RFC 3339 in the zone).
//! - targets are `user`, `office`, `callcenter` and `department` (other kinds 400; another
//!   company's 404); without one the report covers the company, shown as
//!   `target_type: company` with the company's id (`company` is also accepted to clear one).
//! - `endpoint_id` must be one of the company's webhooks or websockets (404 otherwise); the
//!   answer shows it as `webhook` or `websocket`, as subscriptions do.
//! - a company has at most 100 schedules (the 101st is 409); `coaching_group: true` is 400.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::events::endpoint::{Endpoint, EndpointKind};
use switchboard_domain::ids::{Id, ReportId, ScheduleReportId};
use switchboard_domain::reporting::schedule::{
    Frequency, ReportType, ScheduleInput, ScheduleReport,
};
use switchboard_domain::Core;

use crate::auth::Admin;
use crate::error::{invalid, ApiResult, Body, JsonBody, Params, PathParams, QueryParams, Segments};
use crate::handlers::stats::target;
use crate::handlers::{webhooks, websockets};
use crate::wire::{page, path_id, Collection, IdValue};

const SCHEMA: &str = "schemas.schedule_reports.ProcessScheduleReportsMessage";

/// `ProcessScheduleReportsMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScheduleBody {
    at: Option<i64>,
    coaching_group: Option<bool>,
    enabled: Option<bool>,
    endpoint_id: Option<IdValue>,
    frequency: Option<String>,
    name: Option<String>,
    on_day: Option<i64>,
    report_type: Option<String>,
    target_id: Option<IdValue>,
    target_type: Option<String>,
    timezone: Option<String>,
}

fn one_of<T>(field: &str, raw: &str, parse: fn(&str) -> Option<T>) -> ApiResult<T> {
    if !crate::allowed_values(SCHEMA, field).contains(&raw) {
        return Err(invalid(format!("unknown {field} '{raw}'")));
    }
    parse(raw).ok_or_else(|| invalid(format!("unknown {field} '{raw}'")))
}

impl ScheduleBody {
    fn input(self) -> ApiResult<ScheduleInput> {
        if self.coaching_group == Some(true) {
            return Err(invalid("coaching group reports are not supported"));
        }
        let target = if self.target_type.as_deref() == Some("company") {
            if self.target_id.is_some() {
                return Err(invalid("target_type company takes no target_id"));
            }
            Some(None)
        } else {
            target(
                self.target_type.as_deref(),
                self.target_id.as_ref(),
                &crate::allowed_values(SCHEMA, "target_type"),
            )?
            .map(Some)
        };
        Ok(ScheduleInput {
            name: self.name,
            endpoint_id: self
                .endpoint_id
                .as_ref()
                .map(|e| e.id::<ReportId>("endpoint_id").map(Id::get))
                .transpose()?,
            report_type: self
                .report_type
                .as_deref()
                .map(|r| one_of("report_type", r, ReportType::parse))
                .transpose()?,
            frequency: self
                .frequency
                .as_deref()
                .map(|f| one_of("frequency", f, Frequency::parse))
                .transpose()?,
            at: self.at,
            on_day: self.on_day,
            timezone: self.timezone,
            target,
            enabled: self.enabled,
        })
    }
}

/// `ScheduleReportsStatusEventSubscriptionProto`, with the endpoint it announces to as
/// `webhook` or `websocket` (a websocket with a fresh token).
async fn render(
    core: &Core,
    headers: &HeaderMap,
    s: &ScheduleReport,
    endpoints: &HashMap<i64, Endpoint>,
) -> ApiResult<Value> {
    let (target_type, target_id) = match s.target {
        Some(t) => (t.kind.as_str(), t.id),
        None => ("company", s.company_id.0),
    };
    let mut v = json!({
        "id": s.id.0,
        "name": s.name,
        "report_type": s.report_type.as_str(),
        "frequency": s.frequency.as_str(),
        "at": s.at,
        "on_day": s.on_day,
        "timezone": s.timezone,
        "enabled": s.enabled,
        "coaching_group": false,
        "target_type": target_type,
        "target_id": target_id,
    });
    match endpoints.get(&s.endpoint_id) {
        Some(e) if e.kind == EndpointKind::Webhook => {
            v["webhook"] = json!(webhooks::WebhookProto::from(e));
        }
        Some(e) => v["websocket"] = json!(websockets::render(core, headers, e, None).await?),
        None => {}
    }
    Ok(v)
}

async fn render_one(
    core: &Core,
    headers: &HeaderMap,
    s: &ScheduleReport,
) -> ApiResult<Json<Value>> {
    let endpoints = core
        .reporting()
        .schedule_endpoints(s.company_id, std::slice::from_ref(s))
        .await?;
    Ok(Json(render(core, headers, s, &endpoints).await?))
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    cursor: Option<String>,
}

/// `GET /schedulereports` (admin): the company's schedules in id order.
pub(crate) async fn list(
    State(core): State<Core>,
    headers: HeaderMap,
    Admin(caller): Admin,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<Value>>> {
    let req = page(None, q.cursor)?;
    let found = core
        .reporting()
        .schedule_reports(caller.company, &req)
        .await?;
    let endpoints = core
        .reporting()
        .schedule_endpoints(caller.company, &found.items)
        .await?;
    let mut items = Vec::with_capacity(found.items.len());
    for s in &found.items {
        items.push(render(&core, &headers, s, &endpoints).await?);
    }
    Ok(Json(Collection {
        items,
        cursor: found.next,
    }))
}

/// `POST /schedulereports` (admin).
pub(crate) async fn create(
    State(core): State<Core>,
    headers: HeaderMap,
    Admin(caller): Admin,
    JsonBody(body, _): Body<ScheduleBody>,
) -> ApiResult<Json<Value>> {
    let created = core
        .reporting()
        .create_schedule_report(caller.company, body.input()?)
        .await?;
    render_one(&core, &headers, &created).await
}

pub(crate) async fn get(
    State(core): State<Core>,
    headers: HeaderMap,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: ScheduleReportId = path_id(&id, "id")?;
    let found = core.reporting().schedule_report(caller.company, id).await?;
    render_one(&core, &headers, &found).await
}

/// `PATCH /schedulereports/{id}` (admin): the fields given change.
pub(crate) async fn update(
    State(core): State<Core>,
    headers: HeaderMap,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<ScheduleBody>,
) -> ApiResult<Json<Value>> {
    let id: ScheduleReportId = path_id(&id, "id")?;
    let updated = core
        .reporting()
        .update_schedule_report(caller.company, id, body.input()?)
        .await?;
    render_one(&core, &headers, &updated).await
}

/// `DELETE /schedulereports/{id}` (admin): answers the schedule as it was.
pub(crate) async fn delete(
    State(core): State<Core>,
    headers: HeaderMap,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: ScheduleReportId = path_id(&id, "id")?;
    let deleted = core
        .reporting()
        .delete_schedule_report(caller.company, id)
        .await?;
    render_one(&core, &headers, &deleted).await
}
