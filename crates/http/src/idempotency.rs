//! `Idempotency-Key` on every POST, for every dialect.
//!
//! The first request with a key runs and its response is stored; a retry with the same key and
//! the same request gets that response again (with `Idempotency-Replayed: true`); the same key
//! with a different request is refused with 422; a duplicate that arrives while the first is
//! still running waits for it, so concurrent duplicates have one effect. Keys are only looked
//! at once the request has authenticated, and are scoped to the authenticated caller (the user
//! or partner), so two callers' equal keys never meet; they are remembered for 24 hours. Kept
//! response bodies are sealed with the secrets cipher (a response may carry a secret, such as
//! a rotated webhook signing secret). Server errors are not stored, so such a request may be
//! retried.

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

use switchboard_domain::media::MAX_UPLOAD_BYTES;

use crate::Dialect;

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// Set on replayed responses.
pub const REPLAYED: &str = "idempotency-replayed";
/// Longest key accepted.
const MAX_KEY_LEN: usize = 255;
/// How long a duplicate waits for the first request before giving up with 409.
const WAIT_FOR_FIRST: Duration = Duration::from_secs(30);
/// The largest request body any route accepts (Bird's media upload form).
const MAX_BUFFERED_BYTES: usize = MAX_UPLOAD_BYTES + 64 * 1024;

/// Middleware honouring `Idempotency-Key` on POST requests of dialect `D`.
pub async fn layer<D: Dialect>(State(core): State<Core>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST || !req.headers().contains_key(HEADER) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    // Authentication comes first: a request that does not authenticate claims nothing and
    // replays nothing; it runs as if without the header and gets the dialect's auth error.
    let Some(scope) = D::caller_scope(&mut parts, &core).await else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    let key = match parts.headers.get(HEADER).map(HeaderValue::to_str) {
        Some(Ok(k)) if !k.is_empty() && k.len() <= MAX_KEY_LEN => k.to_owned(),
        _ => {
            return D::error(
                StatusCode::BAD_REQUEST,
                &format!("Idempotency-Key must be 1 to {MAX_KEY_LEN} visible ASCII characters"),
            )
        }
    };
    // The body is read here for its fingerprint, up to the largest body any route takes; the
    // route's own limit still applies when its handler reads the buffered body.
    let bytes = match axum::body::to_bytes(body, MAX_BUFFERED_BYTES).await {
        Ok(b) => b,
        Err(_) => {
            return D::error(
                D::body_rejection_status(StatusCode::PAYLOAD_TOO_LARGE),
                "request body too large",
            )
        }
    };
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
    let deadline = tokio::time::Instant::now() + WAIT_FOR_FIRST;
    loop {
        let claim = match core.claim_idempotency_key(&scope, &key, &fingerprint).await {
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
            let _ = core.release_idempotency_key(&scope, &key).await;
            return D::error(StatusCode::INTERNAL_SERVER_ERROR, "internal server error");
        }
    };
    let outcome = if parts.status.is_server_error() {
        core.release_idempotency_key(&scope, &key).await
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
        core.finish_idempotency_key(&scope, &key, &stored).await
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

fn digest<'a>(parts: impl Iterator<Item = &'a [u8]>) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p);
    }
    hex::encode(h.finalize())
}
