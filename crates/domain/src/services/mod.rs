//! Use-case services: the business rules every dialect calls.

mod accounts;
mod agent_pages;
mod agent_writes;
mod agents;
mod clients;
mod collab;
mod credentials;
mod human_agents;
mod idempotency;
mod media;
mod partners;
mod secrets;
mod sharing;
mod teams;
mod versions;
mod webhooks;

use std::sync::Arc;

use crate::clock::Clock;
use crate::media::FileStore;
use crate::secret::Cipher;
use crate::store::Store;

pub use accounts::NewUser;
pub use collab::{RuleInput, SkillInput};
pub use human_agents::SkillSelection;
pub use media::{UploadForm, MAX_UPLOAD_BYTES};
pub use partners::{parse_http_url, PartnerChange};
pub use sharing::ShareTarget;
pub use teams::TeamInput;
pub use versions::VersionDiff;
pub use webhooks::partner_signing_owner;

/// The domain core: storage, the secrets cipher and the clock, with the use cases as methods
/// (grouped by resource in this module's files). Cheap to clone.
#[derive(Clone)]
pub struct Core {
    store: Arc<dyn Store>,
    cipher: Arc<dyn Cipher>,
    clock: Arc<dyn Clock>,
    /// Where uploaded media bytes go; uploads are refused without one.
    files: Option<Arc<dyn FileStore>>,
}

impl Core {
    /// Assembles the core.
    pub fn new(store: Arc<dyn Store>, cipher: Arc<dyn Cipher>, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            cipher,
            clock,
            files: None,
        }
    }

    /// The core with a place for uploaded media.
    pub fn with_files(mut self, files: Arc<dyn FileStore>) -> Self {
        self.files = Some(files);
        self
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
