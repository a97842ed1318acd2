//! `Idempotency-Key` on every POST, for every dialect.
//!
//! The first request with a key runs and its response is stored; a retry with the same key and
//! the same request gets that response again (with `Idempotency-Replayed: true`); the same key
//! with a different request is refused with 422; a duplicate that arrives while the first is
//! still running waits for it, so concurrent duplicates have one effect. Keys are scoped to
//! the credentials that sent them and remembered for 24 hours. Server errors are not stored,
//! so such a request may be retried.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};
use switchboard_domain::idempotency::{Claim, StoredResponse};
use switchboard_domain::Core;

use crate::{Dialect, MAX_BODY_BYTES};

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// Set on replayed responses.
pub const REPLAYED: &str = "idempotency-replayed";
/// Longest key accepted.
const MAX_KEY_LEN: usize = 255;
/// How long a duplicate waits for the first request before giving up with 409.
const WAIT_FOR_FIRST: Duration = Duration::from_secs(30);
/// Headers that identify the caller; a key is only ever matched within one caller.
const CREDENTIAL_HEADERS: &[&str] = &["api_token", "x-api-key", "authorization"];

/// Middleware honouring `Idempotency-Key` on POST requests of dialect `D`.
pub async fn layer<D: Dialect>(State(core): State<Core>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(raw_key) = req.headers().get(HEADER) else {
        return next.run(req).await;
    };
    let key = match raw_key.to_str() {
        Ok(k) if !k.is_empty() && k.len() <= MAX_KEY_LEN => k.to_owned(),
        _ => {
            return D::error(
                StatusCode::BAD_REQUEST,
                &format!("Idempotency-Key must be 1 to {MAX_KEY_LEN} visible ASCII characters"),
            )
        }
    };
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(b) => b,
        Err(_) => {
            return D::error(
                D::body_rejection_status(StatusCode::PAYLOAD_TOO_LARGE),
                "request body too large",
            )
        }
    };
    let scope = digest(
        CREDENTIAL_HEADERS
            .iter()
            .map(|h| {
                parts
                    .headers
                    .get(*h)
                    .map(HeaderValue::as_bytes)
                    .unwrap_or_default()
            })
            .chain(std::iter::once(
                query_credential(parts.uri.query()).as_bytes(),
            )),
    );
    let target = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let fingerprint = digest(
        [
            parts.method.as_str().as_bytes(),
            target.as_bytes(),
            &bytes[..],
        ]
        .into_iter(),
    );
    let store = core.store().clone();

    let deadline = tokio::time::Instant::now() + WAIT_FOR_FIRST;
    loop {
        let now = core.clock().now();
        let claim = match store
            .claim_idempotency_key(&scope, &key, &fingerprint, now)
            .await
        {
            Ok(c) => c,
            Err(e) => return D::domain_error(&e),
        };
        match claim {
            Claim::Claimed => break,
            Claim::Existing(rec) if rec.fingerprint != fingerprint => {
                return D::error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "this Idempotency-Key was already used with a different request",
                )
            }
            Claim::Existing(rec) => match rec.response {
                Some(stored) => return replay(stored),
                None if tokio::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(25)).await;
                }
                None => {
                    return D::error(
                        StatusCode::CONFLICT,
                        "a request with this Idempotency-Key is still in progress",
                    )
                }
            },
        }
    }

    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let (parts, body) = response.into_parts();
    let bytes = match body.collect().await {
        Ok(c) => c.to_bytes(),
        Err(_) => {
            let _ = store.release_idempotency_key(&scope, &key).await;
            return D::error(StatusCode::INTERNAL_SERVER_ERROR, "internal server error");
        }
    };
    let outcome = if parts.status.is_server_error() {
        store.release_idempotency_key(&scope, &key).await
    } else {
        let stored = StoredResponse {
            status: parts.status.as_u16(),
            content_type: parts
                .headers
                .get(axum::http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            body: bytes.to_vec(),
        };
        store.finish_idempotency_key(&scope, &key, &stored).await
    };
    if let Err(e) = outcome {
        tracing::error!(error = %e, "could not record an idempotency key");
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn replay(stored: StoredResponse) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = (status, stored.body).into_response();
    let headers = response.headers_mut();
    if let Some(ct) = stored
        .content_type
        .and_then(|ct| HeaderValue::from_str(&ct).ok())
    {
        headers.insert(axum::http::header::CONTENT_TYPE, ct);
    }
    headers.insert(REPLAYED, HeaderValue::from_static("true"));
    response
}

/// A credential passed in the query string (`?api_token=`, `?apikey=`).
fn query_credential(query: Option<&str>) -> String {
    query
        .unwrap_or_default()
        .split('&')
        .filter(|kv| kv.starts_with("api_token=") || kv.starts_with("apikey="))
        .collect::<Vec<_>>()
        .join("&")
}

fn digest<'a>(parts: impl Iterator<Item = &'a [u8]>) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p);
    }
    hex::encode(h.finalize())
}
