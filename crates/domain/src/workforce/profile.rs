//! Human agents: the company's users as contact-center agents. A user's agent profile (display
//! name, bio, wrap-up time, schedule, holidays, ...) lives beside the user record; reading an
//! agent combines the user, the profile, the presence, teams, skills and workload.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ids::UserId;
use crate::tenancy::account::User;
use crate::workforce::collab::{AssignedSkill, TeamMembership, WorkloadView};
use crate::workforce::presence::{Presence, PresenceStatus};
pub use crate::workforce::schedule::{DayHours, Holiday, TimeOfDay, WeeklySchedule};
use crate::{DomainError, Result};

/// Longest display name.
pub const MAX_NAME: usize = 50;
/// Longest bio.
pub const MAX_BIO: usize = 240;
/// Longest wrap-up time, in seconds.
pub const MAX_WRAP_UP: i64 = 900;
/// Longest out-of-office response.
pub const MAX_OUT_OF_OFFICE: usize = 1000;

/// Longest transcription locale tag. Which locales an agent may choose is the dialect's list
/// (Bird's, in its crate); the domain only checks that the value is shaped like a tag.
const MAX_LOCALE: usize = 35;

/// Where calls are forwarded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ForwardNumber {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub mask_caller: bool,
}

/// A user's agent profile.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentProfile {
    pub user_id: UserId,
    /// Overrides the user's own name when set.
    pub display_name: Option<String>,
    pub bio: Option<String>,
    pub avatar_url: Option<String>,
    /// Seconds after a conversation before new work is routed.
    pub wrap_up_time: i64,
    pub timezone: Option<String>,
    pub default_country_code: Option<String>,
    pub default_caller_id: Option<String>,
    pub transcription_locale: Option<String>,
    pub default_sender_id: Option<String>,
    pub out_of_office_response: Option<String>,
    pub forward_number: Option<ForwardNumber>,
    pub weekly_schedule: Option<WeeklySchedule>,
    pub holidays: Vec<Holiday>,
    pub role_ids: Vec<String>,
    /// Voicemail drops (recorded audio references), kept as given.
    pub drop_vms: Vec<Value>,
    /// The user is no longer an agent (deleted through the agent API).
    pub removed: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl AgentProfile {
    /// The profile of a user who never had one written.
    pub fn blank(user: &User) -> Self {
        Self {
            user_id: user.id,
            display_name: None,
            bio: None,
            avatar_url: None,
            wrap_up_time: 0,
            timezone: None,
            default_country_code: None,
            default_caller_id: None,
            transcription_locale: None,
            default_sender_id: None,
            out_of_office_response: None,
            forward_number: None,
            weekly_schedule: None,
            holidays: Vec::new(),
            role_ids: Vec::new(),
            drop_vms: Vec::new(),
            removed: false,
            created_at: user.created_at,
            updated_at: user.created_at,
        }
    }

    /// The key the list sorts names by: the shown name (the display name, else the user's
    /// name), lower-cased.
    pub fn name_key(&self, user: &User) -> String {
        self.display_name
            .clone()
            .unwrap_or_else(|| user.display_name())
            .to_lowercase()
    }

    /// Applies a checked patch.
    pub fn apply(&mut self, patch: ProfilePatch, now: Timestamp) -> Result<()> {
        patch.validate()?;
        let ProfilePatch {
            name,
            bio,
            avatar_url,
            wrap_up_time,
            timezone,
            default_country_code,
            default_caller_id,
            transcription_locale,
            default_sender_id,
            out_of_office_response,
            forward_number,
            weekly_schedule,
            holidays,
            drop_vms,
        } = patch;
        let trim = |s: Option<String>| s.map(|s| s.trim().to_owned());
        if let Some(v) = name {
            self.display_name = trim(v);
        }
        macro_rules! set {
            ($($field:ident),*) => { $(if let Some(v) = $field { self.$field = v; })* };
        }
        set!(
            bio,
            avatar_url,
            timezone,
            default_caller_id,
            transcription_locale,
            default_sender_id,
            out_of_office_response,
            forward_number,
            weekly_schedule
        );
        if let Some(v) = default_country_code {
            self.default_country_code = v.map(|c| c.to_ascii_uppercase());
        }
        if let Some(v) = wrap_up_time {
            self.wrap_up_time = v.unwrap_or(0);
        }
        if let Some(v) = holidays {
            self.holidays = v;
        }
        if let Some(v) = drop_vms {
            self.drop_vms = v;
        }
        self.updated_at = now;
        Ok(())
    }
}

