//! Handlers, one file per resource. Each reads the wire input, calls one use case, renders.

mod clients;
mod partner;
mod webhooks;

use switchboard_domain::Core;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(crate) fn routes() -> OpenApiRouter<Core> {
    OpenApiRouter::new()
        .routes(routes!(partner::get, partner::patch))
        .routes(routes!(webhooks::get_url, webhooks::set_url))
        .routes(routes!(webhooks::secret))
        .routes(routes!(webhooks::rotate_secret))
        .routes(routes!(webhooks::deliveries))
        .routes(routes!(webhooks::replay))
        .routes(routes!(clients::list, clients::create))
        .routes(routes!(clients::get, clients::patch))
}
