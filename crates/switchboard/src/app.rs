//! The HTTP application: every dialect under its mount point, health, metrics and docs.

use axum::extract::DefaultBodyLimit;
use axum::http::{Request, StatusCode};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use switchboard_domain::Core;
use switchboard_http::docs::{self, DocEntry};
use switchboard_http::{health, metrics, MAX_BODY_BYTES};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

/// Where the Bird dialect's OpenAPI document is served.
const BIRD_SPEC: &str = "/workspaces/openapi.json";

/// Settings of the application that are not the domain's.
#[derive(Debug, Clone)]
pub struct AppOptions {
    /// Dialpad requests per second per company; 0 for no limit.
    pub dialpad_rate_limit: u32,
}

impl AppOptions {
    /// The options a configuration gives.
    pub fn from_config(config: &crate::config::Config) -> Self {
        Self {
            dialpad_rate_limit: config.dialpad_rate_limit,
        }
    }
}

/// Builds the application over a domain core.
pub fn app(core: Core, options: &AppOptions) -> Router {
    // Install the recorder before the first request is counted.
    metrics::handle();
    let (dialgood, dialgood_api) = switchboard_dialgood::router(core.clone());
    let (d360, d360_api) = switchboard_d360::router(core.clone());
    let (callin, callin_api) = switchboard_callin::router(core.clone());
    let (bird, bird_api) = switchboard_bird::router(core.clone());
    let (dialpad, dialpad_api) = switchboard_dialpad::router(
        core.clone(),
        switchboard_dialpad::RateLimits::new(options.dialpad_rate_limit),
    );
    let sim = switchboard_sim::router(core.clone());
    let dialpad_spec = format!("{}/openapi.json", switchboard_dialpad::MOUNT);
    let entries = vec![
        DocEntry {
            title: "Dialgood Partner Agent API".into(),
            mount: switchboard_dialgood::MOUNT.into(),
            spec_path: format!("{}/openapi.json", switchboard_dialgood::MOUNT),
            spec: to_json(&dialgood_api),
        },
        DocEntry {
            title: "360dialog Partner API".into(),
            mount: switchboard_d360::MOUNT.into(),
            spec_path: format!("{}/openapi.json", switchboard_d360::MOUNT),
            spec: to_json(&d360_api),
        },
        DocEntry {
            title: "Callin.io public API".into(),
            mount: switchboard_callin::MOUNT.into(),
            spec_path: format!("{}/openapi.json", switchboard_callin::MOUNT),
            spec: to_json(&callin_api),
        },
        DocEntry {
            title: "Bird Collaborations API".into(),
            mount: switchboard_bird::MOUNT.into(),
            spec_path: BIRD_SPEC.into(),
            spec: to_json(&bird_api),
        },
        DocEntry {
            title: "Dialpad API v2".into(),
            mount: switchboard_dialpad::MOUNT.into(),
            spec_path: dialpad_spec.clone(),
            spec: dialpad_api.clone(),
        },
    ];
    let page = docs::render(&entries);
    let try_it = docs::interactive(&entries);
    let dialgood = dialgood.route(
        "/openapi.json",
        get(move || async move { Json(dialgood_api) }),
    );
    let callin = callin.route(
        "/openapi.json",
        get(move || async move { Json(callin_api) }),
    );

    let d360 = d360.route("/openapi.json", get(move || async move { Json(d360_api) }));
    let dialpad = dialpad.route(
        "/openapi.json",
        get(move || async move { Json(dialpad_api) }),
    );

    Router::new()
        .nest(switchboard_dialgood::MOUNT, dialgood)
        .nest(switchboard_d360::MOUNT, d360)
        // Dialpad owns the rest of `/api/v2`.
        .nest(switchboard_dialpad::MOUNT, dialpad)
        // Dialpad's OAuth2 endpoints sit at the server root, as the vendor's do.
        .nest(
            switchboard_dialpad::OAUTH_MOUNT,
            switchboard_dialpad::oauth_router(),
        )
        .nest(switchboard_sim::MOUNT, sim)
        .nest(switchboard_ui::MOUNT, switchboard_ui::router())
        .route(
            "/ui/",
            get(|| async { axum::response::Redirect::permanent(switchboard_ui::MOUNT) }),
        )
        .nest(switchboard_callin::MOUNT, callin)
        // The workspace id is part of Bird's mount, so its document sits beside it.
        .route(BIRD_SPEC, get(move || async move { Json(bird_api) }))
        .nest(switchboard_bird::MOUNT, bird)
        .merge(health::router())
        .route("/docs", get(move || async move { Html(page) }))
        .merge(try_it)
        .route_layer(axum::middleware::from_fn(metrics::track))
        .fallback(|| async { (StatusCode::NOT_FOUND, Json(json!({"error": "not found"}))) })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(CatchPanicLayer::custom(|_| {
            (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"error": "internal server error"}))).into_response()
        }))
        .layer(
            // Spans name the path only: query strings may carry API keys.
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
            }),
        )
        .with_state(core)
}

fn to_json(doc: &utoipa::openapi::OpenApi) -> serde_json::Value {
    serde_json::to_value(doc).unwrap_or_default()
}
