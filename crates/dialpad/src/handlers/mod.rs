//! Handlers, one file per resource. Each reads the wire input, calls one use case, renders.

mod company;
mod numbers;
mod offices;
mod users;

use axum::routing::{get, post};
use axum::Router;
use switchboard_domain::Core;

/// Every implemented operation as (path, method), for the routes and the served document.
pub(crate) const OPERATIONS: &[(&str, &str)] = &[
    ("/company", "get"),
    ("/offices", "get"),
    ("/offices", "post"),
    ("/offices/{id}", "get"),
    ("/offices/{id}/e911", "get"),
    ("/offices/{id}/e911", "put"),
    ("/numbers/format", "post"),
    ("/users", "get"),
    ("/users", "post"),
    ("/users/{id}", "get"),
    ("/users/{id}", "delete"),
];

pub(crate) fn routes() -> Router<Core> {
    Router::new()
        .route("/company", get(company::get))
        .route("/offices", get(offices::list).post(offices::create))
        .route("/offices/{id}", get(offices::get))
        .route(
            "/offices/{id}/e911",
            get(offices::e911).put(offices::set_e911),
        )
        .route("/numbers/format", post(numbers::format))
        .route("/users", get(users::list).post(users::create))
        .route("/users/{id}", get(users::get).delete(users::delete))
}
