//! Rate limits as Dialpad documents them: 20 requests per second per company over every
//! operation (a burst of 20, refilled continuously), and each operation's own limit from its
//! description in the vendor's document ("Rate limit: 1200 per minute.", "… per 5 minute.",
//! "… per hour."; where a description gives two, the first and stricter one), counted per
//! company and operation. A request over either gets 429 in the error envelope with
//! `Retry-After` (whole seconds, at least 1). The company limit is a setting
//! (`dialpad_rate_limit`; 0 turns every limit off); each process counts its own requests.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use switchboard_domain::ids::CompanyId;

/// The documented default: requests per second per company.
pub const DEFAULT_PER_SECOND: u32 = 20;

/// The dialect's limiters.
pub struct RateLimits {
    per_company: Option<DefaultKeyedRateLimiter<i64>>,
    /// By `"METHOD /api/v2/path"`.
    per_operation: HashMap<String, DefaultKeyedRateLimiter<i64>>,
    clock: DefaultClock,
}

impl RateLimits {
    /// `per_second` requests per second per company; 0 for no limit.
    pub fn new(per_second: u32) -> Self {
        Self {
            per_company: NonZeroU32::new(per_second)
                .map(|n| RateLimiter::keyed(Quota::per_second(n))),
            per_operation: HashMap::new(),
            clock: DefaultClock::default(),
        }
    }

    /// With each operation's own limit from `doc` (an OpenAPI document), unless limits are off.
    pub fn with_operation_limits(mut self, doc: &serde_json::Value) -> Self {
        if self.per_company.is_none() {
            return self;
        }
        let paths = doc.get("paths").and_then(|p| p.as_object());
        for (path, item) in paths.into_iter().flatten() {
            for (method, op) in item.as_object().into_iter().flatten() {
                let description = op.get("description").and_then(|d| d.as_str());
                if let Some(quota) = description.and_then(documented_quota) {
                    self.per_operation.insert(
                        shape(&format!("{} {path}", method.to_uppercase())),
                        RateLimiter::keyed(quota),
                    );
                }
            }
        }
        self
    }

    /// Counts a request of `company` to `operation` (`"GET /api/v2/users"`, the route's
    /// template) against the operation's own limit, when it has one.
    pub fn check_operation(&self, operation: &str, company: CompanyId) -> Result<(), Duration> {
        let Some(limiter) = self.per_operation.get(&shape(operation)) else {
            return Ok(());
        };
        limiter
            .check_key(&company.0)
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }

    /// No limits.
    pub fn off() -> Self {
        Self::new(0)
    }

    /// Counts a request of `company`; `Err` with how long to wait when it is over the limit.
    pub fn check(&self, company: CompanyId) -> Result<(), Duration> {
        let Some(limiter) = &self.per_company else {
            return Ok(());
        };
        limiter
            .check_key(&company.0)
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }
}

/// An operation with its path parameters unnamed (`GET /api/v2/users/{}`): the router names a
/// segment once for every route through it, so its names may differ from the document's.
fn shape(operation: &str) -> String {
    operation
        .split('/')
        .map(|seg| {
            if seg.starts_with('{') && seg.ends_with('}') {
                "{}"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The quota of the first "Rate limit: N per [K ]minute|hour|second" in a description.
fn documented_quota(description: &str) -> Option<Quota> {
    let rest = &description[description.find("Rate limit:")? + "Rate limit:".len()..];
    let mut words = rest.split_whitespace();
    let n: u32 = words.next()?.parse().ok()?;
    if words.next()? != "per" {
        return None;
    }
    let mut unit = words.next()?.trim_end_matches('.');
    let mut count = 1u64;
    if let Ok(k) = unit.parse::<u64>() {
        count = k;
        unit = words.next()?.trim_end_matches('.');
    }
    let seconds = match unit.trim_end_matches('s') {
        "second" => 1,
        "minute" => 60,
        "hour" => 3600,
        _ => return None,
    } * count;
    let burst = NonZeroU32::new(n)?;
    // `n` per period, refilled evenly: one every period / n.
    let every = Duration::from_secs(seconds) / n;
    Some(Quota::with_period(every)?.allow_burst(burst))
}

impl Default for RateLimits {
    fn default() -> Self {
        Self::new(DEFAULT_PER_SECOND)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_over_the_limit_waits_and_other_companies_do_not() {
        let limits = RateLimits::new(3);
        let (a, b) = (CompanyId(1), CompanyId(2));
        for _ in 0..3 {
            assert!(limits.check(a).is_ok());
        }
        let wait = limits.check(a).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(1));
        assert!(limits.check(b).is_ok());
        let documented =
            |d: &str| documented_quota(d).map(|q| (q.burst_size().get(), q.replenish_interval()));
        assert_eq!(
            documented("Gets a user.\n\nRate limit: 1200 per minute."),
            Some((1200, Duration::from_millis(50)))
        );
        assert_eq!(
            documented("Rate limit: 1 per 5 minute."),
            Some((1, Duration::from_secs(300)))
        );
        assert_eq!(
            documented("Rate limit: 200 per hour."),
            Some((200, Duration::from_secs(18)))
        );
        assert_eq!(documented("No limit here."), None);
        assert_eq!(
            shape("PATCH /api/v2/callcenters/{id}/operators/{user}/skill"),
            shape("PATCH /api/v2/callcenters/{call_center_id}/operators/{user_id}/skill")
        );
        let off = RateLimits::off();
        for _ in 0..1000 {
            assert!(off.check(a).is_ok());
        }
    }
}
