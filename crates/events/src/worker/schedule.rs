//! What happens after a failed attempt, by the delivery's [`RetrySchedule`]:
//! - `Standard`: every failure is retried with the worker's exponential backoff
//!   ([`RetryPolicy`]) until its attempts are spent.
//! - Dialpad's documented rules: a 4xx answer (429 included) is not retried; a 5xx (or any
//!   other answer that is not 2xx) is retried on the schedule of the event type — calls 2, 4,
//!   8 s; SMS 30 s, then 1, 2, 4, 8, 16, 32 min, then three hours of 60 min; other events
//!   0.1, 0.2, 0.4, 0.8 s; a timeout or failed connection gets up to two quick retries (1 s).
//!   Each attempt has 5 s.

use std::time::Duration;

use switchboard_domain::events::event::RetrySchedule;

use super::failure::Failure;
use super::RetryPolicy;

const CALL: &[u64] = &[2_000, 4_000, 8_000];
const SMS: &[u64] = &[
    30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000, 3_600_000,
];
const OTHER: &[u64] = &[100, 200, 400, 800];
/// Retries after a timeout or failed connection on a vendor schedule.
const QUICK_RETRIES: i64 = 2;
const QUICK: Duration = Duration::from_secs(1);
/// The time limit of an attempt on a vendor schedule.
const VENDOR_TIMEOUT: Duration = Duration::from_secs(5);

/// The wait before the next attempt after `attempts` attempts (the failed one included), or
/// `None` when the delivery is finished (kept as exhausted, for replay).
pub(super) fn next_wait(
    schedule: RetrySchedule,
    policy: &RetryPolicy,
    attempts: i64,
    failure: &Failure,
) -> Option<Duration> {
    let waits = match schedule {
        RetrySchedule::Standard => {
            return (attempts < policy.max_attempts)
                .then(|| policy.delay(attempts, failure.retry_after));
        }
        RetrySchedule::DialpadCall => CALL,
        RetrySchedule::DialpadSms => SMS,
        RetrySchedule::DialpadOther => OTHER,
    };
    match failure.status {
        Some(status) if (400..500).contains(&status) => None,
        Some(_) => {
            let index = usize::try_from(attempts - 1).ok()?;
            waits.get(index).map(|ms| Duration::from_millis(*ms))
        }
        None => (attempts <= QUICK_RETRIES).then_some(QUICK),
    }
}

/// The time limit of one attempt.
pub(super) fn timeout(schedule: RetrySchedule, default: Duration) -> Duration {
    match schedule {
        RetrySchedule::Standard => default,
        _ => VENDOR_TIMEOUT.min(default),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: i64) -> Failure {
        Failure {
            status: Some(code),
            reason: String::new(),
            retry_after: None,
        }
    }

    #[test]
    fn dialpad_schedules_follow_the_documented_waits() {
        let p = RetryPolicy::default();
        let waits: Vec<_> = (1..=4)
            .map(|n| next_wait(RetrySchedule::DialpadCall, &p, n, &status(500)))
            .collect();
        assert_eq!(
            waits,
            vec![
                Some(Duration::from_secs(2)),
                Some(Duration::from_secs(4)),
                Some(Duration::from_secs(8)),
                None
            ]
        );
        assert_eq!(
            next_wait(RetrySchedule::DialpadSms, &p, 10, &status(503)),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(
            next_wait(RetrySchedule::DialpadSms, &p, 11, &status(503)),
            None
        );
        assert_eq!(
            next_wait(RetrySchedule::DialpadOther, &p, 1, &status(502)),
            Some(Duration::from_millis(100))
        );
        for code in [400, 404, 429] {
            assert_eq!(
                next_wait(RetrySchedule::DialpadCall, &p, 1, &status(code)),
                None
            );
        }
        let down = Failure::new("connection failed".into());
        assert_eq!(
            next_wait(RetrySchedule::DialpadCall, &p, 2, &down),
            Some(QUICK)
        );
        assert_eq!(next_wait(RetrySchedule::DialpadCall, &p, 3, &down), None);
        assert!(next_wait(RetrySchedule::Standard, &p, 1, &status(404)).is_some());
        assert_eq!(
            timeout(RetrySchedule::DialpadCall, Duration::from_secs(15)),
            Duration::from_secs(5)
        );
    }
}
