//! Custom IVRs: audio prompts (kept by the media context) that a target — an office, a call
//! center, a department or a user — plays for one kind of prompt (greeting, hold music, …).
//! A target may keep several IVRs of one kind; at most one of them is selected, the one that
//! plays. IVR kinds are the dialect's to name and check.

use jiff::Timestamp;

use crate::ids::{CompanyId, GroupId, Id, IvrId, MediaId, OfficeId, UserId};
use crate::{DomainError, Result};

/// Largest IVR audio, in bytes.
pub const MAX_IVR_BYTES: usize = 5 * 1024 * 1024;
/// Most IVRs a target keeps of one kind.
pub const MAX_IVRS_PER_KIND: u64 = 50;
/// Longest IVR name.
const MAX_NAME: usize = 100;
/// Longest IVR description.
const MAX_DESCRIPTION: usize = 256;

/// Who plays an IVR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IvrTarget {
    Office(OfficeId),
    CallCenter(GroupId),
    Department(GroupId),
    User(UserId),
}

impl IvrTarget {
    /// A target of kind `kind` (`office`, `callcenter`, `department`, `user`); `None` for
    /// kinds that cannot play IVRs here.
    pub fn of(kind: &str, id: i64) -> Option<Self> {
        Some(match kind {
            "office" => Self::Office(OfficeId::from_raw(id)),
            "callcenter" => Self::CallCenter(GroupId::from_raw(id)),
            "department" => Self::Department(GroupId::from_raw(id)),
            "user" => Self::User(UserId::from_raw(id)),
            _ => return None,
        })
    }

    /// The stored and wire kind.
    pub fn kind(self) -> &'static str {
        match self {
            Self::Office(_) => "office",
            Self::CallCenter(_) => "callcenter",
            Self::Department(_) => "department",
            Self::User(_) => "user",
        }
    }

    /// The target's id.
    pub fn id(self) -> i64 {
        match self {
            Self::Office(o) => o.0,
            Self::CallCenter(g) | Self::Department(g) => g.0,
            Self::User(u) => u.0,
        }
    }
}

/// An IVR.
#[derive(Debug, Clone, PartialEq)]
pub struct Ivr {
    pub id: IvrId,
    pub company_id: CompanyId,
    pub target: IvrTarget,
    pub ivr_type: String,
    pub name: String,
    pub description: Option<String>,
    /// The audio, a media file of the company.
    pub media_id: MediaId,
    pub selected: bool,
    /// For which direction it was selected (`inbound`, `outbound`), when the caller said.
    pub select_option: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A new IVR with its audio.
#[derive(Debug, Clone)]
pub struct NewIvr {
    pub target: IvrTarget,
    pub ivr_type: String,
    /// `None`: named after its kind.
    pub name: Option<String>,
    pub description: Option<String>,
    pub audio: Vec<u8>,
    pub content_type: String,
}

/// An IVR name: one line of 1 to 100 characters.
pub fn ivr_name(raw: &str) -> Result<String> {
    let n = raw.trim();
    if n.is_empty() || n.chars().count() > MAX_NAME || n.contains(['\n', '\r']) {
        return Err(DomainError::invalid(
            "name must be one line of 1 to 100 characters",
        ));
    }
    Ok(n.to_owned())
}

/// An IVR description: one line of at most 256 characters; empty clears it.
pub fn ivr_description(raw: &str) -> Result<Option<String>> {
    let d = raw.trim();
    if d.chars().count() > MAX_DESCRIPTION || d.contains(['\n', '\r']) {
        return Err(DomainError::invalid(
            "description must be one line of at most 256 characters",
        ));
    }
    Ok(Some(d.to_owned()).filter(|d| !d.is_empty()))
}

/// Whether `bytes` look like MP3 audio: an ID3 tag or an MPEG audio frame header.
pub fn is_mp3(bytes: &[u8]) -> bool {
    bytes.starts_with(b"ID3") || (bytes.len() >= 2 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_and_audio() {
        let t = IvrTarget::of("callcenter", 7).unwrap();
        assert_eq!((t.kind(), t.id()), ("callcenter", 7));
        assert!(IvrTarget::of("room", 7).is_none());
        assert!(is_mp3(b"ID3\x04\x00"));
        assert!(is_mp3(&[0xFF, 0xFB, 0x90]));
        assert!(!is_mp3(b"RIFF....WAVE"));
        assert!(ivr_name(" ").is_err());
        assert_eq!(ivr_description("").unwrap(), None);
    }
}
