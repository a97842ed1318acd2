//! Media: files users upload (avatars, audio) through signed links, and where their bytes go.

mod file;
mod service;
pub mod store;

pub use file::*;
pub use service::{UploadForm, MAX_UPLOAD_BYTES};

crate::facade::context_service!(
    /// The media use cases: presigned uploads, accepting bytes, signed download links.
    Media,
    media
);
