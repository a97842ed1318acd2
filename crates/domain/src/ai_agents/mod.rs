//! AI agents: the voice agent record that Dialgood and Callin share, its configuration, deep
//! patches and workflows, the version written on every change, sharing and encrypted credentials.

pub mod agent;
pub mod config;
pub mod list;
pub mod patch;
mod service;
pub mod store;
pub mod workflow;

pub use service::{ShareTarget, VersionDiff};

crate::facade::context_service!(
    /// The AI agent use cases: list, read, write with a version, share, credentials, restore.
    AiAgents,
    ai_agents
);
