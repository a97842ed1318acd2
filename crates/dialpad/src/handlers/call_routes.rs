//! The routes of calls: placing them, acting on them, what call centers show of them,
//! transcripts and share links.

use axum::routing::{get, patch, post};
use axum::Router;
use switchboard_domain::Core;

use super::{
    active_call, ai_operators, call_actions, call_transfer, callbacks, callcenter_status, calls,
    sharelinks, transcripts,
};

/// Placing calls, acting on them, transcripts and share links. The vendor's `{call_id}` is
/// `{id}` here: one name per path position.
pub(super) fn call_action_routes() -> Router<Core> {
    Router::new()
        .route("/call/initiate_ivr_call", post(call_actions::initiate_ivr))
        .route(
            "/call/{id}/participants/add",
            post(call_actions::add_participant),
        )
        .route("/call/{id}/unpark", post(call_actions::unpark))
        .route("/users/{id}/initiate_call", post(call_actions::initiate))
        .route("/callback", post(callbacks::enqueue))
        .route("/callback/validate", post(callbacks::validate))
        .route("/users/{id}/activecall", patch(active_call::recording))
        .route("/users/{id}/togglevi", patch(active_call::toggle_vi))
        .route("/users/{id}/screenpop", post(active_call::screen_pop))
        .route("/transcripts/{id}", get(transcripts::get))
        .route("/transcripts/{id}/url", get(transcripts::url))
        // Beyond the document: what the signed transcript link and the share links serve.
        .route("/transcripts/{id}/shared", get(transcripts::shared))
        .route("/shared/{id}", get(sharelinks::open))
        .route("/recordingsharelink", post(sharelinks::create_recording))
        .route(
            "/recordingsharelink/{id}",
            get(sharelinks::get_recording)
                .put(sharelinks::update_recording)
                .delete(sharelinks::delete_recording),
        )
        .route("/callreviewsharelink", post(sharelinks::create_review))
        .route(
            "/callreviewsharelink/{id}",
            get(sharelinks::get_review)
                .put(sharelinks::update_review)
                .delete(sharelinks::delete_review),
        )
}

/// Calls and what call centers show of them (`routing_preview` is an extension).
pub(super) fn call_routes() -> Router<Core> {
    Router::new()
        .route("/call", get(calls::list).post(call_actions::ring))
        .route("/call/{id}", get(calls::get))
        .route(
            "/call/{id}/actions/hangup",
            axum::routing::put(calls::hangup),
        )
        .route("/call/{id}/labels", axum::routing::put(calls::labels))
        .route("/call/{id}/transfer", post(call_transfer::transfer))
        .route("/callcenters/{id}/status", get(callcenter_status::status))
        .route(
            "/callcenters/{id}/ai_operators",
            get(ai_operators::list)
                .post(ai_operators::add)
                .delete(ai_operators::remove),
        )
        .route(
            "/departments/{id}/ai_operators",
            get(ai_operators::list)
                .post(ai_operators::add)
                .delete(ai_operators::remove),
        )
        .route(
            "/callcenters/{id}/routing_preview",
            get(callcenter_status::routing_preview),
        )
}
