//! What every dialect's router shares, added in one place.

use axum::http::StatusCode;
use axum::Router;
use switchboard_domain::Core;
use utoipa::openapi::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::Dialect;

/// Finishes dialect `D`'s routes: splits off its OpenAPI document (its `info`, servers and
/// security from `doc`, its paths from `routes`) and adds `Idempotency-Key` on POST and the
/// 404/405 answers in the dialect's own error shape.
pub fn finish<D: Dialect>(
    core: Core,
    doc: OpenApi,
    routes: OpenApiRouter<Core>,
) -> (Router<Core>, OpenApi) {
    let (router, api) = OpenApiRouter::with_openapi(doc)
        .merge(routes)
        .split_for_parts();
    (finish_routes::<D>(core, router), api)
}

/// Adds to dialect `D`'s routes what [`finish`] adds, for a dialect that serves a document of
/// its own rather than one generated from its routes.
pub fn finish_routes<D: Dialect>(core: Core, router: Router<Core>) -> Router<Core> {
    router
        .layer(axum::middleware::from_fn_with_state(
            core,
            crate::idempotency::layer::<D>,
        ))
        .method_not_allowed_fallback(|| async {
            D::error(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
        })
        .fallback(|| async { D::error(StatusCode::NOT_FOUND, "not found") })
}
