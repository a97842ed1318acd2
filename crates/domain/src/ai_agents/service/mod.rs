//! The AI agent use cases, one file per concern.

mod credentials;
mod pages;
mod reads;
mod sharing;
mod versions;
mod writes;

pub use sharing::ShareTarget;
pub use versions::VersionDiff;
