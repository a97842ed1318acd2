//! `/docs`: an offline page listing every dialect's OpenAPI document and its operations, and
//! beside it the interactive reference at `/docs/try/` (Swagger UI, its files compiled into the
//! binary, so it loads with no network) where any operation can be tried against this server.

use std::fmt::Write;
use std::sync::Arc;

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};
use serde_json::Value;
use utoipa_swagger_ui::{Config, Url};

/// Where the interactive reference is served.
pub const TRY_PATH: &str = "/docs/try";

/// One dialect's document and where it is served.
pub struct DocEntry {
    pub title: String,
    pub mount: String,
    pub spec_path: String,
    /// The OpenAPI document as JSON.
    pub spec: Value,
}

/// Renders the page once at start-up; it needs nothing from the network.
pub fn render(entries: &[DocEntry]) -> String {
    let mut html = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Switchboard API documents</title>\
         <style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}\
         code{background:#f3f3f3;padding:0 .2rem}table{border-collapse:collapse;width:100%}\
         td,th{border-bottom:1px solid #ddd;text-align:left;padding:.3rem}</style></head><body>\
         <h1>Switchboard API documents</h1>",
    );
    for e in entries {
        let _ = write!(
            html,
            "<h2>{}</h2><p>Mounted at <code>{}</code>. OpenAPI document: <a href=\"{}\"><code>{}</code></a>. \
             <a href=\"{}\">Try it</a> (interactive reference)</p>\
             <table><tr><th>Method</th><th>Path</th><th>Summary</th></tr>",
            escape(&e.title),
            escape(&e.mount),
            escape(&e.spec_path),
            escape(&e.spec_path),
            escape(&try_link(&e.title)),
        );
        let paths = e.spec.get("paths").and_then(Value::as_object);
        for (path, item) in paths.into_iter().flatten() {
            for method in ["get", "post", "put", "patch", "delete"] {
                if let Some(op) = item.get(method) {
                    let summary = op
                        .get("summary")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    let _ = write!(
                        html,
                        "<tr><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                        method.to_uppercase(),
                        escape(path),
                        escape(summary)
                    );
                }
            }
        }
        html.push_str("</table>");
    }
    html.push_str("</body></html>");
    html
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The interactive reference opened at one dialect's document.
fn try_link(title: &str) -> String {
    let name: String = title
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("{TRY_PATH}/?urls.primaryName={name}")
}

/// The interactive reference over every dialect's document (each already served at its
/// `spec_path`); requests are tried against the server each document names, this one.
pub fn interactive<S: Clone + Send + Sync + 'static>(entries: &[DocEntry]) -> Router<S> {
    // Made once per application; Swagger UI's configuration borrows its names for good.
    let keep = |s: &str| -> &'static str { Box::leak(s.to_owned().into_boxed_str()) };
    let urls: Vec<Url<'static>> = entries
        .iter()
        .map(|e| Url::new(keep(&e.title), keep(&e.spec_path)))
        .collect();
    // No validator badge: it would fetch from the internet.
    let config = Arc::new(
        Config::new(urls)
            .try_it_out_enabled(true)
            .validator_url("none"),
    );
    Router::new()
        .route(
            TRY_PATH,
            get(|| async { Redirect::permanent(&format!("{TRY_PATH}/")) }),
        )
        .route(&format!("{TRY_PATH}/"), get(index))
        .route(&format!("{TRY_PATH}/{{*file}}"), get(file))
        .layer(Extension(config))
}

async fn index(Extension(config): Extension<Arc<Config<'static>>>) -> Response {
    swagger_file("", config)
}

async fn file(
    Path(file): Path<String>,
    Extension(config): Extension<Arc<Config<'static>>>,
) -> Response {
    swagger_file(&file, config)
}

fn swagger_file(tail: &str, config: Arc<Config<'static>>) -> Response {
    match utoipa_swagger_ui::serve(tail, config) {
        Ok(Some(file)) => (
            [(header::CONTENT_TYPE, file.content_type)],
            file.bytes.into_owned(),
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "the interactive reference could not be served");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
