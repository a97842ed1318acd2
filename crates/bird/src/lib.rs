//! The Bird Collaborations API (Agent Management and the resources an agent refers to),
//! mounted at `/workspaces/{workspaceId}`.
//!
//! A workspace is a company, written as the company id's UUID form; a Bird agent is one of the
//! company's users (its id is the user id's UUID form), with the agent profile and presence
//! the domain keeps for every user. Handlers only translate: wire shapes in [`wire`], errors in
//! [`error`], authentication in [`auth`].
//!
//! Choices where the vendor document is silent (also in the README):
//! - errors are `{"code", "message"}`; validation failures (out-of-range values, unknown enum
//!   values, wrong JSON types) are 422, malformed JSON 400, unknown or foreign ids 404.
//! - `status` is `active`, `away` or `offline` (a user who never set one is `away`);
//!   `activity` is `available`, `busy`, `break`, `lunch`, `meeting`, `training` or
//!   `outOfOffice`. After `activityTtl` seconds the activity lapses back to `available` and its
//!   text is cleared; `activityTtl` then reads `null`.
//! - create takes an existing user (`userId`) or makes one (`email` or `userEmails[0]`, and
//!   `name`); 409 when that user is already an agent or the email is taken.
//! - delete removes the agent profile, team memberships, skills and capacity rule; the user
//!   stays (it may own AI agents and keys) and answers 404 as an agent until re-created.
//! - page tokens are opaque offsets; `agentIds` accepts repeated keys or comma-separated values.
//! - workload counts the agent's open work items per channel against the agent's capacity rule,
//!   else the workspace's default rule (`rule: null` when neither exists).
//! - uploads go to this server: `POST /media/uploads` takes the presigned form (an HMAC-SHA256
//!   signed policy, valid 15 minutes) and the file as multipart/form-data; download answers a
//!   signed link as `{url, expiresAt}`, or a 302 to it with `redirect=true`.

pub mod auth;
pub mod error;
mod handlers;
pub mod wire;

use axum::Router;
use switchboard_domain::Core;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::OpenApi;
use utoipa::Modify;

pub use error::Bird;

/// Where the dialect is mounted.
pub const MOUNT: &str = "/workspaces/{workspaceId}";

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Switchboard: Bird Collaborations API",
        description = "Workspace agents (the company's users), their availability and workload, teams, skills, \
            capacity rules and media uploads. Authenticate with `Authorization: AccessKey <key>` or `Authorization: Bearer <key>` \
            using a user key; the workspace id is the user's company id in UUID form. Errors are \
            `{\"code\": \"…\", \"message\": \"…\"}`.\n\nExtensions: `Idempotency-Key` on every POST."
    ),
    servers((url = "/workspaces/{workspaceId}", variables(("workspaceId" = (default = "", description = "The company id in UUID form"))))),
    modifiers(&Security),
    security(("accessKey" = []), ("bearer" = []))
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut access = Http::new(HttpAuthScheme::Bearer);
        access.scheme = HttpAuthScheme::Bearer;
        components.add_security_scheme("bearer", SecurityScheme::Http(access));
        components.add_security_scheme(
            "accessKey",
            SecurityScheme::ApiKey(utoipa::openapi::security::ApiKey::Header(
                utoipa::openapi::security::ApiKeyValue::with_description(
                    "Authorization",
                    "`AccessKey <key>`",
                ),
            )),
        );
    }
}

/// The dialect's routes (relative to [`MOUNT`]) and its OpenAPI document.
pub fn router(core: Core) -> (Router<Core>, OpenApi) {
    switchboard_http::router::finish::<Bird>(
        core,
        <ApiDoc as utoipa::OpenApi>::openapi(),
        handlers::routes(),
    )
}
