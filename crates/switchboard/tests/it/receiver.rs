//! A real webhook receiver for the tests: an HTTP server on a loopback port that records every
//! request and answers with a status the test chooses.

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

#[derive(Default)]
struct Inner {
    got: Mutex<Vec<Received>>,
    /// How many requests arrived, for tests that await them.
    count: tokio::sync::watch::Sender<usize>,
    status: AtomicU16,
    retry_after: Mutex<Option<String>>,
}

/// A running receiver.
#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    inner: Arc<Inner>,
}

async fn hook(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) -> Response {
    let n = {
        let mut got = inner.got.lock().unwrap();
        got.push(Received {
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        });
        got.len()
    };
    inner.count.send_replace(n);
    let status = StatusCode::from_u16(inner.status.load(Ordering::SeqCst)).unwrap();
    match inner.retry_after.lock().unwrap().clone() {
        Some(r) => (status, [("retry-after", r)]).into_response(),
        None => status.into_response(),
    }
}

impl Receiver {
    /// Starts a receiver answering 200.
    pub async fn start() -> Self {
        Self::start_at("127.0.0.1:0".parse().unwrap()).await
    }

    /// Starts a receiver on a given address (one that was down before).
    pub async fn start_at(addr: std::net::SocketAddr) -> Self {
        let inner = Arc::new(Inner::default());
        inner.status.store(200, Ordering::SeqCst);
        let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let app = axum::Router::new()
            .route("/hook", axum::routing::post(hook))
            .with_state(inner.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { url, inner }
    }

    /// Makes the receiver answer `status` from now on (with `Retry-After` when given).
    pub fn answer(&self, status: u16, retry_after: Option<&str>) {
        self.inner.status.store(status, Ordering::SeqCst);
        *self.inner.retry_after.lock().unwrap() = retry_after.map(str::to_owned);
    }

    /// Waits until `n` requests have arrived; `false` if they did not within `limit` (a guard
    /// against a hanging test, not a wait for work).
    pub async fn wait_for(&self, n: usize, limit: std::time::Duration) -> bool {
        let mut count = self.inner.count.subscribe();
        tokio::time::timeout(limit, count.wait_for(|c| *c >= n))
            .await
            .is_ok_and(|r| r.is_ok())
    }

    /// Every request so far.
    pub fn received(&self) -> Vec<Received> {
        self.inner.got.lock().unwrap().clone()
    }
}

/// Verifies a Standard Webhooks signature: HMAC-SHA256 over `{id}.{timestamp}.{body}` with the
/// base64 key of a `whsec_` secret, compared in constant time against each `v1,` signature.
pub fn verify(secret: &str, got: &Received) -> bool {
    use base64::Engine;
    use hmac::{Hmac, Mac};
    let b64 = base64::engine::general_purpose::STANDARD;
    let Ok(key) = b64.decode(secret.strip_prefix("whsec_").unwrap_or(secret)) else {
        return false;
    };
    let signed = format!(
        "{}.{}.{}",
        got.header("webhook-id"),
        got.header("webhook-timestamp"),
        got.body
    );
    got.header("webhook-signature")
        .split(' ')
        .filter_map(|s| s.strip_prefix("v1,"))
        .filter_map(|s| b64.decode(s).ok())
        .any(|sig| {
            let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
            mac.update(signed.as_bytes());
            mac.verify_slice(&sig).is_ok()
        })
}
