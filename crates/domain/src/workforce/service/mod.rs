//! The workforce use cases, one file per concern.

mod agents;
mod collab;
mod teams;

pub use agents::SkillSelection;
pub use collab::{RuleInput, SkillInput};
pub use teams::TeamInput;
