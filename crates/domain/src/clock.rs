//! Time, behind a trait so that time-based rules can be tested without sleeping.

use jiff::Timestamp;

/// Source of the current time.
pub trait Clock: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> Timestamp;
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
}
