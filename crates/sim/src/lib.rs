//! The control API of the simulated telephone network (`/sim/v1`), on when the server drives
//! the simulator (the default). It does to calls what people do with telephones: an outside
//! caller dials one of the company's numbers, a user's device answers or declines, either party
//! hangs up, presses keys or says something; and it moves a manual clock
//! (`SWITCHBOARD_CLOCK=manual`), so that ring timeouts, hold limits, wrap-up and opening hours
//! can be walked through without waiting. Texts go over it too: an outside number texts one
//! of the company's numbers (`inbound_sms`), the company's messages can be read back (`sms`),
//! and outside numbers can be made unreachable (`sms/unreachable`), so that messages to them
//! fail. The clock's advance also runs the report runner (scheduled reports, exports), which
//! `POST /reports/run` runs on its own.
//!
//! Every request carries a company's admin key (`Authorization: Bearer <key>`: a company key or
//! a company admin's user key, as for Dialpad) and acts on that company only. Errors are
//! `{"error": {"code": <status>, "message": "…"}}`.

mod handlers;
mod reports;
mod sms;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::json;
use switchboard_domain::ids::CompanyId;
use switchboard_domain::tenancy::account::Principal;
use switchboard_domain::{Core, DomainError};
use switchboard_http::Dialect;

/// Where the control API is mounted.
pub const MOUNT: &str = "/sim/v1";

/// The control API's error shape.
pub struct Sim;

impl Dialect for Sim {
    fn error(status: StatusCode, message: &str) -> Response {
        (
            status,
            Json(json!({"error": {"code": status.as_u16(), "message": message}})),
        )
            .into_response()
    }

    async fn caller_scope(_parts: &mut Parts, _core: &Core) -> Option<String> {
        None
    }
}

/// A domain error as the control API answers it.
pub(crate) struct ApiError(pub DomainError);

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        Self(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        Sim::domain_error(&self.0)
    }
}

pub(crate) type ApiResult<T> = Result<T, ApiError>;

/// The company a request acts for (its admin key).
pub(crate) struct Company(pub CompanyId);

impl FromRequestParts<Core> for Company {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, core: &Core) -> Result<Self, Response> {
        let key = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .ok_or_else(|| {
                Sim::error(
                    StatusCode::UNAUTHORIZED,
                    "a company admin key is required: Authorization: Bearer <key>",
                )
            })?;
        let principal = core.tenancy().authenticate(key).await;
        if let Some(company) = principal.as_ref().ok().and_then(Principal::admin_company) {
            return Ok(Self(company));
        }
        match principal {
            Ok(Principal::User(_)) => Err(Sim::error(
                StatusCode::FORBIDDEN,
                "the simulator takes a company admin key",
            )),
            Ok(_) => Err(Sim::error(
                StatusCode::UNAUTHORIZED,
                "a company admin key is required",
            )),
            Err(e) => Err(Sim::domain_error(&e)),
        }
    }
}

/// The control API's routes (state: the core).
pub fn router(core: Core) -> Router<Core> {
    let routes = Router::new()
        .route("/inbound_calls", post(handlers::inbound_call))
        .route("/devices/{user_id}/answer", post(handlers::answer))
        .route("/devices/{user_id}/reject", post(handlers::reject))
        .route("/users/{user_id}/auto_answer", post(handlers::auto_answer))
        .route("/calls/{call_id}/hangup", post(handlers::hangup))
        .route("/calls/{call_id}/digits", post(handlers::digits))
        .route("/calls/{call_id}/say", post(handlers::say))
        .route("/clock/advance", post(handlers::advance_clock))
        .route("/clock", axum::routing::get(handlers::clock))
        .route("/inbound_sms", post(sms::inbound_sms))
        .route("/sms", axum::routing::get(sms::list))
        .route("/sms/unreachable", post(sms::unreachable))
        .route("/reports/run", post(reports::run));
    switchboard_http::router::finish_routes::<Sim>(core, routes)
}
