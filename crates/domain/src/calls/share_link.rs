//! Share links: a link on this server to a call's recording (a call that was recorded, or the
//! voicemail it went to) or to its review (the call and its transcript), with who may open it.
//!
//! A recording is named by the id of the call leg it belongs to (the simulated network keeps
//! no audio of its own: a recording is the fact that the leg was recorded, or went to
//! voicemail). Link ids are random, URL-safe and 32 characters long.

use jiff::Timestamp;
use rand::distributions::{Alphanumeric, DistString};

use crate::calls::leg::{CallLeg, CallState};
use crate::ids::{CallId, CompanyId, UserId};

/// What a link shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareKind {
    Recording,
    CallReview,
}

impl ShareKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Recording => "recording",
            Self::CallReview => "call_review",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Recording, Self::CallReview]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    /// The privacy a new link has when none is given.
    pub fn default_privacy(self) -> Privacy {
        match self {
            Self::Recording => Privacy::Owner,
            Self::CallReview => Privacy::Company,
        }
    }

    /// Whether links of this kind may have `privacy`.
    pub fn allows(self, privacy: Privacy) -> bool {
        match self {
            Self::Recording => true,
            Self::CallReview => matches!(privacy, Privacy::Company | Privacy::Public),
        }
    }
}

/// Who may open a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Privacy {
    /// Whoever made it (a link made with a company key: the company's admins).
    Owner,
    /// The company's admins.
    Admin,
    /// Anyone of the company.
    Company,
    /// Anyone with the link.
    Public,
}

impl Privacy {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Admin => "admin",
            Self::Company => "company",
            Self::Public => "public",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Owner, Self::Admin, Self::Company, Self::Public]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

/// The kinds of recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordingType {
    CallRecording,
    AdminCallRecording,
    Voicemail,
}

impl RecordingType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CallRecording => "callrecording",
            Self::AdminCallRecording => "admincallrecording",
            Self::Voicemail => "voicemail",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::CallRecording,
            Self::AdminCallRecording,
            Self::Voicemail,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }

    /// Whether the leg has a recording of this type.
    pub fn of(self, leg: &CallLeg) -> bool {
        match self {
            Self::CallRecording | Self::AdminCallRecording => leg.was_recorded,
            Self::Voicemail => leg.state == CallState::Voicemail,
        }
    }
}

/// One share link.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareLink {
    pub id: String,
    pub company_id: CompanyId,
    pub kind: ShareKind,
    pub call_id: CallId,
    /// The recording's id and type (recording links).
    pub item_id: Option<String>,
    pub item_type: Option<RecordingType>,
    pub privacy: Privacy,
    /// The user whose key made it (none for a company key).
    pub created_by: Option<UserId>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A new random link id.
pub fn new_link_id() -> String {
    Alphanumeric.sample_string(&mut rand::thread_rng(), 32)
}

/// Who opens a link: nobody known, or a key of a company.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    pub company: CompanyId,
    /// The user, for a user key.
    pub user: Option<UserId>,
    /// A company key or a company admin's key.
    pub admin: bool,
}

impl ShareLink {
    /// Whether `viewer` may open the link.
    pub fn opens_for(&self, viewer: Option<Viewer>) -> bool {
        if self.privacy == Privacy::Public {
            return true;
        }
        let Some(v) = viewer.filter(|v| v.company == self.company_id) else {
            return false;
        };
        match self.privacy {
            Privacy::Public | Privacy::Company => true,
            Privacy::Admin => v.admin,
            Privacy::Owner => match self.created_by {
                Some(owner) => v.user == Some(owner),
                None => v.admin,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(privacy: Privacy, created_by: Option<UserId>) -> ShareLink {
        ShareLink {
            id: new_link_id(),
            company_id: CompanyId(1),
            kind: ShareKind::Recording,
            call_id: CallId(9),
            item_id: Some("9".into()),
            item_type: Some(RecordingType::CallRecording),
            privacy,
            created_by,
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
        }
    }

    fn viewer(company: i64, user: Option<i64>, admin: bool) -> Option<Viewer> {
        Some(Viewer {
            company: CompanyId(company),
            user: user.map(UserId),
            admin,
        })
    }

    #[test]
    fn who_opens_a_link() {
        let owner = link(Privacy::Owner, Some(UserId(5)));
        assert!(owner.opens_for(viewer(1, Some(5), false)));
        assert!(!owner.opens_for(viewer(1, Some(6), true)));
        assert!(!owner.opens_for(viewer(2, Some(5), false)));
        assert!(link(Privacy::Owner, None).opens_for(viewer(1, None, true)));
        assert!(link(Privacy::Admin, None).opens_for(viewer(1, Some(6), true)));
        assert!(!link(Privacy::Admin, None).opens_for(viewer(1, Some(6), false)));
        assert!(link(Privacy::Company, None).opens_for(viewer(1, Some(6), false)));
        assert!(!link(Privacy::Company, None).opens_for(None));
        assert!(link(Privacy::Public, None).opens_for(None));
        assert_eq!(new_link_id().len(), 32);
    }

    #[test]
    fn call_reviews_are_company_or_public() {
        assert!(ShareKind::CallReview.allows(Privacy::Public));
        assert!(!ShareKind::CallReview.allows(Privacy::Owner));
        assert_eq!(ShareKind::CallReview.default_privacy(), Privacy::Company);
        assert_eq!(ShareKind::Recording.default_privacy(), Privacy::Owner);
    }
}
