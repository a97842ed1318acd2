//! Channels: named conversation spaces of a company, public or private, with members. A
//! channel's name is unique in its company (case-insensitively); its owner (when a user made
//! it) is its first member.

use jiff::Timestamp;

use crate::ids::{ChannelId, CompanyId, UserId};
use crate::telephony::office::EntryState;
use crate::{DomainError, Result};

/// Longest channel name.
pub const MAX_NAME: usize = 100;
/// Longest channel description.
pub const MAX_DESCRIPTION: usize = 1000;

/// Who may find and join a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Privacy {
    Public,
    Private,
}

impl Privacy {
    pub const ALL: [Self; 2] = [Self::Private, Self::Public];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Private => "private",
        }
    }

    /// Reads a name; unknown names are invalid input.
    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| DomainError::invalid(format!("unknown privacy_type '{s}'")))
    }
}

/// A channel.
#[derive(Debug, Clone, PartialEq)]
pub struct Channel {
    pub id: ChannelId,
    pub company_id: CompanyId,
    pub name: String,
    pub description: String,
    pub privacy: Privacy,
    /// The user who made it; `None` when the company made it without naming one.
    pub owner: Option<UserId>,
    pub state: EntryState,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A channel to create.
#[derive(Debug, Clone)]
pub struct NewChannel {
    pub name: String,
    pub description: String,
    pub privacy: Privacy,
    pub owner: Option<UserId>,
}

/// Which channels a list shows.
#[derive(Debug, Clone, Default)]
pub struct ChannelFilter {
    /// `None`: every state.
    pub state: Option<EntryState>,
}

/// The key a name is unique by.
pub fn name_key(name: &str) -> String {
    name.to_lowercase()
}

/// Checks a channel's name (one line, 1 to [`MAX_NAME`] characters) and description (at most
/// [`MAX_DESCRIPTION`] characters).
pub fn check_texts(name: &str, description: &str) -> Result<(String, String)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.contains(['\n', '\r']) {
        return Err(DomainError::invalid(format!(
            "name must be 1 to {MAX_NAME} characters on one line"
        )));
    }
    if description.chars().count() > MAX_DESCRIPTION {
        return Err(DomainError::invalid(format!(
            "description must be at most {MAX_DESCRIPTION} characters"
        )));
    }
    Ok((name.to_owned(), description.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn privacy_and_texts() {
        assert_eq!(Privacy::parse("private").unwrap(), Privacy::Private);
        assert!(Privacy::parse("secret").is_err());
        assert_eq!(name_key("General"), "general");
        assert!(check_texts(" ", "").is_err());
        assert!(check_texts("a\nb", "").is_err());
        assert!(check_texts("ok", &"d".repeat(MAX_DESCRIPTION + 1)).is_err());
        assert_eq!(
            check_texts(" ok ", " d ").unwrap(),
            ("ok".to_owned(), "d".to_owned())
        );
    }
}
