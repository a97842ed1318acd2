//! Rate limits as Dialpad documents them: 20 requests per second per company (a burst of 20,
//! refilled continuously), over every operation of the dialect. A request over the limit gets
//! 429 in the error envelope with `Retry-After` (whole seconds, at least 1). The limit is a
//! setting (`dialpad_rate_limit`, 0 turns it off); each process counts its own requests.

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
    clock: DefaultClock,
}

impl RateLimits {
    /// `per_second` requests per second per company; 0 for no limit.
    pub fn new(per_second: u32) -> Self {
        Self {
            per_company: NonZeroU32::new(per_second)
                .map(|n| RateLimiter::keyed(Quota::per_second(n))),
            clock: DefaultClock::default(),
        }
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
        let off = RateLimits::off();
        for _ in 0..1000 {
            assert!(off.check(a).is_ok());
        }
    }
}
