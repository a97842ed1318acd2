//! Opening what the server runs on: the data directory, the database and the master keys.

use std::path::Path;
use std::sync::Arc;

use anyhow::{bail, Context};
use switchboard_crypto::{FileKeyring, KeyFile, Keyring, MasterKey};
use switchboard_domain::secret::Cipher;
use switchboard_domain::{Clock, Core, ManualClock, SystemClock};
use switchboard_store::SqlStore;

use crate::config::Config;

/// Where the master keys come from.
pub enum KeySource {
    /// `SWITCHBOARD_MASTER_KEY`: the first key seals, all open.
    Configured(Vec<MasterKey>),
    /// The key file in the data directory.
    File(KeyFile),
}

impl KeySource {
    /// The source the configuration names.
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        match &config.master_key {
            Some(text) => {
                let keys = text
                    .split(',')
                    .map(|k| MasterKey::parse(k).map_err(anyhow::Error::msg))
                    .collect::<anyhow::Result<Vec<_>>>()
                    .context("SWITCHBOARD_MASTER_KEY")?;
                if keys.is_empty() {
                    bail!("SWITCHBOARD_MASTER_KEY is empty");
                }
                Ok(Self::Configured(keys))
            }
            None => Ok(Self::File(KeyFile::in_dir(&config.data_dir))),
        }
    }

    /// The keyring to run with. On a key file it follows the file, so a rotation run while
    /// the server is up takes effect in it at once.
    pub fn keyring(&self) -> anyhow::Result<Arc<dyn Cipher>> {
        Ok(match self {
            Self::Configured(keys) => Arc::new(Keyring::new(&keys[0], &keys[1..])),
            Self::File(file) => Arc::new(FileKeyring::open(file.clone())?),
        })
    }
}

/// Creates the data directory (private to the owner) if it is missing.
pub fn ensure_data_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create data directory {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    }
    Ok(())
}

/// Connects to the configured database and applies pending migrations.
pub async fn open_store(config: &Config) -> anyhow::Result<SqlStore> {
    ensure_data_dir(&config.data_dir)?;
    let store = SqlStore::connect(&config.database_url())
        .await?
        .with_idempotency_retention(config.idempotency_retention);
    store.migrate().await?;
    Ok(store)
}

/// The domain core over an opened store and keyring, on the wall clock.
pub fn core(store: &SqlStore, keyring: Arc<dyn Cipher>) -> Core {
    Core::new(store.clone().into_dyn(), keyring, Arc::new(SystemClock))
}

/// The clock the configuration asks for: the wall clock, or a manual clock that starts at the
/// wall clock's time and moves only when told.
pub fn clock(config: &Config) -> Arc<dyn Clock> {
    if config.manual_clock {
        Arc::new(ManualClock::at(jiff::Timestamp::now()))
    } else {
        Arc::new(SystemClock)
    }
}

/// The client that sends call routers their routing requests (private addresses as for
/// webhooks).
pub fn routing_client(
    config: &Config,
) -> anyhow::Result<Arc<dyn switchboard_domain::calls::RoutingClient>> {
    Ok(Arc::new(switchboard_events::HttpRoutingClient::new(
        config.webhook_allow_private,
    )?))
}

/// Fires the calls' timers (ring timeouts, queue steps, wrap-up) as they fall due, once a
/// second, until `stop` resolves.
pub async fn run_call_timers(core: Core, stop: impl std::future::Future<Output = ()>) {
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => return,
            () = tokio::time::sleep(std::time::Duration::from_secs(1)) => {
                if let Err(e) = core.calls().run_due().await {
                    tracing::error!(error = %e, "firing call timers failed");
                }
            }
        }
    }
}

/// Runs the report runner (due scheduled reports, the building of pending exports, the
/// forgetting of expired ones) once a second, until `stop` resolves.
pub async fn run_reports(core: Core, stop: impl std::future::Future<Output = ()>) {
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => return,
            () = tokio::time::sleep(std::time::Duration::from_secs(1)) => {
                if let Err(e) = core.reporting().run_due().await {
                    tracing::error!(error = %e, "running reports failed");
                }
            }
        }
    }
}

/// The event delivery worker over `core`, with every destination kind the server knows.
pub fn worker(core: &Core, config: &Config) -> anyhow::Result<switchboard_events::Worker> {
    let destinations: Vec<Arc<dyn switchboard_events::Destinations>> = vec![
        Arc::new(switchboard_d360::PartnerWebhooks),
        Arc::new(switchboard_dialpad::events::Subscriptions),
        Arc::new(switchboard_callin::PostCallWebhooks),
    ];
    let settings = switchboard_events::WorkerConfig {
        allow_private: config.webhook_allow_private,
        retention: switchboard_domain::events::event::Retention {
            events: config.event_retention,
            idempotency: config.idempotency_retention,
        },
        ..Default::default()
    };
    Ok(switchboard_events::Worker::new(
        core.clone(),
        destinations,
        settings,
    )?)
}

/// Where uploaded media go: the database on PostgreSQL, else `DATA_DIR/media`.
pub fn media_files(
    config: &Config,
    store: &SqlStore,
) -> Arc<dyn switchboard_domain::media::FileStore> {
    store.file_store(config.data_dir.join("media"))
}
