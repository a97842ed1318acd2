//! The Dialpad API v2, mounted at `/api/v2` (360dialog keeps `/api/v2/partners`): the company
//! directory, growing resource by resource towards the vendor's whole document.
//!
//! Handlers only translate: shared wire shapes in [`wire`], errors in [`error`],
//! authentication in [`auth`], rate limits in [`limits`]; the rules live in the domain core.
//! The OpenAPI document served at `/api/v2/openapi.json` is the vendor's own, cut down to the
//! operations implemented here (see [`document`]).
//!
//! Choices where the vendor document is silent (also in the README):
//! - keys: a company key (`switchboard key create --company ID`, `sbc_…`) or a company admin's
//!   user key can do everything; a plain user's key reads, and gets 403 where the document
//!   says "Requires a company admin API key" and on writes to users. A partner key is 401.
//! - `DP-Company-ID` may name the caller's company; any other value is 404.
//! - users: `DELETE` marks the user `deleted` (their keys stop working; the record stays for
//!   history and the other dialects); without `state`, lists leave deleted users out and
//!   `state=all` shows them. `POST` needs `email` and `office_id`; `license` must be one of the
//!   document's names. `phone_numbers` are the user's numbers, primary first; `number` finds
//!   the user who has it.
//! - user updates (admin): names and the first of `emails` are the tenancy user's (a taken
//!   primary email is 409); `state` is `active` or `suspended` (suspended keys are 401);
//!   `is_super_admin` is the company-admin flag; `presence_status` becomes the status message
//!   through the vendor's templates; `phone_numbers` re-orders the user's numbers or gives the
//!   ones left out back to the pool.
//! - status, do-not-disturb, caller id and E911 writes: the user themselves (`me` with a user
//!   key) or an admin. Do-not-disturb is the workforce presence: on = activity `busy`, off =
//!   `available`, status kept; one `agent_status_changed` event per change; per-group DND is 400.
//!   Status `expiration` is 1 second to a year.
//! - caller id: the user's primary number unless they chose another of theirs or their office's,
//!   or `blocked`; E911 reads fall back to the office's
//!   address, then `{}`; personas and desk phones: empty lists, one desk phone 404.
//! - company: `account_type` is `standard`; `admin_email` is the earliest admin's; `domain`
//!   is that email's domain; `country` is the main office's; a `terminated` company is
//!   `cancelled`.
//! - call centers and departments: hours are `HH:MM` open/close pairs (`24:00` ends the day;
//!   a range ending before it starts is 400); limits follow the vendor's descriptions; routing
//!   targets of kind user/office/callcenter/department/callrouter must be the company's (404);
//!   `office_id` cannot change; delete removes the group and its memberships; adding/removing
//!   operators and skill changes are for admins, a user may set their own duty status; a new
//!   operator is on duty and `available`; department room operators are 404 (rooms are not operators yet);
//!   deleting a user removes them from every group; operator lists are not paged.
//! - call routers: `routing_url` is https (http only to a loopback host); default targets are
//!   the company's users, offices, call centers, departments or other routers (other kinds 404,
//!   `unknown` 400); the secret is sealed, never answered (`signature` shows only `algo` and
//!   `type`), removed by `secret: ""`; `DELETE` answers the router as it was.
//! - office plans count the lines the office's users' licences take; other lines, the balance
//!   and the available licences are 0; off-duty statuses are two defaults plus the office's own;
//!   main-line operators are users (rooms are not operators yet: 404), not paged.
//! - rooms, coaching teams, channels: writes need an admin; a room is free, not on duty, and
//!   keeps only its own numbers on `PATCH`; the international PIN is six digits for 30 minutes,
//!   stored as a keyed hash; coaching teams are made on the command line; channel names are
//!   unique per company, a user key's channel is theirs (`user_id` is for company keys); every
//!   user has a meeting room with their id; meetings are empty until calls exist; device ids
//!   are decimal strings.
//! - every company has a main office (named after the company, `us`, `America/New_York` until
//!   changed); offices are `open` until opening hours are set.
//! - contacts, blocked numbers, access-control policies and custom IVRs: writes need an admin;
//!   phones are E.164 only; a list of numbers with one malformed is 400 and changes nothing;
//!   `PUT /contacts` replaces the shared contact of its uid; policies keep deleted records
//!   (restored with `state: active`); IVR audio is base64 MP3 up to 5 MiB (413 beyond), served
//!   back through `audio_url` (`/api/v2/media/{id}`, signed for 15 minutes); a new IVR is the
//!   selected one; call labels are set with `switchboard call-labels set`.
//! - OAuth2 (at the server root, [`OAUTH_MOUNT`]): apps are registered with `switchboard
//!   oauth-app create` and belong to one company, whose users authorize them on a consent page
//!   with their own API key; PKCE is required, `S256` only; codes last 10 minutes and work once
//!   (a replay revokes what they issued); access tokens last an hour and act as their user with
//!   the scopes consented to ([`auth::Caller::has_scope`]); refresh tokens rotate; token errors
//!   are RFC 6749's. `GET /app/settings` answers for an access token's app only (an API key is
//!   404). Details in `handlers/oauth2.rs`, `handlers/oauth2_token.rs`, `handlers/app_settings.rs`.
//! - access-control policies are enforced for user-scoped callers over call centers (updates,
//!   operators, skill levels): see [`policies`].
//! - stats exports and scheduled reports: company admins only; exports are CSV files built in
//!   the background (see `handlers/stats.rs` for the window, the equal-request rule and the
//!   columns; `handlers/schedulereports.rs` for schedules), downloaded through a signed link
//!   beyond the document (`/api/v2/stats/{id}/download`), kept an hour after they finish.

