//! `POST /oauth2/token` and `POST /oauth2/deauthorize`, at the server root like the vendor's.
//!
//! Choices where the vendor is silent (also in the README):
//! - The body may be JSON (as the document says) or `application/x-www-form-urlencoded` (as
//!   OAuth clients send it); the client's credentials come in the body or as HTTP Basic (not
//!   both). `redirect_uri` is checked when given.
//! - Answers `{access_token, token_type: "bearer", expires_in: 3600, refresh_token}`; access
//!   tokens (`sboa_…`) last an hour, refresh tokens (`sbor_…`) 30 days and are rotated by every
//!   refresh. The vendor documents no error bodies here: errors follow RFC 6749 §5.2,
//!   `{"error": "invalid_grant", "error_description": …}`, 401 for `invalid_client` (with
//!   `WWW-Authenticate` when Basic was used), else 400.
//! - `deauthorize` takes the access token as its bearer and revokes every token of its app held
//!   by its user (204); any other credential is 401.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};
use switchboard_domain::oauth::grant::{OAuthErrorCode, Refusal, TokenError, TokenRequest};
use switchboard_domain::Core;
use switchboard_http::Dialect;

use crate::auth::Caller;
use crate::Dialpad;

fn no_store(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    r
}

fn refusal(r: &Refusal, basic: bool) -> Response {
    let status = if r.code == OAuthErrorCode::InvalidClient {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::BAD_REQUEST
    };
    let body = json!({"error": r.code.as_str(), "error_description": r.description});
    let mut response = no_store((status, Json(body)).into_response());
    if basic && status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"oauth2\""),
        );
    }
    response
}

fn bad_request(why: &str) -> Refusal {
    Refusal::new(OAuthErrorCode::InvalidRequest, why)
}

/// The body's parameters, from JSON or a form; each a string.
fn parameters(headers: &HeaderMap, body: &[u8]) -> Result<Vec<(String, String)>, Refusal> {
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/x-www-form-urlencoded")
        .to_ascii_lowercase();
    if kind.starts_with("application/json") {
        let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
            return Err(bad_request("the body must be a JSON object"));
        };
        let mut out = Vec::new();
        for (k, v) in map {
            match v {
                Value::Null => {}
                Value::String(s) => out.push((k, s)),
                _ => return Err(bad_request(&format!("{k} must be a string"))),
            }
        }
        Ok(out)
    } else if kind.starts_with("application/x-www-form-urlencoded") {
        Ok(form_urlencoded::parse(body).into_owned().collect())
    } else {
        Err(bad_request(
            "the body must be application/x-www-form-urlencoded or JSON",
        ))
    }
}

/// HTTP Basic client credentials (RFC 6749 §2.3.1: each part form-encoded).
fn basic(headers: &HeaderMap) -> Option<Result<(String, String), Refusal>> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, rest) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let failed = || Refusal::new(OAuthErrorCode::InvalidClient, "malformed Basic credentials");
    let decoded = STANDARD
        .decode(rest.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok());
    let Some((id, secret)) = decoded.as_deref().and_then(|d| d.split_once(':')) else {
        return Some(Err(failed()));
    };
    let part = |s: &str| {
        form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Some(Ok((part(id), part(secret))))
}

fn token_request(headers: &HeaderMap, body: &[u8]) -> Result<TokenRequest, Refusal> {
    let mut req = TokenRequest::default();
    for (k, v) in parameters(headers, body)? {
        let slot = match k.as_str() {
            "grant_type" => &mut req.grant_type,
            "code" => &mut req.code,
            "redirect_uri" => &mut req.redirect_uri,
            "code_verifier" => &mut req.code_verifier,
            "refresh_token" => &mut req.refresh_token,
            "client_id" => &mut req.client_id,
            "client_secret" => &mut req.client_secret,
            _ => continue,
        };
        if slot.is_some() {
            return Err(bad_request(&format!("{k} is given more than once")));
        }
        *slot = Some(v);
    }
    if let Some(creds) = basic(headers) {
        let (id, secret) = creds?;
        if req.client_secret.is_some() {
            return Err(bad_request(
                "client credentials are given both in the body and as HTTP Basic",
            ));
        }
        if req.client_id.as_ref().is_some_and(|c| *c != id) {
            return Err(bad_request("client_id differs from the Basic credentials"));
        }
        req.client_id = Some(id);
        req.client_secret = Some(secret);
    }
    Ok(req)
}

/// `POST /oauth2/token`.
pub(crate) async fn token(
    State(core): State<Core>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(r) => return Dialpad::error(r.status(), &r.body_text()),
    };
    let basic_used = basic(&headers).is_some();
    let req = match token_request(&headers, &body) {
        Ok(r) => r,
        Err(r) => return refusal(&r, basic_used),
    };
    match core.oauth().token(&req).await {
        Ok(pair) => no_store(
            Json(json!({
                "access_token": pair.access_token,
                "token_type": "bearer",
                "expires_in": pair.expires_in,
                "refresh_token": pair.refresh_token,
            }))
            .into_response(),
        ),
        Err(TokenError::Refused(r)) => refusal(&r, basic_used),
        Err(TokenError::Failed(e)) => Dialpad::domain_error(&e),
    }
}

/// `POST /oauth2/deauthorize`.
pub(crate) async fn deauthorize(State(core): State<Core>, caller: Caller) -> Response {
    let (Some(app), Some(user)) = (caller.oauth_app, caller.user.as_ref()) else {
        return Dialpad::error(
            StatusCode::UNAUTHORIZED,
            "deauthorize takes the OAuth access token to revoke as its bearer",
        );
    };
    match core.oauth().deauthorize(app, user.id).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => Dialpad::domain_error(&e),
    }
}
