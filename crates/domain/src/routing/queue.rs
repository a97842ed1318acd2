//! The hold queue: what happens to a call while it waits, and to the digits its caller presses.

use serde::Serialize;

use crate::telephony::group::{GroupSettings, HoldQueue};
use crate::{DomainError, Result};

/// What to do with a waiting call at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QueueStep {
    /// Keep waiting.
    Stay,
    /// Tell the caller their place in the queue (1 = next).
    Announce { position: u32 },
    /// Leave the queue for the open route's action.
    Overflow { reason: String },
}

/// What a digit pressed in the queue does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DigitOutcome {
    /// The caller asks to be called back and leaves the queue.
    Callback,
    /// The caller leaves the queue for the open route's action (see [`escape_route`]).
    Escape,
    /// Nothing happens.
    Ignored,
}

/// The step for a call that has waited `waited_seconds` at `position` (1 = next), last told its
/// place `last_announcement` seconds into the wait, with the group `open_now` or not.
///
/// In order:
/// - closed and not `stay_in_queue_after_closing`: overflow;
/// - waited `max_hold_seconds` or more: overflow (at exactly `max_hold_seconds`);
/// - `announce_position` on and never announced, or announced `announcement_interval_seconds`
///   or more ago: announce (so the caller hears their place on entering, then every interval);
/// - otherwise stay.
pub fn queue_step(
    q: &HoldQueue,
    waited_seconds: u32,
    position: u32,
    last_announcement: Option<u32>,
    open_now: bool,
) -> QueueStep {
    if !open_now && !q.stay_in_queue_after_closing {
        return QueueStep::Overflow {
            reason: "the group closed and queued calls do not stay after closing".into(),
        };
    }
    if waited_seconds >= q.max_hold_seconds {
        return QueueStep::Overflow {
            reason: format!(
                "waited {waited_seconds} s, the most is {} s",
                q.max_hold_seconds
            ),
        };
    }
    if q.announce_position {
        let interval = q.announcement_interval_seconds.max(1);
        let due = match last_announcement {
            None => true,
            Some(last) => waited_seconds.saturating_sub(last) >= interval,
        };
        if due {
            return QueueStep::Announce { position };
        }
    }
    QueueStep::Stay
}

/// What `digit`, pressed by the caller at `position` (1 = next), does.
///
/// The callback digit asks for a callback when callbacks are allowed and the caller's position
/// is at least `queue_callback_threshold`; the escape digit leaves the queue (checked second,
/// so a callback digit equal to it still escapes when a callback is not allowed). Any other
/// character, including ones that are not DTMF digits, is ignored.
pub fn queue_digit(q: &HoldQueue, digit: char, position: u32) -> DigitOutcome {
    if !is_dtmf(digit) {
        return DigitOutcome::Ignored;
    }
    if digit == q.queue_callback_dtmf
        && q.allow_queue_callback
        && position >= q.queue_callback_threshold
    {
        return DigitOutcome::Callback;
    }
    if digit == q.queue_escape_dtmf {
        return DigitOutcome::Escape;
    }
    DigitOutcome::Ignored
}

/// Where an escaped (or overflowing) queued call goes: the open route's action and target
/// (voicemail by default).
pub fn escape_route(settings: &GroupSettings) -> (String, Option<(i64, String)>) {
    let open = &settings.routing.open;
    (open.action.clone(), open.target.clone())
}

/// Whether `c` is a DTMF digit: `0-9`, `*` or `#`.
pub fn is_dtmf(c: char) -> bool {
    c.is_ascii_digit() || c == '*' || c == '#'
}

/// Reads a string of DTMF digits; an empty string or any other character is invalid input.
pub fn digits(s: &str) -> Result<Vec<char>> {
    if s.is_empty() {
        return Err(DomainError::invalid("digits must not be empty"));
    }
    if let Some(bad) = s.chars().find(|c| !is_dtmf(*c)) {
        return Err(DomainError::invalid(format!(
            "'{bad}' is not a digit: digits are 0-9, * and #"
        )));
    }
    Ok(s.chars().collect())
}
