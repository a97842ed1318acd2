//! The 360dialog Partner API (v2), mounted at `/api/v2/partners`: the partner account, its
//! webhook, and its clients (the partner's companies).
//!
//! Handlers only translate: wire shapes in [`wire`], errors in [`error`], authentication in
//! [`auth`], ids in [`ids`]; the rules live in the domain core. [`PartnerWebhooks`] tells the
//! event worker where client events go.
//!
//! Choices where the vendor document is silent (also in the OpenAPI document and the README):
//! - ids: partners render as the decimal id with `PA` appended, clients with `CL`; the bare
//!   decimal is accepted in paths and filters.
//! - auth: `X-API-Key` with a partner key (`sbp_…`); `Authorization: Bearer <partner key>` is
//!   accepted too. A user key is not a partner key (401). Another partner's id is 404.
//! - partner: deprecated and internal fields render fixed values (`payment_required` false,
//!   `onboarding_deeplink_add_params` false, `blocked_new_submission` false, `billing_system`
//!   `"default"`, `publishable_key` null); unset URLs and country render `null`. PATCH accepts only
//!   `webhook_url`, `partner_redirect_url` (absolute http(s) URLs; `null` or `""` clears) and
//!   `allow_client_to_add_phone_no`; any other field is 400.
//! - clients: `status` is `pending`, `active`, `suspended` or `terminated`. `filters` keys: `id`,
//!   `name` (case-insensitive substring), `status`, `organisation`, `partner_payload` and the
//!   documented `meta_info.*`, `contact_info.*`, `contact_user.*` keys (exact match); unknown keys
//!   are 400. `sort` takes a field (`id`, `name`, `status`, `max_channels`, `created_at`,
//!   `modified_at` or any filter field), `-` for descending, several comma-separated; default
//!   `-created_at`. `limit` 1–100, default 20. `total` without filters is the partner's client
//!   counter (kept by the writes); with filters the matches are counted up to 10,000 beyond the
//!   page's end (a lower bound there). The field names are this dialect's ([`fields`]).
//! - extensions: `POST /{partner_id}/clients` creates a client; `PATCH .../clients/{client_id}`
//!   also takes `status` and the client fields; `GET /{partner_id}/webhook_secret` and
//!   `POST /{partner_id}/webhook_secret/rotate` give the Standard Webhooks signing secret;
//!   `GET /{partner_id}/webhook_deliveries` lists deliveries with their attempts and
//!   `POST .../webhook_deliveries/{id}/replay` queues one again.
//! - webhooks: `client_created` and `client_status_changed` (the latter is ours) are POSTed as
//!   `{"id": <event id>, "event", "data": <client>}` with `webhook-id`, `webhook-timestamp` and
//!   `webhook-signature` headers.

pub mod auth;
pub mod error;
mod events;
pub mod fields;
mod handlers;
pub mod ids;
pub mod wire;

use axum::Router;
use switchboard_domain::Core;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::OpenApi;
use utoipa::Modify;

pub use error::D360;
pub use events::PartnerWebhooks;

/// Where the dialect is mounted.
pub const MOUNT: &str = "/api/v2/partners";

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Switchboard: 360dialog Partner API",
        description = "The partner account, its webhook and its clients. Authenticate with a partner API key in \
            `X-API-Key`. Errors are `{\"meta\": {\"success\": false, \"http_code\", \"developer_message\", \"details\"}}`. \
            Partner ids end in `PA`, client ids in `CL`.\n\n\
            Extensions beyond the vendor's API: client creation, client `status` and fields on PATCH, the webhook \
            signing secret, webhook deliveries with their attempts and replay, `Idempotency-Key` on every POST. \
            Webhooks carry Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`)."
    ),
    servers((url = "/api/v2/partners")),
    modifiers(&Security),
    security(("PartnerApiKeyV2" = []))
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "PartnerApiKeyV2",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-API-Key"))),
        );
    }
}

/// The dialect's routes (relative to [`MOUNT`]) and its OpenAPI document.
pub fn router(core: Core) -> (Router<Core>, OpenApi) {
    switchboard_http::router::finish::<D360>(
        core,
        <ApiDoc as utoipa::OpenApi>::openapi(),
        handlers::routes(),
    )
}