/// A change to an agent profile. `None` leaves a field; `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfilePatch {
    pub name: Option<Option<String>>,
    pub bio: Option<Option<String>>,
    pub avatar_url: Option<Option<String>>,
    pub wrap_up_time: Option<Option<i64>>,
    pub timezone: Option<Option<String>>,
    pub default_country_code: Option<Option<String>>,
    pub default_caller_id: Option<Option<String>>,
    pub transcription_locale: Option<Option<String>>,
    pub default_sender_id: Option<Option<String>>,
    pub out_of_office_response: Option<Option<String>>,
    pub forward_number: Option<Option<ForwardNumber>>,
    pub weekly_schedule: Option<Option<WeeklySchedule>>,
    pub holidays: Option<Vec<Holiday>>,
    pub drop_vms: Option<Vec<Value>>,
}

fn max_len(field: &str, v: &Option<Option<String>>, max: usize) -> Result<()> {
    if let Some(Some(s)) = v {
        if s.chars().count() > max {
            return Err(DomainError::invalid(format!(
                "{field} must be at most {max} characters"
            )));
        }
    }
    Ok(())
}

/// Whether `s` is written as a UUID (8-4-4-4-12 hex digits).
pub fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

impl ProfilePatch {
    /// Checks every limit; the message names the field.
    pub fn validate(&self) -> Result<()> {
        match &self.name {
            Some(None) => {}
            Some(Some(n)) => {
                let len = n.trim().chars().count();
                if len == 0 || len > MAX_NAME {
                    return Err(DomainError::invalid(format!(
                        "name must be 1 to {MAX_NAME} characters"
                    )));
                }
            }
            None => {}
        }
        max_len("bio", &self.bio, MAX_BIO)?;
        max_len(
            "outOfOfficeResponse",
            &self.out_of_office_response,
            MAX_OUT_OF_OFFICE,
        )?;
        max_len("avatarUrl", &self.avatar_url, 2048)?;
        max_len("defaultCallerId", &self.default_caller_id, 32)?;
        if let Some(Some(w)) = self.wrap_up_time {
            if !(0..=MAX_WRAP_UP).contains(&w) {
                return Err(DomainError::invalid(format!(
                    "wrapUpTime must be between 0 and {MAX_WRAP_UP} seconds"
                )));
            }
        }
        if let Some(Some(l)) = &self.transcription_locale {
            let tag = !l.is_empty()
                && l.len() <= MAX_LOCALE
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !tag {
                return Err(DomainError::invalid(format!(
                    "transcriptionLocale '{l}' is not a locale tag"
                )));
            }
        }
        if let Some(Some(tz)) = &self.timezone {
            if jiff::tz::TimeZone::get(tz).is_err() {
                return Err(DomainError::invalid(format!(
                    "timezone '{tz}' is not an IANA time zone"
                )));
            }
        }
        if let Some(Some(cc)) = &self.default_country_code {
            if cc.len() != 2 || !cc.chars().all(|c| c.is_ascii_alphabetic()) {
                return Err(DomainError::invalid(
                    "defaultCountryCode must be a two-letter ISO 3166 country code",
                ));
            }
        }
        if let Some(Some(id)) = &self.default_sender_id {
            if !is_uuid(id) {
                return Err(DomainError::invalid("defaultSenderId must be a UUID"));
            }
        }
        if let Some(Some(f)) = &self.forward_number {
            if f.number.as_ref().is_some_and(|n| n.chars().count() > 32) {
                return Err(DomainError::invalid(
                    "forwardNumber.number must be at most 32 characters",
                ));
            }
        }
        Ok(())
    }
}

/// Everything a human agent read shows.
#[derive(Debug, Clone)]
pub struct HumanAgent {
    pub user: User,
    pub profile: AgentProfile,
    /// The presence as it stands now (lapsed activities already lapsed).
    pub presence: Presence,
    pub teams: Vec<TeamMembership>,
    pub skills: Vec<AssignedSkill>,
    pub workload: WorkloadView,
}

impl HumanAgent {
    /// The name shown: the profile's display name, else the user's name.
    pub fn name(&self) -> String {
        self.profile
            .display_name
            .clone()
            .unwrap_or_else(|| self.user.display_name())
    }
}

/// How to order an agent list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentSort {
    CreatedAt,
    Name,
    /// Open work items while the agent is active (ties by creation).
    StatusAssignedCount,
    /// Open work items.
    AssignedCount,
}

