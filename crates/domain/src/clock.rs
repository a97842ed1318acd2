//! Time, behind a trait so that time-based rules can be tested without sleeping.

use jiff::Timestamp;

/// Source of the current time.
pub trait Clock: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> Timestamp;

    /// Moves a clock that can be moved (manual and offset clocks) forward by `seconds`;
    /// `false` for the wall clock, which cannot.
    fn advance_by(&self, _seconds: i64) -> bool {
        false
    }
}

/// A clock that stands still until told to move: every timer of the server (ring timeouts,
/// hold limits, wrap-up, opening hours) follows it. Chosen with `SWITCHBOARD_CLOCK=manual`;
/// it starts at the wall clock's time when the server starts.
#[derive(Debug)]
pub struct ManualClock {
    now_ms: std::sync::atomic::AtomicI64,
}

impl ManualClock {
    /// A manual clock standing at `at`.
    pub fn at(at: Timestamp) -> Self {
        Self {
            now_ms: std::sync::atomic::AtomicI64::new(at.as_millisecond()),
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        from_millis(self.now_ms.load(std::sync::atomic::Ordering::SeqCst))
    }

    fn advance_by(&self, seconds: i64) -> bool {
        self.now_ms.fetch_add(
            seconds.saturating_mul(1000),
            std::sync::atomic::Ordering::SeqCst,
        );
        true
    }
}

/// The wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// The wall clock moved by an offset that can be changed while it runs: lets tests (and drills)
/// see time-based rules such as an activity's expiry take effect without waiting.
#[derive(Debug, Default)]
pub struct OffsetClock {
    offset_ms: std::sync::atomic::AtomicI64,
}

impl OffsetClock {
    /// Moves the clock forward by `seconds` (backward when negative).
    pub fn advance(&self, seconds: i64) {
        self.offset_ms
            .fetch_add(seconds * 1000, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Clock for OffsetClock {
    fn advance_by(&self, seconds: i64) -> bool {
        self.advance(seconds);
        true
    }

    fn now(&self) -> Timestamp {
        let offset = self.offset_ms.load(std::sync::atomic::Ordering::SeqCst);
        let now = Timestamp::now();
        now.checked_add(jiff::SignedDuration::from_millis(offset))
            .unwrap_or(now)
    }
}

/// Milliseconds since the Unix epoch, the form timestamps take in storage and on some wires.
pub fn to_millis(ts: Timestamp) -> i64 {
    ts.as_millisecond()
}

/// The instant `ms` milliseconds after the Unix epoch (clamped into the supported range).
pub fn from_millis(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// RFC 3339 in UTC with millisecond precision, e.g. `2026-05-24T00:00:00.000Z`.
pub fn iso_millis(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offset_clock_moves_when_told() {
        let clock = OffsetClock::default();
        let before = clock.now();
        clock.advance(3600);
        let after = clock.now();
        assert!(after.as_second() - before.as_second() >= 3600);
        assert!(after.as_second() - before.as_second() < 3700);
    }

    #[test]
    fn the_manual_clock_stands_still_until_advanced() {
        let start = Timestamp::from_second(1_800_000_000).unwrap();
        let clock = ManualClock::at(start);
        assert_eq!(clock.now(), start);
        assert!(clock.advance_by(90));
        assert_eq!(clock.now().as_second(), 1_800_000_090);
        assert!(!SystemClock.advance_by(1));
    }
}
