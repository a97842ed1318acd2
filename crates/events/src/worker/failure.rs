//! What went wrong with an attempt: the status, a reason fit for the attempt log (never the
//! URL), and the receiver's `Retry-After`.

use std::time::Duration;

use jiff::Timestamp;
use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::net::Refused;

pub(super) struct Failure {
    pub(super) status: Option<i64>,
    pub(super) reason: String,
    pub(super) retry_after: Option<Duration>,
}

impl Failure {
    pub(super) fn new(reason: String) -> Self {
        Self {
            status: None,
            reason,
            retry_after: None,
        }
    }
}

/// The most telling message of a send error: our refusal if that is the cause.
pub(super) fn describe(err: &reqwest::Error) -> String {
    let mut source: Option<&dyn std::error::Error> = Some(err);
    while let Some(e) = source {
        if let Some(refused) = e.downcast_ref::<Refused>() {
            return refused.to_string();
        }
        source = e.source();
    }
    // The top-level message repeats the URL, which may carry a receiver's token: name the
    // cause only, so neither the attempt log nor the server log holds the URL.
    let mut cause = std::error::Error::source(err);
    let mut innermost = None;
    while let Some(e) = cause {
        innermost = Some(e.to_string());
        cause = e.source();
    }
    let detail = innermost.unwrap_or_else(|| "the request failed".into());
    if err.is_timeout() {
        "timed out".into()
    } else if err.is_connect() {
        format!("connection failed: {detail}")
    } else {
        detail
    }
}

/// `Retry-After` as seconds or an HTTP date.
pub(super) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = jiff::fmt::rfc2822::parse(text).ok()?.timestamp();
    let wait = at.duration_since(Timestamp::now());
    Duration::try_from(wait).ok()
}
