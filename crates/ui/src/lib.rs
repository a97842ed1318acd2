//! The web dashboard (`/ui`): server-rendered HTML pages over the same domain services the
//! dialects use, so it shows what the APIs show and nothing of another tenant. Signing in takes
//! an API key (a company's, a user's or a partner's) and gives a session kept in an HTTP-only,
//! `SameSite=Strict` cookie; every form carries the session's anti-forgery token. Pages work
//! without JavaScript.
//!
//! One file per page group: `session.rs` (signing in and out, who is signed in), `agents.rs`
//! (AI agents, their versions, diffs and restore), `callcenters.rs` (call centers live, the
//! routing preview), `calls.rs` (calls and their journeys), `call_filters.rs` (the calls list's filters), `charts.rs` with `svg.rs` (a day of calls as charts), `settings.rs` (the viewer's time zone), `clients.rs` (a partner's clients), `webhooks.rs` (endpoints, subscriptions, deliveries and replay), `layout.rs` (the page frame and its styles),
//! `error.rs` (what a failed request shows).

mod agents;
mod call_filters;
mod callcenters;
mod calls;
mod charts;
mod clients;
mod error;
mod layout;
mod session;
mod settings;
mod svg;
mod webhooks;

use axum::response::Redirect;
use axum::routing::{get, post};
use axum::Router;
use switchboard_domain::Core;

/// Where the dashboard is mounted.
pub const MOUNT: &str = "/ui";

/// The dashboard's routes, to be nested at [`MOUNT`] of a router whose state is the core.
pub fn router() -> Router<Core> {
    Router::new()
        .route("/", get(session::home))
        .route("/login", get(session::login_page).post(session::login))
        .route("/logout", post(session::logout))
        .route("/agents", get(agents::list))
        .route("/callcenters", get(callcenters::list))
        .route("/callcenters/{id}", get(callcenters::show))
        .route("/callcenters/{id}/live", get(callcenters::live))
        .route("/settings", get(settings::show).post(settings::save))
        .route("/clients", get(clients::list))
        .route("/clients/{id}/status", post(clients::set_status))
        .route("/calls", get(calls::list))
        .route("/charts", get(charts::show))
        .route("/webhooks", get(webhooks::list))
        .route("/webhooks/deliveries/{id}/replay", post(webhooks::replay))
        .route("/calls/{id}", get(calls::show))
        .route("/agents/{id}", get(agents::show))
        .route("/agents/{id}/diff", get(agents::diff))
        .route(
            "/agents/{id}/versions/{version}/restore",
            post(agents::restore),
        )
        .fallback(|| async { error::UiError::NotFound })
}

/// The sign-in page.
pub(crate) fn to_login() -> Redirect {
    Redirect::to(&format!("{MOUNT}/login"))
}

/// An id in a URL; one that does not parse is simply not there (404, like another tenant's).
pub(crate) fn id_in_path<T: std::str::FromStr>(raw: &str) -> Result<T, error::UiError> {
    raw.parse().map_err(|_| error::UiError::NotFound)
}

/// A search box's text, trimmed; `None` when empty.
pub(crate) fn search_text(raw: Option<&str>) -> Option<String> {
    raw.map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_owned)
}

/// The page a keyset list's `cursor` parameter asks for (the first when there is none).
pub(crate) fn page_from(
    cursor: Option<String>,
    limit: usize,
) -> switchboard_domain::page::PageRequest {
    switchboard_domain::page::PageRequest {
        limit,
        token: cursor.filter(|c| !c.is_empty()),
        reverse: false,
    }
}
