//! What an office has beyond its own record: the operators of its main line (users with a role,
//! who answer calls to the office's number), the reasons its call center operators may give
//! for being off duty, and how many of its users hold each licence (what a plan would count).

use jiff::Timestamp;

use crate::ids::{OfficeId, UserId};
use crate::telephony::group::OperatorRole;
use crate::{DomainError, Result};

/// A user answering an office's main line.
#[derive(Debug, Clone, PartialEq)]
pub struct OfficeOperator {
    pub office_id: OfficeId,
    pub user_id: UserId,
    pub role: OperatorRole,
    pub added_at: Timestamp,
}

/// The off-duty reasons every office offers.
pub const DEFAULT_OFF_DUTY_STATUSES: [&str; 2] = ["Lunch Time", "Off Duty"];

/// The office setting that holds the reasons an office adds to the defaults.
pub(crate) const OFF_DUTY_SETTING: &str = "off_duty_statuses";

/// Most reasons an office may add.
const MAX_OFF_DUTY_STATUSES: usize = 50;

/// Checks an office's own off-duty reasons: each one line of 1 to 64 characters, at most 50,
/// none repeated (ignoring case) and none a default. Returns them trimmed, in the given order.
pub fn off_duty_statuses(raw: Vec<String>) -> Result<Vec<String>> {
    if raw.len() > MAX_OFF_DUTY_STATUSES {
        return Err(DomainError::invalid(format!(
            "an office has at most {MAX_OFF_DUTY_STATUSES} off-duty statuses of its own"
        )));
    }
    let mut kept: Vec<String> = Vec::with_capacity(raw.len());
    for status in raw {
        let s = status.trim();
        if s.is_empty() || s.chars().count() > 64 || s.contains(['\n', '\r']) {
            return Err(DomainError::invalid(
                "an off-duty status is one line of 1 to 64 characters",
            ));
        }
        let taken = DEFAULT_OFF_DUTY_STATUSES
            .iter()
            .copied()
            .chain(kept.iter().map(String::as_str))
            .any(|k| k.eq_ignore_ascii_case(s));
        if taken {
            return Err(DomainError::invalid(format!(
                "off-duty status '{s}' is given twice or is a default"
            )));
        }
        kept.push(s.to_owned());
    }
    Ok(kept)
}

/// How many of an office's users (all but deleted ones) hold a licence; `None` for users
/// without one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenseCount {
    pub license: Option<String>,
    pub users: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_off_duty_statuses_are_distinct_lines() {
        assert_eq!(
            off_duty_statuses(vec![" Training ".into(), "Meeting".into()]).unwrap(),
            vec!["Training", "Meeting"]
        );
        for bad in [
            vec!["".to_owned()],
            vec!["a\nb".to_owned()],
            vec!["x".repeat(65)],
            vec!["Meeting".to_owned(), "meeting".to_owned()],
            vec!["off duty".to_owned()],
            vec!["s".to_owned(); 51],
        ] {
            assert!(off_duty_statuses(bad.clone()).is_err(), "{bad:?}");
        }
    }
}
