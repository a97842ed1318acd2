//! Handlers, one file per resource. Each reads the wire input, calls one use case, renders.

mod callcenters;
mod company;
mod departments;
mod group_wire;
mod numbers;
mod offices;
mod operators;
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
    ("/callcenters", "get"),
    ("/callcenters", "post"),
    ("/callcenters/{id}", "get"),
    ("/callcenters/{id}", "patch"),
    ("/callcenters/{id}", "delete"),
    ("/offices/{office_id}/callcenters", "get"),
    ("/callcenters/{id}/operators", "get"),
    ("/callcenters/{id}/operators", "post"),
    ("/callcenters/{id}/operators", "delete"),
    (
        "/callcenters/{call_center_id}/operators/{user_id}/skill",
        "get",
    ),
    (
        "/callcenters/{call_center_id}/operators/{user_id}/skill",
        "patch",
    ),
    ("/callcenters/operators/{id}/dutystatus", "get"),
    ("/callcenters/operators/{id}/dutystatus", "patch"),
    ("/departments", "get"),
    ("/departments", "post"),
    ("/departments/{id}", "get"),
    ("/departments/{id}", "patch"),
    ("/departments/{id}", "delete"),
    ("/offices/{office_id}/departments", "get"),
    ("/departments/{id}/operators", "get"),
    ("/departments/{id}/operators", "post"),
    ("/departments/{id}/operators", "delete"),
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
        .merge(group_routes())
}

/// Call centers, departments and their operators. Path parameters are named by position
/// (`{id}`, `{user}`) so that the router accepts the vendor's differently named segments.
fn group_routes() -> Router<Core> {
    Router::new()
        .route(
            "/callcenters",
            get(callcenters::list).post(callcenters::create),
        )
        .route(
            "/callcenters/{id}",
            get(callcenters::get)
                .patch(callcenters::update)
                .delete(callcenters::delete),
        )
        .route(
            "/offices/{id}/callcenters",
            get(callcenters::list_in_office),
        )
        .route(
            "/callcenters/{id}/operators",
            get(operators::callcenter_list)
                .post(operators::callcenter_add)
                .delete(operators::callcenter_remove),
        )
        .route(
            "/callcenters/{id}/operators/{user}/skill",
            get(operators::skill_get).patch(operators::skill_set),
        )
        .route(
            "/callcenters/operators/{id}/dutystatus",
            get(operators::duty_get).patch(operators::duty_set),
        )
        .route(
            "/departments",
            get(departments::list).post(departments::create),
        )
        .route(
            "/departments/{id}",
            get(departments::get)
                .patch(departments::update)
                .delete(departments::delete),
        )
        .route(
            "/offices/{id}/departments",
            get(departments::list_in_office),
        )
        .route(
            "/departments/{id}/operators",
            get(operators::department_list)
                .post(operators::department_add)
                .delete(operators::department_remove),
        )
}
