//! Handlers, one file per resource. Each reads the wire input, calls one use case, renders.

pub(crate) mod agents;
mod availability;
mod capacity;
mod media;
mod skills;
mod teams;

use switchboard_domain::Core;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(crate) fn routes() -> OpenApiRouter<Core> {
    OpenApiRouter::new()
        .routes(routes!(agents::list, agents::create))
        .routes(routes!(agents::all))
        .routes(routes!(agents::get_me, agents::update_me))
        .routes(routes!(agents::get, agents::update, agents::delete))
        .routes(routes!(availability::get, availability::update))
        .routes(routes!(availability::workload))
        .routes(routes!(teams::list, teams::create))
        .routes(routes!(teams::get, teams::update, teams::delete))
        .routes(routes!(teams::members, teams::add_member))
        .routes(routes!(teams::remove_member))
        .routes(routes!(skills::list, skills::create))
        .routes(routes!(skills::get, skills::update, skills::delete))
        .routes(routes!(capacity::list, capacity::create))
        .routes(routes!(capacity::get, capacity::update, capacity::delete))
        .routes(routes!(media::avatar_form))
        .routes(routes!(media::audio_form))
        .routes(routes!(media::download))
        .routes(routes!(media::file))
        .merge(media::upload_routes())
}
