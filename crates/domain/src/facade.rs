//! The domain core as the dialects see it: one cheap-to-clone handle over storage, the secrets
//! cipher, the clock and the media files, with one accessor per bounded context
//! (`core.ai_agents()`, `core.workforce()`, …) returning that context's service. The services
//! hold the business rules; each lives in its context's folder.

use std::sync::Arc;

use crate::clock::Clock;
use crate::epoch_cache::EpochCache;
use crate::media::FileStore;
use crate::secret::Cipher;
use crate::store::Store;
use crate::telephony::driver::{Simulator, TelephonyDriver};

/// The domain core: storage, the secrets cipher and the clock, with one accessor per
/// context's service. Cheap to clone.
#[derive(Clone)]
pub struct Core {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) cipher: Arc<dyn Cipher>,
    pub(crate) clock: Arc<dyn Clock>,
    /// Where uploaded media bytes go; uploads are refused without one.
    pub(crate) files: Option<Arc<dyn FileStore>>,
    /// The page-token key, once read (see `cursor`).
    pub(crate) cursor_key: Arc<std::sync::OnceLock<crate::cursor::CursorKey>>,
    /// Resolved API keys (see `epoch_cache`).
    pub(crate) keys: Arc<EpochCache<String, crate::tenancy::account::Principal>>,
    /// Resolved OAuth access tokens (see `oauth::token_service`).
    pub(crate) oauth_tokens: Arc<EpochCache<String, crate::oauth::grant::AccessGrant>>,
    /// AI agents as last read (see `ai_agents::service::reads`).
    pub(crate) agents: Arc<EpochCache<crate::ids::AgentId, crate::ai_agents::agent::AiAgent>>,
    /// The telephone network (the simulator unless another is given).
    pub(crate) driver: Arc<dyn TelephonyDriver>,
    /// Sends call routers their routing requests; without one, calls to a router go to its
    /// default target.
    pub(crate) routing_client: Option<Arc<dyn crate::calls::RoutingClient>>,
    /// The server's address as its clients reach it (`https://host`), for links written into
    /// events; links are paths alone without it.
    pub(crate) public_url: Option<Arc<str>>,
    /// Whether webhook URLs may name private or loopback hosts (tests, closed networks).
    pub(crate) allow_private_hooks: bool,
}

impl Core {
    /// Assembles the core.
    pub fn new(store: Arc<dyn Store>, cipher: Arc<dyn Cipher>, clock: Arc<dyn Clock>) -> Self {
        Self {
            driver: Arc::new(Simulator::new(store.clone())),
            store,
            cipher,
            clock,
            files: None,
            cursor_key: Arc::default(),
            keys: Arc::default(),
            oauth_tokens: Arc::default(),
            agents: Arc::default(),
            routing_client: None,
            public_url: None,
            allow_private_hooks: false,
        }
    }

    /// The core with the server's public address (for links written into events).
    pub fn with_public_url(mut self, url: &str) -> Self {
        self.public_url = Some(url.trim_end_matches('/').into());
        self
    }

    /// The core with a client for call routers' routing requests.
    pub fn with_routing_client(mut self, client: Arc<dyn crate::calls::RoutingClient>) -> Self {
        self.routing_client = Some(client);
        self
    }

    /// The core accepting webhook URLs on private and loopback hosts.
    pub fn with_private_hooks_allowed(mut self, allowed: bool) -> Self {
        self.allow_private_hooks = allowed;
        self
    }

    /// The core driving another telephone network.
    pub fn with_driver(mut self, driver: Arc<dyn TelephonyDriver>) -> Self {
        self.driver = driver;
        self
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

    /// The telephone network.
    pub fn driver(&self) -> &Arc<dyn TelephonyDriver> {
        &self.driver
    }

    /// The clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }
}

/// Declares a bounded context's service: a borrowed view of the [`Core`] whose methods are that
/// context's use cases, and the accessor on [`Core`] that returns it.
macro_rules! context_service {
    ($(#[$doc:meta])* $name:ident, $accessor:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        pub struct $name<'a>(&'a $crate::Core);

        impl std::ops::Deref for $name<'_> {
            type Target = $crate::Core;
            fn deref(&self) -> &$crate::Core {
                self.0
            }
        }

        impl $crate::Core {
            $(#[$doc])*
            pub fn $accessor(&self) -> $name<'_> {
                $name(self)
            }
        }
    };
}
pub(crate) use context_service;
