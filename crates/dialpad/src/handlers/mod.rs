//! Handlers, one file per resource. Each reads the wire input, calls one use case, renders.

mod company;
mod offices;
mod users;
mod users_devices;
mod users_presence;
mod users_update;

use axum::routing::{get, patch};
use axum::Router;
use switchboard_domain::Core;

/// Every implemented operation as (path, method), for the routes and the served document.
pub(crate) const OPERATIONS: &[(&str, &str)] = &[
    ("/company", "get"),
    ("/offices", "get"),
    ("/offices/{id}", "get"),
    ("/users", "get"),
    ("/users", "post"),
    ("/users/{id}", "get"),
    ("/users/{id}", "delete"),
    ("/users/{id}", "patch"),
    ("/users/{id}/move_office", "patch"),
    ("/users/{id}/status", "patch"),
    ("/users/{id}/togglednd", "patch"),
    ("/users/{id}/caller_id", "get"),
    ("/users/{id}/caller_id", "post"),
    ("/users/{id}/e911", "get"),
    ("/users/{id}/e911", "put"),
    ("/users/{id}/personas", "get"),
    ("/users/{parent_id}/deskphones", "get"),
    ("/users/{parent_id}/deskphones/{id}", "get"),
    ("/users/{parent_id}/deskphones/{id}", "delete"),
];

pub(crate) fn routes() -> Router<Core> {
    Router::new()
        .route("/company", get(company::get))
        .route("/offices", get(offices::list))
        .route("/offices/{id}", get(offices::get))
        .route("/users", get(users::list).post(users::create))
        .route("/users/{id}", get(users::get).delete(users::delete))
        .route("/users/{id}", patch(users_update::update))
        .route("/users/{id}/move_office", patch(users_update::move_office))
        .route("/users/{id}/status", patch(users_presence::set_status))
        .route("/users/{id}/togglednd", patch(users_presence::toggle_dnd))
        .route(
            "/users/{id}/caller_id",
            get(users_devices::get_caller_id).post(users_devices::set_caller_id),
        )
        .route(
            "/users/{id}/e911",
            get(users_devices::get_e911).put(users_devices::set_e911),
        )
        .route("/users/{id}/personas", get(users_devices::personas))
        // The vendor's `{parent_id}` is `{id}` here: one name per path position.
        .route("/users/{id}/deskphones", get(users_devices::deskphones))
        .route(
            "/users/{id}/deskphones/{phone}",
            get(users_devices::deskphone).delete(users_devices::delete_deskphone),
        )
}
