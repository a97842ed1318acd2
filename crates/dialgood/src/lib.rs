//! The Dialgood Partner Agent API, mounted at `/partner/v1`.
//!
//! Handlers only translate: wire shapes in [`wire`], errors in [`error`], authentication in
//! [`auth`]; the rules live in the domain core.
//!
//! Choices where the vendor document is silent (also in the OpenAPI document and the README):
//! - focused endpoints: `POST /agents/{agentId}/clone`; `GET`/`PUT`/`PATCH
//!   /agents/{agentId}/settings`; `GET`/`PUT`/`PATCH /agents/{agentId}/credentials`. Bodies are
//!   accepted wrapped (`{"settings": …}`, `{"credentials": […]}`) or bare. `PUT` replaces,
//!   `PATCH` merges key by key (a credential with `"value": null` is removed).
//! - `metadata` in an agent write is merged key by key, because it carries system keys such as
//!   `clonedFromAgentId`; `metadata.commit_message`/`commitMessage` label the version and are not
//!   stored on the agent.
//! - extensions: sharing (`/agents/{agentId}/shares`), version restore and version diff,
//!   `ETag`/`If-Match`, `Idempotency-Key`.

pub mod auth;
pub mod error;
mod handlers;
mod schema;
pub mod wire;

use axum::Router;
use switchboard_domain::Core;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::OpenApi;
use utoipa::Modify;

pub use error::Dialgood;

/// Where the dialect is mounted.
pub const MOUNT: &str = "/partner/v1";

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Switchboard: Dialgood Partner Agent API",
        description = "AI voice agents with versioned writes, encrypted credentials, sharing and call logs. \
            Authenticate with the `api_token` header (or `?api_token=`). Errors are `{\"error\": \"…\"}`.\n\n\
            Extensions beyond the vendor's API: `ETag` on agent reads and `If-Match` on writes (412 when stale); \
            `Idempotency-Key` on every POST (same key and body within 24 h replays the first response; another body \
            gets 422); agent sharing; version restore; version diff."
    ),
    servers((url = "/partner/v1")),
    modifiers(&Security),
    security(("api_token_header" = []), ("api_token_query" = []))
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_token_header",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("api_token"))),
        );
        components.add_security_scheme(
            "api_token_query",
            SecurityScheme::ApiKey(ApiKey::Query(ApiKeyValue::new("api_token"))),
        );
    }
}

/// The dialect's routes (relative to [`MOUNT`]) and its OpenAPI document.
pub fn router(core: Core) -> (Router<Core>, OpenApi) {
    switchboard_http::router::finish::<Dialgood>(
        core,
        <ApiDoc as utoipa::OpenApi>::openapi(),
        handlers::routes(),
    )
}
