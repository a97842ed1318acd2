//! Coaching teams: coaches and trainees of an office. A team belongs to one of the company's
//! offices; a user is a member once, as a coach or a trainee. Teams are made by the company's
//! operators (the command line: the vendor's API has no create operation); members are added
//! through the API.

use jiff::Timestamp;

use crate::ids::{CoachingTeamId, CompanyId, OfficeId, UserId};
use crate::telephony::office::EntryState;
use crate::{DomainError, Result};

/// Longest team name.
pub const MAX_NAME: usize = 100;
/// Longest team description.
pub const MAX_DESCRIPTION: usize = 256;
/// Seconds a team's line rings before its no-operators action, until set otherwise.
pub const DEFAULT_RING_SECONDS: u32 = 30;

/// A coaching team.
#[derive(Debug, Clone, PartialEq)]
pub struct CoachingTeam {
    pub id: CoachingTeamId,
    pub company_id: CompanyId,
    pub office_id: OfficeId,
    pub name: String,
    pub description: Option<String>,
    /// Whether trainees may listen in on their coaches' calls.
    pub allow_trainee_eavesdrop: bool,
    pub ring_seconds: u32,
    pub state: EntryState,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A team to create.
#[derive(Debug, Clone)]
pub struct NewCoachingTeam {
    pub office_id: OfficeId,
    pub name: String,
    pub description: Option<String>,
    pub allow_trainee_eavesdrop: bool,
}

/// A member's role in a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CoachingRole {
    Coach,
    Trainee,
}

impl CoachingRole {
    pub const ALL: [Self; 2] = [Self::Coach, Self::Trainee];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Coach => "coach",
            Self::Trainee => "trainee",
        }
    }

    /// Reads a name; unknown names are invalid input.
    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| DomainError::invalid(format!("unknown role '{s}'")))
    }
}

/// A user's membership of a team.
#[derive(Debug, Clone, PartialEq)]
pub struct CoachingMember {
    pub team_id: CoachingTeamId,
    pub user_id: UserId,
    pub role: CoachingRole,
    pub added_at: Timestamp,
}

/// Checks a team's name and description.
pub fn check_texts(name: &str, description: Option<&str>) -> Result<(String, Option<String>)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.contains(['\n', '\r']) {
        return Err(DomainError::invalid(format!(
            "name must be 1 to {MAX_NAME} characters on one line"
        )));
    }
    let description = description.map(str::trim).filter(|d| !d.is_empty());
    if description.is_some_and(|d| d.chars().count() > MAX_DESCRIPTION) {
        return Err(DomainError::invalid(format!(
            "description must be at most {MAX_DESCRIPTION} characters"
        )));
    }
    Ok((name.to_owned(), description.map(str::to_owned)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_texts() {
        assert_eq!(CoachingRole::parse("coach").unwrap(), CoachingRole::Coach);
        assert_eq!(CoachingRole::Trainee.as_str(), "trainee");
        assert!(CoachingRole::parse("boss").is_err());
        assert_eq!(
            check_texts(" Team ", Some(" ")).unwrap(),
            ("Team".to_owned(), None)
        );
        assert!(check_texts("", None).is_err());
        assert!(check_texts("a", Some(&"d".repeat(MAX_DESCRIPTION + 1))).is_err());
    }
}
