//! Workforce: the company's people as agents — profile, presence and availability, schedules,
//! teams, skills, capacity rules and workload. Bird's agents are this context's records.

pub mod collab;
pub mod presence;
pub mod profile;
pub mod schedule;
mod service;
pub(crate) mod status_event;
pub mod store;

pub use service::{RuleInput, SkillInput, SkillSelection, TeamInput};

crate::facade::context_service!(
    /// The workforce use cases: agents, presence, teams, skills, capacity rules, workload.
    Workforce,
    workforce
);
