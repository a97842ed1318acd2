//! `GET /oauth2/authorize` (the vendor's), and the consent form's `POST /oauth2/authorize`
//! beside it. Mounted at the server root, like the vendor's.
//!
//! Choices where the vendor is silent (also in the README):
//! - PKCE is required, `S256` only: a request without `code_challenge`, or with
//!   `code_challenge_method` `plain` (or none, which RFC 7636 reads as `plain`), is refused.
//!   `response_type` may be left out (it can only be `code`); `scope` is space-separated, from
//!   the documented list.
//! - A browser (a request that accepts `text/html`) gets the consent page: the app's name,
//!   what it will be able to do, and a field for the user's own Dialpad API key (the server has
//!   no other sign-in), with Allow and Deny. The form carries the checked request signed by the
//!   server and valid for 10 minutes, so it cannot be posted for another app, redirect URI,
//!   scope or challenge. Allow with a key of a user of the app's company sends the user to the
//!   redirect URI with `code` (and `state`), the URI's own query kept as it is; Deny sends
//!   `error=access_denied`. A wrong key shows the form again (401).
//! - Errors about `client_id` or `redirect_uri` (unknown, not registered exactly, with `#`)
//!   are shown on a page (400); later errors are sent to the redirect URI as `error`,
//!   `error_description` and `state` (RFC 6749 §4.1.2.1).
//! - Any other client (an SDK's `authorize_token`) gets the check only: 204 when the request
//!   is valid, else 400 in Dialpad's error envelope (the RFC error code first in the message).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use switchboard_domain::oauth::authorize::{
    Authorization, AuthorizeError, AuthorizeRequest, ConsentOutcome,
};
use switchboard_domain::Core;
use switchboard_http::Dialect;

use super::oauth2_page::{consent_page, error_page};
use crate::Dialpad;

/// The OAuth2 endpoints, relative to `crate::OAUTH_MOUNT`; the consent form posts back to
/// the authorize path.
pub(crate) fn routes() -> Router<Core> {
    Router::new()
        .route("/authorize", get(authorize).post(answer))
        .route("/token", post(super::oauth2_token::token))
        .route("/deauthorize", post(super::oauth2_token::deauthorize))
}

/// Whether the client is a browser, which gets pages and redirects.
fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("text/html"))
}

/// A 302 to `location`.
pub(crate) fn redirect(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => {
            let mut r = StatusCode::FOUND.into_response();
            r.headers_mut().insert(header::LOCATION, value);
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(_) => error_page("the redirect URI cannot be used"),
    }
}

/// The request's parameters; a repeated one is refused (RFC 6749 §3.1).
fn parse_request(query: Option<&str>) -> Result<AuthorizeRequest, String> {
    let mut req = AuthorizeRequest::default();
    for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        let slot = match k.as_ref() {
            "client_id" => &mut req.client_id,
            "redirect_uri" => &mut req.redirect_uri,
            "response_type" => &mut req.response_type,
            "scope" => &mut req.scope,
            "state" => &mut req.state,
            "code_challenge" => &mut req.code_challenge,
            "code_challenge_method" => &mut req.code_challenge_method,
            _ => continue,
        };
        if slot.is_some() {
            return Err(format!("{k} is given more than once"));
        }
        *slot = Some(v.into_owned());
    }
    Ok(req)
}

/// How an error answers: a page or a redirect for a browser, Dialpad's 400 for others.
fn refused(e: AuthorizeError, browser: bool) -> Response {
    match e {
        AuthorizeError::Failed(d) => Dialpad::domain_error(&d),
        AuthorizeError::Page(m) if browser => error_page(&m),
        AuthorizeError::Page(m) => Dialpad::error(StatusCode::BAD_REQUEST, &m),
        e @ AuthorizeError::Redirect { .. } if browser => {
            redirect(&e.location().unwrap_or_default())
        }
        AuthorizeError::Redirect { refusal, .. } => Dialpad::error(
            StatusCode::BAD_REQUEST,
            &format!("{}: {}", refusal.code.as_str(), refusal.description),
        ),
    }
}

/// `GET /oauth2/authorize`.
pub(crate) async fn authorize(
    State(core): State<Core>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let browser = accepts_html(&headers);
    let req = match parse_request(query.as_deref()) {
        Ok(r) => r,
        Err(m) => return refused(AuthorizeError::Page(m), browser),
    };
    let auth = match core.oauth().check_authorization(&req).await {
        Ok(a) => a,
        Err(e) => return refused(e, browser),
    };
    if !browser {
        return StatusCode::NO_CONTENT.into_response();
    }
    match core.oauth().consent_token(&auth).await {
        Ok(token) => consent_page(&auth, &token, None),
        Err(d) => Dialpad::domain_error(&d),
    }
}

/// The consent form's answer: `consent` (the signed request), `api_key`, `decision`
/// (`allow` or `deny`).
pub(crate) async fn answer(
    State(core): State<Core>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(r) => return Dialpad::error(r.status(), &r.body_text()),
    };
    let (mut consent, mut key, mut decision) = (None, None, None);
    for (k, v) in form_urlencoded::parse(&body) {
        match k.as_ref() {
            "consent" => consent = Some(v.into_owned()),
            "api_key" => key = Some(v.into_owned()),
            "decision" => decision = Some(v.into_owned()),
            _ => {}
        }
    }
    let Some(consent) = consent else {
        return error_page("this is not a consent form of this server");
    };
    let oauth = core.oauth();
    let auth: Authorization = match oauth.open_consent(&consent).await {
        Ok(a) => a,
        Err(e) => return refused(e, true),
    };
    match decision.as_deref() {
        Some("deny") => redirect(&oauth.deny(&auth)),
        Some("allow") => match oauth.approve(&auth, key.as_deref().unwrap_or("")).await {
            Ok(ConsentOutcome::Redirect(location)) => redirect(&location),
            Ok(ConsentOutcome::SignInFailed(why)) => consent_page(&auth, &consent, Some(&why)),
            Err(e) => refused(e, true),
        },
        _ => consent_page(&auth, &consent, Some("choose Allow or Deny")),
    }
}
