//! Use-case services: the business rules every dialect calls.

mod accounts;
mod agent_writes;
mod agents;
mod collab;
mod credentials;
mod human_agents;
mod secrets;
mod sharing;
mod versions;

use std::sync::Arc;

use crate::clock::Clock;
use crate::secret::Cipher;
use crate::store::Store;

pub use accounts::NewUser;
pub use collab::{RuleInput, SkillInput, TeamInput};
pub use human_agents::SkillSelection;
pub use sharing::ShareTarget;
pub use versions::VersionDiff;

/// The domain core: storage, the secrets cipher and the clock, with the use cases as methods
/// (grouped by resource in this module's files). Cheap to clone.
#[derive(Clone)]
pub struct Core {
    store: Arc<dyn Store>,
    cipher: Arc<dyn Cipher>,
    clock: Arc<dyn Clock>,
}

impl Core {
    /// Assembles the core.
    pub fn new(store: Arc<dyn Store>, cipher: Arc<dyn Cipher>, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            cipher,
            clock,
        }
    }

    /// The storage, for the shared HTTP mechanisms (idempotency, readiness).
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }
}