pub mod auth;
pub mod error;
pub mod events;
mod handlers;
pub mod limits;
pub mod policies;
pub mod wire;

use std::sync::Arc;

use axum::http::StatusCode;
use axum::{Extension, Router};
use serde_json::Value;
use switchboard_domain::Core;

pub use error::Dialpad;
pub use limits::RateLimits;
use switchboard_http::Dialect;

/// Where the dialect is mounted.
pub const MOUNT: &str = "/api/v2";

/// Where the OAuth2 endpoints are mounted: at the server root, as the vendor serves them.
pub const OAUTH_MOUNT: &str = "/oauth2";

/// The vendor's OpenAPI document, as published with its SDK.
const VENDOR_DOCUMENT: &str = include_str!("../spec/dialpad_api_spec.json");

/// The dialect's routes (relative to [`MOUNT`]) and its OpenAPI document.
pub fn router(core: Core, limits: RateLimits) -> (Router<Core>, Value) {
    let doc = document();
    let limits = limits.with_operation_limits(&doc);
    let routes = handlers::routes().layer(Extension(Arc::new(limits)));
    (
        switchboard_http::router::finish_routes::<Dialpad>(core, routes),
        doc,
    )
}

/// The OAuth2 endpoints (relative to [`OAUTH_MOUNT`]), with 404 and 405 in Dialpad's shape.
pub fn oauth_router() -> Router<Core> {
    handlers::oauth_routes()
        .method_not_allowed_fallback(|| async {
            Dialpad::error(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
        })
        .fallback(|| async { Dialpad::error(StatusCode::NOT_FOUND, "not found") })
}

/// The vendor's whole document, parsed once.
fn vendor_document() -> &'static Value {
    static DOC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    DOC.get_or_init(|| serde_json::from_str(VENDOR_DOCUMENT).expect("the vendor document is JSON"))
}

/// The values the vendor's document allows for `field` of schema `schema` (such as
/// `schemas.office.CreateOfficeMessage`, `country`): the one list of a vendor enum.
pub fn allowed_values(schema: &str, field: &str) -> Vec<&'static str> {
    vendor_document()["components"]["schemas"][schema]["properties"][field]["enum"]
        .as_array()
        .map(|values| values.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The values the vendor's document allows for each item of the array `field` of schema
/// `schema` (such as an access-control policy's `permission_sets`).
pub fn allowed_item_values(schema: &str, field: &str) -> Vec<&'static str> {
    vendor_document()["components"]["schemas"][schema]["properties"][field]["items"]["enum"]
        .as_array()
        .map(|values| values.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The values the vendor's document allows for the parameter `name` of an operation (`path`
/// without the mount, `method` in lower case), such as a path's `target_type`.
pub fn parameter_values(path: &str, method: &str, name: &str) -> Vec<&'static str> {
    vendor_document()["paths"][format!("{MOUNT}{path}")][method]["parameters"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == name))
        .and_then(|p| p["schema"]["enum"].as_array())
        .map(|values| values.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The vendor's document with only the implemented operations, served from this server.
pub fn document() -> Value {
    let mut doc = vendor_document().clone();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        paths.retain(|path, item| {
            let rest = match path.strip_prefix(MOUNT) {
                Some(rest) => rest.to_owned(),
                None if path.starts_with(OAUTH_MOUNT) => path.clone(),
                None => return false,
            };
            if let Some(item) = item.as_object_mut() {
                item.retain(|method, _| {
                    handlers::OPERATIONS.contains(&(rest.as_str(), method.as_str()))
                        || method == "parameters"
                });
                item.keys().any(|k| k != "parameters")
            } else {
                false
            }
        });
    }
    doc["servers"] = serde_json::json!([{"url": "/"}]);
    doc
}

#[cfg(test)]
mod tests {
    #[test]
    fn enums_come_from_the_vendor_document() {
        let countries = super::allowed_values("schemas.office.CreateOfficeMessage", "country");
        assert!(countries.contains(&"US") && countries.contains(&"GB"));
        assert!(super::allowed_values("schemas.office.CreateOfficeMessage", "nothing").is_empty());
    }

    #[test]
    fn the_document_has_exactly_the_implemented_operations() {
        let doc = super::document();
        let mut served = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                served.push((
                    path.trim_start_matches(super::MOUNT).to_owned(),
                    method.clone(),
                ));
            }
        }
        let mut implemented: Vec<_> = super::handlers::OPERATIONS
            .iter()
            .map(|(p, m)| (p.to_string(), m.to_string()))
            .collect();
        served.sort();
        implemented.sort();
        assert_eq!(served, implemented);
    }
}
