//! How fast one address may send requests that cost the server work before it knows who sends
//! them (`REGISTER`, a new `INVITE`): a burst of `rate`, refilled at `rate` per second, counted
//! per source address. A request over it gets 503 Service Unavailable with `Retry-After`
//! (RFC 3261 §21.5.4: the client tries again later, or another server) and is not looked at
//! further. The rate is a setting (`sip.request_rate`); 0 turns the limit off.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// The default: requests per second per source address.
pub const DEFAULT_PER_SECOND: u32 = 20;

/// After this many checks the addresses that have gone quiet are forgotten.
const SWEEP_EVERY: u32 = 4096;

/// The per-address limit.
pub struct Flood {
    limiter: Option<DefaultKeyedRateLimiter<IpAddr>>,
    checks: AtomicU32,
}

impl Flood {
    /// `per_second` requests per second per address (and as a burst); 0 for no limit.
    pub fn new(per_second: u32) -> Self {
        Self {
            limiter: NonZeroU32::new(per_second).map(|n| RateLimiter::keyed(Quota::per_second(n))),
            checks: AtomicU32::new(0),
        }
    }

    /// Counts a request from `source`: whether it may be served.
    pub fn admits(&self, source: IpAddr) -> bool {
        let Some(limiter) = &self.limiter else {
            return true;
        };
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        limiter.check_key(&source).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_burst_and_then_waits_while_others_are_served() {
        let flood = Flood::new(3);
        let one: IpAddr = "192.0.2.1".parse().unwrap();
        let other: IpAddr = "2001:db8::1".parse().unwrap();
        let served = (0..10).filter(|_| flood.admits(one)).count();
        assert_eq!(served, 3);
        assert!(flood.admits(other));
    }

    #[test]
    fn zero_turns_it_off() {
        let flood = Flood::new(0);
        let one: IpAddr = "192.0.2.1".parse().unwrap();
        assert!((0..1000).all(|_| flood.admits(one)));
    }
}
