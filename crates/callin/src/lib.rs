//! The Callin.io public API, mounted at `/api/public/v1`: AI voice agents.
//!
//! Handlers only translate: wire shapes in [`wire`], errors in [`error`], authentication in
//! [`auth`]; the rules (deep merge, type checks, workflow validation, keyset paging) live in
//! the domain core. Callin agents are the same records the Dialgood dialect serves: `name` is
//! the agent's name, `phoneNumbers` its phone numbers, and `direction`, `tags`,
//! `conversationConfig`, `platformSettings` and `workflow` are stored under those names among
//! the agent's other fields, so each dialect sees the other's writes, and every write is a
//! version in the Dialgood history.
//!
//! Choices where the vendor document is silent (also in the OpenAPI document and the README):
//! - errors are `{"success": false, "error": {"code", "message"}}` with 400 (bad input,
//!   including malformed JSON, wrong types, unknown enum values, unknown body fields, a bad
//!   cursor), 401 (missing, unknown or revoked `x-api-key`, or a partner key), 403 (deleting or
//!   writing a shared agent without the right), 404 (unknown or foreign ids, unknown paths),
//!   405, 412 (stale `If-Match`), 413, 415.
//! - create answers 200 (like every other operation) with `{success, data: {agentId}}`; it
//!   also accepts `phoneNumbers` and `workflow`.
//! - PATCH is a deep partial update at every level; arrays (`tags`, `phoneNumbers`, lists
//!   inside settings) replace whole; `null` inside `conversationConfig` stores `null`; a
//!   workflow node or edge sent as `null` is removed. `agentId` and `metadata` in a body are
//!   ignored (read-only) and other unknown fields are refused. An empty body `{}` changes
//!   nothing but still records a version.
//! - `phoneNumbers` are written as `{provider, number, label}` (strings; `number` required,
//!   the others default to ""); a number stored as a plain string (Dialgood) reads as
//!   `{provider: "", number, label: ""}`.
//! - unset platform settings read as their defaults (false, "", 0, [], `{}`,
//!   `scheduleOnCalendar.provider` "google", `summaryLanguage` "en").
//! - lists: `nextCursor` is an opaque token (sort key and id, so ties page exactly) and `null`
//!   on the last page; it is the foundation's signed cursor, bound to the caller's list, so an
//!   altered, truncated or forged cursor, or another user's, is 400 `invalid_request`; a cursor carries its order, so `sortBy`/`sortDirection` may be omitted
//!   with it (a different order with it is 400). Sorting by name is case-insensitive, ties by
//!   id.
//! - extensions: `ETag`/`If-Match` on get, update and delete; `Idempotency-Key` on POST.

pub mod auth;
pub mod error;
mod events;
mod handlers;
pub mod schema;
pub mod sections;
pub mod wire;

pub use events::PostCallWebhooks;

use axum::Router;
use switchboard_domain::Core;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::OpenApi;
use utoipa::Modify;

pub use error::Callin;

/// Where the dialect is mounted.
pub const MOUNT: &str = "/api/public/v1";

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Switchboard: Callin.io public API",
        description = "AI voice agents: list, create, read, deep partial update, delete. \
            Authenticate with the `x-api-key` header. Successes are `{\"success\": true, \"data\": …}`; \
            errors are `{\"success\": false, \"error\": {\"code\": \"not_found\", \"message\": \"…\"}}`.\n\n\
            Extensions beyond the vendor's API: `DELETE /agents/{agentId}`; `ETag` on reads and `If-Match` on \
            writes (412 when stale); `Idempotency-Key` on POST (same key and body within 24 h replays the first \
            response; another body gets 422)."
    ),
    servers((url = "/api/public/v1")),
    modifiers(&Security),
    security(("x_api_key" = []))
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "x_api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new(auth::HEADER))),
        );
    }
}

/// The dialect's routes (relative to [`MOUNT`]) and its OpenAPI document.
pub fn router(core: Core) -> (Router<Core>, OpenApi) {
    switchboard_http::router::finish::<Callin>(
        core,
        <ApiDoc as utoipa::OpenApi>::openapi(),
        handlers::routes(),
    )
}
