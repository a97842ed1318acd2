//! Uploaded media (avatars, audio) and where their bytes live.

use async_trait::async_trait;
use jiff::Timestamp;

use crate::ids::{CompanyId, MediaId, UserId};
use crate::Result;

/// What an uploaded file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Avatar,
    Audio,
    /// A text message's attachment (MMS).
    Message,
}

impl MediaKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Avatar => "avatar",
            Self::Audio => "audio",
            Self::Message => "message",
        }
    }

    /// Reads the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "avatar" => Some(Self::Avatar),
            "audio" => Some(Self::Audio),
            "message" => Some(Self::Message),
            _ => None,
        }
    }
}

/// A media file record; the bytes are in a [`FileStore`].
#[derive(Debug, Clone, PartialEq)]
pub struct MediaFile {
    pub id: MediaId,
    pub company_id: CompanyId,
    /// The user it was uploaded for or by; `None` for the company's own files (IVR audio
    /// written with a company key).
    pub user_id: Option<UserId>,
    pub kind: MediaKind,
    pub content_type: Option<String>,
    pub size: Option<i64>,
    /// The upload form stops working then.
    pub expires_at: Timestamp,
    pub created_at: Timestamp,
    /// `None` until the bytes arrived.
    pub uploaded_at: Option<Timestamp>,
}

/// Where uploaded bytes are kept: a directory, or the database.
#[async_trait]
pub trait FileStore: Send + Sync + 'static {
    /// Stores the bytes of `id`, replacing earlier ones.
    async fn put(&self, id: MediaId, bytes: &[u8]) -> Result<()>;
    /// The bytes of `id`, if stored.
    async fn get(&self, id: MediaId) -> Result<Option<Vec<u8>>>;
}
