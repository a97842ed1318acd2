//! Handlers, one file per resource. Each reads the wire input, calls one use case, renders.

mod company;
mod offices;
mod users;

use axum::routing::get;
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
];

pub(crate) fn routes() -> Router<Core> {
    Router::new()
        .route("/company", get(company::get))
        .route("/offices", get(offices::list))
        .route("/offices/{id}", get(offices::get))
        .route("/users", get(users::list).post(users::create))
        .route("/users/{id}", get(users::get).delete(users::delete))
}