impl AgentSort {
    /// The name the page tokens of this order are scoped to.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CreatedAt => "createdAt",
            Self::Name => "name",
            Self::StatusAssignedCount => "statusAssignedCount",
            Self::AssignedCount => "assignedCount",
        }
    }
}

/// Most agents an `ids` filter may name.
pub const MAX_AGENT_IDS: usize = 1000;

/// Filters and paging of an agent list.
#[derive(Debug, Clone)]
pub struct AgentQuery {
    pub limit: usize,
    /// Where the previous page ended: a token issued with that page.
    pub page_token: Option<String>,
    pub reverse: bool,
    pub sort: AgentSort,
    /// Case-insensitive substring of the name.
    pub name: Option<String>,
    /// Case-insensitive substring of the email.
    pub email: Option<String>,
    pub role_ids: Vec<String>,
    pub statuses: Vec<PresenceStatus>,
    pub status_since: Option<Timestamp>,
    pub status_upto: Option<Timestamp>,
    /// When set, exactly these agents, and every other filter is ignored.
    pub ids: Option<Vec<UserId>>,
}

impl AgentQuery {
    /// Whether any filter narrows the list below every agent of the company.
    pub fn is_filtered(&self) -> bool {
        self.ids.is_some()
            || self.name.is_some()
            || self.email.is_some()
            || !self.role_ids.is_empty()
            || !self.statuses.is_empty()
            || self.status_since.is_some()
            || self.status_upto.is_some()
    }
}

/// An agent's place in every list order: what the store sorts by, and what a page token
/// holds of the last agent on a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentKey {
    /// 0 while the agent is active, else 1.
    #[serde(rename = "r")]
    pub status_rank: i64,
    /// Open work items (messaging and email).
    #[serde(rename = "w")]
    pub open_work: i64,
    /// The profile's creation, in Unix milliseconds.
    #[serde(rename = "c")]
    pub created_at: i64,
    /// The shown name, lower-cased (see [`AgentProfile::name_key`]).
    #[serde(rename = "n")]
    pub name_key: String,
    #[serde(rename = "u")]
    pub user_id: i64,
}

/// One page of agents: the agents, the number of matches when known, and the token of the
/// next page if there is one.
#[derive(Debug, Clone)]
pub struct AgentPage {
    pub items: Vec<HumanAgent>,
    /// Every agent of the company without filters; with filters, the number of matches up to
    /// [`FILTERED_TOTAL_CAP`], `None` above it.
    pub total: Option<u64>,
    pub next: Option<String>,
}

/// Most matches a filtered agent list counts; above it the total is not given.
pub const FILTERED_TOTAL_CAP: u64 = 10_000;

/// What creating a human agent takes: an existing user of the company, or a new one.
#[derive(Debug, Clone)]
pub struct NewHumanAgent {
    pub user_id: Option<UserId>,
    pub email: Option<String>,
    pub profile: ProfilePatch,
    pub team_ids: Vec<crate::ids::TeamId>,
    /// The presence status to start with.
    pub status: Option<crate::workforce::presence::PresenceStatus>,
    /// The skills to give, each with its selected values.
    pub skills: Option<Vec<(crate::ids::SkillId, Vec<crate::ids::SkillValueId>)>>,
}

/// The light form of an agent, for the all-agents read.
#[derive(Debug, Clone)]
pub struct AgentSummary {
    pub user: User,
    pub profile: AgentProfile,
    /// As it stands now.
    pub presence: Presence,
}

impl AgentSummary {
    /// The name shown: the profile's display name, else the user's name.
    pub fn name(&self) -> String {
        self.profile
            .display_name
            .clone()
            .unwrap_or_else(|| self.user.display_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::CompanyId;
    use crate::tenancy::account::Email;

    #[test]
    fn the_name_key_is_the_shown_name_lower_cased() {
        let user = User {
            id: UserId(1),
            company_id: CompanyId(1),
            email: Email::parse("Zoe@Example.com").unwrap(),
            first_name: None,
            last_name: None,
            is_admin: false,
            partner_api_enabled: true,
            created_at: Timestamp::UNIX_EPOCH,
        };
        let mut p = AgentProfile::blank(&user);
        assert_eq!(p.name_key(&user), "zoe@example.com");
        let named = User {
            first_name: Some("Ängel".into()),
            last_name: Some("Ruiz".into()),
            ..user.clone()
        };
        assert_eq!(p.name_key(&named), "ängel ruiz");
        p.display_name = Some("ÉMILE".into());
        assert_eq!(p.name_key(&named), "émile");
    }
}
