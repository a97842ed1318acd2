//! A user's presence: status and activity. One fact per user that every dialect reads; Bird
//! calls it the agent's availability.

use jiff::{SignedDuration, Timestamp};

use crate::ids::UserId;
use crate::{DomainError, Result};

/// Shortest and longest activity lifetime, in seconds.
pub const ACTIVITY_TTL_RANGE: (i64, i64) = (10, 86_400);
/// Longest activity text.
pub const MAX_ACTIVITY_TEXT: usize = 48;

macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in documentation order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The wire and storage form.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            /// Reads the wire form; `None` for unknown values.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some(Self::$variant),)+ _ => None }
            }

            /// Reads the wire form of field `field`, refusing unknown values with the allowed list.
            pub fn parse_field(field: &str, s: &str) -> Result<Self> {
                Self::parse(s).ok_or_else(|| {
                    let allowed: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    DomainError::invalid(format!(
                        "{field} must be one of {}; got '{s}'",
                        allowed.join(", ")
                    ))
                })
            }
        }
    };
}
pub(crate) use string_enum;

string_enum!(
    /// Whether a person is at work.
    PresenceStatus { Active = "active", Away = "away", Offline = "offline" }
);

string_enum!(
    /// What a person is doing while at work.
    Activity {
        Available = "available",
        Busy = "busy",
        Break = "break",
        Lunch = "lunch",
        Meeting = "meeting",
        Training = "training",
        OutOfOffice = "outOfOffice",
    }
);

/// A user's presence as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Presence {
    pub user_id: UserId,
    pub status: PresenceStatus,
    /// The status held before the last switch to offline.
    pub status_before_offline: Option<PresenceStatus>,
    pub activity: Activity,
    pub activity_text: Option<String>,
    /// Seconds the activity was set to last.
    pub activity_ttl: Option<i64>,
    /// When the activity lapses back to `available`.
    pub activity_expires_at: Option<Timestamp>,
    pub last_status_set: Option<Timestamp>,
    pub last_activity_set: Option<Timestamp>,
    pub last_set_to_away_at: Option<Timestamp>,
    pub updated_at: Timestamp,
}

/// A change of presence: the status is always given; activity, its lifetime and text optionally.
#[derive(Debug, Clone, PartialEq)]
pub struct PresenceChange {
    pub status: PresenceStatus,
    pub activity: Option<Activity>,
    pub activity_ttl: Option<i64>,
    pub activity_text: Option<String>,
}

impl PresenceChange {
    /// Checks the lifetime and text limits.
    pub fn validate(&self) -> Result<()> {
        if let Some(ttl) = self.activity_ttl {
            let (lo, hi) = ACTIVITY_TTL_RANGE;
            if !(lo..=hi).contains(&ttl) {
                return Err(DomainError::invalid(format!(
                    "activityTtl must be between {lo} and {hi} seconds"
                )));
            }
        }
        if let Some(text) = &self.activity_text {
            if text.chars().count() > MAX_ACTIVITY_TEXT {
                return Err(DomainError::invalid(format!(
                    "activityText must be at most {MAX_ACTIVITY_TEXT} characters"
                )));
            }
        }
        Ok(())
    }
}

impl Presence {
    /// The presence of someone who never set one: away (as a person who just joined) and
    /// available.
    pub fn initial(user_id: UserId, at: Timestamp) -> Self {
        Self {
            user_id,
            status: PresenceStatus::Away,
            status_before_offline: None,
            activity: Activity::Available,
            activity_text: None,
            activity_ttl: None,
            activity_expires_at: None,
            last_status_set: None,
            last_activity_set: None,
            last_set_to_away_at: None,
            updated_at: at,
        }
    }

    /// The presence as it stands at `now`: an activity whose lifetime has passed has lapsed
    /// back to `available` (at the moment it expired).
    pub fn at(&self, now: Timestamp) -> Self {
        let mut p = self.clone();
        if let Some(expiry) = self.activity_expires_at.filter(|e| *e <= now) {
            p.activity = Activity::Available;
            p.activity_text = None;
            p.activity_ttl = None;
            p.activity_expires_at = None;
            p.last_activity_set = Some(expiry);
            p.updated_at = p.updated_at.max(expiry);
        }
        p
    }

    /// The presence after `change` at `now`. An activity, lifetime or text in the change starts
    /// a new activity period; without them the current activity stays.
    pub fn apply(&self, change: &PresenceChange, now: Timestamp) -> Result<Self> {
        change.validate()?;
        let mut p = self.at(now);
        if change.status != p.status {
            if change.status == PresenceStatus::Offline {
                p.status_before_offline = Some(p.status);
            }
            if change.status == PresenceStatus::Away {
                p.last_set_to_away_at = Some(now);
            }
            p.status = change.status;
            p.last_status_set = Some(now);
        }
        if change.activity.is_some()
            || change.activity_ttl.is_some()
            || change.activity_text.is_some()
        {
            p.activity = change.activity.unwrap_or(p.activity);
            p.activity_text = change.activity_text.clone();
            p.activity_ttl = change.activity_ttl;
            p.activity_expires_at = change
                .activity_ttl
                .and_then(|s| now.checked_add(SignedDuration::from_secs(s)).ok());
            p.last_activity_set = Some(now);
        }
        p.updated_at = now;
        Ok(p)
    }

    /// When the status last changed (or the presence was made).
    pub fn last_status_change(&self) -> Timestamp {
        self.last_status_set.unwrap_or(self.updated_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: i64) -> Timestamp {
        Timestamp::from_second(1_700_000_000 + s).unwrap()
    }

    #[test]
    fn an_activity_lapses_back_after_its_lifetime() {
        let p = Presence::initial(UserId(1), t(0));
        let change = PresenceChange {
            status: PresenceStatus::Active,
            activity: Some(Activity::Busy),
            activity_ttl: Some(60),
            activity_text: Some("On a call".into()),
        };
        let set = p.apply(&change, t(0)).unwrap();
        assert_eq!(set.at(t(59)).activity, Activity::Busy);
        let lapsed = set.at(t(60));
        assert_eq!(lapsed.activity, Activity::Available);
        assert_eq!(lapsed.activity_text, None);
        assert_eq!(lapsed.last_activity_set, Some(t(60)));
        assert_eq!(lapsed.status, PresenceStatus::Active);
    }

    #[test]
    fn offline_remembers_the_status_before() {
        let p = Presence::initial(UserId(1), t(0));
        let change = |status| PresenceChange {
            status,
            activity: None,
            activity_ttl: None,
            activity_text: None,
        };
        let active = p.apply(&change(PresenceStatus::Active), t(1)).unwrap();
        let off = active
            .apply(&change(PresenceStatus::Offline), t(2))
            .unwrap();
        assert_eq!(off.status_before_offline, Some(PresenceStatus::Active));
        assert_eq!(off.last_status_set, Some(t(2)));
    }

    #[test]
    fn limits_are_checked() {
        let mut c = PresenceChange {
            status: PresenceStatus::Active,
            activity: None,
            activity_ttl: Some(9),
            activity_text: None,
        };
        assert!(c.validate().is_err());
        c.activity_ttl = Some(86_401);
        assert!(c.validate().is_err());
        c.activity_ttl = Some(10);
        c.activity_text = Some("x".repeat(49));
        assert!(c.validate().is_err());
        assert!(Activity::parse_field("activity", "napping").is_err());
    }
}
